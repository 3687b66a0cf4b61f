import Foundation
import LiaisonCore
import SQLiteNIO
import SQLKit

/// Writes networks and their parts inside a transaction it is given. Rows go in batches, so that
/// a bulk import of millions of memberships is a few thousand statements, not millions.
struct CatalogueWriter: Sendable {
    let dialect: SQLDialect
    /// On SQLite, the connection the transaction runs on: rows are bound to it as SQLite values directly,
    /// without SQLKit's query builder and `Encodable` binds (most of the time of a large import).
    var sqlite: SQLiteConnection? = nil
    /// Bound values per statement; below every supported driver's limit.
    let bindsPerStatement = 8_000

    typealias Row = [SQLValue]

    /// `changes`: the revision text of a network by slug, where it says more than "created" or "replaced" (an edit
    /// keeps the network before and after).
    func write(
        _ networks: [Network], existing: Set<String>, directory: PartyDirectory, actor: String, reason: String,
        at date: Date, db: any SQLDatabase, changes: [String: String] = [:], actions: [String: RevisionAction] = [:],
        progress: @Sendable (Int) -> Void
    ) async throws -> ImportSummary {
        let now = Timestamp.string(date)
        let (parties, unknown) = parties(for: networks, directory: directory)
        try await checkReferences(networks, unknownParties: unknown, existing: existing, db: db)
        try await upsertParties(parties, db: db)

        let replaced = networks.filter { existing.contains($0.slug) }
        for network in replaced {
            try await update(network, db: db)
        }
        let encoder = JSONEncoder()
        try await insert("networks", columns: Self.networkColumns,
                         rows: networks.lazy.filter { !existing.contains($0.slug) }.map { networkRow($0, encoder: encoder) }, db: db)

        var purposes: [Row] = [], terms: [Row] = [], references: [Row] = [], relations: [Row] = []
        var groups: [Row] = []
        // Rows go in primary-key order (SQLite compares text as bytes): each index is appended to, not split
        // at random places (with the party index built afterwards, this halved the time of 2.5 million membership rows).
        let sorted = networks.sorted(by: { $0.slug.utf8.lexicographicallyPrecedes($1.slug.utf8) })
        for network in sorted {
            let slug = network.slug
            for language in Language.allCases {
                if let text = network.purpose[language] { purposes.append([.text(slug), .text(language.rawValue), .text(text)]) }
            }
            let vocabularies: [(String, [String])] = [
                ("member_type", network.memberTypes.map(\.rawValue)), ("crime_area", network.crimeAreas.map(\.rawValue)),
                ("instrument", network.instruments.map(\.rawValue)),
            ]
            for (vocabulary, values) in vocabularies {
                for (i, value) in values.enumerated() { terms.append([.text(slug), .text(vocabulary), .integer(i), .text(value)]) }
            }
            for (i, reference) in network.references.enumerated() {
                references.append([.text(slug), .integer(i), SQLValue(reference.footnote), SQLValue(reference.url), SQLValue(reference.title)])
            }
            for (i, relation) in network.relations.enumerated() {
                relations.append([.text(slug), .integer(i), .text(relation.type.rawValue), .text(relation.target), SQLValue(relation.note)])
            }
            for (g, group) in network.groups.enumerated() {
                groups.append([.text(slug), .integer(g), SQLValue(group.heading), SQLValue(group.role?.rawValue), SQLValue(group.statedCount),
                                .text(group.text)])
            }
        }
        // The member entries' rows are made as they are written, a network at a time: millions of rows of eleven values
        // held at once were most of an import's memory (and its page faults).
        let memberships = sorted.lazy.flatMap { Self.entryRows($0, memberships: true) }
        let others = sorted.lazy.flatMap { Self.entryRows($0, memberships: false) }
        let entryCount = networks.reduce(0) { total, network in total + network.groups.reduce(0) { $0 + $1.entries.count } }
        // One revision per network, in the order the networks were given.
        let revisions: [Row] = networks.map { network in
            let written: RevisionAction = existing.contains(network.slug) ? .replaced : .created
            let action = actions[network.slug] ?? written
            let change = changes[network.slug] ?? #"{"action":"\#(action.rawValue)","memberships":\#(network.membershipCount)}"#
            return [.text("network"), .text(network.slug), .text(actor), .text(now), .text(change), .text(reason), .text(action.rawValue)]
        }
        try await insert("network_purposes", columns: ["network_slug", "language", "purpose"], rows: purposes, db: db)
        try await insert("network_terms", columns: ["network_slug", "vocabulary", "position", "term"], rows: terms, db: db)
        try await insert("network_references", columns: ["network_slug", "position", "footnote", "url", "title"], rows: references, db: db)
        try await insert("relations", columns: ["network_slug", "position", "type", "target_slug", "note"], rows: relations, db: db)
        try await insert("member_groups", columns: ["network_slug", "position", "heading", "role", "stated_count", "text"], rows: groups, db: db)
        // Many rows are indexed by party faster all at once, after they are in, than one by one. Only on
        // SQLite, whose one writer excludes readers anyway: on PostgreSQL dropping the index would lock the
        // table against every reader until the import commits.
        let rebuildPartyIndex = sqlite != nil && entryCount > 100_000
        if rebuildPartyIndex { try await db.raw("DROP INDEX memberships_party").run() }
        let membershipsWritten = try await insert(
            "memberships",
            columns: ["network_slug", "group_position", "position", "party_id", "role", "role_override", "as_printed",
                      "since", "until", "source_footnote", "note"],
            rows: memberships, db: db, progress: progress)
        if rebuildPartyIndex { try await db.raw(SQLQueryString(membershipsPartyIndex)).run() }
        try await insert("other_entries", columns: ["network_slug", "group_position", "position", "party_id", "role", "as_printed",
                                                    "since", "until", "source_footnote", "note"],
                         rows: others, db: db)
        try await insert("revisions", columns: ["entity", "entity_id", "actor", "at", "change", "reason", "action"], rows: revisions, db: db)
        let last = try await db.raw("SELECT MAX(seq) AS seq FROM revisions").first().map { try $0.decode(column: "seq", as: Int64?.self) } ?? nil
        return ImportSummary(created: networks.count - replaced.count, replaced: replaced.count, memberships: membershipsWritten,
                             lastRevision: last ?? 0)
    }

