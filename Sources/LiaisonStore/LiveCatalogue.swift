import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LiaisonCore
import Logging
import Metrics
import Synchronization

/// The catalogue as the running application sees it: the store, and the current snapshot that
/// every read uses. A write goes to the store in one transaction, then the next snapshot is loaded
/// and swapped in whole.
public final class LiveCatalogue: Sendable {
    public let store: CatalogueStore
    private let current: Mutex<Catalogue>
    /// Whole loads from the store: one at a time, shared by everyone who asked while one was under way.
    private let loads = SnapshotLoads()
    /// How many whole loads were made (an edit of one network is swapped in without one).
    package var loadCount: Int { loadsMade.withLock { $0 } }
    private let loadsMade = Mutex(0)

    /// The snapshot to read from; hold on to it for the whole of a request.
    public var snapshot: Catalogue { current.withLock { $0 } }

    /// When the snapshot now read from was swapped in (its age, for the metrics).
    public var snapshotTakenIn: Date { takenIn.withLock { $0 } }
    private let takenIn = Mutex(Date())

    private func tookIn() {
        takenIn.withLock { $0 = Date() }
        Self.releaseFreedMemory()
    }

    private init(store: CatalogueStore, snapshot: Catalogue) {
        self.store = store
        self.current = Mutex(snapshot)
    }

