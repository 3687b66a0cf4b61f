import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// Replaces a post's text; the text it had is kept in its history, with who replaced it and when.
    /// At most `perHour` edits an hour by `accountID` (each keeps a revision).
    public func editPost(_ postID: Int64, body: String, actor: String, accountID: Int64, perHour: Int, at date: Date) async throws -> Bool {
        let now = Timestamp.string(date)
        let dialect = driver.dialect
        return try await driver.transaction { db in
            try await Self.recordRequest(db, dialect: dialect, kind: "post-edit", address: "account-\(accountID)", limit: perHour, at: date)
            guard let old = try await db.raw("SELECT body FROM discussion_posts WHERE id = \(bind: postID)").first()?.decode(column: "body", as: String.self)
            else { return false }
            try await db.raw("""
                INSERT INTO post_revisions (post_id, body, replaced_at, replaced_by) VALUES (\(bind: postID), \(bind: old), \(bind: now), \(bind: actor))
                """).run()
            try await db.raw("UPDATE discussion_posts SET body = \(bind: body), edited_at = \(bind: now) WHERE id = \(bind: postID)").run()
            return true
        }
    }

    /// A post's earlier texts, the latest first: the text, when it was replaced and by whom.
    public func postRevisions(_ postID: Int64) async throws -> [(body: String, replacedAt: Date, replacedBy: String)] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM post_revisions WHERE post_id = \(bind: postID) ORDER BY id DESC LIMIT 200").all().map { row in
                (try row.decode(column: "body", as: String.self), try Self.time(row, "replaced_at"), try row.decode(column: "replaced_by", as: String.self))
            }
        }
    }

    /// Records a report of a post (one per account and post).
    public func reportPost(_ postID: Int64, accountID: Int64, reason: String, at date: Date) async throws {
        try await driver.withDatabase { db in
            try await db.raw("""
                INSERT INTO post_reports (post_id, account_id, reason, created_at) VALUES (\(bind: postID), \(bind: accountID), \(bind: reason),
                    \(bind: Timestamp.string(date)))
                ON CONFLICT (post_id, account_id) DO NOTHING
                """).run()
        }
    }

    /// The reported posts of some spaces (all, for nil), the most reported first.
    public func reportedPosts(spaceSlugs: [String]?) async throws -> [PostReport] {
        try await driver.withDatabase { db in
            let within: SQLQueryString = spaceSlugs.map { "AND s.slug IN (\(binds: $0.isEmpty ? [""] : $0))" } ?? ""
            let rows = try await db.raw("""
                SELECT r.post_id, r.reason, p.thread_id, p.hidden, t.title, s.slug FROM post_reports r
                JOIN discussion_posts p ON p.id = r.post_id JOIN discussion_threads t ON t.id = p.thread_id
                JOIN discussion_spaces s ON s.id = t.space_id WHERE 1 = 1 \(within) ORDER BY r.post_id LIMIT 2000
                """).all()
            var reports: [Int64: PostReport] = [:]
            for row in rows {
                let id = try row.decode(column: "post_id", as: Int64.self)
                let reason = try row.decode(column: "reason", as: String.self)
                reports[id] = PostReport(postID: id, threadID: try row.decode(column: "thread_id", as: Int64.self),
                                         threadTitle: try row.decode(column: "title", as: String.self), spaceSlug: try row.decode(column: "slug", as: String.self),
                                         reasons: (reports[id]?.reasons ?? []) + [reason], hidden: try row.decode(column: "hidden", as: Int.self) == 1)
            }
            return reports.values.sorted { ($0.reasons.count, $1.postID) > ($1.reasons.count, $0.postID) }
        }
    }

    /// Hides, restores, locks, unlocks, or moves (to `spaceID`) a thread or one of its posts, with the reason kept in
    /// the thread's log, in one transaction. False when the thread (or post) is not there.
    public func moderate(threadID: Int64, postID: Int64?, action: ModerationAction, reason: String, moveTo spaceID: Int64? = nil, actor: String,
                         at date: Date) async throws -> Bool {
        try await driver.transaction { db in
            let statement: SQLQueryString
            switch action {
            case .hidePost, .restorePost:
                guard let postID else { return false }
                statement = """
                    UPDATE discussion_posts SET hidden = \(bind: action == .hidePost ? 1 : 0), hidden_reason = \(bind: action == .hidePost ? reason : nil)
                    WHERE id = \(bind: postID) AND thread_id = \(bind: threadID) RETURNING id
                    """
            case .lock, .unlock:
                statement = "UPDATE discussion_threads SET locked = \(bind: action == .lock ? 1 : 0) WHERE id = \(bind: threadID) RETURNING id"
            case .hideThread, .restoreThread:
                statement = "UPDATE discussion_threads SET hidden = \(bind: action == .hideThread ? 1 : 0) WHERE id = \(bind: threadID) RETURNING id"
            case .move:
                guard let spaceID else { return false }
                statement = "UPDATE discussion_threads SET space_id = \(bind: spaceID) WHERE id = \(bind: threadID) RETURNING id"
            }
            guard try await db.raw(statement).first() != nil else { return false }
            try await db.raw("""
                INSERT INTO moderation_log (thread_id, post_id, action, reason, actor, at)
                VALUES (\(bind: threadID), \(bind: postID), \(bind: action.rawValue), \(bind: reason), \(bind: actor), \(bind: Timestamp.string(date)))
                """).run()
            return true
        }
    }

    /// A thread's moderation log, the latest first.
    public func moderationLog(threadID: Int64) async throws -> [ModerationEntry] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM moderation_log WHERE thread_id = \(bind: threadID) ORDER BY id DESC LIMIT 500").all().compactMap { row in
                guard let action = ModerationAction(rawValue: try row.decode(column: "action", as: String.self)) else { return nil }
                return ModerationEntry(postID: try row.decode(column: "post_id", as: Int64?.self), action: action,
                                       reason: try row.decode(column: "reason", as: String.self), actor: try row.decode(column: "actor", as: String.self),
                                       at: try Self.time(row, "at"))
            }
        }
    }
}
