import Foundation

/// A network of the catalogue: one row of the report's tables (or a network described inside another row).
public struct Network: Hashable, Sendable, Identifiable {
    public var id: String { slug }
    public var slug: String
    public var name: String
    /// Its name in French, where it has one (`sources[.nameFR]` says where it comes from, `translations` whether it
    /// is a translation written for Liaison).
    public var nameFR: String?
    public var acronym: String?
    public var otherNames: [String]
    /// The first cell of the report's row exactly as printed.
    public var printedName: String?
    public var section: Section
    /// Position in its table, from 1; nil when the network has no row of its own.
    public var row: Int?
    public var scope: Scope
    /// Purpose text by language.
    public var purpose: [Language: String]
    public var memberTypes: [MemberType]
    public var crimeAreas: [CrimeArea]
    public var instruments: [Instrument]
    public var status: NetworkStatus
    /// What practitioners use it for; nil when not established.
    public var function: NetworkFunction?
    /// Open to (the authorities of) any country, its members not listed (the IAP, GPEN).
    public var openMembership: Bool
    public var founded: PartialDate?
    public var website: String?
    public var references: [Reference]
    public var statedMemberCount: StatedCount?
    /// The party (network or organisation) that hosts the secretariat.
    public var hostedBy: String?
    public var relations: [Relation]
    /// The member cell, heading by heading, in printed order.
    public var groups: [MemberGroup]
    public var notes: String?
    /// Where a field's value comes from, for fields whose source is not the report (a web page, a document, a letter).
    public var sources: [SourcedField: String]
    /// The fields in French that are translations written for Liaison, not a text of the network or an official one
    /// (`.nameFR`, `.purposeFR`): the pages and the API say so.
    public var translations: Set<SourcedField>

    public init(
        slug: String, name: String, acronym: String? = nil, otherNames: [String] = [], printedName: String? = nil,
        section: Section, row: Int? = nil, scope: Scope, purpose: [Language: String] = [:],
        memberTypes: [MemberType] = [], crimeAreas: [CrimeArea] = [], instruments: [Instrument] = [],
        status: NetworkStatus = NetworkStatus(value: .unknown), function: NetworkFunction? = nil, openMembership: Bool = false,
        founded: PartialDate? = nil, website: String? = nil,
        references: [Reference] = [], statedMemberCount: StatedCount? = nil, hostedBy: String? = nil,
        relations: [Relation] = [], groups: [MemberGroup] = [], notes: String? = nil, sources: [SourcedField: String] = [:],
        nameFR: String? = nil, translations: Set<SourcedField> = []
    ) {
        self.slug = slug
        self.name = name
        self.nameFR = nameFR
        self.translations = translations
        self.acronym = acronym
        self.otherNames = otherNames
        self.printedName = printedName
        self.section = section
        self.row = row
        self.scope = scope
        self.purpose = purpose
        self.memberTypes = memberTypes
        self.crimeAreas = crimeAreas
        self.instruments = instruments
        self.status = status
        self.function = function
        self.openMembership = openMembership
        self.founded = founded
        self.website = website
        self.references = references
        self.statedMemberCount = statedMemberCount
        self.hostedBy = hostedBy
        self.relations = relations
        self.groups = groups
        self.notes = notes
        self.sources = sources
    }

    /// Every membership (an entry with a party and a role), in printed order.
    public var memberships: [Membership] {
        groups.enumerated().flatMap { groupIndex, group in
            group.entries.enumerated().compactMap { entryIndex, entry in
                guard let party = entry.partyID, let role = entry.role ?? group.role else { return nil }
                return Membership(
                    partyID: party, networkSlug: slug, role: role, asPrinted: entry.printed,
                    heading: group.heading, group: groupIndex, position: entryIndex,
                    since: entry.since, until: entry.until, sourceFootnote: entry.sourceFootnote, note: entry.note)
            }
        }
    }

    /// The memberships of one party, without building the others.
    public func memberships(of partyID: String) -> [Membership] {
        groups.enumerated().flatMap { groupIndex, group in
            group.entries.indices.compactMap { entryIndex -> Membership? in
                // Only the party's own entries are built.
                guard group.entries.entry(at: entryIndex, isOf: partyID) else { return nil }
                let entry = group.entries[entryIndex]
                guard let role = entry.role ?? group.role else { return nil }
                return Membership(
                    partyID: partyID, networkSlug: slug, role: role, asPrinted: entry.printed,
                    heading: group.heading, group: groupIndex, position: entryIndex,
                    since: entry.since, until: entry.until, sourceFootnote: entry.sourceFootnote, note: entry.note)
            }
        }
    }

    /// How many memberships, without building them.
    public var membershipCount: Int {
        groups.reduce(0) { $0 + $1.entries.membershipCount(groupRole: $1.role) }
    }

    /// Entries the report prints that are not memberships: names that resolve to no party,
    /// and parties the report says are not part of the network.
    public var otherEntries: [(group: MemberGroup, entry: MemberEntry)] {
        groups.flatMap { group in
            group.entries.filter { $0.partyID == nil || ($0.role ?? group.role) == nil }.map { (group, $0) }
        }
    }

    /// A name for lists: the acronym with the name, or the name alone.
    public var displayName: String {
        Self.displayName(name: name, acronym: acronym)
    }

