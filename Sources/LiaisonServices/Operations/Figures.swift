import Foundation
import LiaisonCore
import LiaisonStore

/// What an operator watches that is read when asked rather than counted as it happens: the snapshot's revision and
/// when it was taken in, the outbox.
public struct OperationalFigures: Sendable {
    public let revision: Int64
    public let snapshotTakenIn: Date
    /// Nil when the database could not be read.
    public let outboxQueued: Int?
    public let outboxFailed: Int?
}

extension Services {
    public func operationalFigures() async -> OperationalFigures {
        let outbox = try? await store.outboxCounts()
        return OperationalFigures(revision: catalogue.snapshot.revision, snapshotTakenIn: catalogue.snapshotTakenIn,
                                  outboxQueued: outbox?.queued, outboxFailed: outbox?.failed)
    }
}
