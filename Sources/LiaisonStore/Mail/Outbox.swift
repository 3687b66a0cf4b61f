import Foundation
import LiaisonCore
import SQLKit

/// A message in the outbox.
public struct QueuedMail: Sendable, Equatable {
    public let id: Int64
    public let recipient: String
    public let subject: String
    public let body: String
    public let language: Language
    public let attempts: Int
    public let sentAt: Date?
    public let failedAt: Date?
    public let lastError: String?
    /// The calendar sent with it (an invitation), its METHOD and text.
    public let calendar: MailMessage.Calendar?
    /// A list's headers, `Name: value` a line, as stored (checked again when the message is made to be sent); emptied
    /// once it is delivered or given up.
    public let headers: [String]
    /// Random, unique: in its Message-ID, so that a report of its bounce names it (nil for messages queued before
    /// there were references).
    public let reference: String?
    /// The list it was a message of.
    public let listID: Int64?

    /// The Message-ID it is sent with (without angle brackets): `outbox-12.<reference>@domain`.
    public func messageID(domain: String) -> String {
        "outbox-\(id)" + (reference.map { ".\($0)" } ?? "") + "@\(domain)"
    }
}

extension CatalogueStore {
    /// Puts a message in the outbox (one transaction); the sender delivers it.
    @discardableResult
    public func enqueue(_ message: MailMessage, at date: Date = Date()) async throws -> Int64 {
        try await driver.transaction { db in try await Self.enqueue(db, message, at: date) }
    }

    /// Puts a message in the outbox inside a transaction that writes something else too; not sent before `notBefore`
    /// (a list's messages are spread out).
    static func enqueue(_ db: any SQLDatabase, _ message: MailMessage, at date: Date, notBefore: Date? = nil, listID: Int64? = nil)
        async throws -> Int64
    {
        let now = Timestamp.string(date)
        let due = Timestamp.string(max(date, notBefore ?? date))
        let row = try await db.raw("""
            INSERT INTO outbox (recipient, subject, body, language, queued_at, next_attempt_at, calendar_method, calendar, headers, reference, list_id)
            VALUES (\(bind: message.to), \(bind: message.subject), \(bind: message.text), \(bind: message.language.rawValue),
                    \(bind: now), \(bind: due), \(bind: message.calendar?.method), \(bind: message.calendar?.text),
                    \(bind: message.headers.map(\.line).joined(separator: "\n")), \(bind: Self.reference()), \(bind: listID))
            RETURNING id
            """).first()
        guard let row else { throw StoredDataError(column: "outbox.id", value: "", rule: "was not returned by the insert") }
        return try row.decode(column: "id", as: Int64.self)
    }

