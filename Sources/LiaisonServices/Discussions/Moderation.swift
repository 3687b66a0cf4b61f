import Foundation
import LiaisonCore
import LiaisonStore

extension DiscussionService {
    /// Reports a post to the space's moderators (anyone who may read it), with why.
    public func report(post id: Int64, reason: String, by principal: Principal) async throws {
        let (post, _) = try await readablePost(id, by: principal)
        guard let accountID = principal.accountID, let postID = post.id else { throw ServiceDenied() }
        try await store.reportPost(postID, accountID: accountID, reason: try Self.reason(reason), at: now())
    }

    /// The reported posts a principal moderates: every space's for editors, their networks' spaces' for focal points.
    public func reports(by principal: Principal) async throws -> [PostReport] {
        if Policy.allows(principal, .moderate(network: nil)) { return try await store.reportedPosts(spaceSlugs: nil) }
        let networks = principal.networks.sorted().filter { Policy.allows(principal, .moderate(network: $0)) }
        guard !networks.isEmpty else { throw ServiceDenied() }
        return try await store.reportedPosts(spaceSlugs: networks)
    }

    /// Hides or restores a post, locks or unlocks, hides or restores, or moves a thread (to the space `moveTo`), with
    /// a reason kept in the thread's log: the editors, and the focal points of the space's network.
    public func moderate(thread id: Int64, post: Int64?, action: ModerationAction, reason: String, moveTo: String?, by principal: Principal,
                         actor: String) async throws {
        let found = try await thread(id, by: principal)
        guard found.space.mayModerate(principal) else { throw ServiceDenied() }
        let reason = try Self.reason(reason)
        var target: Int64?
        if action == .move {
            guard let moveTo, !moveTo.isEmpty else { throw InputError.missingField(field: "space") }
            let space = try await space(moveTo, by: principal)
            guard space.id != found.space.id else { throw InputError.invalidValue(field: "space", value: moveTo, rule: "must be another space") }
            // A thread goes only where its mover moderates too: a network's messages are not opened to others by one of its focal points.
            guard space.mayModerate(principal) else { throw ServiceDenied() }
            target = space.id
        }
        if let post, !found.posts.contains(where: { $0.id == post }) { throw CatalogueError.threadNotFound(id: id) }
        guard try await store.moderate(threadID: id, postID: post, action: action, reason: reason, moveTo: target, actor: actor, at: now()) else {
            throw CatalogueError.threadNotFound(id: id)
        }
    }

    /// The moderation log of a thread, for its moderators.
    public func moderationLog(thread id: Int64, by principal: Principal) async throws -> [ModerationEntry] {
        let found = try await thread(id, by: principal)
        guard found.space.mayModerate(principal) else { return [] }
        return try await store.moderationLog(threadID: id)
    }

    /// Changes a post's text: its author (while the thread is open and the post shown), or a moderator. The text it
    /// had is kept.
    public func edit(post id: Int64, body: String, by principal: Principal, actor: String) async throws -> Int64 {
        let (post, found) = try await readablePost(id, by: principal)
        let moderator = found.space.mayModerate(principal)
        guard moderator || (post.authorID == principal.accountID && !post.hidden && !found.thread.locked) else { throw ServiceDenied() }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.checkText(text, field: "body", limit: DiscussionPost.bodyLimit)
        guard !text.isEmpty else { throw InputError.missingField(field: "body") }
        _ = try await store.editPost(id, body: text, actor: actor, accountID: principal.accountID ?? 0, perHour: postsPerHour, at: now())
        return post.threadID
    }

    /// A post, for whoever may read it, and its earlier texts for its author and the moderators only (a moderator's
    /// edit may have removed what others must no longer read).
    public func history(post id: Int64, by principal: Principal) async throws -> (post: DiscussionPost, thread: DiscussionThread,
                                                                                  revisions: [(body: String, replacedAt: Date, replacedBy: String)]) {
        let (post, found) = try await readablePost(id, by: principal)
        let entitled = found.space.mayModerate(principal) || post.authorID == principal.accountID
        return (post, found.thread, entitled ? try await store.postRevisions(id) : [])
    }

    /// A post, for whoever may read it (hidden ones for moderators only).
    public func post(_ id: Int64, by principal: Principal) async throws -> DiscussionPost {
        try await readablePost(id, by: principal).0
    }

    func readablePost(_ id: Int64, by principal: Principal) async throws
        -> (DiscussionPost, (space: DiscussionSpace, thread: DiscussionThread, posts: [DiscussionPost], following: String?))
    {
        guard let post = try await store.post(id: id) else { throw CatalogueError.postNotFound(id: id) }
        let found = try await thread(post.threadID, by: principal)
        guard let shown = found.posts.first(where: { $0.id == id }) else { throw CatalogueError.postNotFound(id: id) }
        return (shown, found)
    }

    static func reason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.checkLine(reason, field: "reason", limit: 500)
        guard !reason.isEmpty else { throw InputError.missingField(field: "reason") }
        return reason
    }
}
