import Foundation

/// The directory as a CSV file: a header row naming the columns, then one row a role. Several values in one cell
/// are separated by `;`. Rows of one person (the same first e-mail address; for an office without one, the same
/// name, authority and country) make one entry with all its dated roles. The whole file is checked before
/// anything is written: each mistake is named by its line and column, and nothing is kept when any is found.
public enum DirectoryFile {
    /// The columns, in the order `liaison directory export` writes them.
    public static let columns = ["kind", "name", "function", "authority", "country", "email", "phone", "languages", "networks", "role",
                                 "sending_country", "host_country", "covers", "available_24_7", "urgent_phone", "valid_from",
                                 "valid_until", "source", "consent_basis", "consent_date", "visibility"]
    static let required = ["kind", "name", "country", "consent_basis"]
    /// At most this many rows a file: the directory of a platform, not a dump.
    public static let rowLimit = 20_000

    /// Reads a file against the party directory and the catalogue (`isNetwork`).
    public static func read(_ text: String, source: String, parties: PartyDirectory, isNetwork: (String) -> Bool) throws -> [DirectoryEntry] {
        let rows = try CSV.rows(text, source: source)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw ImportFailure(errors: [.invalidInput(source: source, line: nil, field: nil, reason: "is empty")])
        }
        var errors: [InputError] = []
        for name in header where !columns.contains(name) {
            errors.append(.invalidInput(source: source, line: 1, field: name, reason: "is not a column (the columns are: \(columns.joined(separator: ", ")))"))
        }
        for name in required where !header.contains(name) {
            errors.append(.invalidInput(source: source, line: 1, field: name, reason: "column is missing"))
        }
        guard errors.isEmpty else { throw ImportFailure(errors: errors) }
        guard rows.count - 1 <= rowLimit else {
            throw ImportFailure(errors: [.invalidInput(source: source, line: nil, field: nil, reason: "has more than \(rowLimit) rows")])
        }