    /// Its name in a language: the French one where it has one, else the English.
    public func localizedName(_ language: Language) -> String {
        language == .fr ? nameFR ?? name : name
    }

    /// `displayName` in a language.
    public func localizedDisplayName(_ language: Language) -> String {
        Self.displayName(name: localizedName(language), acronym: acronym)
    }

    /// The name with the acronym after it, unless the name contains it already.
    public static func displayName(name: String, acronym: String?) -> String {
        guard let acronym, !contains(name, acronym) else { return name }
        return "\(name) (\(acronym))"
    }

    /// Whether `text` contains `part`: ASCII texts compared byte by byte (Foundation's search was a tenth of a start
    /// of 100,000 networks), others as Foundation compares them.
    private static func contains(_ text: String, _ part: String) -> Bool {
        let (bytes, wanted) = (text.utf8, part.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }), wanted.allSatisfy({ $0 < 0x80 }) else { return text.contains(part) }
        guard !wanted.isEmpty else { return true }
        guard wanted.count <= bytes.count else { return false }
        let first = wanted.first!
        var start = bytes.startIndex
        while let found = bytes[start...].firstIndex(of: first) {
            if bytes[found...].starts(with: wanted) { return true }
            start = bytes.index(after: found)
        }
        return false
    }
}

/// The fields of a network that can name a source of their own (members name theirs in their notes).
public enum SourcedField: String, CaseIterable, Sendable, Hashable, Comparable {
    case name
    case nameFR = "name_fr"
    case acronym, otherNames = "other_names", section, scope, purpose
    case purposeFR = "purpose_fr"
    case memberTypes = "member_types", crimeAreas = "crime_areas"
    case instruments, status, founded, website, hostedBy = "hosted_by", relations, notes

    public static func < (a: SourcedField, b: SourcedField) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// A network's status, with dates where known.
public struct NetworkStatus: Hashable, Sendable, Codable {
    public var value: NetworkStatusValue
    public var since: PartialDate?
    public var until: PartialDate?
    public var note: String?

    public init(value: NetworkStatusValue, since: PartialDate? = nil, until: PartialDate? = nil, note: String? = nil) {
        self.value = value
        self.since = since
        self.until = until
        self.note = note
    }
}

/// A footnote of the report (or any later source): where a statement comes from.
public struct Reference: Hashable, Sendable, Codable {
    public var footnote: Int?
    public var url: String?
    public var title: String?

    public init(footnote: Int? = nil, url: String? = nil, title: String? = nil) {
        self.footnote = footnote
        self.url = url
        self.title = title
    }
}

/// A count of members as the report prints it ("54 Registered Member Jurisdictions").
public struct StatedCount: Hashable, Sendable, Codable {
    public var count: Int
    public var text: String

    public init(count: Int, text: String) {
        self.count = count
        self.text = text
    }
}

/// A typed link from one network to another.
public struct Relation: Hashable, Sendable, Codable {
    public var type: RelationType
    /// The other network's slug.
    public var target: String
    public var note: String?

    public init(type: RelationType, target: String, note: String? = nil) {
        self.type = type
        self.target = target
        self.note = note
    }
}

/// One heading of a member cell and the list printed under it.
public struct MemberGroup: Hashable, Sendable {
    public var heading: String?
    /// The role of every entry (unless the entry overrides it); nil for parties the report names as not taking part.
    public var role: Role?
    public var statedCount: Int?
    /// The list exactly as printed.
    public var text: String
    public var entries: MemberEntries

    public init(heading: String? = nil, role: Role?, statedCount: Int? = nil, text: String, entries: some Sequence<MemberEntry>) {
        self.heading = heading
        self.role = role
        self.statedCount = statedCount
        self.text = text
        self.entries = MemberEntries(entries)
    }

    /// A group of entries already packed (kept as they are, not read and packed again).
    public init(heading: String? = nil, role: Role?, statedCount: Int? = nil, text: String, entries: MemberEntries) {
        self.heading = heading
        self.role = role
        self.statedCount = statedCount
        self.text = text
        self.entries = entries
    }
}

/// One name printed in a member list, with the party it resolves to.
public struct MemberEntry: Hashable, Sendable {
    /// The text exactly as printed.
    public var printed: String
    /// The party it resolves to; nil when it resolves to no known party.
    public var partyID: String?
    public var note: String?
    public var sourceFootnote: Int?
    /// Overrides the group's role for this entry.
    public var role: Role?
    public var since: PartialDate?
    public var until: PartialDate?

    public init(printed: String, partyID: String?, role: Role? = nil, since: PartialDate? = nil,
                until: PartialDate? = nil, sourceFootnote: Int? = nil, note: String? = nil) {
        self.printed = printed
        self.partyID = partyID
        self.role = role
        self.since = since
        self.until = until
        self.sourceFootnote = sourceFootnote
        self.note = note
    }
}

/// A party's part in a network: party + network + role, with the label as printed.
public struct Membership: Hashable, Sendable {
    public var partyID: String
    public var networkSlug: String
    public var role: Role
    public var asPrinted: String
    public var heading: String?
    /// Position of the group in the member cell and of the entry in the group.
    public var group: Int
    public var position: Int
    public var since: PartialDate?
    public var until: PartialDate?
    public var sourceFootnote: Int?
    public var note: String?
}
