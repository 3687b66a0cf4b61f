import Foundation
import LiaisonCore

/// `/networks/{slug}`: purpose, parties grouped by role, hosts and relations, references, status,
/// the inclusion criteria and when the entry last changed.
struct NetworkPage {
    struct RoleGroup {
        let title: String
        let count: String
        let parties: [PartyItem]
    }

    struct Linked {
        let label: String
        let url: String?
        let name: String
    }

    struct Criterion {
        let text: String
        let verdict: String
        let verdictClass: String
        let reason: String
    }

    struct PrintedGroup {
        let heading: String?
        let text: String
        let stated: String?
    }

    struct OtherEntry {
        let printed: String
        let reason: String
    }

    let name: String
    /// The language of the name shown (its French name, or the English one on a French page without one).
    let nameLang: String
    let nameTranslated: Bool
    /// Its name in the other language, when it has one there.
    let otherName: String?
    let otherNameLabel: String
    let otherNameLang: String
    let otherNameTranslated: Bool
    let acronym: String?
    let printedName: String?
    let section: String
    /// "Section of the report" for a row of the report; "Listed among" for an entry the platform created.
    let sectionLabel: String
    let scope: String
    let status: String
    let statusNote: String?
    let inactive: Bool
    let founded: String?
    let website: String?
    /// What practitioners use it for, and whether it is open to any country (members not listed).
    let function: String?
    let openMembership: String?
    let lastChanged: String?
    /// The purpose as paragraphs, the report's “-” lines as lists.
    let purpose: [TextBlock]
    /// The language the purpose is written in (English when there is no text in the reader's).
    let purposeLang: String
    let purposeLanguageNote: String?
    let crimeAreas: [String]
    let instruments: [String]
    let memberTypes: [String]
    let roleGroups: [RoleGroup]
    let otherEntries: [OtherEntry]
    let statedCount: String?
    let printedGroups: [PrintedGroup]
    let hasPrintedGroups: Bool
    let links: [Linked]
    let references: [Reference]
    /// Where fields' values come from: the field's name, the source, and the source as a link when it is an address.
    let sources: [FieldSource]
    let hasSources: Bool
    let criteria: [Criterion]
    let similar: [Linked]
    /// When a person last confirmed the entry, and what makes it need verification (set by the page's handler).
    var verification: VerificationItem?
    /// The report lists this network twice: where its other entry is, and whether this one is the entry shown.
    let listedTwice: String?
    let listedTwiceURL: String?
    /// What the person just did here (“saved”, “confirmed”), set by the page's handler.
    var notice: String?
    /// The person may edit the entry (the edit and members links; set by the page's handler).
    var canEdit = false
    /// The meetings to come its people are invited to.
    var meetings: [MeetingItem] = []
    var hasMeetings = false
    /// Its library: the documents about it the reader may see, the newest first, and where the rest are.
    var library = LibrarySection()
    /// The map of its countries by role (none when it names no country).
    let maps: [MapPicture]
    let slug: String
    let apiURL: String

    struct FieldSource {
        let field: String
        let source: String
        let url: String?
    }

