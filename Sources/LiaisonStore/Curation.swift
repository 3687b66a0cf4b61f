import Foundation
import LiaisonCore
import SQLKit

/// Edits of the catalogue: each save one transaction and one revision that keeps the network before and after.
extension CatalogueStore {
    /// Saves an edited network (or a restored state) with its revision; returns the revision's number, and the
    /// catalogue's latest revision just before it (when it is one less, nothing else was written in between).
    /// `expected`: the network's latest revision when the editor opened it; a save on top of a newer one is refused
    /// (two people editing at once, or an import meanwhile), so that nobody silently undoes another's change.
    @discardableResult
    public func saveNetwork(_ network: Network, change: NetworkRevisionChange, actor: String, reason: String, expected: Int64? = nil,
                            at date: Date = Date()) async throws -> (seq: Int64, previous: Int64) {
        var writer = CatalogueWriter(dialect: driver.dialect)
        if case let .sqlite(connection, _) = driver { writer.sqlite = connection }
        let text = try change.encoded()
        return try await driver.transaction { [writer, dialect = driver.dialect] db in
            try await Self.orderCatalogueWrites(db, dialect: dialect)
            return try await Self.writeEdit(db, writer, network, change: text, action: change.action.revisionAction, actor: actor, reason: reason,
                                            expected: expected, at: date)
        }
    }

    /// Writes an edited network with its revision inside a transaction that orders catalogue writes already.
    static func writeEdit(_ db: any SQLDatabase, _ writer: CatalogueWriter, _ network: Network, change text: String, action: RevisionAction,
                          actor: String, reason: String, expected: Int64?, at date: Date) async throws -> (seq: Int64, previous: Int64) {
        // Read after the writes before this one are done (a network removed meanwhile is not written back).
        guard try await networkExists(db, slug: network.slug) else { throw CatalogueError.networkNotFound(slug: network.slug) }
        if let expected {
            let latest = try await latestRevision(db, network: network.slug)
            guard latest == expected else {
                throw InputError.invalidValue(field: "revision", value: String(expected), rule:
                    "the entry was changed meanwhile (revision \(latest)): open it again and make your change on what it is now")
            }
        }
        let previous = try await latestRevision(db)
        let seq = try await writer.write([network], existing: [network.slug], directory: .standard, actor: actor, reason: reason, at: date, db: db,
                                         changes: [network.slug: text], actions: [network.slug: action], progress: { _ in }).lastRevision
        return (seq, previous)
    }

    static func latestRevision(_ db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT MAX(seq) AS seq FROM revisions").first()?.decode(column: "seq", as: Int64?.self) ?? 0
    }

    /// The number of the catalogue's latest revision (0: none).
    /// Waits for notices that other transactions appended revisions (PostgreSQL): `listening` once they will be heard,
    /// `heard` for each; returns false at once on SQLite. Throws when the connection is lost.
    public nonisolated func listenForRevisions(listening: @Sendable () async -> Void, heard: @Sendable () async -> Void) async throws -> Bool {
        try await driver.listenForRevisions(listening: listening, heard: heard)
    }

    public func latestRevision() async throws -> Int64 {
        try await driver.withDatabase { db in try await Self.latestRevision(db) }
    }

    /// The number of a network's latest revision (0: none).
    public func latestRevision(ofNetwork slug: String) async throws -> Int64 {
        try await driver.withDatabase { db in try await Self.latestRevision(db, network: slug) }
    }

    static func latestRevision(_ db: any SQLDatabase, network slug: String) async throws -> Int64 {
        try await db.raw("SELECT MAX(seq) AS seq FROM revisions WHERE entity = 'network' AND entity_id = \(bind: slug)").first()?
            .decode(column: "seq", as: Int64?.self) ?? 0
    }

    /// The revisions of one network, newest first.
    public func history(ofNetwork slug: String, limit: Int = 100) async throws -> [Revision] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT seq, entity, entity_id, actor, at, change, reason, action FROM revisions
                WHERE entity = 'network' AND entity_id = \(bind: slug) ORDER BY seq DESC LIMIT \(bind: limit)
                """).all().map(Revision.init(row:))
        }
    }

    /// The latest revisions of the whole catalogue, newest first.
    public func recentChanges(limit: Int = 50) async throws -> [Revision] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT seq, entity, entity_id, actor, at, change, reason, action FROM revisions ORDER BY seq DESC LIMIT \(bind: limit)
                """).all().map(Revision.init(row:))
        }
    }

    /// A network's state right after one of its revisions (see `NetworkRevisionChange.state(after:next:)`), with
    /// that revision; nil when the revision is not this network's or its state is not kept.
    public func version(ofNetwork slug: String, at seq: Int64) async throws -> (revision: Revision, state: String)? {
        try await driver.withDatabase { db in
            let rows = try await db.raw("""
                SELECT seq, entity, entity_id, actor, at, change, reason, action FROM revisions
                WHERE entity = 'network' AND entity_id = \(bind: slug) AND seq >= \(bind: seq) ORDER BY seq LIMIT 2
                """).all().map(Revision.init(row:))
            guard let revision = rows.first, revision.seq == seq,
                  let state = NetworkRevisionChange.state(after: revision.change, next: rows.dropFirst().first?.change)
            else { return nil }
            return (revision, state)
        }
    }

    /// One revision.
    public func revision(_ seq: Int64) async throws -> Revision? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT seq, entity, entity_id, actor, at, change, reason, action FROM revisions WHERE seq = \(bind: seq)")
                .first().map(Revision.init(row:))
        }
    }
}
