import CampaignWatchCore
import Foundation
import Yams

/// `elections:` entries: id, name, IANA zone, periods (resolved in that zone, checked for
/// order and overlap), and the rule selectors (checked once every rule is known).
extension LoadSession {
    func readElections(_ node: Node, reader: NodeReader) {
        guard let items = reader.items(node, of: "`elections`") else { return }
        for item in items { readElection(item, reader: reader) }
    }

    private func readElection(_ node: Node, reader: NodeReader) {
        guard let members = reader.members(node, of: "an election", allowed: ["id", "name", "timezone", "periods", "rules"]) else { return }
        var id: Located<String>?, name: String?, zone: TimeZone?, zoneGiven = false
        var periodsNode: Node?, selectors: [Located<String>]?, selectorsGiven = false
        for (key, value) in members {
            switch key.value {
            case "id":
                id = readID(value, reader: reader, of: "election")
                if let text = value.scalar?.string { writtenElectionIDs.insert(text) }
            case "name": name = reader.nonEmptyString(value, of: "the election's `name`")
            case "timezone":
                zoneGiven = true
                zone = reader.parse(value, of: "`timezone`", TimeZoneName.resolve)
            case "periods": periodsNode = value
            default:
                selectorsGiven = true
                if let list = reader.stringList(value, of: "the election's `rules`") {
                    if list.isEmpty {
                        reader.error(value, "`rules: []` selects no rule, so nothing would ever be flagged: "
                            + "name rule ids or tags, or remove `rules` to use every rule")
                    } else {
                        selectors = list
                    }
                }
            }
        }
        let start = reader.location(node)
        let label = id.map { "election `\($0.value)`" } ?? "this election"
        if id == nil, !members.contains(where: { $0.key.value == "id" }) {
            diagnostics.error(start, "\(label) has no `id`: add one, e.g. `id: kz-mazhilis-2023`")
        }
        if name == nil, !members.contains(where: { $0.key.value == "name" }) {
            diagnostics.error(start, "\(label) has no `name`: add the name monitors should read in alerts")
        }
        if !zoneGiven {
            diagnostics.error(start, "\(label) has no `timezone`: add the IANA zone its calendar is written in, e.g. `timezone: Asia/Almaty`")
        }
        var periods: [(ElectionPeriod, ConfigLocation)] = []
        if let periodsNode {
            periods = readPeriods(periodsNode, zone: zone, reader: reader, label: label)
        } else {
            diagnostics.error(start, "\(label) has no `periods`: add at least the prohibited ones (pre-campaign, silence)")
        }
        guard let id, let name, let zone, !(selectorsGiven && selectors == nil) else { return }
        let election = Election(id: id.value, name: name, timeZone: zone, periods: periods.map(\.0).sorted { $0.from < $1.from },
                                ruleSelectors: selectors?.map(\.value))
        elections.append(ElectionDraft(election: election, id: id, selectors: selectors))
    }

    private func readPeriods(_ node: Node, zone: TimeZone?, reader: NodeReader, label: String) -> [(ElectionPeriod, ConfigLocation)] {
        guard let items = reader.items(node, of: "`periods`") else { return [] }
        if items.isEmpty {
            reader.error(node, "\(label) has an empty `periods` list: add at least the prohibited periods")
        }
        var periods: [(ElectionPeriod, ConfigLocation)] = []
        for item in items {
            if let period = readPeriod(item, zone: zone, reader: reader) { periods.append((period, reader.location(item))) }
        }
        let ordered = periods.sorted { $0.0.from < $1.0.from }
        for (index, current) in ordered.enumerated().dropFirst() {
            let earlier = ordered[..<index].max { $0.0.to < $1.0.to }!
            if current.0.from < earlier.0.to, let zone {
                diagnostics.error(current.1, "this `\(current.0.kind.rawValue)` period (from \(Timestamp.local(current.0.from, in: zone))) "
                    + "overlaps the `\(earlier.0.kind.rawValue)` period at \(earlier.1.line):\(earlier.1.column), which ends at "
                    + "\(Timestamp.local(earlier.0.to, in: zone)): periods must not overlap; make one end where the next begins")
            }
        }
        let over = periods.filter { $0.0.to <= now }
        let utc = TimeZone(identifier: "UTC")!
        if !over.isEmpty, over.count == periods.count, let last = periods.max(by: { $0.0.to < $1.0.to }) {
            // One warning for an election that is over, not one per period.
            diagnostics.warning(reader.location(node), "every period of \(label) is over (the last ended "
                + "\(Timestamp.local(last.0.to, in: zone ?? utc))): check the dates if this election is current; "
                + "past periods still judge posts published in them")
        } else {
            for (period, location) in over {
                diagnostics.warning(location, "this `\(period.kind.rawValue)` period of \(label) is over (it ended "
                    + "\(Timestamp.local(period.to, in: zone ?? utc))): check the dates if this election is current; "
                    + "past periods still judge posts published in them")
            }
        }
        return periods
    }

    private func readPeriod(_ node: Node, zone: TimeZone?, reader: NodeReader) -> ElectionPeriod? {
        guard let members = reader.members(node, of: "a period", allowed: ["kind", "from", "to", "prohibited"]) else { return nil }
        var kind: ElectionPeriod.Kind?, prohibited: Bool?
        var from: (Date, Node)?, to: (Date, Node)?
        var failed = false
        for (key, value) in members {
            switch key.value {
            case "kind":
                kind = reader.enumeration(value, of: "period kind", ElectionPeriod.Kind.self)
                if kind == nil { failed = true }
            case "prohibited":
                prohibited = reader.bool(value, of: "`prohibited`")
                if prohibited == nil { failed = true }
            default:
                guard let time = reader.parse(value, of: "`\(key.value)`", WallClockTime.parse) else { failed = true; continue }
                guard let zone else { failed = true; continue }
                do {
                    let instant = try time.resolve(in: zone)
                    if key.value == "from" { from = (instant, value) } else { to = (instant, value) }
                } catch {
                    reader.error(value, "`\(key.value)`: \(error.message)")
                    failed = true
                }
            }
        }
        for required in ["kind", "from", "to"] where !members.contains(where: { $0.key.value == required }) {
            reader.error(node, "this period has no `\(required)`: a period needs `kind`, `from` and `to`")
            failed = true
        }
        guard !failed, let kind, let from, let to else { return nil }
        guard from.0 < to.0 else {
            reader.error(to.1, "`to` (\(Timestamp.local(to.0, in: zone!))) is not after `from` (\(Timestamp.local(from.0, in: zone!))): "
                + "a period ends after it begins (`from` is inclusive, `to` exclusive)")
            return nil
        }
        return ElectionPeriod(kind: kind, from: from.0, to: to.0, prohibited: prohibited)
    }

    /// Ids are what alerts, file names and the command line refer to: Latin letters, digits,
    /// `-`, `_` and `.`, starting with a letter or digit.
    func readID(_ node: Node, reader: NodeReader, of kind: String) -> Located<String>? {
        guard let text = reader.nonEmptyString(node, of: "the \(kind)'s `id`") else { return nil }
        guard Self.isValidID(text) else {
            reader.error(node, "`\(text)` is not a valid \(kind) id: use Latin letters, digits, `-`, `_` and `.`, "
                + "starting with a letter or digit (e.g. `\(Self.suggestedID(text))`)")
            return nil
        }
        return Located(value: text, location: reader.location(node))
    }

    static func isValidID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == ".")
        }
    }

    static func suggestedID(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "." {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-"), !out.isEmpty {
                out += "-"
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "my-id" : out
    }
}
