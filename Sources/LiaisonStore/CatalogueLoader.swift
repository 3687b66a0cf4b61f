import Foundation
import LiaisonCore
import SQLKit

/// Reads the whole catalogue in one query per table and assembles the snapshot.
struct CatalogueLoader {
    let db: any SQLDatabase

    func load() async throws -> Catalogue {
        var networks: [String: Network] = [:]
        var order: [String] = []
        for row in try await db.raw("SELECT * FROM networks").all() {
            let network = try networkFromRow(row)
            networks[network.slug] = network
            order.append(network.slug)
        }
        for row in try await db.raw("SELECT network_slug, language, purpose FROM network_purposes").all() {
            let slug = try row.decode(column: "network_slug", as: String.self)
            if let language = Language(rawValue: try row.decode(column: "language", as: String.self)) {
                networks[slug]?.purpose[language] = try row.decode(column: "purpose", as: String.self)
            }
        }
        for row in try await db.raw("SELECT network_slug, vocabulary, term FROM network_terms ORDER BY network_slug, vocabulary, position").all() {
            let slug = try row.decode(column: "network_slug", as: String.self)
            let term = try row.decode(column: "term", as: String.self)
            switch try row.decode(column: "vocabulary", as: String.self) {
            case "member_type": networks[slug]?.memberTypes.append(try MemberType.parse(term, field: "network_terms.term"))
            case "crime_area": networks[slug]?.crimeAreas.append(try CrimeArea.parse(term, field: "network_terms.term"))
            case "instrument": networks[slug]?.instruments.append(try Instrument.parse(term, field: "network_terms.term"))
            default: break
            }
        }
        for row in try await db.raw("SELECT * FROM network_references ORDER BY network_slug, position").all() {
            let slug = try row.decode(column: "network_slug", as: String.self)
            networks[slug]?.references.append(Reference(
                footnote: try row.decode(column: "footnote", as: Int?.self), url: try row.decode(column: "url", as: String?.self),
                title: try row.decode(column: "title", as: String?.self)))
        }
        for row in try await db.raw("SELECT * FROM relations ORDER BY network_slug, position").all() {
            let slug = try row.decode(column: "network_slug", as: String.self)
            networks[slug]?.relations.append(Relation(
                type: try RelationType.parse(try row.decode(column: "type", as: String.self), field: "relations.type"),
                target: try row.decode(column: "target_slug", as: String.self), note: try row.decode(column: "note", as: String?.self)))
        }
        for row in try await db.raw("SELECT * FROM member_groups ORDER BY network_slug, position").all() {
            let slug = try row.decode(column: "network_slug", as: String.self)
            networks[slug]?.groups.append(MemberGroup(
                heading: try row.decode(column: "heading", as: String?.self),
                role: try row.decode(column: "role", as: String?.self).map { try Role.parse($0, field: "member_groups.role") },
                statedCount: try row.decode(column: "stated_count", as: Int?.self),
                text: try row.decode(column: "text", as: String.self), entries: []))
        }
        // Memberships and other entries interleave within a group; both carry their position.
        var entries: [String: [(group: Int, position: Int, entry: MemberEntry)]] = [:]
        for row in try await db.raw("SELECT * FROM memberships").all() {
            let overrides = try row.decode(column: "role_override", as: Int.self) == 1
            let entry = MemberEntry(
                printed: try row.decode(column: "as_printed", as: String.self),
                partyID: try row.decode(column: "party_id", as: String.self),
                role: overrides ? try Role.parse(try row.decode(column: "role", as: String.self), field: "memberships.role") : nil,
                since: try row.decode(column: "since", as: String?.self).map { try PartialDate($0, field: "memberships.since") },
                until: try row.decode(column: "until", as: String?.self).map { try PartialDate($0, field: "memberships.until") },
                sourceFootnote: try row.decode(column: "source_footnote", as: Int?.self),
                note: try row.decode(column: "note", as: String?.self))
            entries[try row.decode(column: "network_slug", as: String.self), default: []].append(
                (try row.decode(column: "group_position", as: Int.self), try row.decode(column: "position", as: Int.self), entry))
        }
        for row in try await db.raw("SELECT * FROM other_entries").all() {
            let entry = MemberEntry(
                printed: try row.decode(column: "as_printed", as: String.self),
                partyID: try row.decode(column: "party_id", as: String?.self),
                role: try row.decode(column: "role", as: String?.self).map { try Role.parse($0, field: "other_entries.role") },
                note: try row.decode(column: "note", as: String?.self))
            entries[try row.decode(column: "network_slug", as: String.self), default: []].append(
                (try row.decode(column: "group_position", as: Int.self), try row.decode(column: "position", as: Int.self), entry))
        }
        for (slug, list) in entries {
            for item in list.sorted(by: { ($0.group, $0.position) < ($1.group, $1.position) }) {
                guard let count = networks[slug]?.groups.count, item.group < count else { continue }
                networks[slug]?.groups[item.group].entries.append(item.entry)
            }
        }
        var lastChanged: [String: Date] = [:]
        for row in try await db.raw("SELECT entity_id, MAX(at) AS at FROM revisions WHERE entity = 'network' GROUP BY entity_id").all() {
            if let date = Timestamp.date(try row.decode(column: "at", as: String.self)) {
                lastChanged[try row.decode(column: "entity_id", as: String.self)] = date
            }
        }
        let revision = try await db.raw("SELECT MAX(seq) AS seq FROM revisions").first().map { try $0.decode(column: "seq", as: Int64?.self) } ?? nil
        return Catalogue(networks: order.compactMap { networks[$0] }, revision: revision ?? 0, lastChanged: lastChanged)
    }

    func networkFromRow(_ row: any SQLRow) throws -> Network {
        let otherNames = try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "other_names", as: String.self).utf8))
        let statedCount = try row.decode(column: "stated_count", as: Int?.self)
        let statedText = try row.decode(column: "stated_count_text", as: String?.self)
        return Network(
            slug: try row.decode(column: "slug", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            acronym: try row.decode(column: "acronym", as: String?.self),
            otherNames: otherNames,
            printedName: try row.decode(column: "printed_name", as: String?.self),
            section: try Section.parse(try row.decode(column: "section", as: String.self), field: "networks.section"),
            row: try row.decode(column: "row_number", as: Int?.self),
            scope: try Scope.parse(try row.decode(column: "scope", as: String.self), field: "networks.scope"),
            status: NetworkStatus(
                value: try NetworkStatusValue.parse(try row.decode(column: "status", as: String.self), field: "networks.status"),
                since: try row.decode(column: "status_since", as: String?.self).map { try PartialDate($0, field: "networks.status_since") },
                until: try row.decode(column: "status_until", as: String?.self).map { try PartialDate($0, field: "networks.status_until") },
                note: try row.decode(column: "status_note", as: String?.self)),
            founded: try row.decode(column: "founded", as: String?.self).map { try PartialDate($0, field: "networks.founded") },
            website: try row.decode(column: "website", as: String?.self),
            statedMemberCount: statedCount.map { StatedCount(count: $0, text: statedText ?? "") },
            hostedBy: try row.decode(column: "hosted_by", as: String?.self),
            notes: try row.decode(column: "notes", as: String?.self))
    }
}
