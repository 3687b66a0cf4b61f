import Foundation
import Hummingbird
import LiaisonCore

struct NetworkList: JSONWritable {
    let items: [NetworkSummary]
    let total: Int
    let page: Int
    let perPage: Int
    /// With `facets=true`: counts per facet value, each respecting the other filters.
    let facets: FacetsOut?
}

struct NetworkSummary: Encodable {
    let slug: String
    let name: String
    let acronym: String?
    let section: Section
    let scope: Scope
    let status: NetworkStatusValue
    let function: NetworkFunction?
    let openMembership: Bool
    let memberships: Int
    /// With a search: the relevance score and a sentence of the purpose with the matched words marked.
    let score: Double?
    let snippet: [SnippetPart]?

    init(_ network: Network, score: Double? = nil, snippet: [SnippetPart]? = nil) {
        slug = network.slug
        name = network.name
        acronym = network.acronym
        section = network.section
        scope = network.scope
        status = network.status.value
        function = network.function
        openMembership = network.openMembership
        memberships = network.membershipCount
        self.score = score.map { ($0 * 100).rounded() / 100 }
        self.snippet = snippet
    }
}

/// A party as the API shows it inside other resources.
struct PartyRef: Encodable {
    let id: String
    let kind: PartyKind
    let code: String?
    let name: String
    let nameFr: String

    init(_ party: Party) {
        id = party.id
        kind = party.kind
        code = party.code
        name = party.nameEN
        nameFr = party.nameFR
    }
}

struct NetworkDetail: JSONWritable {
    let slug: String
    let name: String
    let nameFr: String?
    let acronym: String?
    let otherNames: [String]
    let printedName: String?
    let section: Section
    let row: Int?
    let scope: Scope
    let purpose: [String: String]
    let memberTypes: [MemberType]
    let crimeAreas: [CrimeArea]
    let instruments: [Instrument]
    let status: NetworkStatus
    let function: NetworkFunction?
    let openMembership: Bool
    let founded: PartialDate?
    let website: String?
    let references: [Reference]
    /// Where fields' values come from, field by field.
    let sources: [CatalogueFile.SourceRecord]
    /// The French fields that are translations written for Liaison (`name_fr`, `purpose_fr`).
    let translated: [String]
    let statedMemberCount: StatedCount?
    let hostedBy: PartyRef?
    let relations: [RelationOut]
    /// The host, the relations stated here, and those other networks state towards this one (as the page shows them).
    let links: [LinkOut]
    let memberships: [MembershipOut]
    let otherEntries: [OtherEntryOut]
    let inclusionCriteria: [CriterionResult]
    let lastChanged: Date?

    struct RelationOut: Encodable {
        let type: RelationType
        let target: String
        let targetName: String?
        let note: String?
    }

    struct LinkOut: Encodable {
        /// `hosted-by` or a relation type.
        let type: String
        let direction: String
        /// A party id (the host) or a network slug.
        let target: String
        let targetName: String?
        let note: String?
    }

    struct MembershipOut: Encodable {
        let party: PartyRef
        let role: Role
        let asPrinted: String
        let heading: String?
        let since: PartialDate?
        let until: PartialDate?
        let note: String?
    }

    /// A printed name that is not a membership: it resolves to no party, or the report says it takes no part.
    struct OtherEntryOut: Encodable {
        let asPrinted: String
        let heading: String?
        let party: PartyRef?
        let reason: String
        let note: String?
    }

    init(_ network: Network, in catalogue: Catalogue) {
        slug = network.slug
        name = network.name
        nameFr = network.nameFR
        acronym = network.acronym
        otherNames = network.otherNames
        printedName = network.printedName
        section = network.section
        row = network.row
        scope = network.scope
        purpose = Dictionary(uniqueKeysWithValues: network.purpose.map { ($0.key.rawValue, $0.value) })
        memberTypes = network.memberTypes
        crimeAreas = network.crimeAreas
        instruments = network.instruments
        status = network.status
        function = network.function
        openMembership = network.openMembership
        founded = network.founded
        website = network.website
        references = network.references
        sources = network.sourceRecords
        translated = network.translatedRecords ?? []
        statedMemberCount = network.statedMemberCount
        hostedBy = network.hostedBy.flatMap { catalogue.party(id: $0) }.map(PartyRef.init)
        relations = network.relations.map {
            RelationOut(type: $0.type, target: $0.target, targetName: catalogue.network(slug: $0.target)?.name, note: $0.note)
        }
        links = catalogue.links(of: network).map { link in
            LinkOut(type: link.kind.name, direction: link.direction.rawValue, target: link.other,
                    targetName: catalogue.network(slug: link.other)?.name ?? catalogue.party(id: link.other)?.nameEN, note: link.note)
        }
        memberships = network.memberships.compactMap { membership in
            catalogue.party(id: membership.partyID).map { party in
                MembershipOut(party: PartyRef(party), role: membership.role, asPrinted: membership.asPrinted,
                              heading: membership.heading, since: membership.since, until: membership.until, note: membership.note)
            }
        }
        otherEntries = network.otherEntries.map { group, entry in
            OtherEntryOut(
                asPrinted: entry.printed, heading: group.heading, party: entry.partyID.flatMap { catalogue.party(id: $0) }.map(PartyRef.init),
                reason: entry.partyID == nil ? "resolves to no known party" : "named by the report as not taking part",
                note: entry.note)
        }
        inclusionCriteria = network.inclusionCriteria(directory: catalogue.directory)
        lastChanged = catalogue.lastChanged[network.slug]
    }
}