    init(_ network: Network, in catalogue: Catalogue, t: Localizer) {
        let language = t.language
        maps = MapPicture.roles(of: network, in: catalogue, t: t).map { [$0] } ?? []
        // Its name in the page's language (the French one where it has one); the other language's beside it.
        let shownName = network.localizedName(language)
        name = shownName
        nameLang = language == .fr && network.nameFR != nil ? Language.fr.rawValue : Language.en.rawValue
        nameTranslated = language == .fr && network.translations.contains(.nameFR)
        otherName = language == .fr ? (network.nameFR == nil ? nil : network.name) : network.nameFR
        otherNameLabel = t[language == .fr ? "field_name_en" : "field_name_fr"]
        otherNameLang = language == .fr ? Language.en.rawValue : Language.fr.rawValue
        otherNameTranslated = language == .en && network.translations.contains(.nameFR)
        acronym = network.acronym.flatMap { shownName.contains($0) ? nil : $0 }
        // An entry the platform created was never printed in the report: no section of it, no printed names or lists.
        let fromReport = network.row != nil
        printedName = fromReport ? network.printedName : nil
        section = network.section.label(language)
        sectionLabel = t[fromReport ? "field_section" : "field_listed_among"]
        scope = network.scope.label(language)
        status = t.status(network.status)
        statusNote = network.status.note
        inactive = network.status.value != .active
        founded = network.founded?.description
        website = network.website
        function = network.function?.label(language)
        openMembership = network.openMembership ? t["open_membership_text"] : nil
        lastChanged = catalogue.lastChanged[network.slug].map(t.date)
        let text = network.purpose[language] ?? network.purpose[.en] ?? ""
        if let shown = catalogue.shownAs(network.slug).flatMap(catalogue.network(slug:)) {
            listedTwice = t.format("listed_twice_duplicate", ["name": shown.localizedDisplayName(t.language)])
            listedTwiceURL = "/networks/\(shown.slug)"
        } else if let other = catalogue.alsoListedAs(network.slug).flatMap(catalogue.network(slug:)) {
            listedTwice = t.format("listed_twice_shown", ["name": other.localizedDisplayName(t.language)])
            listedTwiceURL = "/networks/\(other.slug)"
        } else {
            listedTwice = nil
            listedTwiceURL = nil
        }
        purpose = TextBlock.blocks(text)
        purposeLang = network.purpose[language] == nil ? Language.en.rawValue : language.rawValue
        purposeLanguageNote = network.purpose[language] == nil && !text.isEmpty ? t["purpose_in_english"]
            : language == .fr && network.translations.contains(.purposeFR) ? t["purpose_translated"] : nil
        crimeAreas = network.crimeAreas.map { $0.label(language) }
        instruments = network.instruments.map { $0.label(language) }
        memberTypes = network.memberTypes.map { $0.label(language) }

        let memberships = network.memberships
        roleGroups = Role.allCases.compactMap { role in
            let held = memberships.filter { $0.role == role }.compactMap { m in catalogue.party(id: m.partyID).map { ($0, m) } }
            guard !held.isEmpty else { return nil }
            return RoleGroup(title: t["role_heading.\(role.rawValue)"], count: t.count("count_parties", held.count),
                             parties: sortedForReading(held, printed: fromReport, t: t))
        }
        otherEntries = network.otherEntries.map { group, entry in
            OtherEntry(printed: entry.printed, reason: entry.partyID == nil ? t["entry_unresolved"] : t["entry_not_part"])
        }
        statedCount = network.statedMemberCount.map { "“\($0.text)”" }
        printedGroups = !fromReport ? [] : network.groups.map { group in
            PrintedGroup(heading: group.heading, text: group.text, stated: group.statedCount.map { t.format("stated_count", ["count": $0]) })
        }
        hasPrintedGroups = !printedGroups.isEmpty

        links = catalogue.links(of: network).compactMap { link in
            switch (link.kind, link.direction) {
            case (.hostedBy, .outgoing):
                guard let host = catalogue.party(id: link.other) else { return nil }
                return Linked(label: t["relation_hosted_by"], url: PartyItem.url(host), name: host.name(language))
            case (.hostedBy, .incoming):
                return Linked(label: t["relation.hosts"], url: "/networks/\(link.other)", name: catalogue.network(slug: link.other)?.localizedDisplayName(t.language) ?? link.other)
            case let (.relation(type), direction):
                let other = catalogue.network(slug: link.other)
                return Linked(label: t[direction == .outgoing ? "relation.\(type.rawValue)" : "relation_inverse.\(type.rawValue)"],
                              url: other.map { "/networks/\($0.slug)" }, name: other?.localizedDisplayName(t.language) ?? link.other)
            }
        }
        references = network.references
        sources = network.sources.sorted { $0.key < $1.key }.map { field, source in
            FieldSource(field: t.fieldName(field.rawValue), source: source,
                        url: (try? Rules.checkURL(source, field: "source")) == nil ? nil : source)
        }
        hasSources = !sources.isEmpty
        criteria = network.inclusionCriteria(directory: catalogue.directory).map {
            Criterion(text: t["criterion.\($0.criterion.rawValue)"], verdict: t["verdict.\($0.verdict.rawValue)"],
                      verdictClass: $0.verdict.rawValue, reason: t.format("reason.\($0.why.key)", $0.why.values(language)))
        }
        similar = Overlaps.similar(to: network.slug, in: catalogue).map { pair in
            Linked(label: t.format("similar_shared", ["shared": pair.shared, "union": pair.union,
                                                      "percent": Int((pair.similarity * 100).rounded())]),
                   url: "/networks/\(pair.second.slug)", name: pair.second.localizedDisplayName(t.language))
        }
        slug = network.slug
        apiURL = "/api/v1/networks/\(network.slug)"
    }
}

/// A paragraph, or a list: the report writes lists as paragraphs that start with “-” (“-Eurojust is…”, “- It aims…”).
struct TextBlock: Equatable {
    let text: String
    let items: [String]
    let isList: Bool

    static func blocks(_ text: String) -> [TextBlock] {
        var blocks: [TextBlock] = []
        for paragraph in text.components(separatedBy: "\n\n").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !paragraph.isEmpty {
            let lines = paragraph.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            let bullets = lines.allSatisfy { $0.hasPrefix("-") || $0.hasPrefix("•") }
            guard bullets else {
                blocks.append(TextBlock(text: paragraph, items: [], isList: false))
                continue
            }
            let items = lines.map { String($0.dropFirst()).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // Bulleted paragraphs one after another are one list.
            if let last = blocks.last, last.isList {
                blocks[blocks.count - 1] = TextBlock(text: "", items: last.items + items, isList: true)
            } else {
                blocks.append(TextBlock(text: "", items: items, isList: true))
            }
        }
        return blocks
    }
}