    /// The rows of a network's member entries: its memberships (an entry with a party and a role), or the others.
    static func entryRows(_ network: Network, memberships: Bool) -> [Row] {
        var rows: [Row] = []
        let slug = network.slug
        for (g, group) in network.groups.enumerated() {
            for (e, entry) in group.entries.enumerated() {
                if let party = entry.partyID, let role = entry.role ?? group.role {
                    guard memberships else { continue }
                    rows.append([.text(slug), .integer(g), .integer(e), .text(party), .text(role.rawValue),
                                 .integer(entry.role == nil ? 0 : 1), .text(entry.printed), SQLValue(entry.since?.description),
                                 SQLValue(entry.until?.description), SQLValue(entry.sourceFootnote), SQLValue(entry.note)])
                } else if !memberships {
                    rows.append([.text(slug), .integer(g), .integer(e), SQLValue(entry.partyID), SQLValue(entry.role?.rawValue), .text(entry.printed),
                                 SQLValue(entry.since?.description), SQLValue(entry.until?.description), SQLValue(entry.sourceFootnote),
                                 SQLValue(entry.note)])
                }
            }
        }
        return rows
    }

    /// The party rows an import writes — every network as a party, and every party its networks name (as a member,
    /// another entry or a host) that `directory` knows — and the parties named that it does not know: those must be
    /// stored networks (`checkReferences`).
    func parties(for networks: [Network], directory: PartyDirectory) -> (parties: [Party], unknown: Set<String>) {
        var parties: [String: Party] = [:]
        parties.reserveCapacity(networks.count)
        for network in networks { parties[network.slug] = directory.party(for: network) }
        var named = Set<String>()
        for network in networks {
            if let host = network.hostedBy { named.insert(host) }
            for group in network.groups { group.entries.forEachParty { named.insert($0) } }
        }
        var unknown = Set<String>()
        // Only a party of exactly this id is known (the directory also finds "be" as Belgium, whose id is "BE").
        for id in named where parties[id] == nil {
            if let party = directory.party(id: id), party.id == id { parties[id] = party } else { unknown.insert(id) }
        }
        return (parties.values.sorted { $0.id < $1.id }, unknown)
    }

