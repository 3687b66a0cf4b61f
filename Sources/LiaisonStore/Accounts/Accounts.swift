import Foundation
import LiaisonCore
import SQLKit

/// Accounts: each use case one method and one transaction; changes that matter are written to the audit log
/// in the same transaction.
extension CatalogueStore {
    /// Creates an account. An address already in use is refused (`duplicate`).
    public func createAccount(email: String, displayName: String, role: AccountRole, networks: [String] = [], language: Language,
                              passwordHash: String?, by actor: AuditActor, at date: Date = Date()) async throws -> Account {
        let email = try Account.normalisedEmail(email)
        let name = try Account.checkedName(displayName)
        _ = try AccountRole.parseAssignable(role.rawValue, field: "role")
        return try await driver.transaction { db in
            let id = try await Self.insertAccount(db, email: email, name: name, role: role, networks: networks, language: language,
                                                  passwordHash: passwordHash, at: date)
            try await Self.audit(db, .accountCreated, by: actor, subject: email, detail: Self.roleDetail(role, networks), at: date)
            return try await Self.loadAccount(db, id: id).account
        }
    }

    /// The account with this id, with its secrets.
    public func storedAccount(id: Int64) async throws -> StoredAccount? {
        try await driver.withDatabase { db in try await Self.findAccount(db, .id(id)) }
    }

    /// The account with this address (compared in lower case), with its secrets.
    public func storedAccount(email: String) async throws -> StoredAccount? {
        let email = Account.foldedEmail(email)
        return try await driver.withDatabase { db in try await Self.findAccount(db, .email(email)) }
    }

    /// Every account, by address.
    public func accounts() async throws -> [Account] {
        try await driver.withDatabase { db in
            let networks = try await db.raw("SELECT account_id, network_slug FROM account_networks ORDER BY network_slug").all()
            var byAccount: [Int64: [String]] = [:]
            for row in networks {
                byAccount[try row.decode(column: "account_id", as: Int64.self), default: []]
                    .append(try row.decode(column: "network_slug", as: String.self))
            }
            return try await db.raw("SELECT * FROM accounts ORDER BY email").all().map {
                try Self.account(row: $0, networks: byAccount[try $0.decode(column: "id", as: Int64.self)] ?? []).account
            }
        }
    }

    /// Gives an account a role (and, for a focal point, its networks). Its sessions end, so that the new role
    /// takes effect at the next sign-in with the second factor it may now need.
    public func setRole(accountID: Int64, role: AccountRole, networks: [String], by actor: AuditActor, at date: Date = Date()) async throws
        -> Account
    {
        _ = try AccountRole.parseAssignable(role.rawValue, field: "role")
        return try await driver.transaction { db in
            let before = try await Self.loadAccount(db, id: accountID).account
            try await db.raw("UPDATE accounts SET role = \(bind: role.rawValue) WHERE id = \(bind: accountID)").run()
            try await Self.replaceNetworks(db, accountID: accountID, networks: networks)
            if before.role != role {
                try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run()
            }
            try await Self.audit(db, .roleChanged, by: actor, subject: before.email,
                                 detail: Self.roleDetail(before.role, before.networks) + " → " + Self.roleDetail(role, networks), at: date)
            return try await Self.loadAccount(db, id: accountID).account
        }
    }

    /// Disables an account (its sessions end at once) or enables it again.
    public func setDisabled(accountID: Int64, _ disabled: Bool, by actor: AuditActor, at date: Date = Date()) async throws -> Account {
        try await driver.transaction { db in
            let before = try await Self.loadAccount(db, id: accountID).account
            let value: String? = disabled ? Timestamp.string(date) : nil
            try await db.raw("UPDATE accounts SET disabled_at = \(bind: value) WHERE id = \(bind: accountID)").run()
            if disabled {
                try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run()
            }
            try await Self.audit(db, disabled ? .accountDisabled : .accountEnabled, by: actor, subject: before.email, detail: nil, at: date)
            return try await Self.loadAccount(db, id: accountID).account
        }
    }

