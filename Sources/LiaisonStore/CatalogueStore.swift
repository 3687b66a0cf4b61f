import Foundation
import LiaisonCore
import Logging
import SQLKit

/// The one owner of database access for the catalogue. Each use case is one method and one transaction;
/// every write appends to the `revisions` log.
///
/// An actor, so that writes on the single SQLite connection never interleave.
public actor CatalogueStore {
    nonisolated let driver: SQLDriver
    nonisolated let logger: Logger
    public nonisolated let configuration: DatabaseConfiguration
    /// Where the catalogue's snapshot file is kept (`SnapshotFiles.swift`); nil: none.
    public nonisolated let snapshotFile: String?

    private init(driver: SQLDriver, configuration: DatabaseConfiguration, snapshotFile: String?, logger: Logger) {
        self.driver = driver
        self.configuration = configuration
        self.snapshotFile = snapshotFile
        self.logger = logger
    }

    /// Opens the database (creating an SQLite file and its directory when needed). Call `migrate()` next.
    public static func open(_ configuration: DatabaseConfiguration, snapshotFile: String? = nil,
                            logger: Logger = Logger(label: "liaison.store")) async throws -> CatalogueStore {
        let driver = try await SQLDriver.open(configuration, logger: logger)
        return CatalogueStore(driver: driver, configuration: configuration, snapshotFile: snapshotFile, logger: logger)
    }

    private var closed = false

    /// Closes the database once: closing again does nothing (a server that fails to start is closed both by its
    /// background service and by the command, and SQLite's connection must not be closed twice).
    public func close() async throws {
        guard !closed else { return }
        closed = true
        try await driver.close()
    }

    // MARK: Migrations

    /// Applies the migrations not yet applied (up to `last`, for tests of a migration's own work on earlier data),
    /// each in its own transaction. Returns the versions applied.
    @discardableResult
    public func migrate(upTo last: Int = .max) async throws -> [Int] {
        let applied = try await driver.withDatabase { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)").run()
            return Set(try await db.raw("SELECT version FROM schema_migrations").all().map { try $0.decode(column: "version", as: Int.self) })
        }
        var done: [Int] = []
        let dialect = driver.dialect
        for migration in Migrations.all where !applied.contains(migration.version) && migration.version <= last {
            let now = Timestamp.string(Date())
            try await driver.transaction { db in
                for statement in migration.statements(dialect) {
                    try await db.raw(SQLQueryString(stringLiteral: statement)).run()
                }
                try await db.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))").run()
            }
            logger.info("applied migration \(migration.version) \(migration.name)")
            done.append(migration.version)
        }
        return done
    }

    /// The versions of the migrations applied so far.
    public func appliedMigrations() async throws -> [Int] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all().map { try $0.decode(column: "version", as: Int.self) }
        }
    }

    // MARK: Reads

    /// The slugs of all stored networks.
    public func networkSlugs() async throws -> Set<String> {
        try await driver.withDatabase { db in try await Self.networkSlugs(db) }
    }

    static func networkSlugs(_ db: any SQLDatabase) async throws -> Set<String> {
        Set(try await db.raw("SELECT slug FROM networks").all().map { try $0.decode(column: "slug", as: String.self) })
    }

    /// Whether a network is stored: one row looked up, not the whole table.
    static func networkExists(_ db: any SQLDatabase, slug: String) async throws -> Bool {
        try await db.raw("SELECT 1 AS found FROM networks WHERE slug = \(bind: slug)").first() != nil
    }

    /// The latest time of the revisions up to `seq` (nil when there is none): when the catalogue as of `seq` last
    /// changed. (Times are fixed-width ISO 8601 text: the greatest text is the latest.)
    public func latestRevisionTime(upTo seq: Int64) async throws -> Date? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT MAX(at) AS at FROM revisions WHERE seq <= \(bind: seq)").first()?.decode(column: "at", as: String?.self)
        }.flatMap(Timestamp.date)
    }

    /// The networks changed by the revisions after `since` up to `head`, in the order of their first revision there, at
    /// most `limit` of them, reading at most `scan` revisions: a page of the change feed. `until`: the last revision the
    /// page covers (every revision up to it changed only networks of the page); `existed`: those of them there were
    /// at `since` (their latest revision then was not a removal).
    public func changedNetworks(after since: Int64, upTo head: Int64, limit: Int, scan: Int = 20_000) async throws
        -> (slugs: [String], until: Int64, existed: Set<String>)
    {
        try await driver.withDatabase { db in
            var slugs: [String] = []
            var seen = Set<String>()
            var cursor = since
            var scanned = 0
            reading: while cursor < head, scanned < scan {
                let batch = min(1_000, scan - scanned)
                let rows = try await db.raw("""
                    SELECT seq, entity_id, action, CASE WHEN action = 'deleted' THEN change END AS change FROM revisions
                    WHERE entity = 'network' AND seq > \(bind: cursor) AND seq <= \(bind: head)
                    ORDER BY seq LIMIT \(bind: batch)
                    """).all()
                for row in rows {
                    // A removal changed the networks whose relations to the removed one went with it, too.
                    var touched = [try row.decode(column: "entity_id", as: String.self)]
                    if try row.decode(column: "action", as: String?.self) == RevisionAction.deleted.rawValue,
                       let object = try? JSONSerialization.jsonObject(with: Data(try row.decode(column: "change", as: String.self).utf8)) as? [String: Any],
                       let cut = object["relations_cut"] as? [String] {
                        touched += cut
                    }
                    let new = touched.filter { !seen.contains($0) }
                    // A revision's networks go in one page (a page holds more than `limit` only for one revision alone).
                    guard slugs.count + new.count <= limit || slugs.isEmpty else { break reading }
                    for slug in new where seen.insert(slug).inserted { slugs.append(slug) }
                    cursor = try row.decode(column: "seq", as: Int64.self)
                    scanned += 1
                }
                // Fewer than asked: none is left up to the head.
                if rows.count < batch { cursor = head }
            }
            var existed = Set<String>()
            if !slugs.isEmpty, since > 0 {
                for row in try await db.raw("""
                    SELECT r.entity_id, r.action FROM revisions r WHERE r.entity = 'network' AND r.entity_id IN (\(binds: slugs))
                    AND r.seq = (SELECT MAX(seq) FROM revisions r2 WHERE r2.entity = 'network' AND r2.entity_id = r.entity_id AND r2.seq <= \(bind: since))
                    """).all() where try row.decode(column: "action", as: String?.self) != RevisionAction.deleted.rawValue {
                    existed.insert(try row.decode(column: "entity_id", as: String.self))
                }
            }
            return (slugs, cursor, existed)
        }
    }

    /// Revisions after a sequence number, oldest first.
    public func revisions(after seq: Int64 = 0, limit: Int = 1000) async throws -> [Revision] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT seq, entity, entity_id, actor, at, change, reason, action FROM revisions
                WHERE seq > \(bind: seq) ORDER BY seq LIMIT \(bind: limit)
                """).all().map(Revision.init(row:))
        }
    }

    /// The whole catalogue as an immutable snapshot.
    public func loadCatalogue() async throws -> Catalogue {
        try await driver.withoutMemoryMap { [driver] in
            try await driver.withRows { rows in try await CatalogueLoader(rows: rows).load() }
        }
    }

    /// The networks the revisions after `since` edited (or restored), as stored now, with the dates of their last
    /// changes by a person and the latest revision, all read at one moment; nil when those revisions did more than edit
    /// at most `limit` networks (added, removed or imported one): then only a whole load gives the catalogue.
    public func editsSince(_ since: Int64, limit: Int = 20) async throws -> (networks: [Network], lastChanged: [String: Date], revision: Int64)? {
        try await driver.withRows { rows in
            var slugs: [String] = []
            var seen = Set<String>()
            var onlyEdits = true
            try await rows.forEach("SELECT entity_id, action FROM revisions WHERE seq > CAST({list} AS BIGINT) ORDER BY seq LIMIT \(limit * 10)",
                                   values: [String(since)]) { row in
                let action = try row.optionalText("action")
                guard action == RevisionAction.edited.rawValue || action == RevisionAction.restored.rawValue else { onlyEdits = false; return }
                let slug = try row.text("entity_id")
                if seen.insert(slug).inserted { slugs.append(slug) }
            }
            // (No revision read — none after `since` — is no edit to take in either: a whole load answers that too, and
            // the loader is never asked for an empty list, which SQL cannot write as `IN ()`.)
            guard onlyEdits, !slugs.isEmpty, slugs.count <= limit else { return nil }
            let read = try await CatalogueLoader(rows: rows, only: slugs).loadNetworks()
            // More revisions than were read came meanwhile (the limit of the scan): a whole load.
            guard read.networks.count == slugs.count else { return nil }
            return read
        }
    }

    // MARK: Writes

    /// Stores networks in one transaction: a network whose slug is stored is replaced, the others are added.
    /// Each network gets one revision. Either every network is stored or none is.
    @discardableResult
    public func importNetworks(
        _ networks: [Network], actor: String, reason: String, directory: PartyDirectory = .standard,
        progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> ImportSummary {
        var writer = CatalogueWriter(dialect: driver.dialect)
        if case let .sqlite(connection, _) = driver { writer.sqlite = connection }
        let now = Date()
        return try await driver.transaction(bulk: networks.count > 1_000) { [writer, dialect = driver.dialect] db in
            try await Self.orderCatalogueWrites(db, dialect: dialect)
            // Which networks are stored, read after the writes before this one are done.
            let existing = try await Self.networkSlugs(db)
            return try await writer.write(networks, existing: existing, directory: directory, actor: actor, reason: reason, at: now,
                                          db: db, progress: progress)
        }
    }

    /// Removes a network (and the relations of other networks that point to it), with a revision.
    public func deleteNetwork(slug: String, actor: String, reason: String) async throws {
        let now = Timestamp.string(Date())
        try await driver.transaction { [dialect = driver.dialect] db in
            try await Self.orderCatalogueWrites(db, dialect: dialect)
            guard try await Self.networkExists(db, slug: slug) else { throw CatalogueError.networkNotFound(slug: slug) }
            // The networks whose relations to it go with it: the revision names them (the change feed gives their new
            // state with the removal).
            let cut = try await db.raw("""
                SELECT DISTINCT network_slug FROM relations WHERE target_slug = \(bind: slug) AND network_slug <> \(bind: slug)
                """).all().map { try $0.decode(column: "network_slug", as: String.self) }.sorted()
            // Each of them is edited too, with a revision of its own (the network before and after): its history says
            // what it lost, who removed it and why. (Its earlier state names a network that is gone: restoring it is
            // refused, as a relation to no network is.) Read a thousand at a time: each read binds their slugs.
            let rows = RowSource(db)
            var edits: [(slug: String, change: String)] = []
            for start in stride(from: 0, to: cut.count, by: 1_000) {
                let chunk = Array(cut[start..<min(start + 1_000, cut.count)])
                for before in try await CatalogueLoader(rows: rows, only: chunk).loadNetworks().networks {
                    var after = before
                    after.relations.removeAll { $0.target == slug }
                    edits.append((before.slug, try NetworkRevisionChange(action: .edited, before: before, after: after).encoded()))
                }
            }
            try await db.raw("DELETE FROM relations WHERE target_slug = \(bind: slug)").run()
            try await db.raw("DELETE FROM networks WHERE slug = \(bind: slug)").run()
            try await Self.forgetNetworksPeople(db, slug: slug)
            var change: [String: Any] = ["action": "deleted"]
            if !cut.isEmpty { change["relations_cut"] = cut }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: change, options: [.sortedKeys]), as: UTF8.self)
            try await db.raw("""
                INSERT INTO revisions (entity, entity_id, actor, at, change, reason, action)
                VALUES ('network', \(bind: slug), \(bind: actor), \(bind: now), \(bind: text), \(bind: reason),
                        \(bind: RevisionAction.deleted.rawValue))
                """).run()
            for edit in edits {
                try await db.raw("""
                    INSERT INTO revisions (entity, entity_id, actor, at, change, reason, action)
                    VALUES ('network', \(bind: edit.slug), \(bind: actor), \(bind: now), \(bind: edit.change), \(bind: reason),
                            \(bind: RevisionAction.edited.rawValue))
                    """).run()
            }
        }
    }
}

extension CatalogueStore {
    /// What a removed network's people were given goes with it, so that a network later made under the same slug
    /// inherits none of it: the library's documents no longer name it among their readers (a document only its people
    /// read is then the editors'), and its discussion space takes an address no network has (its threads the editors').
    static func forgetNetworksPeople(_ db: any SQLDatabase, slug: String) async throws {
        for row in try await db.raw("""
            SELECT d.id, d.visible_networks FROM documents d JOIN document_readers r ON r.document_id = d.id WHERE r.network = \(bind: slug)
            """).all() {
            let id = try row.decode(column: "id", as: Int64.self)
            let readers = try row.decode(column: "visible_networks", as: String.self).split(separator: " ").filter { $0 != slug }.joined(separator: " ")
            try await db.raw("""
                UPDATE documents SET visible_networks = \(bind: readers), updated_at = \(bind: Timestamp.string(Date())) WHERE id = \(bind: id)
                """).run()
        }
        try await db.raw("DELETE FROM document_readers WHERE network = \(bind: slug)").run()
        try await libraryChanged(db)
        try await db.raw("""
            UPDATE discussion_spaces SET slug = 'removed-' || CAST(id AS TEXT) || '-' || slug WHERE slug = \(bind: slug) AND kind = 'network'
            """).run()
    }
}

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    public var created: Int
    public var replaced: Int
    public var memberships: Int
    public var lastRevision: Int64
}

/// One entry of the append-only change log.
public struct Revision: Sendable, Equatable {
    /// Who and why of the revisions that load the 2017 catalogue at first start (pages say them in the reader's language).
    public static let seedActor = "liaison"
    public static let seedReason = "first start: the 2017 catalogue of the CDPC report (CDPC (2017) 1)"

    /// A revision of the first start's load of the 2017 catalogue.
    public var isSeed: Bool { actor == Self.seedActor && reason == Self.seedReason }

    public let seq: Int64
    public let entity: String
    public let entityID: String
    public let actor: String
    public let at: Date
    /// What changed, as JSON.
    public let change: String
    public let reason: String
    /// What the revision did.
    public let action: RevisionAction

    init(row: any SQLRow) throws {
        seq = try row.decode(column: "seq", as: Int64.self)
        entity = try row.decode(column: "entity", as: String.self)
        entityID = try row.decode(column: "entity_id", as: String.self)
        actor = try row.decode(column: "actor", as: String.self)
        at = Timestamp.date(try row.decode(column: "at", as: String.self)) ?? .distantPast
        change = try row.decode(column: "change", as: String.self)
        reason = try row.decode(column: "reason", as: String.self)
        let actionText = try row.decode(column: "action", as: String?.self) ?? ""
        guard let action = RevisionAction(rawValue: actionText) else {
            throw StoredDataError(column: "revisions.action", value: actionText, rule: "is not a revision action")
        }
        self.action = action
    }
}

/// Times are stored as ISO 8601 text in UTC, the same on SQLite and PostgreSQL, and sort as text.
extension CatalogueStore {
    /// Catalogue writes one at a time on PostgreSQL, so that revisions become visible in the order of their numbers:
    /// a snapshot at revision R then holds every revision up to R, which swapping an edit in from memory relies on
    /// (two saves at once could otherwise commit 6 before 5). SQLite has one writer anyway.
    static func orderCatalogueWrites(_ db: any SQLDatabase, dialect: SQLDialect) async throws {
        if dialect == .postgresql { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: catalogueWriteLock))").run() }
    }

    /// The key of that lock ("catalog" in ASCII).
    static let catalogueWriteLock: Int64 = 0x63_6174_616C_6F67
}

enum Timestamp {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