    /// Refuses what the database's foreign keys would, before anything is written (a bulk import on SQLite writes with
    /// them off): a relation to a network neither stored nor written now, a party that is neither known nor stored.
    /// `existing`: networks known to be stored (read in this transaction), looked up no further.
    func checkReferences(_ networks: [Network], unknownParties: Set<String>, existing: Set<String>, db: any SQLDatabase) async throws {
        let written = Set(networks.lazy.map(\.slug))
        var targets = Set<String>()
        for network in networks {
            for relation in network.relations where !written.contains(relation.target) && !existing.contains(relation.target) {
                targets.insert(relation.target)
            }
        }
        let storedTargets = try await stored(targets, table: "networks", column: "slug", db: db)
        for network in networks {
            if let relation = network.relations.first(where: { targets.contains($0.target) && !storedTargets.contains($0.target) }) {
                throw InputError.invalidValue(field: "\(network.slug): relations", value: relation.target,
                                              rule: "must be a stored network or one written with it")
            }
        }
        let storedParties = try await stored(unknownParties, table: "parties", column: "id", db: db)
        if let missing = unknownParties.sorted().first(where: { !storedParties.contains($0) }) {
            let rule = "must be a known state, territory, organisation or a stored network"
            if let host = networks.first(where: { $0.hostedBy == missing }) {
                throw InputError.invalidValue(field: "\(host.slug): hosted_by", value: missing, rule: rule)
            }
            let member = networks.first { $0.groups.contains { $0.entries.contains { $0.partyID == missing } } }
            throw InputError.invalidValue(field: "\(member?.slug ?? "party"): members", value: missing, rule: rule)
        }
    }

    /// Which of `keys` are values of `column` in `table` (the writer's own names).
    func stored(_ keys: Set<String>, table: String, column: String, db: any SQLDatabase) async throws -> Set<String> {
        let asked = keys.sorted()
        var found = Set<String>()
        for start in stride(from: 0, to: asked.count, by: bindsPerStatement) {
            let chunk = Array(asked[start..<min(start + bindsPerStatement, asked.count)])
            for row in try await db.select().column(SQLIdentifier(column)).from(table).where(SQLIdentifier(column), .in, chunk).all() {
                found.insert(try row.decode(column: column, as: String.self))
            }
        }
        return found
    }

    func upsertParties(_ parties: [Party], db: any SQLDatabase) async throws {
        try await insert("parties", columns: ["id", "kind", "name_en", "name_fr", "network_slug"],
                         rows: parties.lazy.map { [.text($0.id), .text($0.kind.rawValue), .text($0.nameEN), .text($0.nameFR), SQLValue($0.networkSlug)] },
                         db: db, upsertingOn: "id")
    }

    static let networkColumns = [
        "slug", "name", "acronym", "other_names", "printed_name", "section", "row_number", "scope", "status", "status_since",
        "status_until", "status_note", "founded", "website", "stated_count", "stated_count_text", "hosted_by", "notes",
        "sources", "network_function", "open_membership", "name_fr", "translations",
    ]

