import Foundation
import LiaisonCore
import SQLKit

/// Single-use, expiring links: invitations, password resets, address changes. Each is consumed in the same
/// transaction as the change it allows, so a link can never be used twice, even by two requests at once.
extension CatalogueStore {
    /// Stores a token and writes the audit line of its purpose.
    public func createToken(_ token: StoredToken, by actor: AuditActor) async throws {
        let event: AuditEvent = switch token.purpose {
        case .invitation: .invitationSent
        case .passwordReset: .passwordResetRequested
        case .emailChange: .emailChangeRequested
        }
        let detail = token.role.map { Self.roleDetail($0, token.networks) }
        try await driver.transaction { db in
            try await db.raw("""
                INSERT INTO account_tokens (hash, purpose, account_id, email, role, networks, language, created_by, created_at, expires_at)
                VALUES (\(bind: token.hash), \(bind: token.purpose.rawValue), \(bind: token.accountID), \(bind: token.email),
                        \(bind: token.role?.rawValue), \(bind: token.networks.joined(separator: " ")), \(bind: token.language.rawValue),
                        \(bind: token.createdBy), \(bind: Timestamp.string(token.createdAt)), \(bind: Timestamp.string(token.expiresAt)))
                """).run()
            try await Self.audit(db, event, by: actor, subject: token.email, detail: detail, at: token.createdAt)
        }
    }

    /// A token that may be used now, or the reason it may not.
    public func usableToken(hash: String, purpose: TokenPurpose, at date: Date = Date()) async throws -> StoredToken {
        try await driver.withDatabase { db in try await Self.usable(db, hash: hash, purpose: purpose, at: date) }
    }

    /// Accepts an invitation: creates the account (or, for an address that has one, raises its role and adds the
    /// networks), sets the password when one is given, and uses up the link.
    public func acceptInvitation(hash: String, displayName: String, passwordHash: String?, address: String?,
                                 at date: Date = Date()) async throws -> Account {
        try await driver.transaction { db in
            let token = try await Self.consume(db, hash: hash, purpose: .invitation, at: date)
            let role = token.role ?? .practitioner
            let id: Int64
            if let existing = try await Self.findAccount(db, .email(token.email)) {
                id = existing.account.id
                let raised = max(role, existing.account.role)
                try await db.raw("UPDATE accounts SET role = \(bind: raised.rawValue) WHERE id = \(bind: id)").run()
                if raised != existing.account.role {
                    // As with any new role: its sessions end, and the next sign-in asks for what the role needs.
                    try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
                }
                try await Self.replaceNetworks(db, accountID: id, networks: existing.account.networks + token.networks)
                if let passwordHash {
                    // A new password through a mailed link ends what the old one opened, as a reset does: every
                    // session, and the reset and address-change links still outstanding.
                    try await db.raw("UPDATE accounts SET password_hash = \(bind: passwordHash) WHERE id = \(bind: id)").run()
                    try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
                    try await Self.revokeLinks(db, accountID: id, at: date)
                }
            } else {
                id = try await Self.insertAccount(db, email: token.email, name: try Account.checkedName(displayName), role: role,
                                                  networks: token.networks, language: token.language, passwordHash: passwordHash, at: date)
            }
            try await Self.audit(db, .invitationAccepted, by: AuditActor(accountID: id, email: token.email, address: address),
                                 subject: token.email, detail: Self.roleDetail(role, token.networks), at: date)
            return try await Self.loadAccount(db, id: id).account
        }
    }

    /// Sets a new password through a reset link; every session of the account ends.
    public func resetPassword(hash: String, passwordHash: String, address: String?, at date: Date = Date()) async throws -> Account {
        try await driver.transaction { db in
            let token = try await Self.consume(db, hash: hash, purpose: .passwordReset, at: date)
            guard let id = token.accountID else { throw AccountError.linkUnknown }
            let account = try await Self.loadAccount(db, id: id).account
            try await db.raw("UPDATE accounts SET password_hash = \(bind: passwordHash) WHERE id = \(bind: id)").run()
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: id)").run()
            try await Self.revokeLinks(db, accountID: id, at: date)
            try await db.raw("DELETE FROM sign_in_failures WHERE account_key = \(bind: account.email)").run()
            try await Self.audit(db, .passwordReset, by: AuditActor(account, address: address), subject: account.email, detail: nil, at: date)
            return account
        }
    }

    /// Moves an account to the address a link was sent to. Returns the account and its former address.
    public func confirmEmailChange(hash: String, address: String?, at date: Date = Date()) async throws -> (Account, previous: String) {
        try await driver.transaction { db in
            let token = try await Self.consume(db, hash: hash, purpose: .emailChange, at: date)
            guard let id = token.accountID else { throw AccountError.linkUnknown }
            let before = try await Self.loadAccount(db, id: id).account
            // An address in use is refused by the unique index.
            do {
                try await db.raw("UPDATE accounts SET email = \(bind: token.email) WHERE id = \(bind: id)").run()
            } catch where isUniqueViolation(error) {
                throw InputError.duplicate(field: "email", value: token.email)
            }
            try await Self.revokeLinks(db, accountID: id, at: date)
            try await Self.audit(db, .emailChanged, by: AuditActor(before, address: address), subject: token.email,
                                 detail: "from \(before.email)", at: date)
            return (try await Self.loadAccount(db, id: id).account, before.email)
        }
    }

    /// Uses up every outstanding reset and address-change link of an account: after a new password or address, a
    /// link mailed before (perhaps to a mistyped address) opens nothing.
    static func revokeLinks(_ db: any SQLDatabase, accountID: Int64, at date: Date) async throws {
        try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: Timestamp.string(date))
            WHERE account_id = \(bind: accountID) AND used_at IS NULL AND purpose IN ('password_reset', 'email_change')
            """).run()
    }

    static func usable(_ db: any SQLDatabase, hash: String, purpose: TokenPurpose, at date: Date) async throws -> StoredToken {
        guard let row = try await db.raw("SELECT * FROM account_tokens WHERE hash = \(bind: hash) AND purpose = \(bind: purpose.rawValue)")
            .first()
        else { throw AccountError.linkUnknown }
        let token = try StoredToken(row: row)
        if token.usedAt != nil { throw AccountError.linkUsed }
        if token.expiresAt <= date { throw AccountError.linkExpired }
        return token
    }

    /// Marks a usable token used; the `used_at IS NULL` condition makes a second, concurrent use find nothing.
    static func consume(_ db: any SQLDatabase, hash: String, purpose: TokenPurpose, at date: Date) async throws -> StoredToken {
        let token = try await usable(db, hash: hash, purpose: purpose, at: date)
        guard try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: Timestamp.string(date)) WHERE hash = \(bind: hash) AND used_at IS NULL
            RETURNING hash
            """).first() != nil
        else { throw AccountError.linkUsed }
        return token
    }
}

extension CatalogueStore {
    /// How many tokens of a purpose were issued for an address since a time (to limit mail to one address).
    public func tokensIssued(email: String, purpose: TokenPurpose, since: Date) async throws -> Int {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT count(*) AS n FROM account_tokens
                WHERE email = \(bind: email) AND purpose = \(bind: purpose.rawValue) AND created_at > \(bind: Timestamp.string(since))
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
