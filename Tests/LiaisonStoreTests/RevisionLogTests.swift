import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// Each revision says what it did, in a column of its own, on both databases.
@Suite struct RevisionLogTests {
    @Test(arguments: Backend.available)
    func everyRevisionSaysWhatItDid(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let carin = try #require(CatalogueStoreTests.catalogue2017.first { $0.slug == "carin" })
            try await store.importNetworks([carin], actor: "test", reason: "load")
            try await store.importNetworks([carin], actor: "test", reason: "again")
            var edited = carin
            edited.notes = "A note"
            let first = try await store.latestRevision(ofNetwork: "carin")
            try await store.saveNetwork(edited, change: try NetworkRevisionChange(action: .edited, before: carin, after: edited), actor: "ed",
                                        reason: "note", expected: first)
            try await store.saveNetwork(carin, change: try NetworkRevisionChange(action: .restored, before: edited, after: carin, restoredFrom: first + 1),
                                        actor: "ed", reason: "undo", expected: first + 1)
            try await store.deleteNetwork(slug: "carin", actor: "ed", reason: "gone")
            let actions = try await store.history(ofNetwork: "carin").map(\.action)
            #expect(actions == [.deleted, .restored, .edited, .replaced, .created])
        }
    }
}
