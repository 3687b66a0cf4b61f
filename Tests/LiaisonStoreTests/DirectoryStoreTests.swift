import Foundation
import LiaisonCore
import SQLKit
import Testing
@testable import LiaisonStore

/// The directory's tables on SQLite and PostgreSQL: who sees what, lapsed entries hidden, postings found, views
/// limited, and erasure leaving no personal field in any column.
@Suite struct DirectoryStoreTests {
    static let today = try! PartialDate("2026-12-06", field: "today")

    static func entries() throws -> [DirectoryEntry] {
        [
            DirectoryEntry(name: "Zk4 Alba", function: "zk4function", authority: "zk4authority", country: "ES", emails: ["zk4alba@example.org"],
                           phones: ["+34977000001"], languages: ["es", "en"], available247: true, urgentPhone: "+34977000002",
                           roles: [DirectoryRole(kind: .contactPoint, network: "ejn", title: "zk4title", since: try PartialDate("2019", field: "s")),
                                   DirectoryRole(kind: .liaisonMagistrate, title: "zk4posting", sendingCountry: "ES", host: "GH", covers: ["TG", "BJ"])],
                           source: "zk4source", consentBasis: "zk4basis", consentDate: try PartialDate("2024-01-02", field: "c")),
            DirectoryEntry(name: "Zk4 Claire", country: "FR", emails: ["zk4claire@example.org"],
                           roles: [DirectoryRole(kind: .nationalCorrespondent, network: "eurojust")], consentBasis: "zk4basis",
                           visibility: .networkMembers),
            DirectoryEntry(name: "Zk4 Jonas", country: "DE", emails: ["zk4jonas@example.org"],
                           roles: [DirectoryRole(kind: .contactPoint, network: "carin", until: try PartialDate("2023-12", field: "u"))],
                           consentBasis: "zk4basis"),
        ]
    }

    static func names(_ found: (entries: [DirectoryEntry], total: Int)) -> [String] { found.entries.map(\.name) }

    /// Migration 17 fills in what the searches look up for the entries a database already held.
    @Test(arguments: Backend.available)
    func entriesHeldBeforeTheSearchIndexesAreFoundAfterIt(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate(upTo: 16)
            try await store.driver.withDatabase { db in
                for (id, name, key, country, until) in [(1, "Zk4 Alba", "zk4 alba | zk4authority | fiscal", "ES", 99_991_231),
                                                        (2, "Zk4 Jonas", "zk4 jonas | bka | officer", "DE", 20_231_231)] {
                    try await db.raw("""
                        INSERT INTO directory_entries (identity_key, search_key, name, function, authority, country, emails, phones, languages,
                            available_24_7, source, consent_basis, visibility, created_at, updated_at)
                        VALUES (\(bind: name), \(bind: key), \(bind: name), '', '', \(bind: country), '', '', '', 0, '', '', 'practitioners', '', '')
                        """).run()
                    try await db.raw("""
                        INSERT INTO directory_roles (entry_id, position, kind, title, until_key, sending_country, host, covers)
                        VALUES (\(bind: id), 0, 'liaison-magistrate', '', \(bind: until), \(bind: country), 'GH', 'TG BJ')
                        """).run()
                }
            }
            #expect(try await store.migrate().first == 17)
            let reader = Principal(accountID: 1, role: .practitioner, usesSecondFactor: true)
            func find(_ query: DirectoryQuery) async throws -> [String] {
                Self.names(try await store.directoryEntries(query, seenBy: reader, today: Self.today, limit: 50, offset: 0))
            }
            #expect(try await find(DirectoryQuery()) == ["Zk4 Alba"], "Jonas's role ended")
            for country in ["ES", "GH", "TG", "BJ"] { #expect(try await find(DirectoryQuery(country: country)) == ["Zk4 Alba"], "\(country)") }
            #expect(try await find(DirectoryQuery(country: "DE")).isEmpty)
            #expect(try await find(DirectoryQuery(words: ["zk4auth", "fisc"])) == ["Zk4 Alba"])
            #expect(try await find(DirectoryQuery(words: ["|"])) == ["Zk4 Alba"], "no word is the separator; a query of none finds all")
        }
    }

