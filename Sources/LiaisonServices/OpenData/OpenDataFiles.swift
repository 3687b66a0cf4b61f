import CompressNIO
import Crypto
import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import NIOCore
import Synchronization

/// The catalogue's open-data files (`OpenDataFile`) as `/data` serves them: written to disk once per revision of the
/// catalogue, each beside its gzip, with a manifest of their sizes and entity tags — a request never builds a file,
/// and a large catalogue is written a network at a time, never held whole as text. While the files of a newer
/// revision are being written, those of the last one are served (the page says which revision they are of).
public final class OpenDataFiles: Sendable {
    /// One file as written.
    public struct File: Sendable, Codable, Equatable {
        public let name: String
        public let size: Int
        public let gzipSize: Int
        /// A strong entity tag of the content (`"…"`, quotes included); the gzip's is this one with `-gzip` inside.
        public let etag: String
        public var gzipETag: String { String(etag.dropLast()) + "-gzip\"" }
    }

    /// The files of one revision of the catalogue.
    public struct Release: Sendable, Codable, Equatable {
        public let revision: Int64
        /// When the catalogue last changed as of that revision (the files' `Last-Modified`).
        public let modified: Date
        public let networks: Int
        public let memberships: Int
        public let files: [File]
        /// Where they are.
        public let folder: String

        public func file(_ kind: OpenDataFile) -> File? { files.first { $0.name == kind.rawValue } }
        public func path(_ kind: OpenDataFile, gzip: Bool) -> String { folder + "/" + kind.rawValue + (gzip ? ".gz" : "") }
    }

    let directory: URL
    let catalogue: LiveCatalogue
    let site: String
    let logger: Logger
    private let state = Mutex<State>(State())

    private struct State {
        var latest: Release?
        /// One build at a time (each holds its snapshot and writes every file): a newer revision waits for it.
        var building: (revision: Int64, task: Task<Release, any Error>)?
        /// When the last build failed (a full disk): no new one before `retryAfter` has passed.
        var failedAt: ContinuousClock.Instant?
    }

    /// What changes the files' bytes besides the catalogue: bumped when a file's format changes, so that files
    /// written by an earlier version are written again (with the site's address, part of each folder's name).
    static let formatVersion = 2
    static let retryAfter: Duration = .seconds(60)
    /// How long the folders of earlier releases stay: a download under way, or another instance on the same folder
    /// still at an earlier revision, keeps reading them.
    static let grace: TimeInterval = 15 * 60

    public init(directory: URL, catalogue: LiveCatalogue, site: String, logger: Logger = Logger(label: "liaison.open-data")) {
        self.directory = directory
        self.catalogue = catalogue
        self.site = site
        self.logger = logger
    }

    /// How long a request waits for the files of a new revision before it is given the last ones.
    static let patience: Duration = .seconds(2)

