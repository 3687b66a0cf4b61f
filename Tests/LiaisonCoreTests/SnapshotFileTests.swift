import Foundation
import Testing
@testable import LiaisonCore

/// The packed member lists and the snapshot file: what goes in comes out, and a damaged file is refused with its reason.
struct SnapshotFileTests {
    /// An entry with every field, one with none, and texts of every length class (inline, heap, multibyte).
    static let entries: [MemberEntry] = [
        MemberEntry(printed: "Belgium", partyID: "BE"),
        MemberEntry(printed: "Bosnia and Herzegovina (Republika Srpska)", partyID: "BA", role: .observer,
                    since: try! PartialDate("2004-05", field: "t"), until: try! PartialDate("2019-12-31", field: "t"),
                    sourceFootnote: -7, note: "Côte d’Ivoire’s note — with “quotes” and 😀"),
        MemberEntry(printed: "Some unknown body", partyID: nil),
        MemberEntry(printed: "", partyID: "arin-ap", sourceFootnote: 300_000),
        MemberEntry(printed: String(repeating: "é", count: 200), partyID: "FR", role: .contactPoint, until: try! PartialDate("1999", field: "t")),
    ]

    @Test func aPackedListReadsAndChangesAsAnArrayDoes() {
        var packed = MemberEntries(Self.entries)
        var array = Self.entries
        #expect(Array(packed) == array)
        #expect(packed.count == 5 && packed[1] == array[1] && packed[4] == array[4])
        // Every change an array makes, made to both.
        packed.insert(array[1], at: 0); array.insert(array[1], at: 0)
        packed.remove(at: 3); array.remove(at: 3)
        packed[2] = Self.entries[4]; array[2] = Self.entries[4]
        packed.append(Self.entries[0]); array.append(Self.entries[0])
        packed.replaceSubrange(1..<3, with: Self.entries.prefix(3)); array.replaceSubrange(1..<3, with: Self.entries.prefix(3))
        #expect(Array(packed) == array)
        // Equal entries, equal lists (and hashes), however they were built.
        #expect(packed == MemberEntries(array) && packed.hashValue == MemberEntries(array).hashValue)
        #expect(packed != MemberEntries(array.dropLast()))
        // A party's entries are found from the bytes: not by a prefix of its id, nor in an entry without a party.
        #expect(packed.indices.filter { packed.entry(at: $0, isOf: "BE") } == array.indices.filter { array[$0].partyID == "BE" })
        #expect(!packed.indices.contains { packed.entry(at: $0, isOf: "B") || packed.entry(at: $0, isOf: "") })
        // Roles and counts read from the bytes are those of the entries, with and without a group role.
        for groupRole in [nil, Role.member] {
            let plain = array.filter { $0.partyID != nil && ($0.role ?? groupRole) != nil }
            #expect(packed.membershipCount(groupRole: groupRole) == plain.count)
            #expect(MemberEntries.roles(in: packed.roleBits(groupRole: groupRole)) == Set(plain.compactMap { $0.role ?? groupRole }))
            for party in ["BE", "BA", "FR", "arin-ap", "B", "", "XX"] {
                #expect(MemberEntries.roles(in: packed.roleBits(of: party, groupRole: groupRole))
                        == Set(plain.filter { $0.partyID == party }.compactMap { $0.role ?? groupRole }), "\(party)")
            }
        }
        var shrunk = packed
        shrunk.shrinkToFit()
        #expect(shrunk == packed)
    }

    @Test func packedBytesAreCheckedBeforeTheyAreUsed() throws {
        let bytes = MemberEntries(Self.entries).packed
        #expect(MemberEntries(packed: bytes) == MemberEntries(Self.entries))
        #expect(MemberEntries(packed: [])?.isEmpty == true)
        // Cut anywhere inside, every list of bytes is refused or is a list of the entries before the cut.
        for cut in 1..<bytes.count {
            if let read = MemberEntries(packed: Array(bytes.prefix(cut))) {
                #expect(Array(read) == Array(Self.entries.prefix(read.count)), "cut at \(cut)")
            }
        }
        #expect(MemberEntries(packed: [0xFF, 0]) == nil, "unknown flags")
        #expect(MemberEntries(packed: [2, 0, 200]) == nil, "a role past the list")
        #expect(MemberEntries(packed: [0, 2, 0xC3, 0x28]) == nil, "a text that is not UTF-8")
        #expect(MemberEntries(packed: [4, 0, 0x13, 0, 0, 0]) == nil, "a date of year 0")
        #expect(MemberEntries(packed: [0, 0x80, 0x80]) == nil, "a length that never ends")
    }

    /// A network with every field set: should a field be added to `Network`, this test fails until the snapshot file
    /// (and this network) carries it.
    static var everything: Network {
        Network(slug: "every-field", name: "Every Field Network", acronym: "EFN", otherNames: ["One", "Deux"], printedName: "Every\nField",
                section: .nonEuropean, row: 12, scope: .europeanUnion, purpose: [.en: "To test.", .fr: "Pour tester."],
                memberTypes: [.prosecutors, .judges], crimeAreas: [.moneyLaundering], instruments: [.extradition],
                status: NetworkStatus(value: .defunct, since: try! PartialDate("2001", field: "t"), until: try! PartialDate("2010-02", field: "t"),
                                      note: "ended"),
                function: .operational, openMembership: true, founded: try! PartialDate("1999-03-04", field: "t"), website: "https://example.org",
                references: [Reference(footnote: 4, url: "https://example.org/a", title: "A"), Reference()],
                statedMemberCount: StatedCount(count: 54, text: "54 members"), hostedBy: "eurojust",
                relations: [Relation(type: .hosts, target: "eurojust", note: "n"), Relation(type: .successorOf, target: "ejn")],
                groups: [MemberGroup(heading: "Members", role: .member, statedCount: 3, text: "Belgium, …", entries: entries),
                         MemberGroup(role: nil, text: "", entries: [])],
                notes: "Notes", sources: [.name: "https://example.org/name", .purposeFR: "Liaison"],
                nameFR: "Réseau de tous les champs", translations: [.nameFR, .purposeFR])
    }

    @Test func everyFieldOfANetworkIsWrittenAndReadBack() throws {
        let network = Self.everything
        // Every stored property holds a value that is not its default.
        for child in Mirror(reflecting: network).children {
            let value = "\(child.value)"
            #expect(!(value == "nil" || value == "[]" || value == "[:]" || value == "false" || value.isEmpty), "\(child.label ?? "?") is unset")
        }
        let key = SnapshotFile.Key(revision: 42, tag: "2026-12-07T10:00:00Z network every-field edited")
        let date = Date(timeIntervalSince1970: 1_780_000_000.123_457)
        let bytes = SnapshotFile.encode(key: key, networks: [network, Network(slug: "bare", name: "Bare", section: .european, scope: .global)],
                                        lastChanged: ["every-field": date])
        let read = try SnapshotFile.decode(bytes)
        #expect(read.key == key && read.lastChanged == ["every-field": date])
        #expect(read.networks == [network, Network(slug: "bare", name: "Bare", section: .european, scope: .global)])
        #expect(try SnapshotFile.key(ofHeader: Array(bytes.prefix(200))) == key)
        // Dates come back to the bit (a round trip through another epoch changed the last bit of some).
        let dates = Dictionary(uniqueKeysWithValues: (0..<2_000).map { ("n\($0)", Date(timeIntervalSinceReferenceDate: 8e8 + Double($0) * 0.001_237_1)) })
        #expect(try SnapshotFile.decode(SnapshotFile.encode(key: key, networks: [], lastChanged: dates)).lastChanged == dates)
    }

    @Test func theWhole2017CatalogueComesBackEqual() throws {
        let catalogue = Catalogue(networks: try CatalogueFile.catalogue2017().networks(), revision: 7)
        let key = SnapshotFile.Key(revision: 7, tag: "seed")
        let read = try SnapshotFile.decode(SnapshotFile.encode(key: key, networks: catalogue.networks, lastChanged: [:]))
        #expect(read.networks == catalogue.networks)
        #expect(read.networks.map(\.membershipCount).reduce(0, +) == catalogue.membershipCount)
    }

    /// The file's bytes with the checksum made again for what they hold now (a file changed on purpose, not damaged).
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var sealed = bytes
        let sum = SnapshotFile.checksum(Array(bytes[SnapshotFile.headerSize...]))
        withUnsafeBytes(of: sum.littleEndian) { sealed.replaceSubrange(28..<36, with: $0) }
        return sealed
    }

    @Test(arguments: [0, 3_000])
    func theSearchIndexIsKeptAndUsedOnlyWhenMadeByTheseRules(synthetic: Int) throws {
        let networks = synthetic == 0 ? try CatalogueFile.catalogue2017().networks()
            : try JSONLines.networks(SyntheticCatalogue.lines(synthetic), source: "synthetic")
        let built = Catalogue(networks: networks, revision: 9)
        let bytes = SnapshotFile.encode(key: .init(revision: 9, tag: "t"), networks: built.networks, lastChanged: [:], search: built.searchIndex)
        let contents = try SnapshotFile.decode(bytes)
        #expect(contents.search != nil)
        let read = Catalogue(contents)
        #expect(read.searchIndex.words == built.searchIndex.words && read.searchIndex.wholeNames == built.searchIndex.wholeNames)
        #expect(read.searchIndex.postings.map { $0.map(\.packedValue) } == built.searchIndex.postings.map { $0.map(\.packedValue) })
        #expect(read.searchIndex.deletions == built.searchIndex.deletions && read.searchIndex.wordIDs == built.searchIndex.wordIDs)
        for query in ["money laundering", "ejn", "réseau judiciaire", "eurojsut", "ghana", "cyber"] {
            #expect(read.search(query)?.map { read.networks[$0.network].slug } == built.search(query)?.map { built.networks[$0.network].slug }, "\(query)")
            #expect(read.topSearch(query, first: 20)?.hits.map(\.network) == built.topSearch(query, first: 20)?.hits.map(\.network), "\(query)")
        }
        // Every network is found by its whole names, and earns the bonus for them; a phrase that is no one's name finds none.
        for (position, network) in read.networks.enumerated().prefix(500) {
            for name in [network.name, network.acronym, network.displayName].compactMap({ $0 }) {
                #expect(read.searchIndex.networks(named: name.uppercased(), in: read.networks).contains(Int32(position)), "\(name)")
            }
            let hit = read.search(network.name)?.first { $0.network == position }
            #expect((hit?.score ?? 0) >= 20, "\(network.name): the exact-name bonus")
        }
        #expect(read.searchIndex.networks(named: "money laundering and the", in: read.networks).isEmpty)
        // An index made by other rules (another fingerprint) is not used: the index is built again, the same.
        var fingerprint = withUnsafeBytes(of: SearchIndex.rulesFingerprint.littleEndian, Array.init)
        let at = try #require((0...(bytes.count - 8)).last { Array(bytes[$0..<($0 + 8)]) == fingerprint })
        fingerprint[0] ^= 1
        var other = bytes
        other.replaceSubrange(at..<(at + 8), with: fingerprint)
        let rebuilt = try SnapshotFile.decode(Self.resealed(other))
        #expect(rebuilt.search == nil && Catalogue(rebuilt).searchIndex.words == built.searchIndex.words)
        // A stored index that does not fit its networks is refused.
        var wrong = bytes
        let lastPosting = wrong.count - 4
        wrong.replaceSubrange(lastPosting..<wrong.count, with: withUnsafeBytes(of: (UInt32(networks.count) << 3).littleEndian, Array.init))
        #expect(throws: SnapshotFile.Unreadable.self) { try SnapshotFile.decode(Self.resealed(wrong)) }
    }

    @Test func aDamagedFileIsRefusedWithItsReason() throws {
        let bytes = SnapshotFile.encode(key: .init(revision: 3, tag: "t"), networks: [Self.everything], lastChanged: [:])
        func reason(_ bytes: [UInt8]) -> String? {
            do {
                _ = try SnapshotFile.decode(bytes)
                return nil
            } catch let error as SnapshotFile.Unreadable {
                return error.reason
            } catch {
                return "\(error)"
            }
        }
        #expect(reason(bytes) == nil)
        // The checksum is the same taken at once or in pieces of any size (as a file is written).
        for size in [1, 5, 31, 32, 33, 1_000] {
            var pieces = Checksum()
            for start in stride(from: 0, to: bytes.count, by: size) { pieces.add(Array(bytes[start..<min(bytes.count, start + size)])) }
            #expect(pieces.value == SnapshotFile.checksum(bytes), "pieces of \(size)")
        }
        #expect(SnapshotFile.checksum(bytes) != SnapshotFile.checksum(bytes + [0]) && SnapshotFile.checksum([]) != SnapshotFile.checksum([0]))
        #expect(reason(Array("not a snapshot at all, but long enough to hold a header".utf8))?.contains("does not start") == true)
        var version = bytes
        version[16] = 9
        #expect(reason(version)?.contains("format version 9") == true)
        #expect(reason(Array(bytes.dropLast(10)))?.contains("bytes after its header") == true)
        // A single flipped bit anywhere after the header is caught by the checksum.
        for position in stride(from: SnapshotFile.headerSize, to: bytes.count, by: 7) {
            var flipped = bytes
            flipped[position] ^= 0x10
            #expect(reason(flipped)?.contains("checksum") == true, "bit flipped at \(position)")
        }
        // Bytes whose checksum matches but which are not a catalogue (written by something else): refused, no crash.
        var body = ByteWriter()
        body.integer(UInt64(1))
        body.text("t")
        body.number(1_000_000)
        var forged = ByteWriter()
        forged.bytes = SnapshotFile.magic
        forged.integer(SnapshotFile.formatVersion)
        forged.integer(UInt64(body.bytes.count))
        forged.integer(SnapshotFile.checksum(body.bytes))
        forged.bytes += body.bytes
        #expect(reason(forged.bytes)?.contains("more than the file holds") == true)
    }
}