        var entries: [DirectoryEntry] = []
        var firstLine: [String: (index: Int, line: Int)] = [:]
        for row in rows.dropFirst() where !row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            guard row.fields.count == header.count else {
                errors.append(.invalidInput(source: source, line: row.line, field: nil,
                                            reason: "has \(row.fields.count) fields where the header has \(header.count)"))
                continue
            }
            var problems = ProblemList()
            let cells = Dictionary(zip(header, row.fields.map { Self.undefused($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                                   uniquingKeysWith: { first, _ in first })
            guard let entry = Self.entry(cells, parties: parties, isNetwork: isNetwork, problems: &problems), problems.errors.isEmpty else {
                errors += problems.errors.map { $0.located(source: source, line: row.line) }
                continue
            }
            let key = entry.emails.first ?? [entry.name, entry.authority, entry.country].map { PartyDirectory.key($0) }.joined(separator: "|")
            if let earlier = firstLine[key] {
                // The same person again: a further role, with the person's fields as the first row gave them.
                for (field, differs) in Self.differences(entries[earlier.index], entry) where differs {
                    errors.append(InputError.invalidValue(field: field, value: cells[field] ?? "",
                                                          rule: "differs from line \(earlier.line), the first row of this person")
                        .located(source: source, line: row.line))
                }
                entries[earlier.index].roles += entry.roles.filter { !entries[earlier.index].roles.contains($0) }
            } else {
                firstLine[key] = (entries.count, row.line)
                entries.append(entry)
            }
        }
        guard errors.isEmpty else { throw ImportFailure(errors: errors) }
        guard !entries.isEmpty else { throw ImportFailure(errors: [.invalidInput(source: source, line: nil, field: nil, reason: "has no entry")]) }
        return entries
    }

    /// A cell without the apostrophe that `Escaper.csvField` puts before a text a spreadsheet would take for a
    /// formula (`'+34…` is the telephone number `+34…`).
    static func undefused(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(second) else { return text }
        return String(String.UnicodeScalarView(scalars.dropFirst()))
    }

    /// The person's fields a later row of the same person must leave empty or give alike.
    static func differences(_ first: DirectoryEntry, _ later: DirectoryEntry) -> [(String, Bool)] {
        [("name", later.name != first.name), ("function", !later.function.isEmpty && later.function != first.function),
         ("authority", !later.authority.isEmpty && later.authority != first.authority), ("country", later.country != first.country),
         ("phone", !later.phones.isEmpty && later.phones != first.phones),
         ("languages", !later.languages.isEmpty && later.languages != first.languages),
         ("consent_basis", later.consentBasis != first.consentBasis)]
    }

    static func entry(_ cells: [String: String], parties: PartyDirectory, isNetwork: (String) -> Bool,
                      problems: inout ProblemList) -> DirectoryEntry? {
        func cell(_ name: String) -> String { cells[name] ?? "" }
        func list(_ name: String) -> [String] {
            cell(name).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func party(_ text: String, field: String) -> String? {
            guard let found = parties.lookUp(text) else {
                problems.errors.append(.invalidValue(field: field, value: text,
                                                     rule: "must name a known country or organisation (English or French name, or code)"))
                return nil
            }
            return found.id
        }
        func date(_ name: String) -> PartialDate? {
            cell(name).isEmpty ? nil : problems.check { try PartialDate(cell(name), field: name) }
        }
        func line(_ name: String, limit: Int, required: Bool = false) -> String {
            let text = cell(name)
            if required && text.isEmpty { problems.errors.append(.missingField(field: name)) }
            problems.check { try TextRules.checkLine(text, field: name, limit: limit) }
            return text
        }

        let kind = problems.check { try DirectoryKind.parse(cell("kind").lowercased(), field: "kind") }
        let name = line("name", limit: 200, required: true)
        let function = line("function", limit: 300)
        let authority = line("authority", limit: 300)
        let country = cell("country").isEmpty ? nil : party(cell("country"), field: "country")
        if cell("country").isEmpty { problems.errors.append(.missingField(field: "country")) }
        let emails = list("email").compactMap { text in problems.check { try Account.normalisedEmail(text, field: "email") } }
        let phones = list("phone").compactMap { text in problems.check { try DirectoryRules.phone(text, field: "phone") } }
        let languages = list("languages").compactMap { text in problems.check { try DirectoryRules.language(text, field: "languages") } }
        let networks = list("networks").map { $0.lowercased() }
        for slug in networks where !isNetwork(slug) {
            problems.errors.append(.invalidValue(field: "networks", value: slug, rule: "must be the slug of a network of the catalogue"))
        }
        let titles = list("role")
        if titles.count > 1 && titles.count != networks.count {
            problems.errors.append(.invalidValue(field: "role", value: cell("role"),
                                                 rule: "gives one role for every network, or one for all (\(networks.count) networks)"))
        }
        for title in titles { problems.check { try TextRules.checkLine(title, field: "role", limit: 200) } }
        let sending = cell("sending_country").isEmpty ? nil : party(cell("sending_country"), field: "sending_country")
        let host = cell("host_country").isEmpty ? nil : party(cell("host_country"), field: "host_country")
        let covers = list("covers").compactMap { party($0, field: "covers") }
        let available: Bool
        switch cell("available_24_7").lowercased() {
        case "", "no", "non", "false", "0": available = false
        case "yes", "oui", "true", "1": available = true
        default:
            problems.errors.append(.invalidValue(field: "available_24_7", value: cell("available_24_7"), rule: "must be yes or no"))
            available = false
        }
        var urgent = cell("urgent_phone").isEmpty ? nil : problems.check { try DirectoryRules.phone(cell("urgent_phone"), field: "urgent_phone") }
        if available && urgent == nil && cell("urgent_phone").isEmpty {
            urgent = phones.first
            if phones.isEmpty { problems.errors.append(.invalidValue(field: "available_24_7", value: "yes", rule: "needs a telephone number to call")) }
        }
        let since = date("valid_from"), until = date("valid_until")
        if let since, let until, until < since {
            problems.errors.append(.invalidValue(field: "valid_until", value: until.description, rule: "must not be before valid_from (\(since))"))
        }
        let source = line("source", limit: 500)
        let basis = line("consent_basis", limit: 200, required: true)
        let consentDate = date("consent_date")
        let visibility = cell("visibility").isEmpty ? DirectoryVisibility.practitioners
            : problems.check { try DirectoryVisibility.parse(cell("visibility").lowercased(), field: "visibility") }
        if visibility == .networkMembers && networks.isEmpty {
            problems.errors.append(.invalidValue(field: "visibility", value: "network-members", rule: "needs the networks whose people may see it"))
        }
        switch kind {
        case .contactPoint?, .nationalCorrespondent?:
            if networks.isEmpty { problems.errors.append(.invalidValue(field: "networks", value: "", rule: "a \(kind!.rawValue) is designated by a network: name it")) }
        case .liaisonMagistrate?:
            if sending == nil && cell("sending_country").isEmpty { problems.errors.append(.missingField(field: "sending_country")) }
            if host == nil && cell("host_country").isEmpty { problems.errors.append(.missingField(field: "host_country")) }
        case .centralAuthority?, nil:
            break
        }
        guard let kind, let country, let visibility else { return nil }
        let roleNetworks: [String?] = networks.isEmpty ? [nil] : networks
        let roles = roleNetworks.enumerated().map { i, network in
            DirectoryRole(kind: kind, network: network, title: titles.count > 1 ? titles[i] : (titles.first ?? ""), since: since, until: until,
                          sendingCountry: sending, host: host, covers: covers)
        }
        return DirectoryEntry(name: name, function: function, authority: authority, country: country, emails: emails, phones: phones,
                              languages: languages, available247: available, urgentPhone: urgent, roles: roles, source: source,
                              consentBasis: basis, consentDate: consentDate, visibility: visibility)
    }

    /// The entries as CSV: one row a role, the person's fields on each (`read` gives the same entries back).
    public static func csv(_ entries: [DirectoryEntry]) -> String {
        var lines = [columns.joined(separator: ",")]
        for entry in entries {
            for role in entry.roles {
                let values: [String] = [
                    role.kind.rawValue, entry.name, entry.function, entry.authority, entry.country, entry.emails.joined(separator: ";"),
                    entry.phones.joined(separator: ";"), entry.languages.joined(separator: ";"), role.network ?? "", role.title,
                    role.sendingCountry ?? "", role.host ?? "", role.covers.joined(separator: ";"), entry.available247 ? "yes" : "no",
                    entry.urgentPhone ?? "", role.since?.description ?? "", role.until?.description ?? "", entry.source, entry.consentBasis,
                    entry.consentDate?.description ?? "", entry.visibility.rawValue,
                ]
                lines.append(values.map { Escaper.csvField($0) }.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
