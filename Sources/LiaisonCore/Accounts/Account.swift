import Foundation

/// A person's account. Its secrets (password hash, second-factor key) stay in the store.
public struct Account: Sendable, Hashable {
    public let id: Int64
    public let email: String
    public let displayName: String
    public let role: AccountRole
    /// The networks assigned to a focal point (slugs, sorted).
    public let networks: [String]
    public let language: Language
    public let secondFactorEnabled: Bool
    public let disabled: Bool
    public let createdAt: Date
    public let lastSignInAt: Date?

    public init(id: Int64, email: String, displayName: String, role: AccountRole, networks: [String], language: Language,
                secondFactorEnabled: Bool, disabled: Bool, createdAt: Date, lastSignInAt: Date?) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.role = role
        self.networks = networks
        self.language = language
        self.secondFactorEnabled = secondFactorEnabled
        self.disabled = disabled
        self.createdAt = createdAt
        self.lastSignInAt = lastSignInAt
    }

    /// An enabled focal point of this network: one who is reminded to keep it true.
    public func maintains(_ slug: String) -> Bool {
        role == .focalPoint && !disabled && networks.contains(slug)
    }

    public var principal: Principal {
        Principal(accountID: id, role: role, networks: Set(networks), usesSecondFactor: secondFactorEnabled)
    }

    /// Addresses are compared and stored in lower case, without surrounding spaces, and checked.
    public static func normalisedEmail(_ text: String, field: String = "email") throws -> String {
        let email = foldedEmail(text)
        guard !email.isEmpty else { throw InputError.missingField(field: field) }
        try MailMessage.checkAddress(email, field: field)
        return email
    }

    /// An address as stored and compared (lower case, no surrounding spaces), without checking it.
    public static func foldedEmail(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// A display name: one line, 1 to 120 characters.
    public static func checkedName(_ text: String, field: String = "display_name") throws -> String {
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw InputError.missingField(field: field) }
        try TextRules.checkLine(name, field: field, limit: 120)
        return name
    }
}

/// Who did something, for the audit log: an account, a visitor with an address, or the command line.
public struct AuditActor: Sendable, Hashable {
    public let accountID: Int64?
    public let email: String?
    public let address: String?

    public init(accountID: Int64?, email: String?, address: String?) {
        self.accountID = accountID
        self.email = email
        self.address = address
    }

    public static let commandLine = AuditActor(accountID: nil, email: nil, address: "cli")

    public init(_ account: Account, address: String?) {
        self.init(accountID: account.id, email: account.email, address: address)
    }
}