    /// The files to serve: those of the current revision, waited for up to `patience` while they are written (a
    /// small catalogue's are written in milliseconds), else the last ones; the first call after a start waits for
    /// them (or finds them on disk, written before).
    public func release() async throws -> Release {
        let snapshot = catalogue.snapshot
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: Self.patience)
        while true {
            let (latest, task) = join(snapshot)
            guard let task else { return latest! }
            guard let latest else {
                // None written yet: this one is waited for whole (then, if it was of an earlier revision, ours).
                _ = try await task.value
                continue
            }
            while clock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
                if let written = state.withLock({ $0.latest }), written.revision >= snapshot.revision { return written }
                if state.withLock({ $0.building == nil }) { break }
            }
            // Out of patience: the last ones. (Else a build of an earlier revision ended: ours starts on the next turn.)
            if clock.now >= deadline { return state.withLock { $0.latest } ?? latest }
        }
    }

    /// The files of `snapshot` if written (nil task), else the build to wait for: the one under way (of this revision
    /// or an earlier one: never two at once), or a new one — unless the last failed less than `retryAfter` ago and
    /// there are files to serve meanwhile.
    private func join(_ snapshot: Catalogue) -> (Release?, Task<Release, any Error>?) {
        state.withLock { state -> (Release?, Task<Release, any Error>?) in
            if let latest = state.latest, latest.revision >= snapshot.revision { return (latest, nil) }
            if let building = state.building { return (state.latest, building.task) }
            if let failed = state.failedAt, failed.duration(to: .now) < Self.retryAfter, let latest = state.latest { return (latest, nil) }
            let task = Task.detached(priority: .utility) { [self] in try await self.build(snapshot) }
            state.building = (snapshot.revision, task)
            return (state.latest, task)
        }
    }

    /// Writes (or finds written) the files of `snapshot`, and makes them the latest.
    private func build(_ snapshot: Catalogue) async throws -> Release {
        let release: Release
        do {
            // The latest time of the revisions it includes: a removal changes the files without changing any
            // network's date, and a revision may carry an earlier time than one before it.
            let modified = try await catalogue.store.latestRevisionTime(upTo: snapshot.revision) ?? Date(timeIntervalSince1970: 0)
            release = try Self.write(snapshot, modified: modified, into: directory, site: site)
        } catch {
            state.withLock {
                $0.building = nil
                $0.failedAt = .now
            }
            logger.error("open data: the files of revision \(snapshot.revision) could not be written: \(error)")
            throw error
        }
        let (current, replaced) = state.withLock { state -> (Release, Release?) in
            var replaced: Release?
            if (state.latest?.revision ?? -1) < release.revision {
                replaced = state.latest
                state.latest = release
            }
            state.building = nil
            state.failedAt = nil
            return (state.latest ?? release, replaced)
        }
        if let replaced, replaced.folder != current.folder { Self.retire(replaced.folder) }
        Self.removeOld(in: directory, keeping: current.folder)
        return release
    }

    /// The folder of a revision's files: its number, and a key of what else its bytes depend on (the format, the
    /// site's address, the revision's time: a database restored or seeded again reuses numbers for other content).
    static func folder(_ revision: Int64, modified: Date, site: String, in directory: URL) -> URL {
        let key = SHA256.hash(data: Data("\(formatVersion)|\(site)|\(modified.timeIntervalSince1970)".utf8))
            .prefix(8).map { String(format: "%02x", $0) }.joined()
        return directory.appendingPathComponent("r\(revision)-\(key)", isDirectory: true)
    }

    /// Writes every file of `snapshot` into a new folder, then moves it into place whole (`r{revision}`); when the
    /// folder is there already (written before, or by another instance), reads its manifest instead.
    static func write(_ snapshot: Catalogue, modified: Date, into directory: URL, site: String) throws -> Release {
        let fileManager = FileManager.default
        let target = folder(snapshot.revision, modified: modified, site: site, in: directory)
        if let found = try? manifest(in: target) { return found }
        try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        let building = directory.appendingPathComponent(".building-\(UUID().uuidString)", isDirectory: true)
        try fileManager.createDirectory(at: building, withIntermediateDirectories: false)
        defer { try? fileManager.removeItem(at: building) }
        var files: [File] = []
        for kind in OpenDataFile.allCases {
            files.append(try writeFile(kind, snapshot, site: site, to: building))
        }
        let release = Release(revision: snapshot.revision, modified: modified,
                              networks: snapshot.networks.count, memberships: snapshot.membershipCount, files: files, folder: target.path)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(release).write(to: building.appendingPathComponent("manifest.json"))
        do {
            try fileManager.moveItem(at: building, to: target)
        } catch {
            // Another instance moved its own into place first: the same revision, the same content.
            if let found = try? manifest(in: target) { return found }
            throw error
        }
        return release
    }

    /// One file and its gzip, written a piece at a time, with the entity tag of its content.
    static func writeFile(_ kind: OpenDataFile, _ snapshot: Catalogue, site: String, to folder: URL) throws -> File {
        let plainURL = folder.appendingPathComponent(kind.rawValue)
        let gzipURL = folder.appendingPathComponent(kind.rawValue + ".gz")
        FileManager.default.createFile(atPath: plainURL.path, contents: nil)
        FileManager.default.createFile(atPath: gzipURL.path, contents: nil)
        let plain = try FileHandle(forWritingTo: plainURL)
        let gzip = try FileHandle(forWritingTo: gzipURL)
        defer {
            try? plain.close()
            try? gzip.close()
        }
        let compressor = try ZlibCompressor(algorithm: .gzip)
        var window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        var hash = SHA256()
        var (size, gzipSize) = (0, 0)
        var pending = Data()
        func compress(_ data: Data, flush: CompressNIOFlush) throws {
            var buffer = ByteBuffer(bytes: data)
            try buffer.compressStream(with: compressor, window: &window, flush: flush) { out in
                let bytes = Data(out.readableBytesView)
                gzipSize += bytes.count
                try gzip.write(contentsOf: bytes)
            }
        }
        func flush() throws {
            guard !pending.isEmpty else { return }
            try plain.write(contentsOf: pending)
            hash.update(data: pending)
            size += pending.count
            try compress(pending, flush: .no)
            pending.removeAll(keepingCapacity: true)
        }
        try kind.write(snapshot, site: site) { piece in
            pending.append(piece)
            if pending.count >= 256 * 1024 { try flush() }
        }
        try flush()
        try compress(Data(), flush: .finish)
        let digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
        return File(name: kind.rawValue, size: size, gzipSize: gzipSize, etag: "\"\(digest.prefix(32))\"")
    }

    static func manifest(in folder: URL) throws -> Release {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let release = try decoder.decode(Release.self, from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        // Found where it is now (the folder moved into place from where it was written).
        return Release(revision: release.revision, modified: release.modified, networks: release.networks, memberships: release.memberships,
                       files: release.files, folder: folder.path)
    }

    /// Marks a folder as no longer the latest: its grace runs from now, not from when it was written (a folder current
    /// for an hour would otherwise go the moment a newer one is written, under a download started a second before).
    static func retire(_ folder: String, at date: Date = Date()) {
        try? FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: folder)
    }

    /// Removes the folders (and half-written ones a crash left) other than `kept` that have not changed for `grace`:
    /// a download under way, or another instance still at an earlier revision, keeps its folder that long.
    static func removeOld(in directory: URL, keeping kept: String, now: Date = Date()) {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix("r") || name.hasPrefix(".building-") {
            let url = directory.appendingPathComponent(name)
            guard url.path != kept, let changed = (try? fileManager.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
                  now.timeIntervalSince(changed) > grace else { continue }
            try? fileManager.removeItem(at: url)
        }
    }
}
