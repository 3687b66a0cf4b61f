import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// Discussions on SQLite and PostgreSQL: a network's space made once, threads and posts, who is written to, a
/// locked thread taking no reply, posting limited per account, the site's secret made once.
@Suite struct DiscussionStoreTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test(arguments: Backend.available)
    func threadsPostsFollowersAndLimits(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let first = try await store.siteSecret("key") { "one" }
            let second = try await store.siteSecret("key") { "two" }
            #expect(first == "one" && second == "one", "made once")
            let space = try #require(try await store.discussionSpace(slug: "carin", network: Bilingual(en: "CARIN"), at: Self.start))
            #expect(try await store.discussionSpace(slug: "carin", network: Bilingual(en: "CARIN"), at: Self.start)?.id == space.id)
            #expect(try await store.discussionSpace(slug: "nowhere", network: nil, at: Self.start) == nil)
            let spaceID = try #require(space.id)
            try await store.follow(accountID: 2, spaceID: spaceID, threadID: nil, mode: "each", at: Self.start)
            try await store.follow(accountID: 3, spaceID: spaceID, threadID: nil, mode: "digest", at: Self.start)
            let post = DiscussionPost(threadID: 0, authorID: 1, authorName: "Ann", body: "Question?", createdAt: Self.start)
            let told = Told()
            let started = try #require(try await store.addPost(post, newThread: "A question", spaceID: spaceID, perHour: 3, at: Self.start) { _, _, followers in
                told.add(followers)
                return []
            })
            #expect(told.all == [[CatalogueStore.Follower(accountID: 2, mode: "each", throughSpace: true),
                                  CatalogueStore.Follower(accountID: 3, mode: "digest", throughSpace: true)]])
            #expect(try await store.following(accountID: 1, spaceID: nil, threadID: started.threadID) == "each", "the author follows their thread")
            // Ben replies: Ann (the thread) and the space's followers but Ben are told.
            var reply = post
            reply.threadID = started.threadID
            reply.authorID = 2
            _ = try await store.addPost(reply, newThread: nil, spaceID: spaceID, perHour: 3, at: Self.start) { _, _, followers in
                told.add(followers)
                return []
            }
            #expect(told.all.last?.map(\.accountID) == [1, 3])
            #expect(told.all.last?.map(\.throughSpace) == [false, true], "Ann follows the thread itself, Cy the space")
            // An author who chose the digest for their thread keeps it when they post again.
            try await store.follow(accountID: 2, spaceID: nil, threadID: started.threadID, mode: "digest", at: Self.start)
            _ = try await store.addPost(reply, newThread: nil, spaceID: spaceID, perHour: 3, at: Self.start) { _, _, _ in [] }
            #expect(try await store.following(accountID: 2, spaceID: nil, threadID: started.threadID) == "digest")
            #expect(try await store.thread(id: started.threadID)?.posts == 3)
            #expect(try await store.posts(threadID: started.threadID).map(\.authorID) == [1, 2, 2])
            // A post to a thread that is not there writes nothing, and does not count against the hour.
            var astray = reply
            astray.threadID = 999
            #expect(try await store.addPost(astray, newThread: nil, spaceID: spaceID, perHour: 3, at: Self.start) { _, _, _ in [] } == nil)
            // Three posts an hour: the fourth is refused.
            _ = try await store.addPost(reply, newThread: nil, spaceID: spaceID, perHour: 3, at: Self.start) { _, _, _ in [] }
            await #expect(throws: AccountError.self) {
                _ = try await store.addPost(reply, newThread: nil, spaceID: spaceID, perHour: 3, at: Self.start) { _, _, _ in [] }
            }
            #expect(try await store.threads(spaceID: spaceID, hidden: false, limit: 10, offset: 0).total == 1)
            // Ann stops following her thread: writing in it again does not make her follow it; following again does.
            try await store.follow(accountID: 1, spaceID: nil, threadID: started.threadID, mode: nil, at: Self.start)
            _ = try await store.addPost(reply.by(1), newThread: nil, spaceID: spaceID, perHour: 10, at: Self.start) { _, _, _ in [] }
            #expect(try await store.following(accountID: 1, spaceID: nil, threadID: started.threadID) == nil)
            try await store.follow(accountID: 1, spaceID: nil, threadID: started.threadID, mode: "each", at: Self.start)
            try await store.follow(accountID: 1, spaceID: nil, threadID: started.threadID, mode: "digest", at: Self.start)
            #expect(try await store.following(accountID: 1, spaceID: nil, threadID: started.threadID) == "digest")
            // One subscription per account and thread: the database refuses a second.
            await #expect(throws: (any Error).self) {
                try await store.driver.withDatabase { db in
                    try await db.raw("""
                        INSERT INTO discussion_subscriptions (account_id, space_id, thread_id, mode, created_at)
                        VALUES (1, NULL, \(bind: started.threadID), 'each', '2026-01-01T00:00:00.000Z')
                        """).run()
                }
            }
            // An announcement goes to every space given, in one transaction, and counts against no one's hour.
            let topic = try await store.createTopicSpace(DiscussionSpace(slug: "e-evidence", kind: .topic, name: Bilingual(en: "E-evidence")), at: Self.start)
            let spaces = [spaceID, try #require(topic.id)]
            #expect(try await store.announce(post, title: "Annual meeting", spaceIDs: spaces, at: Self.start) { _ in { _, _, _ in [] } } == 2)
            await #expect(throws: (any Error).self, "a space that is not there: none has it") {
                _ = try await store.announce(post, title: "Again", spaceIDs: spaces + [999_999], at: Self.start) { _ in { _, _, _ in [] } }
            }
            #expect(try await store.threads(spaceID: spaces[1], hidden: false, limit: 10, offset: 0).threads.map(\.title) == ["Annual meeting"])
            _ = try await store.addPost(post, newThread: "Still allowed", spaceID: spaceID, perHour: 3, at: Self.start) { _, _, _ in [] }
        }
    }
}

extension DiscussionPost {
    /// The same post by another author.
    func by(_ author: Int64) -> DiscussionPost {
        var post = self
        post.authorID = author
        return post
    }
}

/// The followers each notification was given.
final class Told: @unchecked Sendable {
    private let lock = NSLock()
    private var lists: [[CatalogueStore.Follower]] = []

    func add(_ followers: [CatalogueStore.Follower]) { lock.withLock { lists.append(followers) } }
    var all: [[CatalogueStore.Follower]] { lock.withLock { lists } }
}