    /// 128 random bits in hex: a message's reference.
    static func reference() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Messages due for an attempt at `date`: not sent, not given up, their next attempt not in the future.
    public func dueMail(at date: Date = Date(), limit: Int = 50) async throws -> [QueuedMail] {
        let now = Timestamp.string(date)
        return try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= \(bind: now)
                ORDER BY id LIMIT \(bind: limit)
                """).all().map(QueuedMail.init(row:))
        }
    }

    /// Keeps as failed the due messages whose attempts are used up without ever being marked (their sender kept
    /// stopping): once a delivery pass, before it claims.
    public func giveUpExhaustedMail(at date: Date = Date(), maximumAttempts: Int = 12) async throws {
        let now = Timestamp.string(date)
        try await driver.withDatabase { db in
            try await db.raw("""
                UPDATE outbox SET failed_at = \(bind: now), body = \(bind: Self.removedBody), calendar = NULL, headers = '',
                       last_error = coalesce(last_error, 'the sender stopped while sending it, every time')
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= \(bind: now) AND attempts >= \(bind: maximumAttempts)
                """).run()
        }
    }

    /// Takes the next due message for a sender, or nil. The message is leased — its next attempt moved `lease`
    /// ahead, its attempt counted — in the statement that selects it, so that another instance on the same database
    /// does not take it as well; a sender that stops before marking it leaves it to be taken again when the lease
    /// ends (sent twice at worst, never lost). A message whose attempts are used up is not taken (see
    /// `giveUpExhaustedMail`).
    public func claimDueMail(at date: Date = Date(), lease: TimeInterval = 600, maximumAttempts: Int = 12) async throws -> QueuedMail? {
        let now = Timestamp.string(date)
        let until = Timestamp.string(date.addingTimeInterval(lease))
        // PostgreSQL: instances skip the row another is claiming rather than wait for it. SQLite has one writer.
        let lock: SQLQueryString = driver.dialect == .postgresql ? " FOR UPDATE SKIP LOCKED" : ""
        return try await driver.transaction { db in
            // The choice is a CTE, run once: as a subquery of the UPDATE, PostgreSQL may run it again for each row
            // it looks at, and with SKIP LOCKED each run picks the next message — one claim took them all.
            return try await db.raw("""
                WITH next AS (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= \(bind: now)
                                AND attempts < \(bind: maximumAttempts)
                              ORDER BY id LIMIT 1\(lock))
                UPDATE outbox SET next_attempt_at = \(bind: until), attempts = attempts + 1
                WHERE id IN (SELECT id FROM next) AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= \(bind: now)
                RETURNING *
                """).first().map(QueuedMail.init(row:))
        }
    }

    /// What stays of a message's text once it is delivered or given up: its links (invitations, resets) must not
    /// outlive the delivery in the database or its backups.
    static let removedBody = "(removed once delivered or given up)"

    /// The messages of the outbox, oldest first (for administrators and tests).
    public func outbox(limit: Int = 1000) async throws -> [QueuedMail] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM outbox ORDER BY id LIMIT \(bind: limit)").all().map(QueuedMail.init(row:))
        }
    }

    /// How many messages wait to be delivered, and how many were given up after their last attempt (for the metrics).
    public func outboxCounts() async throws -> (queued: Int, failed: Int) {
        try await driver.withDatabase { db in
            let row = try await db.raw("""
                SELECT SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END) AS queued,
                       SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) AS failed
                FROM outbox
                """).first()
            return (Int(try row?.decode(column: "queued", as: Int64?.self) ?? 0), Int(try row?.decode(column: "failed", as: Int64?.self) ?? 0))
        }
    }

    package func markSent(_ id: Int64, at date: Date) async throws {
        let now = Timestamp.string(date)
        try await driver.transaction { db in
            try await db.raw("""
                UPDATE outbox SET sent_at = \(bind: now), last_error = NULL, body = \(bind: Self.removedBody), calendar = NULL, headers = ''
                WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Records a failed attempt (counted when it was claimed): the next one at `retryAt`, or none (`retryAt` nil: given up, kept as failed).
    package func markFailed(_ id: Int64, error: String, retryAt: Date?, at date: Date) async throws {
        let now = Timestamp.string(date)
        let next = retryAt.map(Timestamp.string)
        try await driver.transaction { db in
            if let next {
                try await db.raw("""
                    UPDATE outbox SET last_error = \(bind: error), next_attempt_at = \(bind: next) WHERE id = \(bind: id)
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE outbox SET last_error = \(bind: error), failed_at = \(bind: now), body = \(bind: Self.removedBody), calendar = NULL,
                        headers = '' WHERE id = \(bind: id)
                    """).run()
            }
        }
    }
}

extension QueuedMail {
    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: Int64.self)
        recipient = try row.decode(column: "recipient", as: String.self)
        subject = try row.decode(column: "subject", as: String.self)
        body = try row.decode(column: "body", as: String.self)
        language = try Language.parse(try row.decode(column: "language", as: String.self), field: "outbox.language")
        attempts = try row.decode(column: "attempts", as: Int.self)
        sentAt = try row.decode(column: "sent_at", as: String?.self).flatMap(Timestamp.date)
        failedAt = try row.decode(column: "failed_at", as: String?.self).flatMap(Timestamp.date)
        lastError = try row.decode(column: "last_error", as: String?.self)
        let method = try row.decode(column: "calendar_method", as: String?.self)
        let text = try row.decode(column: "calendar", as: String?.self)
        if let method, let text {
            calendar = MailMessage.Calendar(method: method, text: text)
        } else {
            calendar = nil
        }
        headers = try row.decode(column: "headers", as: String.self).split(separator: "\n").map(String.init)
        reference = try row.decode(column: "reference", as: String?.self)
        listID = try row.decode(column: "list_id", as: Int64?.self)
    }
}
