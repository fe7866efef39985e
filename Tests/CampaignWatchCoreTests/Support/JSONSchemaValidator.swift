import Foundation

/// A compact JSON Schema (draft 2020-12) validator for the keywords the repository's schemas
/// use: boolean schemas, `$ref` (local pointers), `type` (also unions with "null"), `enum`,
/// `const`, `required`, `properties`, `additionalProperties`, `items`, `pattern`, `minimum`,
/// `format: date-time` (RFC 3339, checked strictly), `allOf`, `anyOf`, `if`/`then`/`else`.
/// A keyword it does not know is reported as an error rather than silently passed.
struct JSONSchemaValidator {
    let root: JSONValue

    static let annotations: Set<String> = ["$schema", "$id", "$defs", "title", "description", "$comment"]
    static let keywords: Set<String> = ["$ref", "type", "enum", "const", "required", "properties", "additionalProperties",
                                         "items", "pattern", "minimum", "format", "allOf", "anyOf", "if", "then", "else"]

    init(schema: JSONValue) { root = schema }

    init(contentsOf url: URL) throws {
        root = try JSONValue.parse(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    /// Every violation, as `pointer: message`; empty when the instance is valid.
    func validate(_ instance: JSONValue) -> [String] {
        var errors: [String] = []
        check(instance, against: root, at: "", errors: &errors)
        return errors
    }

    private func check(_ instance: JSONValue, against schema: JSONValue, at path: String, errors: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): not allowed here") }
            return
        }
        guard case .object(let members) = schema else {
            errors.append("\(path): the schema is neither an object nor a boolean")
            return
        }
        for (keyword, value) in members {
            if Self.annotations.contains(keyword) { continue }
            guard Self.keywords.contains(keyword) else {
                errors.append("\(path): unsupported schema keyword \(keyword)")
                continue
            }
            switch keyword {
            case "$ref":
                guard let target = resolve(value.string ?? "") else {
                    errors.append("\(path): unresolvable $ref \(value)")
                    continue
                }
                check(instance, against: target, at: path, errors: &errors)
            case "type":
                let names = value.array?.compactMap(\.string) ?? [value.string ?? ""]
                if !names.contains(where: { Self.hasType(instance, $0) }) {
                    errors.append("\(path): expected \(names.joined(separator: " or ")), found \(instance)")
                }
            case "enum":
                if !(value.array ?? []).contains(instance) { errors.append("\(path): \(instance) is not one of \(value)") }
            case "const":
                if instance != value { errors.append("\(path): \(instance) is not \(value)") }
            case "required":
                if case .object = instance {
                    for name in value.array?.compactMap(\.string) ?? [] where instance[name] == nil {
                        errors.append("\(path): missing required member \(name)")
                    }
                }
            case "properties":
                guard case .object(let instanceMembers) = instance, case .object(let properties) = value else { continue }
                for (name, member) in instanceMembers {
                    if let sub = properties.first(where: { $0.0 == name })?.1 {
                        check(member, against: sub, at: path + "/" + name, errors: &errors)
                    }
                }
            case "additionalProperties":
                guard case .object(let instanceMembers) = instance else { continue }
                let declared = schema["properties"]?.keys ?? []
                for (name, member) in instanceMembers where !declared.contains(name) {
                    check(member, against: value, at: path + "/" + name, errors: &errors)
                }
            case "items":
                guard case .array(let items) = instance else { continue }
                for (index, item) in items.enumerated() { check(item, against: value, at: path + "/\(index)", errors: &errors) }
            case "pattern":
                guard case .string(let text) = instance, let pattern = value.string else { continue }
                guard let regex = try? NSRegularExpression(pattern: pattern) else {
                    errors.append("\(path): invalid pattern \(pattern)")
                    continue
                }
                if regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                    errors.append("\(path): \"\(text)\" does not match \(pattern)")
                }
            case "minimum":
                let bound: Double? = switch value { case .integer(let i): Double(i); case .number(let d): d; default: nil }
                let number: Double? = switch instance { case .integer(let i): Double(i); case .number(let d): d; default: nil }
                if let bound, let number, number < bound { errors.append("\(path): \(number) is below \(bound)") }
            case "format":
                guard case .string(let text) = instance else { continue }
                if value.string == "date-time" {
                    if !Self.isRFC3339DateTime(text) { errors.append("\(path): \"\(text)\" is not an RFC 3339 date-time") }
                } else {
                    errors.append("\(path): unsupported format \(value)")
                }
            case "allOf":
                for sub in value.array ?? [] { check(instance, against: sub, at: path, errors: &errors) }
            case "anyOf":
                let branches = value.array ?? []
                let passes = branches.contains { branch in
                    var branchErrors: [String] = []
                    check(instance, against: branch, at: path, errors: &branchErrors)
                    return branchErrors.isEmpty
                }
                if !passes { errors.append("\(path): \(instance) matches none of the anyOf branches") }
            case "if":
                var conditionErrors: [String] = []
                check(instance, against: value, at: path, errors: &conditionErrors)
                if conditionErrors.isEmpty {
                    if let then = schema["then"] { check(instance, against: then, at: path, errors: &errors) }
                } else if let otherwise = schema["else"] {
                    check(instance, against: otherwise, at: path, errors: &errors)
                }
            default:
                break // then / else are applied by if
            }
        }
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#") else { return nil }
        var node = root
        for token in reference.dropFirst().split(separator: "/") {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node[key] else { return nil }
            node = next
        }
        return node
    }

    static func hasType(_ value: JSONValue, _ name: String) -> Bool {
        switch (name, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
             ("integer", .integer), ("number", .integer), ("number", .number):
            true
        case ("integer", .number(let d)): d == d.rounded()
        default: false
        }
    }

    /// RFC 3339 §5.6 `date-time`: full-date "T" full-time, real calendar days, hours 00–23,
    /// minutes 00–59, seconds 00–60 (a leap second), optional fraction, `Z` or `±hh:mm`.
    static func isRFC3339DateTime(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for byte in b[from..<from + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue! }
        guard let year = digits(0, 4), at(4, "-"), let month = digits(5, 2), at(7, "-"), let day = digits(8, 2),
              at(10, "T") || at(10, "t"), let hour = digits(11, 2), at(13, ":"), let minute = digits(14, 2), at(16, ":"),
              let second = digits(17, 2) else { return false }
        guard (1...12).contains(month), hour <= 23, minute <= 59, second <= 60 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return false }
        var i = 19
        if at(i, ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            guard i > start else { return false }
        }
        if at(i, "Z") || at(i, "z") { return i + 1 == b.count }
        guard at(i, "+") || at(i, "-"), let offsetHours = digits(i + 1, 2), at(i + 3, ":"), let offsetMinutes = digits(i + 4, 2) else {
            return false
        }
        return offsetHours <= 23 && offsetMinutes <= 59 && i + 6 == b.count
    }
}
