import Foundation
import LiaisonCore
import PostgresKit
import SQLKit

/// An account with the secrets the store keeps for it.
public struct StoredAccount: Sendable {
    public let account: Account
    /// bcrypt; nil until the person chose a password (an invitation not yet accepted, a CLI account without one).
    public let passwordHash: String?
    /// The second factor's shared key (nil: none).
    public let totpSecret: String?
    /// The last time step whose code was accepted: a code is never accepted twice.
    public let totpLastStep: Int64?
}

/// How far a session has come: a password checked but a code still due, an editor who must first set up a second
/// factor, or signed in.
public enum SessionStage: String, Sendable {
    case secondFactor = "second_factor"
    case enrol
    case complete
}

public struct StoredSession: Sendable {
    public let idHash: String
    public let accountID: Int64
    public let stage: SessionStage
    public let csrfToken: String
    public let createdAt: Date
    public let lastSeenAt: Date
    /// The absolute end of the session, whatever its activity.
    public let expiresAt: Date
    public let address: String?
    public let userAgent: String?

    public init(idHash: String, accountID: Int64, stage: SessionStage, csrfToken: String, createdAt: Date, lastSeenAt: Date,
                expiresAt: Date, address: String?, userAgent: String?) {
        self.idHash = idHash
        self.accountID = accountID
        self.stage = stage
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.address = address
        self.userAgent = userAgent
    }
}

/// How many failed sign-ins are allowed in a window, per account and per client address.
public struct ThrottleRule: Sendable {
    public var window: TimeInterval
    public var perAccount: Int
    public var perAddress: Int

    public init(window: TimeInterval, perAccount: Int, perAddress: Int) {
        self.window = window
        self.perAccount = perAccount
        self.perAddress = perAddress
    }
}

/// A sign-in attempt as recorded before it is checked: its id, or (refused) until when attempts are refused.
public struct SignInAttempt: Sendable {
    public let id: Int64?
    public let throttledUntil: Date?
}

public enum TokenPurpose: String, Sendable {
    case invitation
    case passwordReset = "password_reset"
    case emailChange = "email_change"
}

/// A single-use link's record (the link carries the token; the store keeps its hash).
public struct StoredToken: Sendable {
    public let hash: String
    public let purpose: TokenPurpose
    public let accountID: Int64?
    public let email: String
    public let role: AccountRole?
    public let networks: [String]
    public let language: Language
    public let createdBy: Int64?
    public let createdAt: Date
    public let expiresAt: Date
    public let usedAt: Date?

    public init(hash: String, purpose: TokenPurpose, accountID: Int64?, email: String, role: AccountRole?, networks: [String],
                language: Language, createdBy: Int64?, createdAt: Date, expiresAt: Date, usedAt: Date? = nil) {
        self.hash = hash
        self.purpose = purpose
        self.accountID = accountID
        self.email = email
        self.role = role
        self.networks = networks
        self.language = language
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}

extension StoredSession {
    init(row: any SQLRow) throws {
        idHash = try row.decode(column: "id_hash", as: String.self)
        accountID = try row.decode(column: "account_id", as: Int64.self)
        let stageText = try row.decode(column: "stage", as: String.self)
        guard let stage = SessionStage(rawValue: stageText) else {
            throw StoredDataError(column: "sessions.stage", value: stageText, rule: "is not a stage")
        }
        self.stage = stage
        csrfToken = try row.decode(column: "csrf_token", as: String.self)
        createdAt = try storedDate(row, "created_at")
        lastSeenAt = try storedDate(row, "last_seen_at")
        expiresAt = try storedDate(row, "expires_at")
        address = try row.decode(column: "address", as: String?.self)
        userAgent = try row.decode(column: "user_agent", as: String?.self)
    }
}

extension StoredToken {
    init(row: any SQLRow) throws {
        hash = try row.decode(column: "hash", as: String.self)
        let purposeText = try row.decode(column: "purpose", as: String.self)
        guard let purpose = TokenPurpose(rawValue: purposeText) else {
            throw StoredDataError(column: "account_tokens.purpose", value: purposeText, rule: "is not a purpose")
        }
        self.purpose = purpose
        accountID = try row.decode(column: "account_id", as: Int64?.self)
        email = try row.decode(column: "email", as: String.self)
        role = try row.decode(column: "role", as: String?.self).map { try AccountRole.parse($0, field: "account_tokens.role") }
        networks = try row.decode(column: "networks", as: String.self).split(separator: " ").map(String.init)
        language = try Language.parse(try row.decode(column: "language", as: String.self), field: "account_tokens.language")
        createdBy = try row.decode(column: "created_by", as: Int64?.self)
        createdAt = try storedDate(row, "created_at")
        expiresAt = try storedDate(row, "expires_at")
        usedAt = try row.decode(column: "used_at", as: String?.self).flatMap(Timestamp.date)
    }
}

func storedDate(_ row: any SQLRow, _ column: String) throws -> Date {
    let text = try row.decode(column: column, as: String.self)
    guard let date = Timestamp.date(text) else {
        throw StoredDataError(column: column, value: text, rule: "is not an ISO 8601 time")
    }
    return date
}

/// Whether an error is a unique constraint's refusal, on either database.
func isUniqueViolation(_ error: any Error) -> Bool {
    if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
    return String(reflecting: error).contains("UNIQUE constraint failed")
}
