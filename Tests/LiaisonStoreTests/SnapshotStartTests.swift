import Foundation
@testable import LiaisonCore
@testable import LiaisonStore
import Logging
import Testing

/// A start reads the catalogue from the snapshot file when, and only when, the file holds a state of the database:
/// what it gives is what a whole load gives, on both backends, whatever happened to the file or the database.
@Suite struct SnapshotStartTests {
    let logger = Logger(label: "test")

    /// What a start must give: the catalogue a whole load gives.
    static func same(_ a: Catalogue, _ b: Catalogue) -> Bool {
        let differences = [a.networks == b.networks ? nil : "networks \(Set(a.networks).symmetricDifference(b.networks).map(\.slug))",
                           a.revision == b.revision ? nil : "revision \(a.revision) \(b.revision)",
                           a.lastChanged == b.lastChanged ? nil : "last changed \(a.lastChanged) \(b.lastChanged)",
                           a.membershipCount == b.membershipCount ? nil : "memberships",
                           a.searchIndex.words == b.searchIndex.words && a.searchIndex.wholeNames == b.searchIndex.wholeNames
                               && a.searchIndex.postings.map { $0.map(\.packedValue) } == b.searchIndex.postings.map { $0.map(\.packedValue) }
                               ? nil : "search index"].compactMap { $0 }
        if !differences.isEmpty { Issue.record("the catalogues differ: \(differences)") }
        return differences.isEmpty
    }

    func edit(_ live: LiveCatalogue, _ slug: String, notes: String) async throws {
        let before = try #require(live.snapshot.network(slug: slug))
        var after = before
        after.notes = notes
        after.groups[0].entries.append(MemberEntry(printed: "Ghana", partyID: "GH", note: notes))
        try await live.save(after, change: try NetworkRevisionChange(action: .edited, before: before, after: after), actor: "test", reason: "test")
    }

    @Test(arguments: Backend.available)
    func aStartReadsTheFileOnlyWhenItHoldsAStateOfTheDatabase(backend: Backend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-snapshot-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // In a folder that does not exist yet (as a PostgreSQL deployment's data directory may not): the write makes it.
        let path = folder.appendingPathComponent("catalogue.snapshot").path
        try await backend.withStore { plain async throws in
            try await CatalogueStore.withOpened(plain.configuration, snapshotFile: path, logger: logger) { store async throws in
                // No file: a whole load, and the file written in the background.
                let live = try await LiveCatalogue.start(store: store, seed: true, logger: logger)
                await live.finishWritingSnapshotFile()
                #expect(FileManager.default.fileExists(atPath: path))
                let start = try await store.loadStartingCatalogue()
                #expect(start.source == .file)
                let wholeStart = try await store.loadCatalogue()
                #expect(Self.same(start.catalogue, wholeStart))
                #expect(start.catalogue.membershipCount > 500, "the 2017 catalogue with its members")

                // Edits since the file: taken in from the database.
                try await edit(live, "carin", notes: "edited once")
                try await edit(live, "ejn", notes: "edited twice")
                let edited = try await store.loadStartingCatalogue()
                #expect(edited.source == .fileAndEdits)
                let wholeEdited = try await store.loadCatalogue()
                #expect(Self.same(edited.catalogue, wholeEdited))
                #expect(edited.catalogue.network(slug: "carin")?.notes == "edited once")

                // Written again (as a stopping server does), then read as the latest state.
                await live.writeSnapshotFile(logger: logger)
                #expect(try await store.loadStartingCatalogue().source == .file)
                await live.writeSnapshotFile(logger: logger)

                // A network added since: more than edits, so a whole load.
                var added = Network(slug: "added-since", name: "Added Since Network", section: .european, scope: .europe)
                added.groups = [MemberGroup(role: .member, text: "Spain", entries: [MemberEntry(printed: "Spain", partyID: "ES")])]
                try await live.importNetworks([added], actor: "test", reason: "test")
                let grown = try await store.loadStartingCatalogue()
                let whole = try await store.loadCatalogue()
                #expect(grown.source == .database && Self.same(grown.catalogue, whole))
                #expect(grown.catalogue.network(slug: "added-since") != nil)

                // A damaged file: refused, a whole load; any single byte changed anywhere is caught.
                await live.writeSnapshotFile(logger: logger)
                let good = try Data(contentsOf: URL(fileURLWithPath: path))
                for position in [0, 17, 40, good.count / 2, good.count - 1] {
                    var damaged = good
                    damaged[position] ^= 0x01
                    try damaged.write(to: URL(fileURLWithPath: path))
                    let read = try await store.loadStartingCatalogue()
                    #expect(read.source == .database && Self.same(read.catalogue, whole), "byte \(position) changed")
                }
                try good.prefix(good.count / 3).write(to: URL(fileURLWithPath: path))
                #expect(try await store.loadStartingCatalogue().source == .database, "a file cut short")
                try Data().write(to: URL(fileURLWithPath: path))
                #expect(try await store.loadStartingCatalogue().source == .database, "an empty file")
                try FileManager.default.removeItem(atPath: path)
                #expect(try await store.loadStartingCatalogue().source == .database, "no file")

                // The file of another database whose log has the same numbers: refused.
                try good.write(to: URL(fileURLWithPath: path))
                try await backend.withStore { other async throws in
                    try await CatalogueStore.withOpened(other.configuration, snapshotFile: path, logger: logger) { otherStore async throws in
                        let otherLive = try await LiveCatalogue.start(store: otherStore, seed: true, logger: logger)
                        await otherLive.stopWritingSnapshotFile()
                        try good.write(to: URL(fileURLWithPath: path))
                        try await edit(otherLive, "carin", notes: "another once")
                        try await edit(otherLive, "ejn", notes: "another twice")
                        var another = added
                        another.name = "Another Added Network"
                        try await otherLive.importNetworks([another], actor: "test", reason: "test")
                        #expect(try await otherStore.latestRevision() == live.snapshot.revision, "the same revision numbers")
                        let read = try await otherStore.loadStartingCatalogue()
                        #expect(read.source == .database && read.catalogue.network(slug: "added-since")?.name == "Another Added Network")
                    }
                }

                // A background write stopped midway leaves the file as it was and nothing beside it.
                try await edit(live, "carin", notes: "edited again")
                let stopping = Task { await live.writeSnapshotFile(logger: logger) }
                stopping.cancel()
                await stopping.value
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasSuffix(".tmp") })
                let last = try await store.loadStartingCatalogue().catalogue
                let wholeLast = try await store.loadCatalogue()
                #expect(Self.same(last, wholeLast))
            }
        }
    }
}
