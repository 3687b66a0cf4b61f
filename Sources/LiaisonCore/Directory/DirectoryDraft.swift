import Foundation

/// An entry of the directory as its edit form holds it: text fields, the roles one a line
/// (`kind | network | title | since | until | sending country | host | covered countries`). `apply` checks every
/// field with the import's rules and names each problem; nothing is changed when any is found.
public struct DirectoryDraft: Sendable, Equatable {
    public var name = ""
    public var function = ""
    public var authority = ""
    public var country = ""
    public var emails = ""
    public var phones = ""
    public var languages = ""
    public var available247 = false
    public var urgentPhone = ""
    public var roles = ""
    public var source = ""
    public var consentBasis = ""
    public var consentDate = ""
    public var visibility = DirectoryVisibility.practitioners.rawValue
    public var reason = ""

    public init() {}

    /// The form of an entry as it is.
    public init(_ entry: DirectoryEntry) {
        name = entry.name
        function = entry.function
        authority = entry.authority
        country = entry.country
        emails = entry.emails.joined(separator: "\n")
        phones = entry.phones.joined(separator: "\n")
        languages = entry.languages.joined(separator: " ")
        available247 = entry.available247
        urgentPhone = entry.urgentPhone ?? ""
        roles = entry.roles.map(Self.line).joined(separator: "\n")
        source = entry.source
        consentBasis = entry.consentBasis
        consentDate = entry.consentDate?.description ?? ""
        visibility = entry.visibility.rawValue
    }

    static func line(_ role: DirectoryRole) -> String {
        [role.kind.rawValue, role.network ?? "", role.title, role.since?.description ?? "", role.until?.description ?? "",
         role.sendingCountry ?? "", role.host ?? "", role.covers.joined(separator: " ")].joined(separator: " | ")
    }

    /// The entry as edited, checked; `isNetwork` tells the catalogue's slugs.
    public func apply(to entry: DirectoryEntry, parties: PartyDirectory, isNetwork: (String) -> Bool) throws -> DirectoryEntry {
        var problems = ProblemList()
        func line(_ text: String, _ field: String, limit: Int, required: Bool = false) -> String {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if required && text.isEmpty { problems.errors.append(.missingField(field: field)) }
            problems.check { try TextRules.checkLine(text, field: field, limit: limit) }
            return text
        }
        func party(_ text: String, _ field: String) -> String? {
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            guard let found = parties.lookUp(text) else {
                problems.errors.append(.invalidValue(field: field, value: text, rule: "must name a known country or organisation (English or French name, or code)"))
                return nil
            }
            return found.id
        }
        func items(_ text: String) -> [String] {
            text.split(whereSeparator: { $0.isNewline || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var edited = entry
        edited.name = line(name, "name", limit: 200, required: true)
        edited.function = line(function, "function", limit: 300)
        edited.authority = line(authority, "authority", limit: 300)
        if country.trimmingCharacters(in: .whitespaces).isEmpty { problems.errors.append(.missingField(field: "country")) }
        edited.country = party(country, "country") ?? entry.country
        edited.emails = items(emails).compactMap { text in problems.check { try Account.normalisedEmail(text, field: "emails") } }
        edited.phones = items(phones).compactMap { text in problems.check { try DirectoryRules.phone(text, field: "phones") } }
        edited.languages = languages.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" }).map(String.init)
            .compactMap { text in problems.check { try DirectoryRules.language(text, field: "languages") } }
        edited.available247 = available247
        let urgent = urgentPhone.trimmingCharacters(in: .whitespaces)
        edited.urgentPhone = urgent.isEmpty ? nil : problems.check { try DirectoryRules.phone(urgent, field: "urgent_phone") }
        if available247 && urgent.isEmpty { problems.errors.append(.missingField(field: "urgent_phone")) }
        edited.source = line(source, "source", limit: 500)
        edited.consentBasis = line(consentBasis, "consent_basis", limit: 200, required: true)
        let consent = consentDate.trimmingCharacters(in: .whitespaces)
        edited.consentDate = consent.isEmpty ? nil : problems.check { try PartialDate(consent, field: "consent_date") }
        edited.visibility = problems.check { try DirectoryVisibility.parse(visibility, field: "visibility") } ?? entry.visibility

        var roles: [DirectoryRole] = []
        for (number, text) in roleLines(self.roles).enumerated() {
            let field = "roles[\(number + 1)]"
            var cells = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count <= 8 else {
                problems.errors.append(.invalidValue(field: field, value: text, rule: "has at most 8 parts: kind | network | title | since | until | sending | host | covers"))
                continue
            }
            cells += Array(repeating: "", count: 8 - cells.count)
            guard let kind = problems.check({ try DirectoryKind.parse(cells[0].lowercased(), field: field + ".kind") }) else { continue }
            let network = cells[1].isEmpty ? nil : cells[1].lowercased()
            if let network, !isNetwork(network) {
                problems.errors.append(.invalidValue(field: field + ".network", value: network, rule: "must be the slug of a network of the catalogue"))
            }
            problems.check { try TextRules.checkLine(cells[2], field: field + ".title", limit: 200) }
            let since = cells[3].isEmpty ? nil : problems.check { try PartialDate(cells[3], field: field + ".since") }
            let until = cells[4].isEmpty ? nil : problems.check { try PartialDate(cells[4], field: field + ".until") }
            if let since, let until, until < since {
                problems.errors.append(.invalidValue(field: field + ".until", value: until.description, rule: "must not be before since (\(since))"))
            }
            let sending = party(cells[5], field + ".sending")
            let host = party(cells[6], field + ".host")
            let covers = cells[7].split(whereSeparator: { $0.isWhitespace || $0 == "," }).compactMap { party(String($0), field + ".covers") }
            if kind == .liaisonMagistrate && (cells[5].isEmpty || cells[6].isEmpty) {
                problems.errors.append(.invalidValue(field: field, value: text, rule: "a liaison magistrate's role names the sending state and the host"))
            }
            if (kind == .contactPoint || kind == .nationalCorrespondent) && network == nil {
                problems.errors.append(.invalidValue(field: field + ".network", value: "", rule: "a \(kind.rawValue) is designated by a network: name it"))
            }
            roles.append(DirectoryRole(kind: kind, network: network, title: cells[2], since: since, until: until, sendingCountry: sending,
                                       host: host, covers: covers))
        }
        if roles.isEmpty && problems.errors.isEmpty { problems.errors.append(.missingField(field: "roles")) }
        edited.roles = roles
        if edited.visibility == .networkMembers && edited.networks.isEmpty {
            problems.errors.append(.invalidValue(field: "visibility", value: visibility, rule: "needs the networks whose people may see it"))
        }
        let reason = self.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty { problems.errors.append(.missingField(field: "reason")) }
        problems.check { try TextRules.checkLine(reason, field: "reason", limit: 500) }
        problems.check { try TextRules.checkText(self.roles, field: "roles", limit: 20_000) }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return edited
    }

    func roleLines(_ text: String) -> [String] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return Array(lines.prefix(200))
    }
}
