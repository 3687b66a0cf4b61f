import Foundation
import LiaisonCore
import SQLKit

/// What a search of the directory asks: words of the name, authority or function, and the facets.
public struct DirectoryQuery: Sendable, Equatable {
    public var words: [String] = []
    public var country: String?
    public var network: String?
    public var kind: DirectoryKind?
    public var language: String?
    /// Liaison magistrates posted by `postedFrom` (a state) to `postedTo` (a state or a body).
    public var postedFrom: String?
    public var postedTo: String?

    public init(words: [String] = [], country: String? = nil, network: String? = nil, kind: DirectoryKind? = nil, language: String? = nil,
                postedFrom: String? = nil, postedTo: String? = nil) {
        self.words = words
        self.country = country
        self.network = network
        self.kind = kind
        self.language = language
        self.postedFrom = postedFrom
        self.postedTo = postedTo
    }
}

/// Who viewed an entry, and when.
public struct DirectoryView: Sendable, Equatable {
    public let accountID: Int64
    public let at: Date
}

/// The restricted directory: entries and roles in their tables, each import one transaction with a revision per
/// entry, and every view recorded.
extension CatalogueStore {
    /// Adds the entries, or updates those of the same people (the same first address; for an office, the same
    /// name, authority and country), in one transaction: all or nothing.
    public func importDirectory(_ entries: [DirectoryEntry], actor: String, reason: String, at date: Date = Date()) async throws
        -> (added: Int, updated: Int)
    {
        let now = Timestamp.string(date)
        return try await driver.transaction { db in
            var added = 0, updated = 0
            for var entry in entries {
                entry.lastConfirmed = date
                let key = Self.identityKey(entry)
                let existing = try await db.raw("""
                    SELECT id FROM directory_entries WHERE identity_key = \(bind: key) AND erased_at IS NULL ORDER BY id LIMIT 1
                    """).first()?.decode(column: "id", as: Int64.self)
                let id: Int64
                if let existing {
                    id = existing
                    _ = try await Self.updateFields(of: id, to: entry, at: now, db)
                    updated += 1
                } else {
                    guard let inserted = try await db.raw("""
                        INSERT INTO directory_entries (identity_key, search_key, name, function, authority, country, emails, phones, languages,
                            available_24_7, urgent_phone, source, consent_basis, consent_date, visibility, last_confirmed, created_at, updated_at)
                        VALUES (\(bind: key), \(bind: Self.searchKey(entry)), \(bind: entry.name), \(bind: entry.function), \(bind: entry.authority),
                            \(bind: entry.country), \(bind: entry.emails.joined(separator: "\n")), \(bind: entry.phones.joined(separator: "\n")),
                            \(bind: Self.languageKey(entry.languages)), \(bind: entry.available247 ? 1 : 0), \(bind: entry.urgentPhone),
                            \(bind: entry.source), \(bind: entry.consentBasis), \(bind: entry.consentDate?.description),
                            \(bind: entry.visibility.rawValue), \(bind: now), \(bind: now), \(bind: now))
                        RETURNING id
                        """).first()?.decode(column: "id", as: Int64.self)
                    else { throw StoredDataError(column: "directory_entries.id", value: "", rule: "was not returned by the insert") }
                    id = inserted
                    added += 1
                }
                try await Self.replaceRoles(of: id, with: entry, db)
                entry.id = id
                let state = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
                try await db.raw("""
                    INSERT INTO directory_revisions (entry_id, action, actor, reason, at, state)
                    VALUES (\(bind: id), \(bind: existing == nil ? "created" : "edited"), \(bind: actor), \(bind: reason), \(bind: now), \(bind: state))
                    """).run()
            }
            return (added, updated)
        }
    }