    /// Migrates the database, loads the 2017 catalogue into a database that has never held data
    /// (when `seed` is true), and loads the snapshot: from the snapshot file when it holds a state of this database,
    /// else from the database, then (in the background) writes the file for the next start.
    public static func start(store: CatalogueStore, seed: Bool, logger: Logger) async throws -> LiveCatalogue {
        try await store.migrate()
        if seed { try await seedIfEmpty(store: store, logger: logger) }
        let started = ContinuousClock.now
        let (catalogue, source) = try await store.loadStartingCatalogue()
        let live = LiveCatalogue(store: store, snapshot: catalogue)
        Self.releaseFreedMemory()
        Self.recordLoad(since: started)
        let elapsed = (ContinuousClock.now - started).components
        let seconds = String(format: "%.1f s", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        logger.info("catalogue ready: \(live.snapshot.networks.count) networks, revision \(live.snapshot.revision), read from \(source.rawValue) in \(seconds)")
        if source.current {
            live.fileRevision.withLock { $0 = catalogue.revision }
        } else {
            live.writeSnapshotFileSoon(logger: logger)
        }
        return live
    }

    /// The revision the snapshot file holds, as far as this instance knows (0: none, or not known).
    private let fileRevision = Mutex<Int64>(0)
    /// The file being written in the background, if any.
    private let fileWriting = Mutex<Task<Void, Never>?>(nil)

    /// Writes the snapshot file in the background (a start that read the database: the next one will not need to).
    private func writeSnapshotFileSoon(logger: Logger) {
        guard store.snapshotFile != nil else { return }
        let task = Task.detached(priority: .background) { [self] in
            await writeSnapshotFileNow(logger: logger)
        }
        fileWriting.withLock { $0 = task }
    }

    /// Writes the current snapshot to the snapshot file unless the file holds it already (a server stopping: its next
    /// start reads it). Waits for a write under way first.
    public func writeSnapshotFile(logger: Logger) async {
        await finishWritingSnapshotFile()
        await writeSnapshotFileNow(logger: logger)
    }

    private func writeSnapshotFileNow(logger: Logger) async {
        let snapshot = self.snapshot
        guard store.snapshotFile != nil, fileRevision.withLock({ $0 }) != snapshot.revision else { return }
        let started = ContinuousClock.now
        do {
            if try await store.writeSnapshotFile(snapshot) {
                fileRevision.withLock { $0 = snapshot.revision }
                logger.info("snapshot file written: revision \(snapshot.revision), \(snapshot.networks.count) networks, in \(ContinuousClock.now - started)")
            }
        } catch is CancellationError {
            logger.info("snapshot file not written: stopped")
        } catch {
            logger.warning("snapshot file not written: \(String(describing: error))")
        }
    }

    /// Stops a background write of the snapshot file and waits until it has stopped (a command ending: the file stays
    /// as it was, and the next start writes it).
    public func stopWritingSnapshotFile() async {
        guard let task = fileWriting.withLock({ $0 }) else { return }
        task.cancel()
        await task.value
    }

    /// Waits for a background write of the snapshot file to end (tests, a stopping server).
    public func finishWritingSnapshotFile() async {
        await fileWriting.withLock({ $0 })?.value
    }

    /// Loads the 2017 catalogue into a migrated database that has never held data; does nothing otherwise.
    public static func seedIfEmpty(store: CatalogueStore, logger: Logger) async throws {
        guard try await store.revisions(limit: 1).isEmpty else { return }
        let networks = try CatalogueFile.catalogue2017().networks()
        let summary = try await store.importNetworks(networks, actor: Revision.seedActor, reason: Revision.seedReason)
        logger.info("loaded the 2017 catalogue: \(summary.created) networks, \(summary.memberships) memberships")
    }

    /// A network as a form shows it (nil when there is none), with the revision it is at: the snapshot is brought up
    /// to that revision first (a save committed but not yet swapped in would otherwise pair old content with the new
    /// number, and a save on that number would undo the change).
    public func entry(slug: String) async throws -> (Network?, Int64) {
        let revision = try await store.latestRevision(ofNetwork: slug)
        if snapshot.revision < revision { try await reload() }
        return (snapshot.network(slug: slug), revision)
    }

    /// Imports networks (one transaction) and swaps in the snapshot that includes them.
    @discardableResult
    public func importNetworks(_ networks: [Network], actor: String, reason: String) async throws -> ImportSummary {
        let summary = try await store.importNetworks(networks, actor: actor, reason: reason)
        try await reload()
        return summary
    }

    /// Saves an edited network (one transaction, one revision) and swaps in the snapshot that includes it. When the
    /// snapshot is the catalogue as it was right before the save (nothing else written in between), the next one is
    /// built in memory from it, with the one network replaced; otherwise it is loaded from the store.
    @discardableResult
    public func save(_ network: Network, change: NetworkRevisionChange, actor: String, reason: String, expected: Int64? = nil,
                     at date: Date = Date()) async throws -> Int64 {
        let (seq, previous) = try await store.saveNetwork(network, change: change, actor: actor, reason: reason, expected: expected, at: date)
        try await swapIn(network, seq: seq, previous: previous, at: date)
        return seq
    }

    /// Accepts a proposal (one transaction: the proposal decided, the network written, the two linked) and swaps in
    /// the snapshot that includes it. `change`: an edit of the network as stored at revision `expected`; nil: a new
    /// network.
    @discardableResult
    public func acceptProposal(_ id: Int64, network: Network, change: NetworkRevisionChange?, actor: String, reason: String, expected: Int64?,
                               decidedBy editor: String, at date: Date = Date(), mail: [MailMessage] = []) async throws -> Int64 {
        let (seq, previous) = try await store.acceptProposal(id, network: network, change: change, actor: actor, reason: reason,
                                                             expected: expected, decidedBy: editor, at: date, mail: mail)
        if change != nil {
            try await swapIn(network, seq: seq, previous: previous, at: date)
        } else {
            try await reload()
        }
        return seq
    }

    /// The snapshot after one network's save: built in memory from the current one when nothing else was written in
    /// between, loaded otherwise.
    private func swapIn(_ network: Network, seq: Int64, previous: Int64, at date: Date) async throws {
        let base = snapshot
        if base.revision == previous, seq == previous + 1 {
            // The date as the store keeps it, so that the snapshot is what a load would give.
            let next = base.replacing(network, revision: seq, changedAt: Timestamp.date(Timestamp.string(date)) ?? date)
            let swapped = current.withLock { now -> Bool in
                if now.revision == base.revision { now = next }
                // A newer snapshot (a load that finished meanwhile) includes this save already.
                return now.revision >= seq
            }
            if swapped {
                tookIn()
                return
            }
        }
        try await reload()
    }

    /// Removes a network (with its revision) and swaps in the snapshot without it.
    public func delete(slug: String, actor: String, reason: String) async throws {
        try await store.deleteNetwork(slug: slug, actor: actor, reason: reason)
        try await reload()
    }

    /// Loads the snapshot again when the store holds revisions it lacks (written by another instance sharing the
    /// database, or by the command line); true when it did.
    ///
    /// When those revisions only edited a few networks (the usual case: another instance's saves), the next snapshot is
    /// built in memory from the current one with those networks as stored now; otherwise the whole catalogue is loaded.
    @discardableResult
    public func follow() async throws -> Bool {
        let base = snapshot
        guard try await store.latestRevision() > base.revision else { return false }
        if let edits = try await store.editsSince(base.revision), edits.revision > base.revision,
           edits.networks.allSatisfy({ base.network(slug: $0.slug) != nil }) {
            var next = base
            for network in edits.networks {
                next = next.replacing(network, revision: edits.revision, changedAt: edits.lastChanged[network.slug] ?? .distantPast)
            }
            let swapped = current.withLock { now -> Bool in
                guard now.revision == base.revision else { return now.revision >= edits.revision }
                now = next
                return true
            }
            if swapped {
                tookIn()
                return true
            }
        }
        try await reload()
        return true
    }

    /// Loads the snapshot from the store again and swaps it in: returns once a load that began after the call has
    /// been swapped in. Loads run one at a time, and those who ask while one is under way share the next one: a
    /// burst of writes costs two loads, not one each (each holds a whole catalogue in memory while it is built).
    public func reload() async throws {
        try await loads.request { [self] in
            loadsMade.withLock { $0 += 1 }
            let started = ContinuousClock.now
            let next = try await store.loadCatalogue()
            Self.recordLoad(since: started)
            // A snapshot built in memory after a save may be newer already: the newer snapshot stays.
            current.withLock { if next.revision >= $0.revision { $0 = next } }
            tookIn()
        }
    }

    /// How long a whole load took, for the metrics.
    private static func recordLoad(since started: ContinuousClock.Instant) {
        let took = (ContinuousClock.now - started).components
        Timer(label: "liaison_snapshot_load_seconds").recordNanoseconds(took.seconds * 1_000_000_000 + took.attoseconds / 1_000_000_000)
    }

    /// Building a snapshot allocates and frees a great deal on several threads; glibc keeps what was freed
    /// in each thread's arena. Handing it back keeps the resident size close to what the snapshot holds.
    private static func releaseFreedMemory() {
        #if canImport(Glibc)
        // `malloc_trim` is glibc's (malloc.h, outside Swift's Glibc module): looked up once by name.
        typealias Trim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(nil, "malloc_trim") { _ = unsafeBitCast(symbol, to: Trim.self)(0) }
        #endif
    }
}

/// Whole loads, one at a time. Each request is served by a load that starts after it was made: a request made while
/// a load runs waits for the next one, which serves every request made until it starts.
actor SnapshotLoads {
    private var requested = 0
    private var completed = 0
    private var running = false
    private var waiting: [(generation: Int, continuation: CheckedContinuation<Void, any Error>)] = []

    func request(_ load: @escaping @Sendable () async throws -> Void) async throws {
        requested += 1
        let generation = requested
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((generation, continuation))
            if !running {
                running = true
                Task { await self.run(load) }
            }
        }
    }

    private func run(_ load: @escaping @Sendable () async throws -> Void) async {
        while completed < requested {
            let target = requested
            var failure: (any Error)?
            do { try await load() } catch { failure = error }
            completed = target
            let served = waiting.filter { $0.generation <= target }
            waiting.removeAll { $0.generation <= target }
            for waiter in served {
                if let failure { waiter.continuation.resume(throwing: failure) } else { waiter.continuation.resume() }
            }
        }
        running = false
    }
}
