import Foundation
import LiaisonCore
import Logging
import SQLKit
import Testing
@testable import LiaisonStore

/// The store's contract, run on SQLite always and on PostgreSQL when `LIAISON_TEST_POSTGRES_URL` is set.
@Suite struct CatalogueStoreTests {
    static let catalogue2017: [Network] = (try? CatalogueFile.catalogue2017().networks()) ?? []

    @Test(arguments: Backend.available)
    func migrationsApplyOnceAndInOrder(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            #expect(try await store.migrate() == Migrations.all.map(\.version))
            #expect(try await store.migrate() == [])
            #expect(try await store.appliedMigrations() == Migrations.all.map(\.version))
        }
    }

    @Test(arguments: Backend.available)
    func theCatalogueComesBackExactlyAsStored(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()

            let summary = try await store.importNetworks(Self.catalogue2017, actor: "test", reason: "load the 2017 catalogue")
            let loaded = try await store.loadCatalogue()

            #expect(summary.created == 40)
            #expect(summary.replaced == 0)
            #expect(summary.memberships == 767)
            #expect(loaded.networks.count == 40)
            for network in Self.catalogue2017 {
                #expect(loaded.network(slug: network.slug) == network, "\(network.slug)")
            }
            let revisions = try await store.revisions()
            #expect(revisions.count == 40)
            #expect(revisions.allSatisfy { $0.entity == "network" && $0.actor == "test" && $0.reason == "load the 2017 catalogue" })
            #expect(revisions.map(\.seq) == revisions.map(\.seq).sorted())
            #expect(loaded.revision == revisions.last?.seq)
            // A load is not a change by a person: no entry says it changed on the day of the load.
            #expect(loaded.lastChanged.isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func fieldSourcesAreStoredWithTheNetworkAndChangeWithIt(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            var carin = try #require(Self.catalogue2017.first { $0.slug == "carin" })
            carin.sources = [.website: "https://www.carin.network/contact", .status: "Letter of the secretariat, 3 March 2026"]
            try await store.importNetworks([carin], actor: "test", reason: "with sources")
            #expect(try await store.loadCatalogue().network(slug: "carin") == carin)
            var edited = carin
            edited.sources[.status] = nil
            edited.sources[.founded] = "Annual report 2005, p. 2"
            try await store.saveNetwork(edited, change: try NetworkRevisionChange(action: .edited, before: carin, after: edited), actor: "test",
                                        reason: "sources")
            #expect(try await store.loadCatalogue().network(slug: "carin")?.sources == edited.sources)
        }
    }

    @Test(arguments: Backend.available)
    func anImportThatFailsChangesNothing(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            try await store.importNetworks(Self.catalogue2017, actor: "test", reason: "setup")
            let before = try await store.revisions(limit: 10_000)
            var renamed = try #require(Self.catalogue2017.first { $0.slug == "carin" })
            renamed.name = "Renamed"
            // A party the database does not know: the foreign key refuses it, after other rows were written.
            let broken = Network(slug: "zz-broken", name: "Broken", section: .european, scope: .europe,
                                 groups: [MemberGroup(role: .member, text: "Nowhere", entries: [MemberEntry(printed: "Nowhere", partyID: "ZZ-NOWHERE")])])

            await #expect(throws: (any Error).self) {
                try await store.importNetworks([renamed, broken], actor: "test", reason: "broken import")
            }

            let after = try await store.loadCatalogue()
            #expect(after.network(slug: "carin")?.name == "Camden Assets Recovery Interagency Network")
            #expect(after.network(slug: "zz-broken") == nil)
            #expect(try await store.revisions(limit: 10_000) == before)
        }
    }

    @Test(arguments: Backend.available)
    func replacingANetworkKeepsRelationsThatPointToIt(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            try await store.importNetworks(Self.catalogue2017, actor: "test", reason: "setup")
            var gpen = try #require(Self.catalogue2017.first { $0.slug == "gpen" })
            gpen.name = "Global Prosecutors E-Crime Network (renamed)"
            gpen.groups = [MemberGroup(role: .member, text: "Ghana", entries: [MemberEntry(printed: "Ghana", partyID: "GH")])]

            let summary = try await store.importNetworks([gpen], actor: "editor", reason: "members confirmed")
            let loaded = try await store.loadCatalogue()

            #expect(summary.created == 0)
            #expect(summary.replaced == 1)
            #expect(loaded.network(slug: "gpen") == gpen)
            #expect(loaded.network(slug: "iap")?.relations.map(\.target).contains("gpen") == true)
            #expect(loaded.memberships(of: "GH").map(\.networkSlug).contains("gpen"))
            let last = try #require(try await store.revisions(after: 40).last)
            #expect(last.entityID == "gpen")
            #expect(last.actor == "editor")
            #expect(last.change.contains("replaced"))
        }
    }

    @Test(arguments: Backend.available)
    func deletingANetworkIsRecorded(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            try await store.importNetworks(Self.catalogue2017, actor: "test", reason: "setup")

            try await store.deleteNetwork(slug: "tipp", actor: "editor", reason: "merged into the IAP entry")

            let loaded = try await store.loadCatalogue()
            #expect(loaded.network(slug: "tipp") == nil)
            #expect(loaded.network(slug: "iap")?.relations.map(\.target).contains("tipp") == false)
            // The networks whose relations to it went with it are edited too, each with its revision: before and after.
            let revisions = try await store.revisions(after: 40)
            let iap = try #require(Self.catalogue2017.first { $0.slug == "iap" })
            #expect(revisions.map(\.entityID) == ["tipp", "iap"])
            #expect(revisions.map(\.action) == [.deleted, .edited])
            let change = try #require(NetworkRevisionChange.decode(revisions[1].change))
            let slugs = Set(Self.catalogue2017.map(\.slug))
            #expect(try NetworkRevisionChange.network(change.before, networkSlugs: slugs) == iap)
            #expect(try NetworkRevisionChange.network(change.after, networkSlugs: slugs) == loaded.network(slug: "iap"))
            let differences = change.differences()
            #expect(differences.map(\.field) == ["relations"])
            #expect(differences.first?.before.contains { $0.contains("tipp") } == true && differences.first?.after.contains { $0.contains("tipp") } == false)
            #expect(revisions[1].actor == "editor" && revisions[1].reason == "merged into the IAP entry")
            #expect(try await store.loadCatalogue().lastChanged["iap"] != nil)
            await #expect(throws: CatalogueError.networkNotFound(slug: "tipp")) {
                try await store.deleteNetwork(slug: "tipp", actor: "editor", reason: "again")
            }
        }
    }

    @Test(arguments: Backend.available)
    func theSchemaEnforcesItsRules(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            try await store.importNetworks(Self.catalogue2017, actor: "test", reason: "setup")
            let driver = store.driver

            // The revision log is append-only.
            await #expect(throws: (any Error).self) {
                try await driver.withDatabase { try await $0.raw("UPDATE revisions SET reason = 'rewritten'").run() }
            }
            await #expect(throws: (any Error).self) {
                try await driver.withDatabase { try await $0.raw("DELETE FROM revisions").run() }
            }
            // Roles are checked, parties and networks must exist, slugs are unique.
            await #expect(throws: (any Error).self) {
                try await driver.withDatabase {
                    try await $0.raw("""
                        INSERT INTO memberships (network_slug, group_position, position, party_id, role, role_override, as_printed)
                        VALUES ('carin', 0, 99, 'ES', 'boss', 0, 'Spain')
                        """).run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await driver.withDatabase {
                    try await $0.raw("""
                        INSERT INTO memberships (network_slug, group_position, position, party_id, role, role_override, as_printed)
                        VALUES ('carin', 0, 99, 'ZZ-NOWHERE', 'member', 0, 'Nowhere')
                        """).run()
                }
            }
            await #expect(throws: (any Error).self) {
                try await driver.withDatabase {
                    try await $0.raw("""
                        INSERT INTO networks (slug, name, other_names, section, scope, status)
                        VALUES ('carin', 'Again', '[]', 'european', 'europe', 'active')
                        """).run()
                }
            }
            #expect(try await store.revisions(limit: 10_000).count == 40)
        }
    }

    @Test(arguments: Backend.available)
    func theBulkFormatImports(backend: Backend) async throws {
        let url = try #require(Bundle.module.url(forResource: "bulk-sample", withExtension: "jsonl", subdirectory: "Fixtures"))
        let networks = try JSONLines.networks(try Data(contentsOf: url), source: "bulk-sample.jsonl")
        try await backend.withStore { store async throws in
            try await store.migrate()

            let summary = try await store.importNetworks(networks, actor: "test", reason: "bulk")
            let loaded = try await store.loadCatalogue()

            #expect(summary.created == 20)
            #expect(summary.memberships == networks.reduce(0) { $0 + $1.memberships.count })
            for network in networks {
                #expect(loaded.network(slug: network.slug) == network)
            }
        }
    }

    /// An import large enough for the bulk path (party index built after the rows, rows in key order).
    @Test(arguments: Backend.available)
    func aLargeImportIsStoredWholeInOrderAndKeepsItsIndexes(backend: Backend) async throws {
        let codes = PartyDirectory.standard.parties.values.filter { $0.kind == .state }.map(\.id).sorted()
        // Given in descending slug order: the store writes rows in key order, revisions in the order given.
        let networks = (0..<4_100).reversed().map { number in
            Network(
                slug: "network-\(number)", name: "Network \(number)", section: .european, scope: .europe,
                groups: [MemberGroup(role: .member, text: "", entries: (0..<25).map { offset in
                    let code = codes[(number * 7 + offset * 3) % codes.count]
                    return MemberEntry(printed: code, partyID: code, role: offset % 5 == 0 ? .observer : nil)
                })])
        }
        try await backend.withStore { store async throws in
            try await store.migrate()
            let summary = try await store.importNetworks(networks, actor: "test", reason: "large")
            #expect(summary.memberships == 102_500)
            let loaded = try await store.loadCatalogue()
            #expect(loaded.networks.count == 4_100)
            #expect(loaded.membershipCount == 102_500)
            // The party indexes, counted in slices and merged: each party's networks once, in name order.
            for code in codes.prefix(12) {
                let expected = loaded.networks.filter { $0.memberships.contains { $0.partyID == code } }.map(\.slug)
                #expect(loaded.networks(matching: NetworkFilter(parties: [code])).map(\.slug) == expected)
                #expect(loaded.networkCount(of: code) == expected.count)
                #expect(loaded.membershipCount(of: code) == loaded.memberships(of: code).count)
            }
            for network in networks.filter({ $0.slug.hasSuffix("7") }) {
                #expect(loaded.network(slug: network.slug) == network)
            }
            let revisions = try await store.revisions(limit: 2)
            #expect(revisions.map(\.entityID) == ["network-4099", "network-4098"])
            let indexes = try await store.driver.withDatabase { db in
                let query: SQLQueryString = store.driver.dialect == .sqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'memberships'"
                    : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'memberships'"
                return try await db.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(indexes.contains("memberships_party"))
        }
    }

    /// A large import writes on SQLite without the foreign keys looked up row by row: what they would refuse is refused
    /// all the same and nothing is written, a replaced network keeps nothing of its earlier entries, and the connection
    /// has its foreign keys (and WAL) back afterwards.
    @Test(arguments: Backend.available)
    func aLargeImportChecksWhatForeignKeysWouldAndReplacesWholly(backend: Backend) async throws {
        func entry(network number: Int, group: Int, entry: Int) -> MemberEntry {
            let code = ["FR", "DE", "IT", "ES", "PT"][(number + entry) % 5]
            // Other entries besides the memberships: a party without a role, a name without a party.
            if group == 0 || entry % 2 == 0 { return MemberEntry(printed: code, partyID: code) }
            return MemberEntry(printed: "Somewhere \(entry)", partyID: nil)
        }
        func networks(_ count: Int, groups: Int, entries: Int) -> [Network] {
            (0..<count).map { number -> Network in
                let memberGroups = (0..<groups).map { g -> MemberGroup in
                    MemberGroup(role: g == 0 ? .member : nil, text: "group \(g)",
                                entries: (0..<entries).map { entry(network: number, group: g, entry: $0) })
                }
                let relations = number > 0 ? [Relation(type: .partner, target: "bulk-\(number - 1)")] : []
                return Network(slug: "bulk-\(number)", name: "Bulk \(number)", section: .european, scope: .europe,
                               hostedBy: number % 10 == 0 ? "eurojust" : nil, relations: relations, groups: memberGroups)
            }
        }
        try await backend.withStore { store async throws in
            try await store.migrate()
            try await store.importNetworks(Self.catalogue2017, actor: "test", reason: "setup")
            try await store.importNetworks(networks(1_200, groups: 3, entries: 6), actor: "test", reason: "first")
            // The same networks again with fewer groups and entries, one of them a member of a stored network (a party
            // the directory does not know).
            var again = networks(1_200, groups: 1, entries: 2)
            again[5].groups[0].entries.append(MemberEntry(printed: "CARIN", partyID: "carin"))
            let summary = try await store.importNetworks(again, actor: "test", reason: "second")
            #expect(summary.replaced == 1_200)
            let loaded = try await store.loadCatalogue()
            for network in again { #expect(loaded.network(slug: network.slug) == network) }
            let counts = try await store.driver.withDatabase { db in
                try await db.raw("""
                    SELECT (SELECT COUNT(*) FROM memberships WHERE network_slug LIKE 'bulk-%') AS memberships,
                           (SELECT COUNT(*) FROM other_entries WHERE network_slug LIKE 'bulk-%') AS others
                    """).first().map { (try $0.decode(column: "memberships", as: Int.self), try $0.decode(column: "others", as: Int.self)) }
            }
            #expect(counts?.0 == 2_401)
            #expect(counts?.1 == 0)
            // No row a foreign key would refuse, and the connection's own settings back (after a refused import too).
            func expectSettingsBack(_ when: String) async throws {
                guard store.driver.dialect == .sqlite else { return }
                let (violations, foreignKeys, journal) = try await store.driver.withDatabase { db in
                    (try await db.raw("PRAGMA foreign_key_check").all().count,
                     try await db.raw("PRAGMA foreign_keys").first()?.decode(column: "foreign_keys", as: Int.self),
                     try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self))
                }
                #expect(violations == 0, "\(when)")
                #expect(foreignKeys == 1, "\(when)")
                #expect(journal == "wal", "\(when)")
            }
            try await expectSettingsBack("after an import")

            // What a foreign key would refuse: a relation to no network, a member or a host that is no party.
            let before = try await store.revisions(limit: 100_000)
            var toNowhere = networks(1_200, groups: 1, entries: 2)
            toNowhere[700].relations.append(Relation(type: .mou, target: "no-such-network"))
            var unknownMember = networks(1_200, groups: 1, entries: 2)
            unknownMember[300].groups[0].entries.append(MemberEntry(printed: "Nowhere", partyID: "ZZ-NOWHERE"))
            var unknownHost = networks(1_200, groups: 1, entries: 2)
            unknownHost[900].hostedBy = "no-such-host"
            // A party's id in another case is not its id ("be" for Belgium's "BE"): no row may name it.
            var lowercaseHost = networks(1_200, groups: 1, entries: 2)
            lowercaseHost[500].hostedBy = "be"
            let refusals = [(toNowhere, "bulk-700: relations", "no-such-network"), (unknownMember, "bulk-300: members", "ZZ-NOWHERE"),
                            (unknownHost, "bulk-900: hosted_by", "no-such-host"), (lowercaseHost, "bulk-500: hosted_by", "be")]
            for (networks, field, value) in refusals {
                await #expect {
                    try await store.importNetworks(networks, actor: "test", reason: "refused")
                } throws: { error in
                    guard case let .invalidValue(refusedField, refusedValue, _) = error as? InputError else { return false }
                    return refusedField == field && refusedValue == value
                }
            }
            #expect(try await store.revisions(limit: 100_000) == before)
            #expect(try await store.loadCatalogue().networks == loaded.networks)
            try await expectSettingsBack("after the refused imports")
        }
    }

    @Test(arguments: Backend.available)
    func theFirstStartLoadsThe2017CatalogueOnce(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let logger = Logger(label: "test")

            let first = try await LiveCatalogue.start(store: store, seed: true, logger: logger)
            let second = try await LiveCatalogue.start(store: store, seed: true, logger: logger)

            #expect(first.snapshot.networks.count == 40)
            #expect(second.snapshot.networks.count == 40)
            #expect(try await store.revisions(limit: 10_000).count == 40)
        }
    }

    @Test(arguments: Backend.available)
    func anEditIsSwappedInWithoutALoadAndTheSnapshotIsWhatALoadWouldGive(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let live = try await LiveCatalogue.start(store: store, seed: true, logger: Logger(label: "test"))
            let loads = live.loadCount
            var carin = try #require(live.snapshot.network(slug: "carin"))
            let before = carin
            // A rename moves it in the name order; a new member changes the party indexes.
            carin.name = "Asset Recovery Network of Camden"
            carin.groups[0].entries.append(MemberEntry(printed: "Ghana", partyID: "GH"))
            let seq = try await live.save(carin, change: try NetworkRevisionChange(action: .edited, before: before, after: carin), actor: "test",
                                          reason: "rename", at: Date(timeIntervalSinceNow: 3_600.123456))
            #expect(live.loadCount == loads, "no whole load for one edit")
            let swapped = live.snapshot
            let loaded = try await store.loadCatalogue()
            #expect(swapped.revision == seq && loaded.revision == seq)
            #expect(swapped.networks == loaded.networks)
            #expect(swapped.lastChanged == loaded.lastChanged && swapped.lastChanged["carin"]! > Date(timeIntervalSinceNow: 3_000))
            #expect(swapped.memberships(of: "GH").map(\.networkSlug) == loaded.memberships(of: "GH").map(\.networkSlug))
            #expect(swapped.memberships(of: "GH").contains { $0.networkSlug == "carin" })
            #expect(swapped.membershipCount == loaded.membershipCount && swapped.membershipsByRole == loaded.membershipsByRole)
            let found = try #require(swapped.search("Camden")).map { swapped.networks[$0.network].slug }
            let foundInLoaded = try #require(loaded.search("Camden")).map { loaded.networks[$0.network].slug }
            #expect(found.first == "carin" && found == foundInLoaded)

            // An edit that keeps the names (a note), and one that changes only the members: each as a load gives it.
            var noted = try #require(live.snapshot.network(slug: "seepag"))
            let seepag = noted
            noted.notes = "checked with the secretariat"
            try await live.save(noted, change: try NetworkRevisionChange(action: .edited, before: seepag, after: noted), actor: "test", reason: "note")
            var joined = noted
            joined.groups[0].entries.removeFirst()
            joined.groups[0].entries.append(MemberEntry(printed: "Austria", partyID: "AT"))
            try await live.save(joined, change: try NetworkRevisionChange(action: .edited, before: noted, after: joined), actor: "test", reason: "members")
            #expect(live.loadCount == loads)
            let edited = try await store.loadCatalogue()
            for (name, catalogue) in [("swapped", live.snapshot), ("loaded", edited)] {
                #expect(catalogue.network(slug: "seepag") == joined, "\(name)")
                #expect(catalogue.memberships(of: "AT").map(\.networkSlug).contains("seepag"), "\(name)")
                #expect(!catalogue.memberships(of: "AL").map(\.networkSlug).contains("seepag"), "\(name)")
            }
            #expect(live.snapshot.networks == edited.networks && live.snapshot.lastChanged == edited.lastChanged)
            #expect(live.snapshot.membershipsByRole == edited.membershipsByRole && live.snapshot.membershipCount == edited.membershipCount)
            #expect(live.snapshot.participatingParties.map(\.id) == edited.participatingParties.map(\.id))
            #expect(Set(live.snapshot.directory.parties.keys) == Set(edited.directory.parties.keys))
            for party in ["AT", "AL", "HR", "ES"] {
                #expect(live.snapshot.networkCountsByRole(of: party) == edited.networkCountsByRole(of: party), "\(party)")
            }

            // Something written meanwhile by someone else (here: straight to the store): the next save loads whole.
            try await store.importNetworks([try #require(Self.catalogue2017.first { $0.slug == "seepag" })], actor: "other", reason: "re-import")
            var again = try #require(live.snapshot.network(slug: "carin"))
            again.notes = "checked"
            let last = try await live.save(again, change: try NetworkRevisionChange(action: .edited, before: carin, after: again), actor: "test",
                                           reason: "a note")
            #expect(live.loadCount == loads + 1)
            let reloaded = try await store.loadCatalogue()
            #expect(live.snapshot.revision == last && live.snapshot.networks == reloaded.networks)
        }
    }

    @Test(arguments: Backend.available)
    func savesAtOnceLeaveTheSnapshotAsALoadGivesIt(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let live = try await LiveCatalogue.start(store: store, seed: true, logger: Logger(label: "test"))
            let slugs = Array(live.snapshot.networks.map(\.slug).prefix(12))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, slug) in slugs.enumerated() {
                    group.addTask {
                        let before = try #require(live.snapshot.network(slug: slug))
                        var after = before
                        after.notes = "edit \(i)"
                        try await live.save(after, change: try NetworkRevisionChange(action: .edited, before: before, after: after), actor: "test",
                                            reason: "at once")
                    }
                }
                try await group.waitForAll()
            }
            let loaded = try await store.loadCatalogue()
            #expect(live.snapshot.revision == loaded.revision)
            #expect(live.snapshot.networks == loaded.networks)
            #expect(slugs.enumerated().allSatisfy { i, slug in live.snapshot.network(slug: slug)?.notes == "edit \(i)" })
        }
    }

    @Test(arguments: Backend.available)
    func entriesThatAreNotMembershipsKeepTheirDatesAndFootnote(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            var eurojust = try #require(Self.catalogue2017.first { $0.slug == "eurojust" })
            let (g, e) = try #require(eurojust.groups.enumerated().lazy.compactMap { g, group in
                group.entries.firstIndex { $0.partyID == nil }.map { (g, $0) } }.first)
            eurojust.groups[g].entries[e].since = try PartialDate("2019-05", field: "since")
            eurojust.groups[g].entries[e].until = try PartialDate("2024", field: "until")
            eurojust.groups[g].entries[e].sourceFootnote = 3
            try await store.importNetworks(Self.catalogue2017.map { $0.slug == "eurojust" ? eurojust : $0 }, actor: "test", reason: "dates")
            #expect(try await store.loadCatalogue().network(slug: "eurojust") == eurojust)
        }
    }

    @Test(arguments: Backend.available)
    func anInstanceTakesInWhatAnotherInstanceWrote(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            let one = try await LiveCatalogue.start(store: store, seed: true, logger: Logger(label: "one"))
            let two = try await LiveCatalogue.start(store: store, seed: false, logger: Logger(label: "two"))
            #expect(try await two.follow() == false, "nothing new")
            let before = try #require(one.snapshot.network(slug: "carin"))
            var after = before
            after.notes = "written by instance one"
            try await one.save(after, change: try NetworkRevisionChange(action: .edited, before: before, after: after), actor: "test", reason: "x")
            #expect(two.snapshot.network(slug: "carin")?.notes != after.notes)
            let loads = two.loadCount
            // What the store gives a follower: the one network edited, as stored; nothing after the latest revision.
            let edits = try #require(try await store.editsSince(two.snapshot.revision))
            #expect(edits.networks.map(\.slug) == ["carin"] && edits.revision == one.snapshot.revision)
            #expect(try await store.editsSince(one.snapshot.revision) == nil)
            #expect(try await two.follow() == true)
            #expect(two.snapshot.network(slug: "carin") == after && two.snapshot.revision == one.snapshot.revision)
            // An edit is taken in without a whole load, and gives what a whole load would.
            #expect(two.loadCount == loads)
            let fresh = try await store.loadCatalogue()
            #expect(two.snapshot.networks == fresh.networks && two.snapshot.lastChanged == fresh.lastChanged && two.snapshot.revision == fresh.revision)
            #expect(two.snapshot.search("written instance")?.map(\.network) == fresh.search("written instance")?.map(\.network))
            // A network added elsewhere: a whole load.
            var added = try #require(Self.catalogue2017.first { $0.slug == "seepag" })
            added.slug = "seepag-copy"
            try await one.importNetworks([added], actor: "test", reason: "another")
            #expect(try await two.follow() == true)
            #expect(two.loadCount == loads + 1 && two.snapshot.network(slug: "seepag-copy") != nil)
        }
    }

    @Test func reloadsAskedForTogetherShareLoadsAndEachSeesWhatWasWrittenBeforeIt() async throws {
        try await Backend.sqlite.withStore { store async throws in
            let live = try await LiveCatalogue.start(store: store, seed: true, logger: Logger(label: "test"))
            let loads = live.loadCount
            try await store.importNetworks([try #require(Self.catalogue2017.first { $0.slug == "seepag" })], actor: "other", reason: "re-import")
            let written = try await store.latestRevision(ofNetwork: "seepag")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { try await live.reload() } }
                try await group.waitForAll()
            }
            #expect(live.snapshot.revision == written)
            #expect((1...2).contains(live.loadCount - loads), "twenty requests at once: one load running, one shared by the rest")
        }
    }

    /// A server that cannot start (its port taken) is closed by its background service and by the command: closing
    /// twice must not crash (SQLite's connection closed twice did).
    @Test(arguments: Backend.available)
    func aStoreClosedTwiceIsClosedOnce(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            _ = try await store.latestRevision()
            try await store.close()
            try await store.close()
        }
    }

    @Test func aDatabaseThatIsNotSeededStaysEmpty() async throws {
        try await Backend.sqlite.withStore { store async throws in
            let live = try await LiveCatalogue.start(store: store, seed: false, logger: Logger(label: "test"))
            #expect(live.snapshot.networks.isEmpty)

            try await live.importNetworks(Array(Self.catalogue2017.prefix(3)), actor: "test", reason: "three")

            #expect(live.snapshot.networks.count == 3)
        }
    }

    @Test func databaseURLsAreReadAndPasswordsNeverShown() throws {
        #expect(try DatabaseConfiguration(url: "sqlite:/tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        let postgres = try DatabaseConfiguration(url: "postgres://liaison:s3cret@db.example:5433/liaison")
        #expect(!postgres.description.contains("s3cret"))
        #expect(throws: InputError.self) { try DatabaseConfiguration(url: "mysql://x") }
        let configuration = try SQLDriver.postgresConfiguration("postgres://liaison:s3cret@db.example:5433/liaison?sslmode=disable")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 5433)
        #expect(configuration.database == "liaison")
        #expect(throws: InputError.self) { try SQLDriver.postgresConfiguration("postgres://db.example/liaison") }
    }
}

@Suite struct CIConfigurationTests {
    /// CI must run the store suite on PostgreSQL too; a missing server is a failure there, not a skip.
    @Test func continuousIntegrationRunsOnPostgreSQL() {
        guard ProcessInfo.processInfo.environment["CI"] == "true" else { return }
        #expect(Backend.postgresURL != nil, "CI=true but LIAISON_TEST_POSTGRES_URL is not set")
    }
}
