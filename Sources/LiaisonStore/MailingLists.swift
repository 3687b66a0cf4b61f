import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// One recipient of a list's message: the hash of their unsubscribe link, and their message.
    public struct ListDelivery: Sendable {
        public let email: String
        public let tokenHash: String
        public let mail: MailMessage

        public init(email: String, tokenHash: String, mail: MailMessage) {
            self.email = email
            self.tokenHash = tokenHash
            self.mail = mail
        }
    }

    public func createList(_ list: MailingList, actor: String, at date: Date) async throws -> MailingList {
        try await driver.withDatabase { db in
            guard let id = try await db.raw("""
                INSERT INTO mailing_lists (slug, name_en, name_fr, summary_en, summary_fr, audience, owner, created_at, created_by)
                VALUES (\(bind: list.slug), \(bind: list.name.en), \(bind: list.name.fr), \(bind: list.summary.en), \(bind: list.summary.fr),
                        \(bind: list.audience.stored), \(bind: list.owner), \(bind: Timestamp.string(date)), \(bind: actor))
                ON CONFLICT (slug) DO NOTHING RETURNING id
                """).first()?.decode(column: "id", as: Int64.self)
            else { throw InputError.duplicate(field: "slug", value: list.slug) }
            var stored = list
            stored.id = id
            return stored
        }
    }

    public func mailingLists() async throws -> [MailingList] {
        try await driver.withDatabase { db in try await db.raw("SELECT * FROM mailing_lists ORDER BY slug LIMIT 500").all().map(Self.list) }
    }

    public func mailingList(slug: String) async throws -> MailingList? {
        try await driver.withDatabase { db in try await db.raw("SELECT * FROM mailing_lists WHERE slug = \(bind: slug)").first().map(Self.list) }
    }

    /// Asks to subscribe `email`: pending until the confirmation link (`confirmHash`) is followed, the confirmation
    /// mail queued with it; counted against the client address (at most `perHour`). Someone already subscribed is
    /// left as they are and mailed nothing (the answer is the same: it does not tell who is subscribed).
    public func subscribe(listID: Int64, email: String, language: Language, confirmHash: String, mail: MailMessage, address: String,
                          perHour: Int = 10, at date: Date) async throws {
        let now = Timestamp.string(date)
        let dialect = driver.dialect
        try await driver.transaction { db in
            try await Self.recordRequest(db, dialect: dialect, kind: "subscribe", address: address, limit: perHour, at: date)
            let row = try await db.raw("""
                SELECT status, suspended_at FROM list_subscriptions WHERE list_id = \(bind: listID) AND email = \(bind: email)
                """).first()
            let status = try row?.decode(column: "status", as: String.self)
            // One suspended after bounces may ask again (their address works again): confirming lifts the suspension.
            if status == SubscriptionStatus.active.rawValue, try row?.decode(column: "suspended_at", as: String?.self) == nil { return }
            if status == nil {
                try await db.raw("""
                    INSERT INTO list_subscriptions (list_id, email, language, status, confirm_hash, created_at, changed_at)
                    VALUES (\(bind: listID), \(bind: email), \(bind: language.rawValue), 'pending', \(bind: confirmHash), \(bind: now), \(bind: now))
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE list_subscriptions SET status = 'pending', language = \(bind: language.rawValue), confirm_hash = \(bind: confirmHash),
                        changed_at = \(bind: now) WHERE list_id = \(bind: listID) AND email = \(bind: email)
                    """).run()
            }
            _ = try await Self.enqueue(db, mail, at: date)
        }
    }

    /// Follows a confirmation link: the subscription is active (nil for no such link; it works once).
    public func confirmSubscription(hash: String, at date: Date) async throws -> (list: MailingList, email: String)? {
        try await driver.transaction { db in
            guard let row = try await db.raw("""
                UPDATE list_subscriptions SET status = 'active', confirm_hash = NULL, changed_at = \(bind: Timestamp.string(date)),
                    bounces = 0, suspended_at = NULL
                WHERE confirm_hash = \(bind: hash) RETURNING list_id, email
                """).first() else { return nil }
            let listID = try row.decode(column: "list_id", as: Int64.self)
            guard let list = try await db.raw("SELECT * FROM mailing_lists WHERE id = \(bind: listID)").first().map(Self.list) else { return nil }
            return (list, try row.decode(column: "email", as: String.self))
        }
    }

    /// Follows an unsubscribe link: the person leaves the list (kept as unsubscribed, so that a list of roles does not
    /// write to them again). Nil for no such link. Every link of theirs to this list stops working.
    public func unsubscribe(tokenHash: String, at date: Date) async throws -> (list: MailingList, email: String)? {
        let now = Timestamp.string(date)
        return try await driver.transaction { db in
            guard let link = try await db.raw("SELECT list_id, email FROM list_unsubscribe_links WHERE token_hash = \(bind: tokenHash)").first()
            else { return nil }
            let listID = try link.decode(column: "list_id", as: Int64.self), email = try link.decode(column: "email", as: String.self)
            try await db.raw("""
                INSERT INTO list_subscriptions (list_id, email, language, status, created_at, changed_at)
                VALUES (\(bind: listID), \(bind: email), 'en', 'unsubscribed', \(bind: now), \(bind: now))
                ON CONFLICT (list_id, email) DO UPDATE SET status = 'unsubscribed', confirm_hash = NULL, changed_at = \(bind: now)
                """).run()
            try await db.raw("DELETE FROM list_unsubscribe_links WHERE list_id = \(bind: listID) AND email = \(bind: email)").run()
            guard let list = try await db.raw("SELECT * FROM mailing_lists WHERE id = \(bind: listID)").first().map(Self.list) else { return nil }
            return (list, email)
        }
    }

    /// The addresses of a list by status, with the language of each (active: its subscribers; unsubscribed: those
    /// who left; suspended: those whose mail kept bouncing).
    public func subscriptions(listID: Int64, status: SubscriptionStatus) async throws -> [(email: String, language: Language)] {
        let condition: SQLQueryString = switch status {
        case .active: "status = 'active' AND suspended_at IS NULL"
        case .suspended: "status = 'active' AND suspended_at IS NOT NULL"
        case .pending: "status = 'pending'"
        case .unsubscribed: "status = 'unsubscribed'"
        }
        return try await driver.withDatabase { db in
            try await db.raw("""
                SELECT email, language FROM list_subscriptions WHERE list_id = \(bind: listID) AND \(condition) ORDER BY email
                """).all().map { row in
                (try row.decode(column: "email", as: String.self),
                 try Language.parse(try row.decode(column: "language", as: String.self), field: "list_subscriptions.language"))
            }
        }
    }

    /// The lists an address is subscribed to (or has asked to be), by name.
    public func subscriptions(email: String) async throws -> [(list: MailingList, status: SubscriptionStatus)] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT l.*, s.status AS subscription_status, s.suspended_at FROM list_subscriptions s JOIN mailing_lists l ON l.id = s.list_id
                WHERE s.email = \(bind: email) AND s.status <> 'unsubscribed' ORDER BY l.slug LIMIT 200
                """).all().map { row in
                let text = try row.decode(column: "subscription_status", as: String.self)
                guard let stored = SubscriptionStatus(rawValue: text), stored != .suspended else {
                    throw StoredDataError(column: "list_subscriptions.status", value: text, rule: "must be a status of a subscription")
                }
                let suspended = try row.decode(column: "suspended_at", as: String?.self) != nil
                let status = stored == .active && suspended ? .suspended : stored
                return (try Self.list(row), status)
            }
        }
    }

    /// Sends a list's message: archived, and each recipient's mail queued with their unsubscribe link, all in one
    /// transaction; the mails spread at `perMinute`, so that a large list does not go out in one burst (their times are
    /// in the outbox: a restart neither loses nor doubles one).
    public func sendListMessage(listID: Int64, subject: Bilingual, body: Bilingual, deliveries: [ListDelivery], perMinute: Int, actor: String,
                                at date: Date) async throws -> Int64 {
        let now = Timestamp.string(date)
        return try await driver.transaction { db in
            guard let id = try await db.raw("""
                INSERT INTO list_messages (list_id, subject_en, subject_fr, body_en, body_fr, recipients, sent_at, sent_by)
                VALUES (\(bind: listID), \(bind: subject.en), \(bind: subject.fr), \(bind: body.en), \(bind: body.fr), \(bind: deliveries.count),
                        \(bind: now), \(bind: actor))
                RETURNING id
                """).first()?.decode(column: "id", as: Int64.self)
            else { throw StoredDataError(column: "list_messages.id", value: "", rule: "was not returned by the insert") }
            for (index, delivery) in deliveries.enumerated() {
                try await db.raw("""
                    INSERT INTO list_unsubscribe_links (token_hash, list_id, email, created_at)
                    VALUES (\(bind: delivery.tokenHash), \(bind: listID), \(bind: delivery.email), \(bind: now))
                    """).run()
                _ = try await Self.enqueue(db, delivery.mail, at: date, notBefore: date.addingTimeInterval(Double(index * 60) / Double(max(1, perMinute))),
                                           listID: listID)
            }
            return id
        }
    }

    /// A test of a list's message, to its editor: queued with working links, not archived.
    public func sendTest(listID: Int64, deliveries: [ListDelivery], at date: Date) async throws -> Int {
        let now = Timestamp.string(date)
        return try await driver.transaction { db in
            for delivery in deliveries {
                try await db.raw("""
                    INSERT INTO list_unsubscribe_links (token_hash, list_id, email, created_at)
                    VALUES (\(bind: delivery.tokenHash), \(bind: listID), \(bind: delivery.email), \(bind: now))
                    """).run()
                _ = try await Self.enqueue(db, delivery.mail, at: date)
            }
            return deliveries.count
        }
    }

    /// A list's archive, newest first.
    public func listMessages(listID: Int64, limit: Int = 200) async throws -> [ListMessage] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM list_messages WHERE list_id = \(bind: listID) ORDER BY sent_at DESC, id DESC LIMIT \(bind: limit)")
                .all().map { row in
                    let sent = try row.decode(column: "sent_at", as: String.self)
                    guard let sentAt = Timestamp.date(sent) else { throw StoredDataError(column: "list_messages.sent_at", value: sent, rule: "must be a time") }
                    return ListMessage(id: try row.decode(column: "id", as: Int64.self),
                                       subject: Bilingual(en: try row.decode(column: "subject_en", as: String.self),
                                                          fr: try row.decode(column: "subject_fr", as: String.self)),
                                       body: Bilingual(en: try row.decode(column: "body_en", as: String.self), fr: try row.decode(column: "body_fr", as: String.self)),
                                       recipients: try row.decode(column: "recipients", as: Int.self), sentAt: sentAt)
                }
        }
    }

    static func list(_ row: any SQLRow) throws -> MailingList {
        MailingList(id: try row.decode(column: "id", as: Int64.self), slug: try row.decode(column: "slug", as: String.self),
                    name: Bilingual(en: try row.decode(column: "name_en", as: String.self), fr: try row.decode(column: "name_fr", as: String.self)),
                    summary: Bilingual(en: try row.decode(column: "summary_en", as: String.self), fr: try row.decode(column: "summary_fr", as: String.self)),
                    audience: try ListAudience(stored: try row.decode(column: "audience", as: String.self), field: "mailing_lists.audience"),
                    owner: try row.decode(column: "owner", as: String.self))
    }
}
