import Foundation
import LiaisonCore
@testable import LiaisonServices
@testable import LiaisonStore
import Logging
import Testing

/// Two instances on one PostgreSQL database: an edit made through one reaches the other's snapshot by the notice its
/// transaction sends — the second instance's own look is set to an hour, so nothing else can bring it — and after the
/// listening connection is lost, it is opened again and an edit reaches it again. How fast (within a second) is
/// asserted with two real processes and nothing else running, in e2e/test_cluster.py: in this process the tests of
/// every suite share two threads, and a wait here says more about them than about the notice.
@Suite struct FollowTests {
    @Test(.enabled(if: Backend.postgresURL != nil, "needs LIAISON_TEST_POSTGRES_URL"))
    func aSecondInstanceIsToldOfEachEditAndAgainAfterALostConnection() async throws {
        try await Backend.postgres.withStore { store async throws in
            let logger = Logger(label: "test")
            let one = try await LiveCatalogue.start(store: store, seed: true, logger: logger)
            // The second instance: its own connections, its own snapshot, its own follower.
            try await CatalogueStore.withOpened(store.configuration, logger: logger) { otherStore async throws in
                let two = try await LiveCatalogue.start(store: otherStore, seed: false, logger: logger)
                let follower = CatalogueFollower(catalogue: two, logger: logger, retry: .milliseconds(200), interval: .seconds(3600))
                let following = Task { try await follower.run() }
                defer { following.cancel() }
                // Past the follower's first look, which happens at once.
                try await Task.sleep(for: .milliseconds(500))
                var waits: [Duration] = []
                for i in 1...5 {
                    let before = try #require(one.snapshot.network(slug: "carin"))
                    var after = before
                    after.notes = "edit \(i) through instance one"
                    let clock = ContinuousClock()
                    // From the moment the edit is acknowledged (committed, and its notice sent).
                    let seq = try await one.save(after, change: try NetworkRevisionChange(action: .edited, before: before, after: after), actor: "test", reason: "x")
                    let start = clock.now
                    while two.snapshot.revision < seq, clock.now - start < .seconds(30) { try await Task.sleep(for: .milliseconds(5)) }
                    waits.append(clock.now - start)
                    #expect(two.snapshot.network(slug: "carin")?.notes == after.notes)
                }
                #expect(waits.allSatisfy { $0 < .seconds(30) }, "each edit told to the other instance: \(waits)")
                // The listening connection is cut by the server: listening starts again, and an edit is seen within a second.
                let admin = try await SQLDriver.open(store.configuration, logger: logger)
                try await admin.withDatabase { db in
                    try await db.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()").run()
                }
                try await admin.close()
                try await Task.sleep(for: .milliseconds(600))
                let before = try #require(one.snapshot.network(slug: "carin"))
                var after = before
                after.notes = "after the connection was cut"
                let seq = try await one.save(after, change: try NetworkRevisionChange(action: .edited, before: before, after: after), actor: "test", reason: "x")
                let start = ContinuousClock.now
                while two.snapshot.revision < seq, ContinuousClock.now - start < .seconds(30) { try await Task.sleep(for: .milliseconds(5)) }
                #expect(two.snapshot.network(slug: "carin")?.notes == after.notes, "told again after the connection was cut")
                following.cancel()
                _ = try? await following.value
            }
        }
    }
}
