import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// A follower of a thread or space, as the notification of a new post needs them.
    public struct Follower: Sendable, Equatable {
        public let accountID: Int64
        public let mode: String
        /// Follows the space, not the thread itself (the way to stop is on the space's page).
        public let throughSpace: Bool

        public init(accountID: Int64, mode: String, throughSpace: Bool = false) {
            self.accountID = accountID
            self.mode = mode
            self.throughSpace = throughSpace
        }
    }

    /// The site's secret of that name, made by `make` the first time it is asked for (the same for every instance).
    public func siteSecret(_ name: String, make: @Sendable () -> String) async throws -> String {
        try await driver.transaction { db in
            try await db.raw("INSERT INTO site_secrets (name, value) VALUES (\(bind: name), \(bind: make())) ON CONFLICT (name) DO NOTHING").run()
            guard let value = try await db.raw("SELECT value FROM site_secrets WHERE name = \(bind: name)").first()?.decode(column: "value", as: String.self)
            else { throw StoredDataError(column: "site_secrets.value", value: name, rule: "was not kept") }
            return value
        }
    }

    /// The space with this address; a network's is made the first time (`network`: its name, when the slug is a
    /// network's).
    public func discussionSpace(slug: String, network: Bilingual?, at date: Date) async throws -> DiscussionSpace? {
        try await driver.withDatabase { db in
            if let network {
                try await db.raw("""
                    INSERT INTO discussion_spaces (slug, kind, name_en, name_fr, summary_en, summary_fr, created_at)
                    VALUES (\(bind: slug), 'network', \(bind: network.en), \(bind: network.fr), '', '', \(bind: Timestamp.string(date)))
                    ON CONFLICT (slug) DO NOTHING
                    """).run()
            }
            return try await db.raw("SELECT * FROM discussion_spaces WHERE slug = \(bind: slug)").first().map(Self.space)
        }
    }

    public func discussionSpace(id: Int64) async throws -> DiscussionSpace? {
        try await driver.withDatabase { db in try await db.raw("SELECT * FROM discussion_spaces WHERE id = \(bind: id)").first().map(Self.space) }
    }

    /// The topics' spaces, by name.
    public func topicSpaces() async throws -> [DiscussionSpace] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM discussion_spaces WHERE kind = 'topic' ORDER BY name_en LIMIT 200").all().map(Self.space)
        }
    }

    public func createTopicSpace(_ space: DiscussionSpace, at date: Date) async throws -> DiscussionSpace {
        try await driver.withDatabase { db in
            guard let row = try await db.raw("""
                INSERT INTO discussion_spaces (slug, kind, name_en, name_fr, summary_en, summary_fr, created_at)
                VALUES (\(bind: space.slug), 'topic', \(bind: space.name.en), \(bind: space.name.fr), \(bind: space.summary.en), \(bind: space.summary.fr),
                        \(bind: Timestamp.string(date)))
                ON CONFLICT (slug) DO NOTHING RETURNING *
                """).first() else { throw InputError.duplicate(field: "slug", value: space.slug) }
            return try Self.space(row)
        }
    }

    /// A space's threads, the latest active first (hidden ones only when `hidden`), a page.
    public func threads(spaceID: Int64, hidden: Bool, limit: Int, offset: Int) async throws -> (threads: [DiscussionThread], total: Int) {
        try await driver.withDatabase { db in
            let condition: SQLQueryString = hidden ? "space_id = \(bind: spaceID)" : "space_id = \(bind: spaceID) AND hidden = 0"
            let total = try await db.raw("SELECT count(*) AS n FROM discussion_threads WHERE \(condition)").first()?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.raw("""
                SELECT * FROM discussion_threads WHERE \(condition) ORDER BY announcement DESC, last_post_at DESC, id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all()
            return (try rows.map(Self.thread), total)
        }
    }

    public func thread(id: Int64) async throws -> DiscussionThread? {
        try await driver.withDatabase { db in try await db.raw("SELECT * FROM discussion_threads WHERE id = \(bind: id)").first().map(Self.thread) }
    }

    /// A thread's posts in order (the first starts it), at most 2,000.
    public func posts(threadID: Int64) async throws -> [DiscussionPost] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM discussion_posts WHERE thread_id = \(bind: threadID) ORDER BY id LIMIT \(bind: DiscussionThread.postLimit)").all().map(Self.post)
        }
    }

    public func post(id: Int64) async throws -> DiscussionPost? {
        try await driver.withDatabase { db in try await db.raw("SELECT * FROM discussion_posts WHERE id = \(bind: id)").first().map(Self.post) }
    }

    /// Makes the mails of a new post (thread and post numbers, and the followers to write to).
    public typealias Notify = @Sendable (_ threadID: Int64, _ postID: Int64, _ followers: [Follower]) throws -> [MailMessage]

    /// Adds a post — to a new thread of `spaceID` titled `title`, or to `post.threadID` — in one transaction: at most
    /// `perHour` posts an hour by its author; the author then follows the thread; `notify` makes the mails of the
    /// thread's and the space's followers (not the author), queued with it. Returns the thread and post numbers; nil
    /// when the thread is locked or gone (and then nothing is written, nor counted against the hour's posts).
    public func addPost(_ post: DiscussionPost, newThread title: String?, spaceID: Int64, perHour: Int, at date: Date, notify: Notify) async throws
        -> (threadID: Int64, postID: Int64)?
    {
        let dialect = driver.dialect
        struct Gone: Error {}
        do {
            return try await driver.transaction { db -> (threadID: Int64, postID: Int64) in
                try await Self.recordRequest(db, dialect: dialect, kind: "post", address: "account-\(post.authorID)", limit: perHour, at: date)
                guard let added = try await Self.insertPost(db, post, newThread: title, spaceID: spaceID, announcement: false, at: date, notify: notify)
                else { throw Gone() }
                return added
            }
        } catch is Gone {
            return nil
        }
    }

    /// The secretariat's announcement: a new thread titled `title` in each of `spaceIDs`, shown first there, with its
    /// followers' mails, all in one transaction (every space has it, or none). Not held to the hourly limit of posts.
    public func announce(_ post: DiscussionPost, title: String, spaceIDs: [Int64], at date: Date,
                         notify: @Sendable (_ spaceID: Int64) throws -> Notify) async throws -> Int {
        try await driver.transaction { db in
            var count = 0
            for spaceID in spaceIDs {
                if try await Self.insertPost(db, post, newThread: title, spaceID: spaceID, announcement: true, at: date, notify: notify(spaceID)) != nil {
                    count += 1
                }
            }
            return count
        }
    }

    private static func insertPost(_ db: any SQLDatabase, _ post: DiscussionPost, newThread title: String?, spaceID: Int64, announcement: Bool,
                                   at date: Date, notify: Notify) async throws -> (threadID: Int64, postID: Int64)? {
        let now = Timestamp.string(date)
        var threadID = post.threadID
        if let title {
            guard let id = try await db.raw("""
                INSERT INTO discussion_threads (space_id, title, author_id, author_name, created_at, last_post_at, announcement)
                VALUES (\(bind: spaceID), \(bind: title), \(bind: post.authorID), \(bind: post.authorName), \(bind: now), \(bind: now),
                        \(bind: announcement ? 1 : 0)) RETURNING id
                """).first()?.decode(column: "id", as: Int64.self) else { return nil }
            threadID = id
        } else {
            guard try await db.raw("""
                UPDATE discussion_threads SET last_post_at = \(bind: now) WHERE id = \(bind: threadID) AND locked = 0 AND hidden = 0 RETURNING id
                """).first() != nil else { return nil }
        }
        guard let postID = try await db.raw("""
            INSERT INTO discussion_posts (thread_id, author_id, author_name, body, created_at, via, attachments)
            VALUES (\(bind: threadID), \(bind: post.authorID), \(bind: post.authorName), \(bind: post.body), \(bind: now), \(bind: post.via.rawValue),
                    \(bind: post.attachments.map(String.init).joined(separator: " ")))
            RETURNING id
            """).first()?.decode(column: "id", as: Int64.self) else { return nil }
        try await db.raw("UPDATE discussion_threads SET posts = posts + 1 WHERE id = \(bind: threadID)").run()
        // The author follows the thread, unless they already do (as they chose) or chose to stop following it; not
        // an announcement's (in every space at once: its author follows those they choose).
        if !announcement { try await db.raw("""
            INSERT INTO discussion_subscriptions (account_id, space_id, thread_id, mode, created_at)
            SELECT \(bind: post.authorID), NULL, \(bind: threadID), 'each', \(bind: now)
            WHERE NOT EXISTS (SELECT 1 FROM discussion_subscriptions WHERE account_id = \(bind: post.authorID) AND thread_id = \(bind: threadID))
              AND NOT EXISTS (SELECT 1 FROM discussion_unfollowed WHERE account_id = \(bind: post.authorID) AND thread_id = \(bind: threadID))
            """).run() }
        var followers: [Int64: (mode: String, throughSpace: Bool)] = [:]
        for row in try await db.raw("""
            SELECT account_id, mode, thread_id FROM discussion_subscriptions
            WHERE (thread_id = \(bind: threadID) OR space_id = \(bind: spaceID)) AND account_id <> \(bind: post.authorID) LIMIT 10000
            """).all() {
            let account = try row.decode(column: "account_id", as: Int64.self), mode = try row.decode(column: "mode", as: String.self)
            let throughSpace = try row.decodeNil(column: "thread_id")
            // Whoever follows the thread and the space is written to once, per message if either says so; they
            // follow through the space only when they do not follow the thread itself.
            let before = followers[account]
            followers[account] = (before?.mode == "each" ? "each" : mode, (before?.throughSpace ?? true) && throughSpace)
        }
        let list = followers.map { Follower(accountID: $0.key, mode: $0.value.mode, throughSpace: $0.value.throughSpace) }
            .sorted { $0.accountID < $1.accountID }
        for message in try notify(threadID, postID, list) { _ = try await Self.enqueue(db, message, at: date) }
        return (threadID, postID)
    }

    /// Queues a mail unless `key` had `perHour` of this kind in the last hour (a refusal's mail to a sender, who may be
    /// forged: so many and no more). Returns whether it was queued.
    public func enqueueLimited(_ message: MailMessage, kind: String, key: String, perHour: Int, at date: Date) async throws -> Bool {
        let dialect = driver.dialect
        do {
            try await driver.transaction { db in
                try await Self.recordRequest(db, dialect: dialect, kind: kind, address: key, limit: perHour, at: date)
                _ = try await Self.enqueue(db, message, at: date)
            }
            return true
        } catch is AccountError {
            return false
        }
    }

    /// Follows a thread or a space (`mode` each or digest), or stops (`mode` nil).
    public func follow(accountID: Int64, spaceID: Int64?, threadID: Int64?, mode: String?, at date: Date) async throws {
        try await driver.transaction { db in
            let target: SQLQueryString = threadID != nil ? "thread_id = \(bind: threadID) AND space_id IS NULL" : "space_id = \(bind: spaceID) AND thread_id IS NULL"
            try await db.raw("DELETE FROM discussion_subscriptions WHERE account_id = \(bind: accountID) AND \(target)").run()
            if let threadID {
                // Stopping is remembered (writing in the thread again does not follow it again); following forgets it.
                try await db.raw("DELETE FROM discussion_unfollowed WHERE account_id = \(bind: accountID) AND thread_id = \(bind: threadID)").run()
                if mode == nil {
                    try await db.raw("INSERT INTO discussion_unfollowed (account_id, thread_id) VALUES (\(bind: accountID), \(bind: threadID))").run()
                }
            }
            if let mode {
                try await db.raw("""
                    INSERT INTO discussion_subscriptions (account_id, space_id, thread_id, mode, created_at)
                    VALUES (\(bind: accountID), \(bind: threadID == nil ? spaceID : nil), \(bind: threadID), \(bind: mode), \(bind: Timestamp.string(date)))
                    """).run()
            }
        }
    }

    /// How an account follows a thread or a space (nil: it does not).
    public func following(accountID: Int64, spaceID: Int64?, threadID: Int64?) async throws -> String? {
        try await driver.withDatabase { db in
            let target: SQLQueryString = threadID != nil ? "thread_id = \(bind: threadID) AND space_id IS NULL" : "space_id = \(bind: spaceID) AND thread_id IS NULL"
            return try await db.raw("SELECT mode FROM discussion_subscriptions WHERE account_id = \(bind: accountID) AND \(target)").first()?
                .decode(column: "mode", as: String.self)
        }
    }

    static func space(_ row: any SQLRow) throws -> DiscussionSpace {
        let kind = try row.decode(column: "kind", as: String.self)
        return DiscussionSpace(id: try row.decode(column: "id", as: Int64.self), slug: try row.decode(column: "slug", as: String.self),
                               kind: kind == "network" ? .network : .topic,
                               name: Bilingual(en: try row.decode(column: "name_en", as: String.self), fr: try row.decode(column: "name_fr", as: String.self)),
                               summary: Bilingual(en: try row.decode(column: "summary_en", as: String.self),
                                                  fr: try row.decode(column: "summary_fr", as: String.self)))
    }

    static func time(_ row: any SQLRow, _ column: String) throws -> Date {
        let text = try row.decode(column: column, as: String.self)
        guard let date = Timestamp.date(text) else { throw StoredDataError(column: column, value: text, rule: "must be a time") }
        return date
    }

    static func thread(_ row: any SQLRow) throws -> DiscussionThread {
        DiscussionThread(id: try row.decode(column: "id", as: Int64.self), spaceID: try row.decode(column: "space_id", as: Int64.self),
                         title: try row.decode(column: "title", as: String.self), authorID: try row.decode(column: "author_id", as: Int64.self),
                         authorName: try row.decode(column: "author_name", as: String.self), createdAt: try time(row, "created_at"),
                         lastPostAt: try time(row, "last_post_at"), posts: try row.decode(column: "posts", as: Int.self),
                         locked: try row.decode(column: "locked", as: Int.self) == 1, hidden: try row.decode(column: "hidden", as: Int.self) == 1,
                         announcement: try row.decode(column: "announcement", as: Int.self) == 1)
    }

    static func post(_ row: any SQLRow) throws -> DiscussionPost {
        DiscussionPost(id: try row.decode(column: "id", as: Int64.self), threadID: try row.decode(column: "thread_id", as: Int64.self),
                       authorID: try row.decode(column: "author_id", as: Int64.self), authorName: try row.decode(column: "author_name", as: String.self),
                       body: try row.decode(column: "body", as: String.self), createdAt: try time(row, "created_at"),
                       editedAt: try row.decode(column: "edited_at", as: String?.self).flatMap(Timestamp.date),
                       hidden: try row.decode(column: "hidden", as: Int.self) == 1, hiddenReason: try row.decode(column: "hidden_reason", as: String?.self),
                       via: try row.decode(column: "via", as: String.self) == "mail" ? .mail : .web,
                       attachments: try row.decode(column: "attachments", as: String.self).split(separator: " ").compactMap { Int64($0) })
    }
}

extension CatalogueStore {
    /// A follower's daily digest that is due: what they follow, and since when.
    public struct DueDigest: Sendable {
        public let subscriptionID: Int64
        public let accountID: Int64
        public let spaceID: Int64?
        public let threadID: Int64?
        public let since: Date
        /// `since` as stored: the digest is claimed only while it still reads so (one instance sends it).
        public let stamp: String
    }

    /// A message for a digest: its thread and post.
    public struct DigestItem: Sendable {
        public let threadID: Int64
        public let threadTitle: String
        public let spaceID: Int64
        public let post: DiscussionPost
    }

    /// The digests due at `date`: those never sent, or last sent a day or more before.
    /// (Every digest subscription of an account one of whose is due: they go together, so an account gets one digest
    /// a day however many spaces and threads it follows.)
    public func dueDigests(at date: Date, limit: Int = 5_000) async throws -> [DueDigest] {
        let dayAgo = Timestamp.string(date.addingTimeInterval(-86_400))
        return try await driver.withDatabase { db in
            try await db.raw("""
                SELECT id, account_id, space_id, thread_id, coalesce(digested_until, created_at) AS since FROM discussion_subscriptions
                WHERE mode = 'digest' AND account_id IN (
                    SELECT account_id FROM discussion_subscriptions WHERE mode = 'digest' AND coalesce(digested_until, created_at) <= \(bind: dayAgo))
                ORDER BY account_id, id LIMIT \(bind: limit)
                """).all().map { row in
                DueDigest(subscriptionID: try row.decode(column: "id", as: Int64.self), accountID: try row.decode(column: "account_id", as: Int64.self),
                          spaceID: try row.decode(column: "space_id", as: Int64?.self), threadID: try row.decode(column: "thread_id", as: Int64?.self),
                          since: try Self.time(row, "since"), stamp: try row.decode(column: "since", as: String.self))
            }
        }
    }

    /// The messages of a space or thread written after `since` and up to `until`, by others than `accountID`, shown
    /// (neither they nor their thread hidden), oldest first, at most `limit`.
    /// `since`: the digest's `stamp` as stored (a Date read from it and written again may differ in its last digit).
    public func digestItems(spaceID: Int64?, threadID: Int64?, since: String, until: Date, excluding accountID: Int64, limit: Int = 200) async throws
        -> [DigestItem]
    {
        try await driver.withDatabase { db in
            let target: SQLQueryString = threadID != nil ? "t.id = \(bind: threadID)" : "t.space_id = \(bind: spaceID)"
            return try await db.raw("""
                SELECT p.*, t.title AS thread_title, t.space_id AS thread_space FROM discussion_posts p JOIN discussion_threads t ON t.id = p.thread_id
                WHERE \(target) AND p.created_at > \(bind: since) AND p.created_at <= \(bind: Timestamp.string(until))
                    AND p.author_id <> \(bind: accountID) AND p.hidden = 0 AND t.hidden = 0
                ORDER BY p.id LIMIT \(bind: limit)
                """).all().map { row in
                DigestItem(threadID: try row.decode(column: "thread_id", as: Int64.self), threadTitle: try row.decode(column: "thread_title", as: String.self),
                           spaceID: try row.decode(column: "thread_space", as: Int64.self), post: try Self.post(row))
            }
        }
    }

    /// Records how far each digest was made, and queues their mail (if any), in one transaction.
    @discardableResult
    public func markDigested(_ digests: [(due: DueDigest, until: Date)], mail: MailMessage?, at date: Date) async throws -> Bool {
        guard !digests.isEmpty else { return false }
        struct Claimed: Error {}
        do {
            try await driver.transaction { db in
                for (due, until) in digests {
                    // Claimed: still as read (another instance that sent it first moved it on, and this one sends nothing).
                    guard try await db.raw("""
                        UPDATE discussion_subscriptions SET digested_until = \(bind: Timestamp.string(until))
                        WHERE id = \(bind: due.subscriptionID) AND coalesce(digested_until, created_at) = \(bind: due.stamp) RETURNING id
                        """).first() != nil else { throw Claimed() }
                }
                if let mail { _ = try await Self.enqueue(db, mail, at: date) }
            }
            return true
        } catch is Claimed {
            return false
        }
    }
}
