extension FeedDate {
    /// RFC 822 and everything feeds have made of it, and asctime: tokens in any reasonable
    /// order, as long as every word is a month, a weekday, a zone or am/pm.
    enum Loose {
        private enum Token {
            case word(Range<Int>)
            case number(value: Int, digits: Int)
            case time(hour: Int, minute: Int, second: Int, fraction: Double)
            case offset(Int)
        }

        static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
            var tokens: [Token] = []
            tokens.reserveCapacity(8)
            var i = 0
            let n = p.count
            var sawTime = false
            while i < n {
                let byte = p[i]
                if byte.isXMLWhitespace || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") {
                    i += 1
                    continue
                }
                if byte == UInt8(ascii: "(") { break }
                if (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")) && i + 1 < n && p[i + 1].isASCIIDigit {
                    if sawTime || byte == UInt8(ascii: "+") {
                        var j = i + 1, value = 0, digits = 0
                        var colon = false
                        while j < n, p[j].isASCIIDigit || (p[j] == UInt8(ascii: ":") && digits == 2 && !colon) {
                            if p[j] == UInt8(ascii: ":") { colon = true } else { value = value * 10 + Int(p[j] - 0x30); digits += 1 }
                            j += 1
                        }
                        let minutes: Int
                        switch digits {
                        case 1, 2: minutes = value * 60
                        case 3, 4: minutes = (value / 100) * 60 + value % 100
                        default: return nil
                        }
                        if value % 100 >= 60 && digits >= 3 { return nil }
                        tokens.append(.offset(byte == UInt8(ascii: "-") ? -minutes : minutes))
                        i = j
                        continue
                    }
                    i += 1  // a dash between date fields: 28-Jan-2023
                    continue
                }
                if byte == UInt8(ascii: "-") { i += 1; continue }
                if byte.isASCIIDigit {
                    var j = i, value = 0, digits = 0
                    while j < n, p[j].isASCIIDigit { value = value &* 10 &+ Int(p[j] - 0x30); digits += 1; j += 1 }
                    guard digits <= 4 else { return nil }
                    if j < n, p[j] == UInt8(ascii: ":") {
                        // h:mm[:ss[.fff]]
                        var c = Cursor(p)
                        c.i = j + 1
                        guard digits <= 2, let minute = c.exactly(2) else { return nil }
                        var second = 0, fraction = 0.0
                        if c.eat(UInt8(ascii: ":")) {
                            guard let s = c.exactly(2) else { return nil }
                            second = s
                            if c.eat(UInt8(ascii: ".")) || c.eat(UInt8(ascii: ",")) { fraction = c.fraction() }
                        }
                        tokens.append(.time(hour: value, minute: minute, second: second, fraction: fraction))
                        sawTime = true
                        i = c.i
                        continue
                    }
                    tokens.append(.number(value: value, digits: digits))
                    i = j
                    // Ordinal suffixes: 1st, 2nd, 3rd, 28th.
                    if j + 1 < n {
                        let a = p[j].asciiLowercased, b = p[j + 1].asciiLowercased
                        if (a == UInt8(ascii: "s") && b == UInt8(ascii: "t")) || (a == UInt8(ascii: "n") && b == UInt8(ascii: "d"))
                            || (a == UInt8(ascii: "r") && b == UInt8(ascii: "d")) || (a == UInt8(ascii: "t") && b == UInt8(ascii: "h")) {
                            if j + 2 >= n || !p[j + 2].isASCIILetter { i = j + 2 }
                        }
                    }
                    continue
                }
                if byte.isASCIILetter || byte >= 0x80 {
                    var j = i
                    while j < n, p[j].isASCIILetter || p[j] >= 0x80 { j += 1 }
                    tokens.append(.word(i..<j))
                    i = j
                    continue
                }
                return nil
            }