/// The party figures a snapshot counts from the packed member lists are those its memberships give, counted plainly.
struct PartyIndexTests {
    @Test(arguments: [0, 3_000])
    func partyFiguresAreTheMembershipsCountedPlainly(synthetic: Int) throws {
        var networks = synthetic == 0 ? try CatalogueFile.catalogue2017().networks()
            : try JSONLines.networks(SyntheticCatalogue.lines(synthetic), source: "synthetic")
        // An entry whose own role overrides its group's, and a party twice in one network under two roles.
        networks[0].groups[0].entries.append(MemberEntry(printed: "Ghana", partyID: "GH", role: .observer))
        networks[0].groups[0].entries.append(MemberEntry(printed: "Ghana again", partyID: "GH", role: .partner))
        let catalogue = Catalogue(networks: networks)
        var memberships: [String: Int] = [:], networkCounts: [String: [Role: Int]] = [:], byRole: [Role: Int] = [:]
        var networksOf: [String: [Int]] = [:]
        for (position, network) in catalogue.networks.enumerated() {
            var held: [String: Set<Role>] = [:]
            for membership in network.memberships {
                memberships[membership.partyID, default: 0] += 1
                byRole[membership.role, default: 0] += 1
                held[membership.partyID, default: []].insert(membership.role)
            }
            for (party, roles) in held {
                networksOf[party, default: []].append(position)
                for role in roles { networkCounts[party, default: [:]][role, default: 0] += 1 }
            }
        }
        #expect(catalogue.membershipsByRole == byRole)
        #expect(catalogue.membershipCount == memberships.values.reduce(0, +))
        for party in Set(memberships.keys).union(["FR", "GH", "XX"]) {
            #expect(catalogue.membershipCount(of: party) == memberships[party] ?? 0, "\(party)")
            #expect(catalogue.networkCountsByRole(of: party) == networkCounts[party] ?? [:], "\(party)")
            #expect(catalogue.networkCount(of: party) == networksOf[party]?.count ?? 0, "\(party)")
            #expect(catalogue.memberships(of: party).count == memberships[party] ?? 0, "\(party)")
        }
        #expect(catalogue.networkCountsByRole(of: "GH")[.partner] ?? 0 >= 1)
    }
}
