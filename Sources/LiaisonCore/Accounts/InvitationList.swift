import Foundation

/// A CSV file of people to invite, one row a person and a network: `network,email[,language][,role]` with that
/// header. Rows of one address are merged into one invitation for all its networks. The whole file is checked
/// before anything is sent: every error is reported with its line, and none is sent when any is found.
public struct InvitationList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let email: String
        public let role: AccountRole
        public let networks: [String]
        public let language: Language

        public init(email: String, role: AccountRole, networks: [String], language: Language) {
            self.email = email
            self.role = role
            self.networks = networks
            self.language = language
        }
    }

    public let entries: [Entry]

    /// Reads a file; `isNetwork` tells whether a slug names a network of the catalogue.
    public static func read(_ text: String, source: String, isNetwork: (String) -> Bool) throws -> InvitationList {
        let rows = try CSV.rows(text, source: source)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw ImportFailure(errors: [.invalidInput(source: source, line: nil, field: nil, reason: "is empty")])
        }
        let known = ["network", "email", "language", "role"]
        for name in header where !known.contains(name) {
            throw ImportFailure(errors: [.invalidInput(source: source, line: 1, field: name,
                                                                       reason: "is not a column (the columns are: network, email, language, role)")])
        }
        for name in ["network", "email"] where !header.contains(name) {
            throw ImportFailure(errors: [.invalidInput(source: source, line: 1, field: name, reason: "column is missing")])
        }
        var errors: [InputError] = []
        var merged: [String: (role: AccountRole, networks: [String], language: Language, order: Int)] = [:]
        for row in rows.dropFirst() where !row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            func value(_ name: String) -> String {
                guard let index = header.firstIndex(of: name), index < row.fields.count else { return "" }
                return row.fields[index].trimmingCharacters(in: .whitespaces)
            }
            do {
                guard row.fields.count == header.count else {
                    throw InputError.invalidValue(field: "row", value: "\(row.fields.count) fields", rule: "must have \(header.count) fields, as the header")
                }
                let email = try Account.normalisedEmail(value("email"))
                let slug = value("network").lowercased()
                guard !slug.isEmpty else { throw InputError.missingField(field: "network") }
                guard isNetwork(slug) else {
                    throw InputError.invalidValue(field: "network", value: slug, rule: "must be the slug of a network of the catalogue")
                }
                let language = value("language").isEmpty ? Language.en : try Language.parse(value("language").lowercased(), field: "language")
                let role = value("role").isEmpty ? AccountRole.focalPoint : try AccountRole.parseAssignable(value("role"), field: "role")
                var entry = merged[email] ?? (role, [], language, merged.count)
                entry.role = max(entry.role, role)
                if !entry.networks.contains(slug) { entry.networks.append(slug) }
                merged[email] = entry
            } catch let error as InputError {
                errors.append(error.located(source: source, line: row.line))
            }
        }
        guard errors.isEmpty else { throw ImportFailure(errors: errors) }
        guard !merged.isEmpty else {
            throw ImportFailure(errors: [.invalidInput(source: source, line: nil, field: nil, reason: "has no one to invite")])
        }
        return InvitationList(entries: merged.sorted { $0.value.order < $1.value.order }.map {
            Entry(email: $0.key, role: $0.value.role, networks: $0.value.networks, language: $0.value.language)
        })
    }
}

/// Reads CSV (RFC 4180): fields separated by commas, quoted with double quotes when they hold commas,
/// quotes or line breaks.
enum CSV {
    struct Row {
        let line: Int
        let fields: [String]
    }

    static func rows(_ text: String, source: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var characters = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending { pending = nil; return character }
            return characters.next()
        }
        while let character = next() {
            if quoted {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else { quoted = false }
                } else {
                    if character.isNewline { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field); field = ""
                rows.append(Row(line: rowLine, fields: fields)); fields = []
                line += 1; rowLine = line
            default: field.append(character)
            }
        }
        if quoted {
            throw ImportFailure(errors: [.invalidInput(source: source, line: rowLine, field: nil, reason: "a quoted field is not closed")])
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(Row(line: rowLine, fields: fields))
        }
        return rows
    }
}

extension InvitationList {
    /// One invitation, as the command line gives it.
    public init(single entry: Entry) {
        self.entries = [entry]
    }
}