            var month: Int?
            var numbers: [(value: Int, digits: Int)] = []
            var time: (hour: Int, minute: Int, second: Int, fraction: Double)?
            var offset: Int?
            var zoneOffset: Int?
            var meridiem: Int?  // 0 am, 12 pm
            var afterMeridiem = false
            for token in tokens {
                defer { if case .word = token {} else { afterMeridiem = false } }
                switch token {
                case .number(let value, let digits):
                    numbers.append((value, digits))
                case .time(let hour, let minute, let second, let fraction):
                    guard time == nil else { return nil }
                    time = (hour, minute, second, fraction)
                case .offset(let minutes):
                    guard offset == nil else { return nil }
                    offset = minutes
                case .word(let range):
                    let word = UnsafeBufferPointer(rebasing: p[range])
                    if afterMeridiem, word.count == 1, word[0].asciiLowercased == UInt8(ascii: "m") {
                        afterMeridiem = false  // the "m." of "p.m."
                    } else if month == nil, let m = monthNumber(word) {
                        month = m
                    } else if isWeekday(word) {
                        continue
                    } else if time != nil, meridiem == nil, let m = meridiemValue(word),
                              word.count == 2 || (range.upperBound + 1 < n && p[range.upperBound] == UInt8(ascii: ".")
                                                  && p[range.upperBound + 1].asciiLowercased == UInt8(ascii: "m")) {
                        // "am"/"pm", or "a.m."/"p.m."; a lone A or P is a military zone.
                        meridiem = m
                        afterMeridiem = true
                    } else if time != nil || month != nil, zoneOffset == nil, let zone = namedZone(word) {
                        zoneOffset = zone
                    } else {
                        return nil
                    }
                }
            }
            guard let month, numbers.count == 2 else { return nil }
            var day: Int, year: Int, yearDigits: Int
            if numbers[0].digits >= 3 || numbers[0].value > 31 {
                (year, yearDigits, day) = (numbers[0].value, numbers[0].digits, numbers[1].value)
            } else {
                (day, year, yearDigits) = (numbers[0].value, numbers[1].value, numbers[1].digits)
            }
            switch yearDigits {
            case 1, 2: year += year < 50 ? 2000 : 1900
            case 3: year += 1900
            default: break
            }
            var hour = time?.hour ?? 0
            if let meridiem {
                guard let _ = time, (1...12).contains(hour) else { return nil }
                hour = hour % 12 + meridiem
            }
            return epoch(year: year, month: month, day: day, hour: hour, minute: time?.minute ?? 0,
                         second: time?.second ?? 0, fraction: time?.fraction ?? 0,
                         offsetMinutes: offset ?? zoneOffset ?? 0)
        }

        private static let months: [(String, Int)] = [
            ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6),
            ("jul", 7), ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
        ]
        private static let monthNames = ["january", "february", "march", "april", "may", "june", "july",
                                         "august", "september", "october", "november", "december"]
        /// Russian month stems (genitive and nominative share their first three letters; мая/май too).
        private static let russianMonths: [(String, Int)] = [
            ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("май", 5), ("мая", 5), ("июн", 6),
            ("июл", 7), ("авг", 8), ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
        ]
        private static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        private static let russianWeekdays = ["пн", "вт", "ср", "чт", "пт", "сб", "вс", "понедельник", "вторник",
                                              "среда", "четверг", "пятница", "суббота", "воскресенье"]

        static func lowercased(_ word: UnsafeBufferPointer<UInt8>) -> String {
            if word.allSatisfy({ $0 < 0x80 }) {
                return String(decoding: word.map(\.asciiLowercased), as: UTF8.self)
            }
            return String(decoding: word, as: UTF8.self).lowercased()
        }

        static func monthNumber(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
            let lower = lowercased(word)
            if word.first.map({ $0 < 0x80 }) ?? false {
                guard lower.count >= 3 else { return nil }
                for (index, name) in monthNames.enumerated() where name.hasPrefix(lower) || (lower == "sept" && index == 8) {
                    return index + 1
                }
                return nil
            }
            let stem = String(lower.prefix(3))
            guard lower.count >= 3 else { return nil }
            return russianMonths.first { $0.0 == stem }?.1
        }

        static func isWeekday(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
            let lower = lowercased(word)
            if word.first.map({ $0 < 0x80 }) ?? false {
                guard lower.count >= 2 else { return false }
                return weekdays.contains { $0.hasPrefix(lower) && (lower.count >= 3 || lower == "tu" || lower == "th") }
            }
            return russianWeekdays.contains(lower)
        }

        static func meridiemValue(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
            switch lowercased(word) {
            case "am", "a": 0
            case "pm", "p": 12
            default: nil
            }
        }

        /// Zone abbreviations in minutes east of UTC. Ambiguous ones (IST, AMT…) are left out.
        static func namedZone(_ word: UnsafeBufferPointer<UInt8>) -> Int? {
            let name = lowercased(word)
            if name.count == 1, let letter = name.unicodeScalars.first?.value {
                switch letter {
                case 0x7A: return 0                                              // z
                case 0x61...0x69: return -Int(letter - 0x60) * 60               // a–i: −1…−9
                case 0x6B...0x6D: return -Int(letter - 0x61) * 60               // k–m: −10…−12
                case 0x6E...0x79: return Int(letter - 0x6D) * 60                // n–y: +1…+12
                default: return nil
                }
            }
            return zones[name]
        }

        private static let zones: [String: Int] = [
            "ut": 0, "utc": 0, "gmt": 0, "wet": 0, "z": 0,
            "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
            "pst": -480, "pdt": -420, "et": -300, "ct": -360, "mt": -420, "pt": -480,
            "ast": -240, "adt": -180, "at": -240, "akst": -540, "akdt": -480, "hst": -600,
            "bst": 60, "cet": 60, "met": 60, "west": 60, "cest": 120, "mest": 120, "eet": 120,
            "eest": 180, "msk": 180, "msd": 240, "samt": 240, "yekt": 300, "omst": 360, "novt": 420,
            "krat": 420, "irkt": 480, "yakt": 540, "vlat": 600, "magt": 660, "pett": 720,
            "jst": 540, "kst": 540, "hkt": 480, "sgt": 480, "aest": 600, "aedt": 660, "acst": 570,
            "awst": 480, "nzst": 720, "nzdt": 780, "trt": 180, "get": 240, "azt": 240, "uzt": 300,
            "kgt": 360, "tjt": 300, "tmt": 300,
        ]
    }
}
