import Foundation
import LiaisonCore
import Logging
import SQLKit

/// The catalogue's snapshot file (`SnapshotFile`): where a start finds the catalogue without reading it from the
/// database, when the file holds a state the database went through.
///
/// The file is trusted only when its key is the key of the revision of the same number in the database now (its
/// date, what it changed, the schema and Liaison's version): a database restored, migrated or upgraded does not match
/// a file of its earlier state. Revisions after it that only edited networks are read from the database and applied;
/// anything else, and any file that is missing, of another state, or damaged, means a whole load.
extension CatalogueStore {
    /// The key of the database's state at revision `seq` (its date, what it changed and the fingerprint of the change, the
    /// schema, Liaison's version); nil when there is no such revision.
    func snapshotKey(at seq: Int64) async throws -> SnapshotFile.Key? {
        try await driver.withDatabase { db in
            guard let row = try await db.raw("""
                SELECT seq, entity, entity_id, action, at, change FROM revisions WHERE seq = \(bind: seq)
                """).first() else { return nil }
            let schema = try await db.raw("SELECT MAX(version) AS version FROM schema_migrations").first()?.decode(column: "version", as: Int?.self) ?? 0
            let parts = [try row.decode(column: "at", as: String.self), try row.decode(column: "entity", as: String.self),
                         try row.decode(column: "entity_id", as: String.self), try row.decode(column: "action", as: String?.self) ?? "-",
                         "change " + SnapshotFile.fingerprint(try row.decode(column: "change", as: String.self)),
                         "schema \(schema)", "liaison \(LiaisonCoreVersion.value)"]
            return SnapshotFile.Key(revision: seq, tag: parts.joined(separator: " "))
        }
    }

    /// Where a start's catalogue came from.
    public enum StartingSource: String, Sendable {
        case database = "the database"
        case file = "the snapshot file"
        case fileAndEdits = "the snapshot file and the edits since"
        case fileIndexedAgain = "the snapshot file, its search index made again"

        /// Whether the file held the latest state as this build writes it (if not, it is written again).
        public var current: Bool { self == .file }
    }

    /// The catalogue for a start: from the snapshot file when it holds a state of this database (brought up to date
    /// with the edits made since), else a whole load; `source` says which way it went.
    public func loadStartingCatalogue() async throws -> (catalogue: Catalogue, source: StartingSource) {
        if let path = snapshotFile {
            do {
                if let started = try await catalogueFromFile(path) { return started }
            } catch let error as SnapshotFile.Unreadable {
                logger.warning("snapshot file \(path): \(error.reason); reading the catalogue from the database")
            } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
                logger.info("snapshot file \(path) not found (or not readable); reading the catalogue from the database")
            } catch let error as DatabaseUnavailable {
                throw error
            } catch {
                logger.warning("snapshot file \(path) could not be read (\(String(describing: error))); reading the catalogue from the database")
            }
        }
        return (try await loadCatalogue(), .database)
    }

    /// The file's catalogue with the edits since, or nil (said in the log) when it is of another state.
    private func catalogueFromFile(_ path: String) async throws -> (Catalogue, StartingSource)? {
        let header = try Self.readHeader(path)
        let fileKey = try SnapshotFile.key(ofHeader: header)
        guard let stored = try await snapshotKey(at: fileKey.revision), stored == fileKey else {
            logger.info("snapshot file \(path) holds \(fileKey), which this database does not have; reading the catalogue from the database")
            return nil
        }
        let mapped = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let contents = try mapped.withUnsafeBytes { try SnapshotFile.decode($0.bindMemory(to: UInt8.self)) }
        var catalogue = Catalogue(contents)
        // (A file whose index was not used is not current: written again, the next start uses it.)
        let source: StartingSource = contents.search == nil ? .fileIndexedAgain : .file
        let latest = try await latestRevision()
        guard latest > catalogue.revision else { return (catalogue, source) }
        // Written before the latest revisions: those that edited networks are taken in as an instance takes in another's.
        guard let edits = try await editsSince(catalogue.revision, limit: Self.editsTakenIntoAFile),
              edits.networks.allSatisfy({ catalogue.network(slug: $0.slug) != nil }) else {
            logger.info("snapshot file \(path) holds revision \(catalogue.revision); the database has more than edits since; reading it from the database")
            return nil
        }
        for network in edits.networks {
            catalogue = catalogue.replacing(network, revision: edits.revision, changedAt: edits.lastChanged[network.slug] ?? .distantPast)
        }
        return (catalogue, .fileAndEdits)
    }

    /// How many edited networks a start takes in after the file's revision before a whole load is quicker.
    static let editsTakenIntoAFile = 2_000

    private static func readHeader(_ path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileReadNoSuchFile) }
        defer { try? handle.close() }
        return Array(try handle.read(upToCount: 64 * 1024) ?? Data())
    }

    /// Writes `catalogue` to the snapshot file (a temporary file beside it, synced, then put in its place), keyed to the
    /// database's state at its revision. False when there is no file to write, or the database no longer has that
    /// revision (restored meanwhile). Stops early, leaving the old file, when the task is cancelled.
    @discardableResult
    public nonisolated func writeSnapshotFile(_ catalogue: Catalogue) async throws -> Bool {
        guard let path = snapshotFile, catalogue.revision > 0, let key = try await snapshotKey(at: catalogue.revision) else { return false }
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp"
        // (With PostgreSQL the data directory may hold nothing else yet.)
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        do {
            defer { try? handle.close() }
            try SnapshotFile.write(key: key, networks: catalogue.networks, lastChanged: catalogue.lastChanged, search: catalogue.searchIndex,
                                   to: handle) {
                try Task.checkCancellation()
            }
            try handle.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)])
        }
        return true
    }
}
