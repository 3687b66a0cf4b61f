import Foundation
import LiaisonCore
@testable import LiaisonServices
@testable import LiaisonStore
import Logging
import Synchronization
import Testing

/// `liaison backup` and `liaison restore`: a backup taken while edits stream in restores to the catalogue exactly as it
/// was at one revision; a database that holds anything is replaced only when asked; what is not a backup is refused.
@Suite struct BackupTests {
    let logger = Logger(label: "test")

    /// The catalogue as its data file says it, with its revision.
    static func state(_ catalogue: Catalogue) throws -> String {
        try catalogue.networks.sorted { $0.slug < $1.slug }.map { String(decoding: try JSONLines.line($0), as: UTF8.self) }.joined(separator: "\n")
    }

    @Test(arguments: Backend.available)
    func aBackupTakenDuringWritesRestoresToTheDatabaseAtOneRevision(backend: Backend) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("liaison.backup").path
        try await backend.withStore { store async throws in
            let live = try await LiveCatalogue.start(store: store, seed: true, logger: logger)
            let first = live.snapshot.revision
            let states = Mutex([first: try Self.state(live.snapshot)])
            let backupDone = Mutex(false)
            // A stream of edits, going on until the backup has been taken and five edits more.
            let writer = Task {
                var after = 0
                var i = 0
                while after < 5 {
                    i += 1
                    let before = try #require(live.snapshot.network(slug: "carin"))
                    var edited = before
                    edited.notes = "edit \(i)"
                    let seq = try await live.save(edited, change: try NetworkRevisionChange(action: .edited, before: before, after: edited),
                                                  actor: "test", reason: "stream")
                    let state = try Self.state(live.snapshot)
                    states.withLock { $0[seq] = state }
                    if backupDone.withLock({ $0 }) { after += 1 }
                }
            }
            while states.withLock({ $0.count }) < 5 { try await Task.sleep(for: .milliseconds(5)) }
            let report = try await Backups.backup(store.configuration, to: file, logger: logger)
            backupDone.withLock { $0 = true }
            try await writer.value
            let last = live.snapshot.revision
            #expect(report.revision > first && report.revision < last, "taken mid-stream: \(first) < \(report.revision) < \(last)")
            await #expect { try await Backups.backup(store.configuration, to: file, logger: logger) } throws: { "\($0)".contains("must not exist yet") }

            // Restored into an empty database: the catalogue as it was at the backup's revision.
            try await withEmptyDatabase(backend, folder: folder) { target async throws in
                let restored = try await Backups.restore(file, into: target, force: false, logger: logger)
                #expect(restored.revision == report.revision && restored.networks == 40)
                let catalogue = try await CatalogueStore.withOpened(target, logger: logger) { try await $0.loadCatalogue() }
                #expect(catalogue.revision == report.revision)
                let expected = try #require(states.withLock { $0[report.revision] })
                #expect(try Self.state(catalogue) == expected, "the catalogue exactly as at revision \(report.revision)")
                // Now that it holds something, restoring over it needs --force.
                await #expect { try await Backups.restore(file, into: target, force: false, logger: logger) } throws: {
                    "\($0)".contains("must be empty to restore into") && "\($0)".contains("--force")
                }
                #expect(try await Backups.restore(file, into: target, force: true, logger: logger).revision == report.revision)
            }
            // What is not a backup is refused, and the database is left as it was.
            let garbage = folder.appendingPathComponent("not-a-backup").path
            try Data("this is not a database\n".utf8).write(to: URL(fileURLWithPath: garbage))
            try await withEmptyDatabase(backend, folder: folder) { target async throws in
                await #expect { try await Backups.restore(garbage, into: target, force: false, logger: logger) } throws: {
                    "\($0)".hasPrefix("file:") && "\($0)".contains("must be")
                }
                #expect(try await DatabaseCopies.holdings(target, logger: logger).isEmpty)
            }
        }
    }

    /// Runs `body` with an empty database of the backend: a new SQLite file's place, or a new PostgreSQL database.
    func withEmptyDatabase(_ backend: Backend, folder: URL, _ body: (DatabaseConfiguration) async throws -> Void) async throws {
        switch backend {
        case .sqlite:
            try await body(.sqlite(path: folder.appendingPathComponent("restored-\(UUID().uuidString).sqlite").path))
        case .postgres:
            try await backend.withStore { empty in try await body(empty.configuration) }
        }
    }
}
