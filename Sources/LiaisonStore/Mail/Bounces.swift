import Foundation
import LiaisonCore
import SQLKit

/// What a bounce did, as recorded.
public struct RecordedBounce: Sendable, Equatable {
    /// False when this message's bounce for this address had been recorded already (a report received twice counts once).
    public let isNew: Bool
    /// The hard bounces of the address on the message's list so far (0 for a message of no list).
    public let bounces: Int
    /// Whether this bounce suspended the subscription.
    public let suspended: Bool
}

extension CatalogueStore {
    /// The message of the outbox with that reference (the random part of its Message-ID).
    public func outboxMail(reference: String) async throws -> QueuedMail? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM outbox WHERE reference = \(bind: reference)").first().map(QueuedMail.init(row:))
        }
    }

    public func mailingList(id: Int64) async throws -> MailingList? {
        try await driver.withDatabase { db in try await db.raw("SELECT * FROM mailing_lists WHERE id = \(bind: id)").first().map(Self.list) }
    }

    /// Records that `mail` bounced for `email`, in one transaction. A hard bounce of a list's message counts against
    /// the address's subscription to the list (for a list of roles, a row is made to keep the count); at
    /// `suspendAfter` the subscription is suspended — its messages no longer go there — and `ownerMail` is queued.
    /// The same message's bounce counts once (a delay reported, then the failure: the failure counts).
    public func recordBounce(of mail: QueuedMail, email: String, hard: Bool, status: String, diagnostic: String?, suspendAfter: Int,
                             ownerMail: MailMessage?, at date: Date) async throws -> RecordedBounce {
        let now = Timestamp.string(date)
        return try await driver.transaction { db in
            let inserted = try await db.raw("""
                INSERT INTO mail_bounces (outbox_id, email, hard, status, diagnostic, list_id, received_at)
                VALUES (\(bind: mail.id), \(bind: email), \(bind: hard ? 1 : 0), \(bind: status), \(bind: diagnostic), \(bind: mail.listID), \(bind: now))
                ON CONFLICT (outbox_id, email) DO UPDATE SET hard = 1, status = excluded.status, diagnostic = excluded.diagnostic,
                    received_at = excluded.received_at
                WHERE mail_bounces.hard = 0 AND excluded.hard = 1
                RETURNING id
                """).first() != nil
            guard let listID = mail.listID,
                  let audience = try await db.raw("SELECT audience FROM mailing_lists WHERE id = \(bind: listID)").first()?
                      .decode(column: "audience", as: String.self)
            else { return RecordedBounce(isNew: inserted, bounces: 0, suspended: false) }
            guard inserted, hard else {
                let count = try await db.raw("SELECT bounces FROM list_subscriptions WHERE list_id = \(bind: listID) AND email = \(bind: email)")
                    .first()?.decode(column: "bounces", as: Int.self) ?? 0
                return RecordedBounce(isNew: inserted, bounces: count, suspended: false)
            }
            // A list of subscribers counts on the subscription the message went to; a list of roles keeps a row for it.
            if try ListAudience(stored: audience, field: "mailing_lists.audience").isSubscribed {
                try await db.raw("""
                    UPDATE list_subscriptions SET bounces = bounces + 1 WHERE list_id = \(bind: listID) AND email = \(bind: email)
                    """).run()
            } else {
                try await db.raw("""
                    INSERT INTO list_subscriptions (list_id, email, language, status, created_at, changed_at, bounces)
                    VALUES (\(bind: listID), \(bind: email), \(bind: mail.language.rawValue), 'active', \(bind: now), \(bind: now), 1)
                    ON CONFLICT (list_id, email) DO UPDATE SET bounces = list_subscriptions.bounces + 1
                    """).run()
            }
            guard let row = try await db.raw("""
                SELECT bounces, status, suspended_at FROM list_subscriptions WHERE list_id = \(bind: listID) AND email = \(bind: email)
                """).first() else { return RecordedBounce(isNew: true, bounces: 0, suspended: false) }
            let count = try row.decode(column: "bounces", as: Int.self)
            let active = try row.decode(column: "status", as: String.self) == SubscriptionStatus.active.rawValue
            guard count >= suspendAfter, active, try row.decode(column: "suspended_at", as: String?.self) == nil else {
                return RecordedBounce(isNew: true, bounces: count, suspended: false)
            }
            try await db.raw("""
                UPDATE list_subscriptions SET suspended_at = \(bind: now), changed_at = \(bind: now)
                WHERE list_id = \(bind: listID) AND email = \(bind: email)
                """).run()
            if let ownerMail { _ = try await Self.enqueue(db, ownerMail, at: date) }
            return RecordedBounce(isNew: true, bounces: count, suspended: true)
        }
    }

    /// The bounces recorded for an address, newest first: when, whether hard, the status.
    public func bounces(of email: String, limit: Int = 100) async throws -> [(hard: Bool, status: String, receivedAt: String)] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT hard, status, received_at FROM mail_bounces WHERE email = \(bind: email) ORDER BY received_at DESC, id DESC LIMIT \(bind: limit)
                """).all().map { row in
                (try row.decode(column: "hard", as: Int.self) == 1, try row.decode(column: "status", as: String.self),
                 try row.decode(column: "received_at", as: String.self))
            }
        }
    }
}
