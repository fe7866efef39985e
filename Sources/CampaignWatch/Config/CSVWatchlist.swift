import CampaignWatchCore
import Foundation

/// A CSV watchlist (a spreadsheet export): a header row, then one account per row.
/// `subject_id,name,role,elections,district,tags,platform,handle,url` (+ optional `names`);
/// columns in any order; `elections`, `tags` and `names` are `;`-separated. Rows with the same
/// `subject_id` are one subject: `name`, `role` and `district` may be left empty on later rows
/// but must not differ; `elections`, `tags` and `names` are joined. A row with empty `platform`
/// and `handle` adds a subject without an account.
///
/// Errors are at the field's `line:column` in the file, and name the spreadsheet row (the header
/// is row 1) and the column.
enum CSVWatchlist {
    static let columns = ["subject_id", "name", "role", "elections", "district", "tags", "platform", "handle", "url", "names"]
    static let required = ["subject_id", "name", "elections", "platform", "handle"]

    static func read(_ bytes: [UInt8], file: String, diagnostics: ConfigDiagnostics) -> [SubjectDraft] {
        let table = CSVTable.parse(bytes)
        for problem in table.problems {
            diagnostics.error(ConfigLocation(file: file, line: problem.line, column: problem.column), problem.message)
        }
        guard table.problems.isEmpty else { return [] }
        let records = table.records.enumerated().filter { !$0.element.isBlank }
        guard let (_, header) = records.first else {
            diagnostics.error(ConfigLocation(file: file, line: 1, column: 1),
                              "the watchlist is empty: add the header row `\(columns.prefix(9).joined(separator: ","))` and a row per account")
            return []
        }
        guard let index = headerIndex(header, file: file, diagnostics: diagnostics) else { return [] }
        let rows = records.dropFirst()
        guard !rows.isEmpty else {
            diagnostics.error(ConfigLocation(file: file, line: header.line, column: 1),
                              "the watchlist has a header but no rows: add a row per account, or remove the file")
            return []
        }

        var builders: [String: SubjectBuilder] = [:]
        var order: [String] = []
        for (recordIndex, record) in rows {
            let row = Row(record: record, number: recordIndex + 1, index: index, file: file, headerCount: header.fields.count)
            guard row.checkWidth(diagnostics) else { continue }
            guard let id = row.id(diagnostics) else { continue }
            if builders[id.value] == nil {
                builders[id.value] = SubjectBuilder(id: id)
                order.append(id.value)
            }
            builders[id.value]!.add(row, diagnostics: diagnostics)
        }
        return order.compactMap { builders[$0]!.draft(diagnostics: diagnostics) }
    }

    private static func headerIndex(_ header: CSVTable.Record, file: String, diagnostics: ConfigDiagnostics) -> [String: Int]? {
        var index: [String: Int] = [:]
        var ok = true
        for (position, field) in header.fields.enumerated() {
            let name = field.text.trimmingCharacters(in: .whitespaces).lowercased()
            let location = ConfigLocation(file: file, line: field.line, column: field.column)
            if header.fields.count == 1, name.contains(";") {
                diagnostics.error(location, "the columns are separated by `;`: export the sheet as comma-separated CSV "
                    + "(`;` separates the entries inside `elections` and `tags`)")
                return nil
            }
            guard columns.contains(name) else {
                diagnostics.error(location, "unknown column `\(field.text)` in the header\(NearestName.hint(name, among: columns)) "
                    + "(columns: \(columns.joined(separator: ", ")))")
                ok = false
                continue
            }
            if index[name] != nil {
                diagnostics.error(location, "the column `\(name)` appears twice in the header: keep one")
                ok = false
            }
            index[name] = position
        }
        for name in required where index[name] == nil {
            diagnostics.error(ConfigLocation(file: file, line: header.line, column: 1),
                              "the header has no `\(name)` column: the header is `\(columns.prefix(9).joined(separator: ","))`")
            ok = false
        }
        return ok ? index : nil
    }

    /// One data row, read through the header's column positions.
    struct Row {
        var record: CSVTable.Record
        /// The spreadsheet's row number (the header is row 1).
        var number: Int
        var index: [String: Int]
        var file: String
        var headerCount: Int

        func field(_ column: String) -> CSVTable.Field? {
            guard let position = index[column], position < record.fields.count else { return nil }
            return record.fields[position]
        }

        func text(_ column: String) -> String {
            field(column)?.text.trimmingCharacters(in: .whitespaces) ?? ""
        }

        func location(_ column: String) -> ConfigLocation {
            let field = field(column) ?? record.fields[0]
            return ConfigLocation(file: file, line: field.line, column: field.column)
        }

        func error(_ column: String, _ message: String, _ diagnostics: ConfigDiagnostics) {
            diagnostics.error(location(column), "row \(number), column `\(column)`: \(message)")
        }

        func checkWidth(_ diagnostics: ConfigDiagnostics) -> Bool {
            guard record.fields.count == headerCount else {
                diagnostics.error(ConfigLocation(file: file, line: record.line, column: 1),
                                  "row \(number) has \(record.fields.count) fields but the header has \(headerCount): "
                                  + "quote fields that contain commas")
                return false
            }
            return true
        }

        func id(_ diagnostics: ConfigDiagnostics) -> Located<String>? {
            let text = self.text("subject_id")
            guard !text.isEmpty else {
                error("subject_id", "empty: every row needs the id of its subject", diagnostics)
                return nil
            }
            guard LoadSession.isValidID(text) else {
                error("subject_id", "`\(text)` is not a valid subject id: use Latin letters, digits, `-`, `_` and `.` "
                    + "(e.g. `\(LoadSession.suggestedID(text))`)", diagnostics)
                return nil
            }
            return Located(value: text, location: location("subject_id"))
        }