    @Test(arguments: Backend.available)
    func readersSeeWhatTheyMayAndPostingsAreFound(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let imported = try await store.importDirectory(try Self.entries(), actor: "test", reason: "test")
            #expect(imported.added == 3 && imported.updated == 0)
            let practitioner = Principal(accountID: 1, role: .practitioner, usesSecondFactor: true)
            let eurojust = Principal(accountID: 2, role: .focalPoint, networks: ["eurojust"], usesSecondFactor: true)
            let editor = Principal(accountID: 3, role: .editor, usesSecondFactor: true)
            func find(_ query: DirectoryQuery, _ who: Principal) async throws -> [String] {
                Self.names(try await store.directoryEntries(query, seenBy: who, today: Self.today, limit: 50, offset: 0))
            }
            #expect(try await find(DirectoryQuery(), practitioner) == ["Zk4 Alba"], "Claire is for Eurojust's people; Jonas lapsed")
            #expect(try await find(DirectoryQuery(), eurojust) == ["Zk4 Alba", "Zk4 Claire"])
            #expect(try await find(DirectoryQuery(), editor) == ["Zk4 Alba", "Zk4 Claire"])
            #expect(try await find(DirectoryQuery(country: "BJ"), practitioner) == ["Zk4 Alba"], "a posting's covered country")
            #expect(try await find(DirectoryQuery(country: "GH"), practitioner) == ["Zk4 Alba"], "the host")
            #expect(try await find(DirectoryQuery(country: "TG"), practitioner) == ["Zk4 Alba"])
            #expect(try await find(DirectoryQuery(country: "IT"), practitioner) == [])
            #expect(try await find(DirectoryQuery(postedFrom: "ES", postedTo: "GH"), practitioner) == ["Zk4 Alba"])
            #expect(try await find(DirectoryQuery(postedFrom: "GH", postedTo: "ES"), practitioner) == [])
            #expect(try await find(DirectoryQuery(words: ["ZK4AUTHORITY"]), practitioner) == ["Zk4 Alba"])
            #expect(try await find(DirectoryQuery(words: ["zk4", "nobody"]), practitioner) == [], "every word must match")
            #expect(try await find(DirectoryQuery(words: ["zk4auth"]), practitioner) == ["Zk4 Alba"], "a word's beginning")
            #expect(try await find(DirectoryQuery(words: ["authority"]), practitioner) == [], "a word begins a word, it is not looked for inside")
            #expect(try await find(DirectoryQuery(language: "en"), practitioner) == ["Zk4 Alba"])
            #expect(try await find(DirectoryQuery(language: "e"), practitioner) == [])
            #expect(try await find(DirectoryQuery(network: "ejn", kind: .contactPoint), practitioner) == ["Zk4 Alba"])
            let contacts = try await store.directoryContacts(countries: ["GH", "ES"], seenBy: practitioner, today: Self.today)
            #expect(contacts.map(\.name) == ["Zk4 Alba"])
            #expect(try await store.directoryContacts(countries: ["GH", "IT"], seenBy: practitioner, today: Self.today).isEmpty,
                    "a posting from Spain connects Spain with Ghana, not Italy with Ghana")
            // What was stored is what was imported.
            let stored = try #require(try await store.allDirectoryEntries().first { $0.name == "Zk4 Alba" })
            var expected = try Self.entries()[0]
            expected.id = stored.id
            expected.lastConfirmed = stored.lastConfirmed
            #expect(stored == expected)
            // Importing the same people again updates them.
            #expect(try await store.importDirectory(try Self.entries(), actor: "test", reason: "again").updated == 3)
        }
    }

    @Test(arguments: Backend.available)
    func viewsAreLimitedAndErasureLeavesNoPersonalFieldInAnyColumn(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            _ = try await store.importDirectory(try Self.entries(), actor: "test", reason: "test")
            let viewer = try await store.createAccount(email: "viewer@example.org", displayName: "Viewer", role: .practitioner, language: .en,
                                                       passwordHash: nil, by: .commandLine)
            let alba = try #require(try await store.directoryEntries(email: "zk4alba@example.org").first?.id)
            #expect(try await store.directoryEntries(email: "alba@example.org").isEmpty, "an address inside another is not it")
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for i in 0..<3 { try await store.recordDirectoryView(entryID: alba, accountID: viewer.id, perHour: 3, at: start.addingTimeInterval(Double(i))) }
            await #expect(throws: AccountError.self) {
                try await store.recordDirectoryView(entryID: alba, accountID: viewer.id, perHour: 3, at: start.addingTimeInterval(10))
            }
            try await store.recordDirectoryView(entryID: alba, accountID: viewer.id, perHour: 3, at: start.addingTimeInterval(3_700))
            #expect(try await store.directoryViews(entryID: alba).count == 4)
            // A page of three at once would make four in the hour: refused whole, none recorded.
            await #expect(throws: AccountError.self) {
                try await store.recordDirectoryViews(entryIDs: [alba, alba, alba], accountID: viewer.id, perHour: 3, at: start.addingTimeInterval(3_701))
            }
            #expect(try await store.directoryViews(entryID: alba).count == 4)
            // Pages of lists count on their own allowance, and are forgotten after a while.
            for i in 0..<2 { try await store.recordDirectoryLookup(accountID: viewer.id, perHour: 2, at: start.addingTimeInterval(Double(i))) }
            await #expect(throws: AccountError.self) {
                try await store.recordDirectoryLookup(accountID: viewer.id, perHour: 2, at: start.addingTimeInterval(10))
            }
            #expect(try await store.forgetDirectoryLookups(before: start.addingTimeInterval(1)) == 1)
            try await store.recordDirectoryLookup(accountID: viewer.id, perHour: 2, at: start.addingTimeInterval(11))

            var corrected = try #require(try await store.directoryEntry(id: alba))
            corrected.phones = ["+34977000003"]
            try await store.correctDirectoryEntry(corrected, actor: "Zk4 Alba", reason: "zk4 new number")
            #expect(try await store.directoryEntry(id: alba)?.phones == ["+34977000003"])
            #expect(try await store.directoryHistory(entryID: alba).map(\.action) == ["edited", "created"])

            try await store.eraseDirectoryEntry(id: alba, by: "an editor", reason: "erased at the request of the person listed")
            #expect(try await store.directoryEntry(id: alba) == nil)
            await #expect(throws: CatalogueError.self) { try await store.eraseDirectoryEntry(id: alba, by: "again", reason: "twice") }
            #expect(try await store.directoryHistory(entryID: alba).map(\.action) == ["erased", "edited", "created"])
            // Every column of every row that belongs to the erased entry, in every table of the directory the schema
            // has (those added later too), read from the database's own catalogue.
            let markers = ["zk4", "alba", "977000"]
            try await store.driver.withDatabase { db in
                let tables = try await db.raw(store.driver.dialect == .postgresql
                    ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'directory%'"
                    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'directory%'").all().map { try $0.decode(column: "name", as: String.self) }
                #expect(Set(tables).isSuperset(of: ["directory_entries", "directory_roles", "directory_views", "directory_revisions", "directory_places",
                                                    "directory_words"]))
                for table in tables {
                    for row in try await db.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                        let owner = row.allColumns.contains("entry_id") ? try row.decode(column: "entry_id", as: Int64.self)
                            : table == "directory_entries" ? try row.decode(column: "id", as: Int64.self) : alba
                        guard owner == alba else { continue }
                        for column in row.allColumns {
                            let text = (try? row.decode(column: column, as: String?.self)) ?? nil
                            for marker in markers {
                                #expect(text?.lowercased().contains(marker) != true, "\(table).\(column) keeps “\(text ?? "")”")
                            }
                        }
                    }
                }
                let kept = try #require(try await db.raw("SELECT erased_at, erased_by FROM directory_entries WHERE id = \(bind: alba)").first())
                #expect(try kept.decode(column: "erased_by", as: String.self) == "an editor" && (try kept.decode(column: "erased_at", as: String?.self)) != nil)
            }
            // The others are untouched; retention finds the lapsed one.
            #expect(try await store.allDirectoryEntries().map(\.name) == ["Zk4 Claire", "Zk4 Jonas"])
            let jonas = try #require(try await store.allDirectoryEntries().first { $0.name == "Zk4 Jonas" }?.id)
            #expect(try await store.lapsedDirectoryEntries(endedBefore: 2024_12_06) == [jonas])
            #expect(try await store.lapsedDirectoryEntries(endedBefore: 2023_12_31) == [], "ended on the last day of December 2023")
        }
    }
}
