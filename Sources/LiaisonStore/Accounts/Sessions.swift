import Foundation
import LiaisonCore
import SQLKit

/// Server-side sessions, shared by every instance through the database. The cookie carries a random id;
/// the table keeps its SHA-256 hash, so a copy of the database opens no session.
extension CatalogueStore {
    /// A session and its account, when both exist (expiry is the caller's rule).
    public func session(idHash: String) async throws -> (StoredSession, StoredAccount)? {
        try await driver.withDatabase { db -> (StoredSession, StoredAccount)? in
            guard let row = try await db.raw("SELECT * FROM sessions WHERE id_hash = \(bind: idHash)").first() else { return nil }
            let session = try StoredSession(row: row)
            guard let account = try await Self.findAccount(db, .id(session.accountID)) else { return nil }
            return (session, account)
        }
    }

    /// Marks a session as used now (for the idle limit).
    public func touchSession(idHash: String, at date: Date) async throws {
        try await driver.transaction { db in
            try await db.raw("UPDATE sessions SET last_seen_at = \(bind: Timestamp.string(date)) WHERE id_hash = \(bind: idHash)").run()
        }
    }

    public func endSession(idHash: String, by actor: AuditActor?, at date: Date = Date()) async throws {
        try await driver.transaction { db in
            try await db.raw("DELETE FROM sessions WHERE id_hash = \(bind: idHash)").run()
            if let actor { try await Self.audit(db, .signOut, by: actor, subject: actor.email, detail: nil, at: date) }
        }
    }