        /// `a; b;c` → located entries; locations point into the field when it was written plainly.
        func list(_ column: String) -> [Located<String>] {
            guard let field = field(column) else { return [] }
            var result: [Located<String>] = []
            var offset = 0
            for part in field.text.split(separator: ";", omittingEmptySubsequences: false) {
                let leading = part.prefix { $0 == " " }.count
                let value = part.trimmingCharacters(in: .whitespaces)
                if !value.isEmpty {
                    let shifted = field.text.contains("\n") || (field.quoted && field.text.contains("\""))
                    let column = shifted ? field.column : field.column + (field.quoted ? 1 : 0) + offset + leading
                    result.append(Located(value: value, location: ConfigLocation(file: file, line: field.line, column: column)))
                }
                offset += part.unicodeScalars.count + 1
            }
            return result
        }
    }

    /// The rows of one subject, merged.
    struct SubjectBuilder {
        var id: Located<String>
        var name: (String, Int)?
        var role: (Subject.Role, Int)?
        var district: (String, Int)?
        var names: [String] = []
        var elections: [Located<String>] = []
        var tags: [String] = []
        var accounts: [(Account, ConfigLocation, String?)] = []
        var failed = false

        init(id: Located<String>) { self.id = id }

        mutating func add(_ row: Row, diagnostics: ConfigDiagnostics) {
            let name = row.text("name")
            if !name.isEmpty {
                if let first = self.name, first.0 != name {
                    row.error("name", "`\(name)` differs from `\(first.0)` on row \(first.1) for subject `\(id.value)`: "
                        + "rows of one subject must agree (or leave it empty)", diagnostics)
                    failed = true
                } else if self.name == nil {
                    self.name = (name, row.number)
                }
            }
            let roleText = row.text("role")
            if !roleText.isEmpty {
                if let role = Subject.Role(rawValue: roleText.lowercased()) {
                    if let first = self.role, first.0 != role {
                        row.error("role", "`\(roleText)` differs from `\(first.0.rawValue)` on row \(first.1) for subject `\(id.value)`: "
                            + "rows of one subject must agree (or leave it empty)", diagnostics)
                        failed = true
                    } else if self.role == nil {
                        self.role = (role, row.number)
                    }
                } else {
                    let roles = Subject.Role.allCases.map(\.rawValue)
                    row.error("role", "`\(roleText)` is not a role\(NearestName.hint(roleText, among: roles)) "
                        + "(one of: \(roles.joined(separator: ", ")))", diagnostics)
                    failed = true
                }
            }
            let district = row.text("district")
            if !district.isEmpty {
                if let first = self.district, first.0 != district {
                    row.error("district", "`\(district)` differs from `\(first.0)` on row \(first.1) for subject `\(id.value)`: "
                        + "rows of one subject must agree (or leave it empty)", diagnostics)
                    failed = true
                } else if self.district == nil {
                    self.district = (district, row.number)
                }
            }
            for election in row.list("elections") where !elections.contains(where: { $0.value == election.value }) {
                elections.append(election)
            }
            for tag in row.list("tags").map(\.value) where !tags.contains(tag) { tags.append(tag) }
            for extra in row.list("names").map(\.value) where !names.contains(extra) { names.append(extra) }
            addAccount(row, diagnostics: diagnostics)
        }

        private mutating func addAccount(_ row: Row, diagnostics: ConfigDiagnostics) {
            let platformText = row.text("platform"), handle = row.text("handle"), url = row.text("url")
            if platformText.isEmpty, handle.isEmpty {
                if !url.isEmpty {
                    row.error("url", "a `url` without `platform` and `handle`: fill them in (for a feed: platform `rss`, "
                        + "handle the feed address)", diagnostics)
                    failed = true
                }
                return
            }
            let platformNames = Platform.allCases.map(\.rawValue)
            guard let platform = Platform(rawValue: platformText.lowercased()) else {
                let message = platformText.isEmpty ? "empty, but the row has a handle: give the platform"
                    : "`\(platformText)` is not a platform\(NearestName.hint(platformText, among: platformNames))"
                row.error("platform", message + " (one of: \(platformNames.joined(separator: ", ")))", diagnostics)
                failed = true
                return
            }
            do {
                try AccountHandleSyntax.check(handle, platform: platform)
            } catch {
                row.error("handle", error.message, diagnostics)
                failed = true
                return
            }
            if !url.isEmpty {
                do {
                    try AccountHandleSyntax.httpURL(url, what: "the url")
                } catch {
                    row.error("url", error.message, diagnostics)
                    failed = true
                    return
                }
            }
            accounts.append((Account(platform: platform, handle: handle, url: ""), row.location("handle"), url.isEmpty ? nil : url))
        }

        func draft(diagnostics: ConfigDiagnostics) -> SubjectDraft? {
            guard let name else {
                diagnostics.error(id.location, "subject `\(id.value)` has no `name` on any of its rows: fill it in")
                return nil
            }
            guard !elections.isEmpty else {
                diagnostics.error(id.location, "subject `\(id.value)` has no `elections` on any of its rows: name at least one "
                    + "(several separated by `;`)")
                return nil
            }
            guard !failed else { return nil }
            var allNames = [name.0]
            for extra in names where !allNames.contains(extra) { allNames.append(extra) }
            let subject = Subject(id: id.value, name: name.0, names: allNames, role: role?.0 ?? .candidate,
                                  elections: elections.map(\.value), district: district?.0, tags: tags, accounts: accounts.map(\.0))
            return SubjectDraft(subject: subject, id: id, electionRefs: elections,
                                accountLocations: accounts.map(\.1), accountURLs: accounts.map(\.2))
        }
    }
}