    /// Sets a new password. Every session of the account ends but `keeping` (the one that changed it, if any).
    public func setPassword(accountID: Int64, hash: String, keeping session: String?, event: AuditEvent, by actor: AuditActor,
                            at date: Date = Date()) async throws {
        try await driver.transaction { db in
            let account = try await Self.loadAccount(db, id: accountID).account
            try await db.raw("UPDATE accounts SET password_hash = \(bind: hash) WHERE id = \(bind: accountID)").run()
            try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID) AND id_hash <> \(bind: session ?? "")").run()
            try await Self.revokeLinks(db, accountID: accountID, at: date)
            try await Self.audit(db, event, by: actor, subject: account.email, detail: nil, at: date)
        }
    }

    /// Keeps the key of a second factor being set up, with the session that shows it.
    public func setSecondFactorKey(session idHash: String, key: String) async throws {
        try await driver.transaction { db in
            try await db.raw("UPDATE sessions SET second_factor_key = \(bind: key) WHERE id_hash = \(bind: idHash)").run()
        }
    }

    /// The key of the second factor a session is setting up, if any.
    public func secondFactorKey(session idHash: String) async throws -> String? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT second_factor_key FROM sessions WHERE id_hash = \(bind: idHash)").first()?
                .decode(column: "second_factor_key", as: String?.self)
        }
    }

    /// Gives the account its second factor — the key, and the time step of the code that proved it — and its
    /// recovery codes.
    public func enableSecondFactor(accountID: Int64, key: String, step: Int64, recoveryCodeHashes: [String], by actor: AuditActor,
                                   at date: Date = Date()) async throws {
        let now = Timestamp.string(date)
        try await driver.transaction { db in
            let account = try await Self.loadAccount(db, id: accountID).account
            // Once: of two confirmations at once, the second finds it done (and its recovery codes are not stored).
            guard try await db.raw("""
                UPDATE accounts SET totp_secret = \(bind: key), totp_enabled_at = \(bind: now), totp_last_step = \(bind: step)
                WHERE id = \(bind: accountID) AND totp_enabled_at IS NULL
                RETURNING id
                """).first() != nil
            else { throw AccountError.wrongCode }
            try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: accountID)").run()
            for hash in recoveryCodeHashes {
                try await db.raw("INSERT INTO recovery_codes (account_id, code_hash) VALUES (\(bind: accountID), \(bind: hash))").run()
            }
            try await db.raw("UPDATE sessions SET second_factor_key = NULL WHERE account_id = \(bind: accountID)").run()
            try await Self.audit(db, .secondFactorEnabled, by: actor, subject: account.email, detail: nil, at: date)
        }
    }

    /// The language of the mails an account receives.
    /// The authority the person states they work for (nil: none stated).
    public func setAuthority(accountID: Int64, authority: String?) async throws {
        try await driver.withDatabase { db in
            try await db.raw("UPDATE accounts SET authority = \(bind: authority) WHERE id = \(bind: accountID)").run()
        }
    }

    public func authority(accountID: Int64) async throws -> String? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT authority FROM accounts WHERE id = \(bind: accountID)").first()?.decode(column: "authority", as: String?.self)
        }
    }

    public func setLanguage(accountID: Int64, language: Language) async throws {
        try await driver.withDatabase { db in
            try await db.raw("UPDATE accounts SET language = \(bind: language.rawValue) WHERE id = \(bind: accountID)").run()
        }
    }

    /// Removes the second factor and its recovery codes (an administrator's help for a lost device, or the owner).
    public func disableSecondFactor(accountID: Int64, by actor: AuditActor, at date: Date = Date()) async throws {
        try await driver.transaction { db in
            let account = try await Self.loadAccount(db, id: accountID).account
            try await db.raw("""
                UPDATE accounts SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = \(bind: accountID)
                """).run()
            try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: accountID)").run()
            try await Self.audit(db, .secondFactorDisabled, by: actor, subject: account.email, detail: nil, at: date)
        }
    }

    /// Records that a code of this time step was used; false when it (or a later one) was used already.
    public func claimSecondFactorStep(accountID: Int64, step: Int64) async throws -> Bool {
        try await driver.transaction { db in
            try await db.raw("""
                UPDATE accounts SET totp_last_step = \(bind: step)
                WHERE id = \(bind: accountID) AND (totp_last_step IS NULL OR totp_last_step < \(bind: step))
                RETURNING id
                """).first() != nil
        }
    }

    /// Replaces the account's recovery codes, used or not, with new ones; false when it has no second factor.
    public func replaceRecoveryCodes(accountID: Int64, hashes: [String], by actor: AuditActor, at date: Date = Date()) async throws -> Bool {
        try await driver.transaction { db in
            let account = try await Self.loadAccount(db, id: accountID).account
            guard account.secondFactorEnabled else { return false }
            try await db.raw("DELETE FROM recovery_codes WHERE account_id = \(bind: accountID)").run()
            for hash in hashes {
                try await db.raw("INSERT INTO recovery_codes (account_id, code_hash) VALUES (\(bind: accountID), \(bind: hash))").run()
            }
            try await Self.audit(db, .recoveryCodesReplaced, by: actor, subject: account.email, detail: nil, at: date)
            return true
        }
    }

    /// Uses a recovery code once; false when it is not one of the account's unused codes.
    public func useRecoveryCode(accountID: Int64, hash: String, at date: Date = Date()) async throws -> Bool {
        let now = Timestamp.string(date)
        return try await driver.transaction { db in
            try await db.raw("""
                UPDATE recovery_codes SET used_at = \(bind: now)
                WHERE account_id = \(bind: accountID) AND code_hash = \(bind: hash) AND used_at IS NULL
                RETURNING account_id
                """).first() != nil
        }
    }

    /// How many recovery codes the account has left.
    public func unusedRecoveryCodes(accountID: Int64) async throws -> Int {
        try await driver.withDatabase { db in
            try await db.raw("SELECT count(*) AS n FROM recovery_codes WHERE account_id = \(bind: accountID) AND used_at IS NULL")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    // MARK: Rows

    static func insertAccount(_ db: any SQLDatabase, email: String, name: String, role: AccountRole, networks: [String],
                              language: Language, passwordHash: String?, at date: Date) async throws -> Int64 {
        // An address in use is refused by the unique index (caught below), also when two creations run at once.
        let inserted: (any SQLRow)?
        do {
            inserted = try await db.raw("""
            INSERT INTO accounts (email, display_name, role, language, password_hash, created_at)
            VALUES (\(bind: email), \(bind: name), \(bind: role.rawValue), \(bind: language.rawValue), \(bind: passwordHash),
                    \(bind: Timestamp.string(date)))
            RETURNING id
            """).first()
        } catch where isUniqueViolation(error) {
            // Two creations at once: the database's unique constraint decides.
            throw InputError.duplicate(field: "email", value: email)
        }
        guard let id = try inserted?.decode(column: "id", as: Int64.self) else {
            throw StoredDataError(column: "accounts.id", value: "", rule: "was not returned by the insert")
        }
        try await replaceNetworks(db, accountID: id, networks: networks)
        return id
    }

    static func replaceNetworks(_ db: any SQLDatabase, accountID: Int64, networks: [String]) async throws {
        try await db.raw("DELETE FROM account_networks WHERE account_id = \(bind: accountID)").run()
        for slug in Set(networks).sorted() {
            try await db.raw("INSERT INTO account_networks (account_id, network_slug) VALUES (\(bind: accountID), \(bind: slug))").run()
        }
    }

    enum AccountKey {
        case id(Int64)
        case email(String)
    }

    static func findAccount(_ db: any SQLDatabase, _ key: AccountKey) async throws -> StoredAccount? {
        let query: SQLQueryString = switch key {
        case let .id(id): "SELECT * FROM accounts WHERE id = \(bind: id)"
        case let .email(email): "SELECT * FROM accounts WHERE email = \(bind: email)"
        }
        guard let row = try await db.raw(query).first() else { return nil }
        let id = try row.decode(column: "id", as: Int64.self)
        let networks = try await db.raw("SELECT network_slug FROM account_networks WHERE account_id = \(bind: id) ORDER BY network_slug")
            .all().map { try $0.decode(column: "network_slug", as: String.self) }
        return try account(row: row, networks: networks)
    }

    static func loadAccount(_ db: any SQLDatabase, id: Int64) async throws -> StoredAccount {
        guard let stored = try await findAccount(db, .id(id)) else {
            throw InputError.invalidValue(field: "account", value: String(id), rule: "no account has this id")
        }
        return stored
    }

    static func account(row: any SQLRow, networks: [String]) throws -> StoredAccount {
        let account = Account(
            id: try row.decode(column: "id", as: Int64.self),
            email: try row.decode(column: "email", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            role: try AccountRole.parse(try row.decode(column: "role", as: String.self), field: "accounts.role"),
            networks: networks,
            language: try Language.parse(try row.decode(column: "language", as: String.self), field: "accounts.language"),
            secondFactorEnabled: try row.decode(column: "totp_enabled_at", as: String?.self) != nil,
            disabled: try row.decode(column: "disabled_at", as: String?.self) != nil,
            createdAt: try storedDate(row, "created_at"),
            lastSignInAt: try row.decode(column: "last_sign_in_at", as: String?.self).flatMap(Timestamp.date))
        return StoredAccount(account: account, passwordHash: try row.decode(column: "password_hash", as: String?.self),
                             totpSecret: try row.decode(column: "totp_secret", as: String?.self),
                             totpLastStep: try row.decode(column: "totp_last_step", as: Int64?.self))
    }

    static func roleDetail(_ role: AccountRole, _ networks: [String]) -> String {
        networks.isEmpty ? role.rawValue : role.rawValue + " (" + networks.sorted().joined(separator: ", ") + ")"
    }
}