    /// A network's field sources as stored: the data file's list, or nil when it has none.
    static func sources(_ network: Network) -> String? {
        guard !network.sources.isEmpty else { return nil }
        return (try? JSONEncoder().encode(network.sourceRecords)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A network's row; `encoder` writes its list of other names (one encoder for a whole import).
    func networkRow(_ network: Network, encoder: JSONEncoder = JSONEncoder()) -> Row {
        let otherNames = (try? String(decoding: encoder.encode(network.otherNames), as: UTF8.self)) ?? "[]"
        return [
            .text(network.slug), .text(network.name), SQLValue(network.acronym), .text(otherNames), SQLValue(network.printedName),
            .text(network.section.rawValue), SQLValue(network.row), .text(network.scope.rawValue), .text(network.status.value.rawValue),
            SQLValue(network.status.since?.description), SQLValue(network.status.until?.description), SQLValue(network.status.note),
            SQLValue(network.founded?.description), SQLValue(network.website), SQLValue(network.statedMemberCount?.count),
            SQLValue(network.statedMemberCount?.text), SQLValue(network.hostedBy), SQLValue(network.notes),
            SQLValue(Self.sources(network)), SQLValue(network.function?.rawValue), .integer(network.openMembership ? 1 : 0),
            SQLValue(network.nameFR), SQLValue(network.translatedRecords?.joined(separator: " ")),
        ]
    }

    /// Replaces a stored network's row and its parts (relations from other networks to it are kept).
    func update(_ network: Network, db: any SQLDatabase) async throws {
        var builder = db.update("networks")
        for (column, value) in zip(Self.networkColumns, networkRow(network)).dropFirst() {
            builder = builder.set(SQLIdentifier(column), to: SQLBind(value))
        }
        try await builder.where("slug", .equal, network.slug).run()
        // The entries before their groups, not left to the cascade: a bulk import writes with foreign keys off.
        for table in ["network_purposes", "network_terms", "network_references", "relations", "memberships", "other_entries", "member_groups"] {
            try await db.delete(from: table).where("network_slug", .equal, network.slug).run()
        }
    }

    /// Inserts rows in statements of many rows each, taking them from `rows` as it goes (a lazy sequence is never held
    /// whole); returns how many were written. The next statement's rows are made while the database runs the one
    /// before (the connection takes one statement at a time; a large import keeps both cores busy). `upsertingOn`: a
    /// row whose value of that column is stored replaces the stored one's other columns.
    @discardableResult
    func insert<Rows: Sequence<Row>>(_ table: String, columns: [String], rows: Rows, db: any SQLDatabase, upsertingOn key: String? = nil,
                                     progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        let rowsPerStatement = max(1, bindsPerStatement / columns.count)
        // The statement text for a full chunk is the same every time: built once. Names are the writer's constants.
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let upsert = key.map { key in
            " ON CONFLICT (\(key)) DO UPDATE SET " + columns.filter { $0 != key }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        } ?? ""
        let fullStatement = head + Array(repeating: tuple, count: rowsPerStatement).joined(separator: ", ") + upsert
        /// The work of one statement, made on this task and run by the database.
        func statement(_ chunk: [Row]) -> @Sendable () async throws -> Void {
            if let sqlite {
                let text = chunk.count == rowsPerStatement
                    ? fullStatement : head + Array(repeating: tuple, count: chunk.count).joined(separator: ", ") + upsert
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * columns.count)
                for row in chunk { for value in row { binds.append(value.sqlite) } }
                return { [binds] in try await sqlite.query(text, binds) { _ in } }
            }
            var builder = db.insert(into: table).columns(columns)
            for row in chunk { builder = builder.values(row) }
            if let key {
                builder = builder.onConflict(with: [key]) { update in
                    for column in columns where column != key { update.set(excludedValueOf: column) }
                    return update
                }
            }
            let query = builder.query
            return { try await db.execute(sql: query) { _ in } }
        }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            var written = 0, running = false
            var chunk: [Row] = []
            chunk.reserveCapacity(rowsPerStatement)
            // Waits for the statement running (at most one), counts its rows and starts this chunk's.
            func send() async throws {
                let work = statement(chunk)
                if running, let done = try await group.next() {
                    written += done
                    progress(written)
                }
                let count = chunk.count
                group.addTask { try await work(); return count }
                running = true
                chunk.removeAll(keepingCapacity: true)
            }
            for row in rows {
                chunk.append(row)
                if chunk.count == rowsPerStatement { try await send() }
            }
            if !chunk.isEmpty { try await send() }
            while let done = try await group.next() {
                written += done
                progress(written)
            }
            return written
        }
    }
}

/// A value to store: text, an integer or NULL.
enum SQLValue: Sendable, Encodable {
    case text(String)
    case integer(Int)
    case null

    init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    init(_ value: Int?) { self = value.map { .integer($0) } ?? .null }

    var sqlite: SQLiteData {
        switch self {
        case let .text(text): .text(text)
        case let .integer(number): .integer(number)
        case .null: .null
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .text(text): try container.encode(text)
        case let .integer(number): try container.encode(number)
        case .null: try container.encodeNil()
        }
    }
}