    /// Ends every session of an account ("sign out everywhere"); returns how many ended.
    @discardableResult
    public func endSessions(accountID: Int64, by actor: AuditActor, at date: Date = Date()) async throws -> Int {
        try await driver.transaction { db in
            let ended = try await db.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID) RETURNING id_hash").all().count
            try await Self.audit(db, .signOutEverywhere, by: actor, subject: actor.email, detail: "\(ended) sessions", at: date)
            return ended
        }
    }

    /// The open sessions of an account, newest first.
    public func sessions(accountID: Int64) async throws -> [StoredSession] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM sessions WHERE account_id = \(bind: accountID) ORDER BY last_seen_at DESC")
                .all().map(StoredSession.init(row:))
        }
    }

    /// Removes sessions past their absolute end or idle since `idleBefore`, and sign-in failures older than
    /// `failuresBefore` (they no longer count); returns how many sessions ended.
    @discardableResult
    public func purgeSessions(now: Date, idleBefore: Date, failuresBefore: Date) async throws -> Int {
        try await driver.transaction { db in
            try await db.raw("DELETE FROM sign_in_failures WHERE at < \(bind: Timestamp.string(failuresBefore))").run()
            try await db.raw("DELETE FROM request_log WHERE at < \(bind: Timestamp.string(now.addingTimeInterval(-86_400)))").run()
            return try await db.raw("""
                DELETE FROM sessions WHERE expires_at <= \(bind: Timestamp.string(now)) OR last_seen_at < \(bind: Timestamp.string(idleBefore))
                RETURNING id_hash
                """).all().count
        }
    }

    /// Completes a sign-in: the session of the earlier stage (if any) is replaced by a new one — a new id at each
    /// step, so an id known before sign-in is worth nothing after it.
    public func signIn(replacing earlier: String?, with session: StoredSession, by actor: AuditActor, at date: Date = Date()) async throws {
        try await driver.transaction { db in
            if let earlier { try await db.raw("DELETE FROM sessions WHERE id_hash = \(bind: earlier)").run() }
            try await Self.insertSession(db, session)
            if session.stage == .complete {
                try await db.raw("""
                    UPDATE accounts SET last_sign_in_at = \(bind: Timestamp.string(date)) WHERE id = \(bind: session.accountID)
                    """).run()
                try await db.raw("DELETE FROM sign_in_failures WHERE account_key = \(bind: actor.email ?? "")").run()
                try await Self.audit(db, .signIn, by: actor, subject: actor.email, detail: nil, at: date)
            }
        }
    }

    static func insertSession(_ db: any SQLDatabase, _ session: StoredSession) async throws {
        try await db.raw("""
            INSERT INTO sessions (id_hash, account_id, stage, csrf_token, created_at, last_seen_at, expires_at, address, user_agent)
            VALUES (\(bind: session.idHash), \(bind: session.accountID), \(bind: session.stage.rawValue), \(bind: session.csrfToken),
                \(bind: Timestamp.string(session.createdAt)), \(bind: Timestamp.string(session.lastSeenAt)),
                \(bind: Timestamp.string(session.expiresAt)), \(bind: session.address), \(bind: session.userAgent))
            """).run()
    }

    // MARK: Throttling

    /// Records a sign-in attempt before it is checked — counted as a failure until it succeeds — together with the
    /// count of its window, in one transaction: attempts sent at once are counted against each other. Over a limit,
    /// nothing is kept and the answer says until when the attempts are refused.
    public func beginSignInAttempt(accountKey: String, address: String, rule: ThrottleRule, at date: Date) async throws -> SignInAttempt {
        let since = Timestamp.string(date.addingTimeInterval(-rule.window))
        let postgres = driver.dialect == .postgresql
        return try await driver.transaction { db in
            // One counting at a time (SQLite has one writer anyway): concurrent transactions on PostgreSQL would
            // not see each other's attempts.
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.attemptLock))").run() }
            guard let id = try await db.raw("""
                INSERT INTO sign_in_failures (account_key, address, at)
                VALUES (\(bind: accountKey), \(bind: address), \(bind: Timestamp.string(date)))
                RETURNING id
                """).first()?.decode(column: "id", as: Int64.self)
            else { throw StoredDataError(column: "sign_in_failures.id", value: "", rule: "was not returned by the insert") }
            // An account is throttled for the client that failed with it, not for everyone: a stranger's wrong
            // passwords must not lock its owner out. The account's own count, over every client, goes to the audit log.
            let byPair = try await Self.window(db, .accountFromAddress, accountKey, address, since: since)
            let byAddress = try await Self.window(db, .address, address, since: since)
            var until: Date?
            if byPair.count > rule.perAccount, let oldest = byPair.oldest { until = oldest.addingTimeInterval(rule.window) }
            if byAddress.count > rule.perAddress, let oldest = byAddress.oldest {
                until = max(until ?? .distantPast, oldest.addingTimeInterval(rule.window))
            }
            guard let until else {
                let byAccount = try await Self.window(db, .account, accountKey, since: since)
                if byAccount.count > rule.perAccount, try await !Self.noted(db, .signInFailuresMounting, accountKey, since: since) {
                    try await Self.audit(db, .signInFailuresMounting, by: AuditActor(accountID: nil, email: accountKey, address: address),
                                         subject: accountKey, detail: "\(byAccount.count) failures in the window", at: date)
                }
                return SignInAttempt(id: id, throttledUntil: nil)
            }
            try await db.raw("DELETE FROM sign_in_failures WHERE id = \(bind: id)").run()
            // The audit log says so once a window, not at every refused attempt (those are unlimited).
            if try await !Self.noted(db, .signInThrottled, accountKey, address: address, since: since) {
                try await Self.audit(db, .signInThrottled, by: AuditActor(accountID: nil, email: accountKey, address: address), subject: accountKey,
                                     detail: byPair.count > rule.perAccount ? "account, from this address" : "address", at: date)
            }
            return SignInAttempt(id: nil, throttledUntil: until)
        }
    }

    /// Records a request of a kind from a client address, unless the address made `limit` of them in the last
    /// `window` seconds: then nothing is kept and `throttled` says until when. Counted and recorded in one
    /// transaction, one at a time (requests sent at once are counted against each other).
    public func recordRequest(kind: String, address: String, limit: Int, window: TimeInterval = 3_600, at date: Date) async throws {
        let dialect = driver.dialect
        try await driver.transaction { db in
            try await Self.recordRequest(db, dialect: dialect, kind: kind, address: address, limit: limit, window: window, at: date)
        }
    }

    /// The same inside a transaction that writes something else too (a message queued with its count).
    static func recordRequest(_ db: any SQLDatabase, dialect: SQLDialect, kind: String, address: String, limit: Int,
                              window: TimeInterval = 3_600, at date: Date) async throws {
        if dialect == .postgresql { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.attemptLock))").run() }
        let recent = try await db.raw("""
            SELECT count(*) AS n, min(at) AS oldest FROM request_log
            WHERE kind = \(bind: kind) AND address = \(bind: address) AND at > \(bind: Timestamp.string(date.addingTimeInterval(-window)))
            """).first()
        if try (recent?.decode(column: "n", as: Int.self) ?? 0) >= limit {
            let oldest = try recent?.decode(column: "oldest", as: String?.self).flatMap(Timestamp.date) ?? date
            throw AccountError.throttled(until: oldest.addingTimeInterval(window))
        }
        try await db.raw("""
            INSERT INTO request_log (kind, address, at) VALUES (\(bind: kind), \(bind: address), \(bind: Timestamp.string(date)))
            """).run()
    }

    /// The key of the PostgreSQL advisory lock that orders sign-in attempts ("liaison" in ASCII).
    static let attemptLock: Int64 = 0x6C69_6169_736F_6E

    /// Whether the audit log has an event of this kind about the account (or from the client address) in the window.
    private static func noted(_ db: any SQLDatabase, _ event: AuditEvent, _ accountKey: String, address: String? = nil, since: String)
        async throws -> Bool
    {
        let query: SQLQueryString = if let address {
            """
            SELECT id FROM audit_log WHERE event = \(bind: event.rawValue) AND at > \(bind: since)
              AND (subject = \(bind: accountKey) OR address = \(bind: address)) LIMIT 1
            """
        } else {
            "SELECT id FROM audit_log WHERE event = \(bind: event.rawValue) AND at > \(bind: since) AND subject = \(bind: accountKey) LIMIT 1"
        }
        return try await db.raw(query).first() != nil
    }

    /// The attempt failed: it stays counted, and the audit log says so.
    public func failSignInAttempt(accountKey: String, address: String, event: AuditEvent, at date: Date) async throws {
        try await driver.transaction { db in
            try await Self.audit(db, event, by: AuditActor(accountID: nil, email: accountKey, address: address), subject: accountKey,
                                 detail: nil, at: date)
        }
    }

    /// The attempt succeeded: it no longer counts.
    public func clearSignInAttempt(_ attempt: Int64) async throws {
        try await driver.transaction { db in
            try await db.raw("DELETE FROM sign_in_failures WHERE id = \(bind: attempt)").run()
        }
    }

    private enum Counted { case account, address, accountFromAddress }

    private static func window(_ db: any SQLDatabase, _ counted: Counted, _ value: String, _ address: String = "", since: String) async throws
        -> (count: Int, oldest: Date?)
    {
        let query: SQLQueryString = switch counted {
        case .address:
            "SELECT count(*) AS n, min(at) AS oldest FROM sign_in_failures WHERE address = \(bind: value) AND at > \(bind: since)"
        case .account:
            "SELECT count(*) AS n, min(at) AS oldest FROM sign_in_failures WHERE account_key = \(bind: value) AND at > \(bind: since)"
        case .accountFromAddress:
            """
            SELECT count(*) AS n, min(at) AS oldest FROM sign_in_failures
            WHERE account_key = \(bind: value) AND address = \(bind: address) AND at > \(bind: since)
            """
        }
        let row = try await db.raw(query).first()
        return (try row?.decode(column: "n", as: Int.self) ?? 0, try row?.decode(column: "oldest", as: String?.self).flatMap(Timestamp.date))
    }

    // MARK: Audit log

    /// Writes one line of the audit log on its own.
    public func audit(_ event: AuditEvent, by actor: AuditActor, subject: String?, detail: String?, at date: Date = Date()) async throws {
        try await driver.transaction { db in try await Self.audit(db, event, by: actor, subject: subject, detail: detail, at: date) }
    }

    /// The audit log, newest first, a page at a time (`before`: the id of the last line seen).
    public func auditLog(before: Int64? = nil, limit: Int = 100) async throws -> [AuditEntry] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM audit_log WHERE id < \(bind: before ?? Int64.max) ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map { row in
                let eventText = try row.decode(column: "event", as: String.self)
                guard let event = AuditEvent(rawValue: eventText) else {
                    throw StoredDataError(column: "audit_log.event", value: eventText, rule: "is not an event")
                }
                return AuditEntry(id: try row.decode(column: "id", as: Int64.self), at: try storedDate(row, "at"), event: event,
                                  actorID: try row.decode(column: "actor_id", as: Int64?.self),
                                  actorEmail: try row.decode(column: "actor_email", as: String?.self),
                                  subject: try row.decode(column: "subject", as: String?.self),
                                  detail: try row.decode(column: "detail", as: String?.self),
                                  address: try row.decode(column: "address", as: String?.self))
            }
        }
    }

    static func audit(_ db: any SQLDatabase, _ event: AuditEvent, by actor: AuditActor, subject: String?, detail: String?,
                      at date: Date) async throws {
        try await db.raw("""
            INSERT INTO audit_log (at, event, actor_id, actor_email, subject, detail, address)
            VALUES (\(bind: Timestamp.string(date)), \(bind: event.rawValue), \(bind: actor.accountID), \(bind: actor.email),
                    \(bind: subject), \(bind: detail), \(bind: actor.address))
            """).run()
    }
}