    /// A page of the entries `principal` may see that match the query, by name, and how many match in all.
    /// Erased entries, and entries whose every role ended before `today`, are left out.
    public func directoryEntries(_ query: DirectoryQuery, seenBy principal: Principal, today: PartialDate, limit: Int, offset: Int) async throws
        -> (entries: [DirectoryEntry], total: Int)
    {
        let conditions = Self.conditions(query, seenBy: principal, today: today)
        return try await driver.withDatabase { db in
            let total = try await db.raw("SELECT count(*) AS n FROM directory_entries e WHERE \(conditions)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.raw("""
                SELECT * FROM directory_entries e WHERE \(conditions) ORDER BY e.search_key, e.id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all()
            return (try await Self.entries(rows, db), total)
        }
    }

    /// Whom to call for a case: the contact points and national correspondents (of any network) working for one of
    /// `countries`, and the liaison magistrates posted by one of them in (or covering) another; those `principal` may
    /// see, most recently confirmed first.
    public func directoryContacts(countries: [String], seenBy principal: Principal, today: PartialDate, limit: Int = 200)
        async throws -> [DirectoryEntry]
    {
        guard !countries.isEmpty else { return [] }
        let todayKey = Self.firstDay(today)
        var covered: SQLQueryString = "0 = 1"
        for country in countries {
            covered = covered + " OR p.host = \(bind: country) OR \(Self.covers("p", country))"
        }
        // Both kinds of answer have a place among the countries (where one works; where a posting is or what it
        // covers): that index narrows the entries first.
        let conditions = Self.conditions(DirectoryQuery(), seenBy: principal, today: today) + """
             AND e.id IN (SELECT c.entry_id FROM directory_places c WHERE c.country IN (\(binds: countries)))
             AND ((e.country IN (\(binds: countries)) AND EXISTS (SELECT 1 FROM directory_roles c WHERE c.entry_id = e.id
                    AND c.kind IN ('contact-point', 'national-correspondent') AND c.until_key >= \(bind: todayKey)))
                  OR EXISTS (SELECT 1 FROM directory_roles p WHERE p.entry_id = e.id AND p.kind = 'liaison-magistrate'
                    AND p.until_key >= \(bind: todayKey) AND p.sending_country IN (\(binds: countries)) AND (\(covered))))
            """
        return try await driver.withDatabase { db in
            let rows = try await db.raw("""
                SELECT * FROM directory_entries e WHERE \(conditions) ORDER BY e.last_confirmed DESC, e.search_key LIMIT \(bind: limit)
                """).all()
            return try await Self.entries(rows, db)
        }
    }

    /// One entry (nil when there is none, or it was erased).
    public func directoryEntry(id: Int64) async throws -> DirectoryEntry? {
        try await driver.withDatabase { db in
            let rows = try await db.raw("SELECT * FROM directory_entries WHERE id = \(bind: id) AND erased_at IS NULL").all()
            return try await Self.entries(rows, db).first
        }
    }

    /// Every entry not erased, by name (for an export).
    public func allDirectoryEntries() async throws -> [DirectoryEntry] {
        try await driver.withDatabase { db in
            try await Self.entries(try await db.raw("SELECT * FROM directory_entries WHERE erased_at IS NULL ORDER BY search_key, id").all(), db)
        }
    }

    /// Records that an account viewed an entry; refused (throttled) when the account viewed `perHour` entries in the
    /// last hour, so that nobody copies the directory page by page.
    public func recordDirectoryView(entryID: Int64, accountID: Int64, perHour: Int, at date: Date = Date()) async throws {
        try await recordDirectoryViews(entryIDs: [entryID], accountID: accountID, perHour: perHour, at: date)
    }

    /// Records that an account viewed some entries at once (a page of vCards), refused whole when they would take
    /// the account past `perHour` in the last hour.
    public func recordDirectoryViews(entryIDs: [Int64], accountID: Int64, perHour: Int, at date: Date = Date()) async throws {
        guard !entryIDs.isEmpty else { return }
        try await recordLimited(in: .views, count: entryIDs.count, accountID: accountID, perHour: perHour, at: date) { db, at in
            for entryID in entryIDs {
                try await db.raw("""
                    INSERT INTO directory_views (entry_id, account_id, at) VALUES (\(bind: entryID), \(bind: accountID), \(bind: at))
                    """).run()
            }
        }
    }

    /// Records that an account was shown a page of the directory's lists (a search, the people for a case or a
    /// country); refused (throttled) past `perHour` such pages in the last hour.
    public func recordDirectoryLookup(accountID: Int64, perHour: Int, at date: Date = Date()) async throws {
        try await recordLimited(in: .lookups, count: 1, accountID: accountID, perHour: perHour, at: date) { db, at in
            try await db.raw("INSERT INTO directory_lookups (account_id, at) VALUES (\(bind: accountID), \(bind: at))").run()
        }
    }

    /// Forgets the list pages shown before `date` (they only count for an hour); returns how many.
    @discardableResult
    public func forgetDirectoryLookups(before date: Date) async throws -> Int {
        try await driver.withDatabase { db in
            let cutoff = Timestamp.string(date)
            let n = try await db.raw("SELECT count(*) AS n FROM directory_lookups WHERE at < \(bind: cutoff)").first()?.decode(column: "n", as: Int.self) ?? 0
            try await db.raw("DELETE FROM directory_lookups WHERE at < \(bind: cutoff)").run()
            return n
        }
    }

    private enum LimitedTable: String { case views = "directory_views", lookups = "directory_lookups" }

    /// Counts the account's rows of `table` in the last hour and, unless `count` more would pass `perHour`, inserts
    /// them, in one transaction (serialised on PostgreSQL, so two instances cannot both let the last one through).
    /// The count stops at `perHour`, so its cost does not grow with an allowance set high.
    private func recordLimited(in table: LimitedTable, count: Int, accountID: Int64, perHour: Int, at date: Date,
                               insert: @escaping @Sendable (any SQLDatabase, String) async throws -> Void) async throws {
        let since = Timestamp.string(date.addingTimeInterval(-3600))
        let postgres = driver.dialect == .postgresql
        try await driver.transaction { db in
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.attemptLock))").run() }
            let recent = try await db.raw("""
                SELECT count(*) AS n FROM (SELECT 1 FROM \(unsafeRaw: table.rawValue)
                    WHERE account_id = \(bind: accountID) AND at > \(bind: since) LIMIT \(bind: perHour)) recent
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            if recent + count > perHour {
                let oldest = try await db.raw("""
                    SELECT min(at) AS oldest FROM \(unsafeRaw: table.rawValue) WHERE account_id = \(bind: accountID) AND at > \(bind: since)
                    """).first()?.decode(column: "oldest", as: String?.self).flatMap(Timestamp.date) ?? date
                throw AccountError.throttled(until: oldest.addingTimeInterval(3600))
            }
            try await insert(db, Timestamp.string(date))
        }
    }

    /// The latest views of the whole directory, newest first: when, by which account (address), which entry.
    public func directoryAccessLog(limit: Int = 200) async throws -> [(at: Date, viewer: String, entryID: Int64, entry: String)] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT v.at, a.email, v.entry_id, e.name FROM directory_views v
                JOIN accounts a ON a.id = v.account_id JOIN directory_entries e ON e.id = v.entry_id
                ORDER BY v.at DESC LIMIT \(bind: limit)
                """).all().map { row in
                let text = try row.decode(column: "at", as: String.self)
                guard let at = Timestamp.date(text) else { throw StoredDataError(column: "directory_views.at", value: text, rule: "must be a time") }
                return (at, try row.decode(column: "email", as: String.self), try row.decode(column: "entry_id", as: Int64.self),
                        try row.decode(column: "name", as: String.self))
            }
        }
    }

    /// The views of an entry, newest first.
    public func directoryViews(entryID: Int64, limit: Int = 500) async throws -> [DirectoryView] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT account_id, at FROM directory_views WHERE entry_id = \(bind: entryID) ORDER BY at DESC LIMIT \(bind: limit)
                """).all().map { row in
                let text = try row.decode(column: "at", as: String.self)
                guard let at = Timestamp.date(text) else { throw StoredDataError(column: "directory_views.at", value: text, rule: "must be a time") }
                return DirectoryView(accountID: try row.decode(column: "account_id", as: Int64.self), at: at)
            }
        }
    }

    /// The entries listing `email` among their addresses (a person's own entries), not erased.
    public func directoryEntries(email: String) async throws -> [DirectoryEntry] {
        let pattern = "%" + email.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        return try await driver.withDatabase { db in
            let rows = try await db.raw("""
                SELECT * FROM directory_entries WHERE erased_at IS NULL AND emails LIKE \(bind: pattern) ESCAPE '\\' ORDER BY id
                """).all()
            // LIKE finds the address inside another; only an address of the entry counts.
            return try await Self.entries(rows, db).filter { $0.emails.contains(email) }
        }
    }

    /// What the directory holds about an entry besides the entry: its revisions (without the states they kept) and
    /// who viewed it, newest first.
    public func directoryHistory(entryID: Int64) async throws -> [(action: String, actor: String, reason: String, at: Date)] {
        try await directoryRevisions(entryID: entryID, states: false).map { ($0.action, $0.actor, $0.reason, $0.at) }
    }

    /// An entry's revisions, newest first, with the state each kept (nil for a confirmation or an erasure; not read
    /// when `states` is false).
    public func directoryRevisions(entryID: Int64, states: Bool = true)
        async throws -> [(action: String, actor: String, reason: String, at: Date, state: DirectoryEntry?)]
    {
        let columns: SQLQueryString = states ? "action, actor, reason, at, state" : "action, actor, reason, at"
        return try await driver.withDatabase { db in
            try await db.raw("""
                SELECT \(columns) FROM directory_revisions WHERE entry_id = \(bind: entryID) ORDER BY seq DESC
                """).all().map { row in
                let text = try row.decode(column: "at", as: String.self)
                guard let at = Timestamp.date(text) else { throw StoredDataError(column: "directory_revisions.at", value: text, rule: "must be a time") }
                let state = try (states ? row.decode(column: "state", as: String?.self) : nil).map { json in
                    do {
                        return try JSONDecoder().decode(DirectoryEntry.self, from: Data(json.utf8))
                    } catch {
                        throw StoredDataError(column: "directory_revisions.state", value: String(json.prefix(40)), rule: "must be an entry as JSON")
                    }
                }
                return (try row.decode(column: "action", as: String.self), try row.decode(column: "actor", as: String.self),
                        try row.decode(column: "reason", as: String.self), at, state)
            }
        }
    }

    /// Replaces an entry's fields and roles with `entry` as edited or corrected (a person, a maintainer or an editor
    /// confirms it so), with a revision saying who and why.
    public func correctDirectoryEntry(_ entry: DirectoryEntry, actor: String, reason: String, at date: Date = Date()) async throws {
        guard let id = entry.id else { throw StoredDataError(column: "directory_entries.id", value: "", rule: "an entry to correct has an id") }
        let now = Timestamp.string(date)
        let state = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        try await driver.transaction { db in
            guard try await Self.updateFields(of: id, to: entry, at: now, db) else { throw CatalogueError.directoryEntryNotFound(id: id) }
            try await Self.replaceRoles(of: id, with: entry, db)
            try await db.raw("""
                INSERT INTO directory_revisions (entry_id, action, actor, reason, at, state)
                VALUES (\(bind: id), 'edited', \(bind: actor), \(bind: reason), \(bind: now), \(bind: state))
                """).run()
        }
    }

    /// Erases an entry at once: every personal field emptied, its roles, views and the states, reasons and actors of
    /// its revisions removed; the row stays with when and by whom it was erased, and one revision saying so.
    public func eraseDirectoryEntry(id: Int64, by actor: String, reason: String, at date: Date = Date()) async throws {
        let now = Timestamp.string(date)
        try await driver.transaction { db in
            guard try await db.raw("""
                UPDATE directory_entries SET identity_key = \(bind: "erased:\(id)"), search_key = '', name = '', function = '', authority = '',
                    country = '', emails = '', phones = '', languages = '', available_24_7 = 0, urgent_phone = NULL, source = '',
                    consent_basis = '', consent_date = NULL, last_confirmed = NULL, updated_at = \(bind: now),
                    erased_at = \(bind: now), erased_by = \(bind: actor)
                WHERE id = \(bind: id) AND erased_at IS NULL RETURNING id
                """).first() != nil
            else { throw CatalogueError.directoryEntryNotFound(id: id) }
            try await Self.replaceRoles(of: id, with: nil, db)
            try await db.raw("DELETE FROM directory_views WHERE entry_id = \(bind: id)").run()
            // The earlier revisions keep what was done and when; not the states, the reasons, nor who (the person
            // listed may have corrected their own entry).
            try await db.raw("UPDATE directory_revisions SET state = NULL, reason = '', actor = '' WHERE entry_id = \(bind: id)").run()
            try await db.raw("""
                INSERT INTO directory_revisions (entry_id, action, actor, reason, at, state)
                VALUES (\(bind: id), 'erased', \(bind: actor), \(bind: reason), \(bind: now), NULL)
                """).run()
        }
    }

    /// Entries whose every role ended before `lastDay` (`yyyymmdd`), not erased: those retention erases.
    public func lapsedDirectoryEntries(endedBefore lastDay: Int) async throws -> [Int64] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT e.id FROM directory_entries e WHERE e.erased_at IS NULL
                AND EXISTS (SELECT 1 FROM directory_roles r WHERE r.entry_id = e.id)
                AND NOT EXISTS (SELECT 1 FROM directory_roles r WHERE r.entry_id = e.id AND r.until_key >= \(bind: lastDay))
                ORDER BY e.id
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
        }
    }

    /// Entries (id and networks) not confirmed since `confirmedBefore` whose maintainers were not reminded since
    /// `remindedBefore`, not erased and not lapsed.
    public func staleDirectoryEntries(confirmedBefore: Date, remindedBefore: Date, today: PartialDate) async throws -> [(id: Int64, networks: [String])] {
        let todayKey = Self.firstDay(today)
        return try await driver.withDatabase { db in
            let ids = try await db.raw("""
                SELECT e.id FROM directory_entries e WHERE e.erased_at IS NULL
                AND (e.last_confirmed IS NULL OR e.last_confirmed < \(bind: Timestamp.string(confirmedBefore)))
                AND (e.reminded_at IS NULL OR e.reminded_at < \(bind: Timestamp.string(remindedBefore)))
                AND EXISTS (SELECT 1 FROM directory_roles r WHERE r.entry_id = e.id AND r.until_key >= \(bind: todayKey))
                ORDER BY e.id
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !ids.isEmpty else { return [] }
            var networks: [Int64: [String]] = [:]
            for row in try await db.raw("""
                SELECT DISTINCT entry_id, network_slug FROM directory_roles WHERE entry_id IN (\(binds: ids)) AND network_slug IS NOT NULL
                """).all() {
                networks[try row.decode(column: "entry_id", as: Int64.self), default: []].append(try row.decode(column: "network_slug", as: String.self))
            }
            return ids.map { ($0, (networks[$0] ?? []).sorted()) }
        }
    }

    /// Queues the reminders of an entry and records when, in one transaction.
    public func remindDirectoryEntry(id: Int64, mail: [MailMessage], at date: Date = Date()) async throws {
        try await driver.transaction { db in
            for message in mail { _ = try await Self.enqueue(db, message, at: date) }
            try await db.raw("UPDATE directory_entries SET reminded_at = \(bind: Timestamp.string(date)) WHERE id = \(bind: id)").run()
        }
    }

    /// Records that a maintainer confirmed an entry as still correct.
    public func confirmDirectoryEntry(id: Int64, actor: String, at date: Date = Date()) async throws {
        let now = Timestamp.string(date)
        try await driver.transaction { db in
            guard try await db.raw("""
                UPDATE directory_entries SET last_confirmed = \(bind: now) WHERE id = \(bind: id) AND erased_at IS NULL RETURNING id
                """).first() != nil
            else { throw CatalogueError.directoryEntryNotFound(id: id) }
            try await db.raw("""
                INSERT INTO directory_revisions (entry_id, action, actor, reason, at, state)
                VALUES (\(bind: id), 'confirmed', \(bind: actor), 'still correct', \(bind: now), NULL)
                """).run()
        }
    }

    // MARK: Rows

    /// Writes an entry's fields (not its roles), confirmed at `now`; false when there is no such entry not erased.
    static func updateFields(of id: Int64, to entry: DirectoryEntry, at now: String, _ db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE directory_entries SET search_key = \(bind: Self.searchKey(entry)), name = \(bind: entry.name),
                function = \(bind: entry.function), authority = \(bind: entry.authority), country = \(bind: entry.country),
                emails = \(bind: entry.emails.joined(separator: "\n")), phones = \(bind: entry.phones.joined(separator: "\n")),
                languages = \(bind: Self.languageKey(entry.languages)), available_24_7 = \(bind: entry.available247 ? 1 : 0),
                urgent_phone = \(bind: entry.urgentPhone), source = \(bind: entry.source), consent_basis = \(bind: entry.consentBasis),
                consent_date = \(bind: entry.consentDate?.description), visibility = \(bind: entry.visibility.rawValue),
                last_confirmed = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND erased_at IS NULL RETURNING id
            """).first() != nil
    }

    /// Replaces an entry's roles, and what the searches look up (the last day of its roles, the countries it works
    /// in, is posted in or covers, the words of its name, authority and function); an erased entry (nil) keeps none.
    static func replaceRoles(of id: Int64, with entry: DirectoryEntry?, _ db: any SQLDatabase) async throws {
        for table in ["directory_roles", "directory_places", "directory_words"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE entry_id = \(bind: id)").run()
        }
        guard let entry else {
            try await db.raw("UPDATE directory_entries SET until_key = 0 WHERE id = \(bind: id)").run()
            return
        }
        for (position, role) in entry.roles.enumerated() {
            try await db.raw("""
                INSERT INTO directory_roles (entry_id, position, kind, network_slug, title, since, until, until_key, sending_country, host, covers)
                VALUES (\(bind: id), \(bind: position), \(bind: role.kind.rawValue), \(bind: role.network), \(bind: role.title),
                    \(bind: role.since?.description), \(bind: role.until?.description), \(bind: Self.lastDay(role.until)),
                    \(bind: role.sendingCountry), \(bind: role.host), \(bind: role.covers.joined(separator: " ")))
                """).run()
        }
        let untilKey = entry.roles.map { Self.lastDay($0.until) }.max() ?? 0
        try await db.raw("UPDATE directory_entries SET until_key = \(bind: untilKey) WHERE id = \(bind: id)").run()
        var places: [String] = []
        for place in [entry.country] + entry.roles.flatMap({ [$0.host].compactMap { $0 } + $0.covers }) where !place.isEmpty && !places.contains(place) {
            places.append(place)
        }
        for place in places {
            try await db.raw("INSERT INTO directory_places (entry_id, country) VALUES (\(bind: id), \(bind: place))").run()
        }
        for word in Set(Self.words(Self.searchKey(entry))) {
            try await db.raw("INSERT INTO directory_words (entry_id, word) VALUES (\(bind: id), \(bind: word))").run()
        }
    }

    /// The words of a search key (or of a word typed, folded by the same key), in order.
    static func words(_ key: String) -> [String] {
        key.split(separator: " ").map(String.init).filter { $0 != "|" }
    }

    static func identityKey(_ entry: DirectoryEntry) -> String {
        entry.emails.first ?? [entry.name, entry.authority, entry.country].map(PartyDirectory.key).joined(separator: "|")
    }

    static func searchKey(_ entry: DirectoryEntry) -> String {
        [entry.name, entry.authority, entry.function].map(PartyDirectory.key).joined(separator: " | ")
    }

    static func languageKey(_ languages: [String]) -> String {
        languages.isEmpty ? "" : " " + languages.joined(separator: " ") + " "
    }

    /// Whether the role aliased `role` covers `country` (its space-separated `covers` names it).
    static func covers(_ role: String, _ country: String) -> SQLQueryString {
        "(' ' || \(unsafeRaw: role).covers || ' ') LIKE \(bind: "% " + country + " %")"
    }

    /// The first day a date covers, as `yyyymmdd` (a year: its 1 January).
    public static func firstDay(_ date: PartialDate) -> Int {
        date.year * 10_000 + (date.month ?? 1) * 100 + (date.day ?? 1)
    }

    /// The last day a role's end covers, as `yyyymmdd` (99991231 for a role without end).
    static func lastDay(_ date: PartialDate?) -> Int {
        guard let date else { return 99_991_231 }
        return date.year * 10_000 + (date.month ?? 12) * 100 + (date.day ?? 31)
    }

    static func conditions(_ query: DirectoryQuery, seenBy principal: Principal, today: PartialDate) -> SQLQueryString {
        let todayKey = Self.firstDay(today)
        let networks = principal.networks.isEmpty ? [""] : principal.networks.sorted()
        var sql: SQLQueryString = """
            e.erased_at IS NULL AND e.until_key >= \(bind: todayKey)
            AND (e.visibility = 'practitioners' OR \(bind: principal.role >= .editor ? 1 : 0) = 1
                 OR EXISTS (SELECT 1 FROM directory_roles v WHERE v.entry_id = e.id AND v.network_slug IN (\(binds: networks))))
            """
        // Each word typed starts a word of the name, authority or function: a range of the words' index (in byte
        // order; U+10FFFF sorts after every other character).
        for word in query.words.flatMap({ Self.words(PartyDirectory.key($0)) }).prefix(8) {
            sql = sql + """
                 AND e.id IN (SELECT w.entry_id FROM directory_words w WHERE w.word >= \(bind: word) AND w.word < \(bind: word + "\u{10FFFF}"))
                """
        }
        if let country = query.country {
            sql = sql + " AND e.id IN (SELECT c.entry_id FROM directory_places c WHERE c.country = \(bind: country))"
        }
        if let network = query.network {
            sql = sql + " AND EXISTS (SELECT 1 FROM directory_roles n WHERE n.entry_id = e.id AND n.network_slug = \(bind: network))"
        }
        if let kind = query.kind {
            sql = sql + " AND EXISTS (SELECT 1 FROM directory_roles k WHERE k.entry_id = e.id AND k.kind = \(bind: kind.rawValue))"
        }
        if let language = query.language {
            sql = sql + " AND e.languages LIKE \(bind: "% " + language + " %")"
        }
        if query.postedFrom != nil || query.postedTo != nil {
            sql = sql + """
                 AND EXISTS (SELECT 1 FROM directory_roles p WHERE p.entry_id = e.id AND p.kind = 'liaison-magistrate'
                      AND (\(bind: query.postedFrom) IS NULL OR p.sending_country = \(bind: query.postedFrom))
                      AND (\(bind: query.postedTo) IS NULL OR p.host = \(bind: query.postedTo)))
                """
        }
        return sql
    }

    /// The entries of some rows, with their roles (one query for all the roles).
    static func entries(_ rows: [any SQLRow], _ db: any SQLDatabase) async throws -> [DirectoryEntry] {
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
        var roles: [Int64: [DirectoryRole]] = [:]
        for row in try await db.raw("SELECT * FROM directory_roles WHERE entry_id IN (\(binds: ids)) ORDER BY entry_id, position").all() {
            let kindText = try row.decode(column: "kind", as: String.self)
            guard let kind = DirectoryKind(rawValue: kindText) else {
                throw StoredDataError(column: "directory_roles.kind", value: kindText, rule: "must be a kind of the directory")
            }
            func date(_ column: String) throws -> PartialDate? {
                try row.decode(column: column, as: String?.self).map { try PartialDate($0, field: "directory_roles.\(column)") }
            }
            roles[try row.decode(column: "entry_id", as: Int64.self), default: []].append(DirectoryRole(
                kind: kind, network: try row.decode(column: "network_slug", as: String?.self), title: try row.decode(column: "title", as: String.self),
                since: try date("since"), until: try date("until"), sendingCountry: try row.decode(column: "sending_country", as: String?.self),
                host: try row.decode(column: "host", as: String?.self),
                covers: try row.decode(column: "covers", as: String.self).split(separator: " ").map(String.init)))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            func list(_ column: String) throws -> [String] {
                try row.decode(column: column, as: String.self).split(whereSeparator: { $0 == "\n" || $0 == " " }).map(String.init)
            }
            let visibilityText = try row.decode(column: "visibility", as: String.self)
            guard let visibility = DirectoryVisibility(rawValue: visibilityText) else {
                throw StoredDataError(column: "directory_entries.visibility", value: visibilityText, rule: "must be a visibility of the directory")
            }
            return DirectoryEntry(
                id: id, name: try row.decode(column: "name", as: String.self), function: try row.decode(column: "function", as: String.self),
                authority: try row.decode(column: "authority", as: String.self), country: try row.decode(column: "country", as: String.self),
                emails: try list("emails"), phones: try list("phones"), languages: try list("languages"),
                available247: try row.decode(column: "available_24_7", as: Int.self) != 0,
                urgentPhone: try row.decode(column: "urgent_phone", as: String?.self), roles: roles[id] ?? [],
                source: try row.decode(column: "source", as: String.self),
                lastConfirmed: try row.decode(column: "last_confirmed", as: String?.self).flatMap(Timestamp.date),
                consentBasis: try row.decode(column: "consent_basis", as: String.self),
                consentDate: try row.decode(column: "consent_date", as: String?.self).map { try PartialDate($0, field: "directory_entries.consent_date") },
                visibility: visibility)
        }
    }
}
