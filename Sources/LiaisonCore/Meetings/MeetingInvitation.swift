import Foundation

/// Where an invited person stands.
public enum InvitationStatus: String, Vocabulary {
    /// Invited; no answer yet.
    case invited
    /// Has a place.
    case registered
    /// Said yes when no place was left (or none for their network): moves up, in the order of the answers, when
    /// someone declines.
    case waiting
    case declined

    public static let vocabularyName = "status"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.invited, .en): "no answer yet"
        case (.invited, .fr): "pas encore de réponse"
        case (.registered, .en): "registered"
        case (.registered, .fr): "inscrit"
        case (.waiting, .en): "on the waiting list"
        case (.waiting, .fr): "en liste d’attente"
        case (.declined, .en): "declined"
        case (.declined, .fr): "a décliné"
        }
    }
}

/// One person invited to a meeting: for a network (its focal point) or in their own name.
public struct MeetingInvitation: Sendable, Equatable {
    public var id: Int64?
    public var meetingID: Int64
    public var email: String
    public var name: String
    public var language: Language
    /// The network they come for (nil: invited by name).
    public var network: String?
    public var status: InvitationStatus
    public var invitedAt: Date
    public var answeredAt: Date?

    public init(id: Int64? = nil, meetingID: Int64, email: String, name: String, language: Language, network: String?,
                status: InvitationStatus = .invited, invitedAt: Date, answeredAt: Date? = nil) {
        self.id = id
        self.meetingID = meetingID
        self.email = email
        self.name = name
        self.language = language
        self.network = network
        self.status = status
        self.invitedAt = invitedAt
        self.answeredAt = answeredAt
    }
}

/// Whom a meeting's invitation goes to: the focal points of some networks (as they are when the mail goes: one who
/// left is not invited, their successor is; nil: none), and people named.
public struct InvitationAudience: Sendable, Equatable {

    public struct Person: Sendable, Equatable {
        public var email: String
        public var name: String
        public var language: Language

        public init(email: String, name: String, language: Language) {
            self.email = email
            self.name = name
            self.language = language
        }
    }

    public var networks: NetworkSelection?
    public var people: [Person]

    public init(networks: NetworkSelection?, people: [Person] = []) {
        self.networks = networks
        self.people = people
    }

    /// People named one a line, `Name <address>` or `address`, optionally followed by `| fr` for the language of
    /// their mail (English otherwise); each line checked.
    public static func people(_ text: String, field: String) throws -> [Person] {
        var people: [Person] = []
        var problems = ProblemList()
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.count > 500 {
            throw InputError.invalidValue(field: field, value: "\(lines.count) lines", rule: "must name at most 500 people")
        }
        for (number, line) in lines.enumerated() {
            let name = "\(field)[\(number + 1)]"
            // "|" alone, or "| fr", has an empty address: refused by the address's rule below, never read past.
            let cells = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let language = cells.count == 2 ? problems.check { try Language.parse(cells[1].lowercased(), field: name + ".language") } : .en
            var display = "", address = cells.first ?? ""
            if let open = address.lastIndex(of: "<"), address.hasSuffix(">") {
                display = address[..<open].trimmingCharacters(in: .whitespaces)
                address = String(address[address.index(after: open)..<address.index(before: address.endIndex)])
            }
            problems.check { try TextRules.checkLine(display, field: name + ".name", limit: 200) }
            guard let email = problems.check({ try Account.normalisedEmail(address, field: name) }), let language else { continue }
            if !people.contains(where: { $0.email == email }) {
                people.append(Person(email: email, name: display.isEmpty ? email : display, language: language))
            }
        }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return people
    }
}