// MARK: JSON written by hand (the hot paths; StreamingJSONEncoderTests holds it equal to the Encodable form)

extension NetworkList {
    func write(to out: inout JSONOut) {
        out.object { out in
            out.key("items")
            out.array(items) { out, item in item.write(to: &out) }
            out.field("total", total)
            out.field("page", page)
            out.field("per_page", perPage)
            if let facets {
                out.key("facets")
                facets.write(to: &out)
            }
        }
    }
}

extension NetworkSummary {
    func write(to out: inout JSONOut) {
        out.object { out in
            out.field("slug", slug)
            out.field("name", name)
            out.field("acronym", acronym)
            out.field("section", section)
            out.field("scope", scope)
            out.field("status", status)
            out.field("function", function)
            out.field("open_membership", openMembership)
            out.field("memberships", memberships)
            if let score {
                out.key("score")
                out.number(score)
            }
            if let snippet {
                out.key("snippet")
                out.array(snippet) { out, part in
                    out.object { out in
                        out.field("text", part.text)
                        out.field("highlighted", part.highlighted)
                    }
                }
            }
        }
    }
}

extension PartyRef {
    func write(to out: inout JSONOut) {
        out.object { out in
            out.field("id", id)
            out.field("kind", kind)
            out.field("code", code)
            out.field("name", name)
            out.field("name_fr", nameFr)
        }
    }
}

extension NetworkDetail {
    func write(to out: inout JSONOut) {
        out.object { out in
            out.field("slug", slug)
            out.field("name", name)
            out.field("name_fr", nameFr)
            out.field("acronym", acronym)
            out.field("other_names", strings: otherNames)
            out.field("printed_name", printedName)
            out.field("section", section)
            out.field("row", row)
            out.field("scope", scope)
            out.key("purpose")
            out.object { out in
                for language in purpose.keys.sorted() {
                    out.key(data: language)
                    out.string(purpose[language] ?? "")
                }
            }
            out.field("member_types", terms: memberTypes)
            out.field("crime_areas", terms: crimeAreas)
            out.field("instruments", terms: instruments)
            out.key("status")
            out.object { out in
                out.field("value", status.value)
                out.field("since", status.since)
                out.field("until", status.until)
                out.field("note", status.note)
            }
            out.field("function", function)
            out.field("open_membership", openMembership)
            out.field("founded", founded)
            out.field("website", website)
            out.key("references")
            out.array(references) { out, reference in
                out.object { out in
                    out.field("footnote", reference.footnote)
                    out.field("url", reference.url)
                    out.field("title", reference.title)
                }
            }
            out.key("sources")
            out.array(sources) { out, source in
                out.object { out in
                    out.field("field", source.field)
                    out.field("source", source.source)
                }
            }
            out.field("translated", strings: translated)
            if let statedMemberCount {
                out.key("stated_member_count")
                out.object { out in
                    out.field("count", statedMemberCount.count)
                    out.field("text", statedMemberCount.text)
                }
            }
            if let hostedBy {
                out.key("hosted_by")
                hostedBy.write(to: &out)
            }
            out.key("relations")
            out.array(relations) { out, relation in
                out.object { out in
                    out.field("type", relation.type)
                    out.field("target", relation.target)
                    out.field("target_name", relation.targetName)
                    out.field("note", relation.note)
                }
            }
            out.key("links")
            out.array(links) { out, link in
                out.object { out in
                    out.field("type", link.type)
                    out.field("direction", link.direction)
                    out.field("target", link.target)
                    out.field("target_name", link.targetName)
                    out.field("note", link.note)
                }
            }
            out.key("memberships")
            out.array(memberships) { out, membership in
                out.object { out in
                    out.key("party")
                    membership.party.write(to: &out)
                    out.field("role", membership.role)
                    out.field("as_printed", membership.asPrinted)
                    out.field("heading", membership.heading)
                    out.field("since", membership.since)
                    out.field("until", membership.until)
                    out.field("note", membership.note)
                }
            }
            out.key("other_entries")
            out.array(otherEntries) { out, entry in
                out.object { out in
                    out.field("as_printed", entry.asPrinted)
                    out.field("heading", entry.heading)
                    if let party = entry.party {
                        out.key("party")
                        party.write(to: &out)
                    }
                    out.field("reason", entry.reason)
                    out.field("note", entry.note)
                }
            }
            out.key("inclusion_criteria")
            out.array(inclusionCriteria) { out, result in
                out.object { out in
                    out.field("criterion", result.criterion)
                    out.field("verdict", result.verdict)
                    out.field("reason", result.reason)
                }
            }
            out.field("last_changed", lastChanged.map(JSONByteWriter.iso8601))
        }
    }
}
