import Foundation
import LiaisonCore
import SQLKit

/// Reads the whole catalogue, one query per table, streaming the rows, and assembles the snapshot.
struct CatalogueLoader {
    let rows: RowSource
    /// Only these networks (as they are stored now, with the latest revision), or all.
    var only: [String]? = nil

    func load() async throws -> Catalogue {
        let read = try await read(prepare: true)
        guard let preparation = read.preparation else { preconditionFailure("a whole load is prepared") }
        return Catalogue(networks: read.networks, revision: read.revision, lastChanged: read.lastChanged, prepared: preparation)
    }

    /// The networks `only` names that are stored, with the dates of their last changes by a person and the latest
    /// revision, all read at one moment.
    func loadNetworks() async throws -> (networks: [Network], lastChanged: [String: Date], revision: Int64) {
        let read = try await read(prepare: false)
        return (read.networks, read.lastChanged, read.revision)
    }

    /// A query of the loader, limited to the networks `only` names (by `key`), ordered by `order`.
    private func query(_ select: String, key: String, order: String? = nil) -> String {
        select + (only == nil ? "" : " WHERE \(key) IN ({list})") + (order.map { " ORDER BY " + $0 } ?? "")
    }

    private func read(prepare: Bool) async throws
        -> (networks: [Network], lastChanged: [String: Date], revision: Int64, preparation: CataloguePreparation?) {
        let values = only ?? []
        // Networks in a plain array, found by slug through an index: the member rows of a large catalogue
        // are millions, so every per-row step is kept to a lookup and an append.
        var networks: [Network] = []
        var indexBySlug: [String: Int] = [:]
        try await rows.forEach(query("SELECT * FROM networks", key: "slug"), values: values) { row in
            let network = try networkFromRow(row)
            indexBySlug[network.slug] = networks.count
            networks.append(network)
        }
        try await rows.forEach(query("SELECT network_slug, language, purpose FROM network_purposes", key: "network_slug"), values: values) { row in
            if let index = indexBySlug[try row.text("network_slug")], let language = Language(rawValue: try row.text("language")) {
                networks[index].purpose[language] = try row.text("purpose")
            }
        }
        try await rows.forEach(query("SELECT network_slug, vocabulary, term FROM network_terms", key: "network_slug", order: "network_slug, vocabulary, position"),
                               values: values) { row in
            guard let index = indexBySlug[try row.text("network_slug")] else { return }
            let term = try row.text("term")
            switch try row.text("vocabulary") {
            case "member_type": networks[index].memberTypes.append(try MemberType.parse(term, field: "network_terms.term"))
            case "crime_area": networks[index].crimeAreas.append(try CrimeArea.parse(term, field: "network_terms.term"))
            case "instrument": networks[index].instruments.append(try Instrument.parse(term, field: "network_terms.term"))
            default: break
            }
        }
        try await rows.forEach(query("SELECT * FROM network_references", key: "network_slug", order: "network_slug, position"), values: values) { row in
            guard let index = indexBySlug[try row.text("network_slug")] else { return }
            networks[index].references.append(Reference(
                footnote: try row.optionalInteger("footnote"), url: try row.optionalText("url"), title: try row.optionalText("title")))
        }
        try await rows.forEach(query("SELECT * FROM relations", key: "network_slug", order: "network_slug, position"), values: values) { row in
            guard let index = indexBySlug[try row.text("network_slug")] else { return }
            networks[index].relations.append(Relation(
                type: try RelationType.parse(try row.text("type"), field: "relations.type"),
                target: try row.text("target_slug"), note: try row.optionalText("note")))
        }
        try await rows.forEach(query("SELECT * FROM member_groups", key: "network_slug", order: "network_slug, position"), values: values) { row in
            guard let index = indexBySlug[try row.text("network_slug")] else { return }
            networks[index].groups.append(MemberGroup(
                heading: try row.optionalText("heading"),
                role: try row.optionalText("role").map { try Role.parse($0, field: "member_groups.role") },
                statedCount: try row.optionalInteger("stated_count"),
                text: try row.text("text"), entries: []))
        }
        // Everything but the member lists is read: the name order, the directory and the search index, most of
        // a snapshot's work, are built now on another core while the member rows are read.
        let withoutMembers = networks
        // A child task: should reading fail, it is cancelled and awaited with the load, not left running.
        async let preparation = prepare ? CataloguePreparation(networks: withoutMembers) : nil
        // Memberships arrive in printed order (the primary key's); the same network's rows come together,
        // so the slug is looked up once per network, not once per row.
        var current: (slug: String, index: Int?) = ("", nil)
        try await rows.forEach(query("SELECT * FROM memberships", key: "network_slug", order: "network_slug, group_position, position"),
                               values: values) { row in
            let slug = try row.text("network_slug")
            if slug != current.slug { current = (slug, indexBySlug[slug]) }
            guard let index = current.index else { return }
            let group = try row.integer("group_position")
            guard networks[index].groups.indices.contains(group) else { return }
            let overrides = try row.integer("role_override") == 1
            networks[index].groups[group].entries.append(MemberEntry(
                printed: try row.text("as_printed"),
                partyID: try row.text("party_id"),
                role: overrides ? try Role.parse(try row.text("role"), field: "memberships.role") : nil,
                since: try row.optionalText("since").map { try PartialDate($0, field: "memberships.since") },
                until: try row.optionalText("until").map { try PartialDate($0, field: "memberships.until") },
                sourceFootnote: try row.optionalInteger("source_footnote"),
                note: try row.optionalText("note")))
        }
        // Entries that are not memberships are few; each goes back to its printed position among the others.
        try await rows.forEach(query("SELECT * FROM other_entries", key: "network_slug", order: "network_slug, group_position, position"),
                               values: values) { row in
            guard let index = indexBySlug[try row.text("network_slug")] else { return }
            let group = try row.integer("group_position")
            guard networks[index].groups.indices.contains(group) else { return }
            let entry = MemberEntry(
                printed: try row.text("as_printed"),
                partyID: try row.optionalText("party_id"),
                role: try row.optionalText("role").map { try Role.parse($0, field: "other_entries.role") },
                since: try row.optionalText("since").map { try PartialDate($0, field: "other_entries.since") },
                until: try row.optionalText("until").map { try PartialDate($0, field: "other_entries.until") },
                sourceFootnote: try row.optionalInteger("source_footnote"),
                note: try row.optionalText("note"))
            let position = min(max(0, try row.integer("position")), networks[index].groups[group].entries.count)
            networks[index].groups[group].entries.insert(entry, at: position)
        }
        // Lists grown one entry at a time keep up to twice the room they need: given back once they are whole.
        for index in networks.indices {
            for group in networks[index].groups.indices {
                networks[index].groups[group].entries.shrinkToFit()
            }
        }
        // A change by a person: an edit, a restore, or an accepted proposal; a load (the 2017 catalogue, an import) is not.
        var lastChanged: [String: Date] = [:]
        try await rows.forEach("""
            SELECT entity_id, MAX(at) AS at FROM revisions WHERE entity = 'network'
              AND (action IN ('edited', 'restored') OR seq IN (SELECT revision_seq FROM proposals WHERE revision_seq IS NOT NULL))
              \(only == nil ? "" : "AND entity_id IN ({list})")
            GROUP BY entity_id
            """, values: values) { row in
            if let date = Timestamp.date(try row.text("at")) { lastChanged[try row.text("entity_id")] = date }
        }
        var revision: Int64 = 0
        try await rows.forEach("SELECT MAX(seq) AS seq FROM revisions") { row in
            revision = Int64(try row.optionalInteger("seq") ?? 0)
        }
        return (networks, lastChanged, revision, await preparation)
    }

    func networkFromRow(_ row: LoadRow) throws -> Network {
        let otherNames = try JSONDecoder().decode([String].self, from: Data(try row.text("other_names").utf8))
        let statedCount = try row.optionalInteger("stated_count")
        let statedText = try row.optionalText("stated_count_text")
        return Network(
            slug: try row.text("slug"),
            name: try row.text("name"),
            acronym: try row.optionalText("acronym"),
            otherNames: otherNames,
            printedName: try row.optionalText("printed_name"),
            section: try Section.parse(try row.text("section"), field: "networks.section"),
            row: try row.optionalInteger("row_number"),
            scope: try Scope.parse(try row.text("scope"), field: "networks.scope"),
            status: NetworkStatus(
                value: try NetworkStatusValue.parse(try row.text("status"), field: "networks.status"),
                since: try row.optionalText("status_since").map { try PartialDate($0, field: "networks.status_since") },
                until: try row.optionalText("status_until").map { try PartialDate($0, field: "networks.status_until") },
                note: try row.optionalText("status_note")),
            function: try row.optionalText("network_function").map { try NetworkFunction.parse($0, field: "networks.network_function") },
            openMembership: try row.optionalInteger("open_membership") == 1,
            founded: try row.optionalText("founded").map { try PartialDate($0, field: "networks.founded") },
            website: try row.optionalText("website"),
            statedMemberCount: statedCount.map { StatedCount(count: $0, text: statedText ?? "") },
            hostedBy: try row.optionalText("hosted_by"),
            notes: try row.optionalText("notes"),
            sources: try Self.sources(try row.optionalText("sources")),
            nameFR: try row.optionalText("name_fr"),
            translations: Set(try (row.optionalText("translations") ?? "").split(separator: " ").map { word in
                guard let field = SourcedField(rawValue: String(word)) else {
                    throw StoredDataError(column: "networks.translations", value: String(word), rule: "must be name_fr or purpose_fr")
                }
                return field
            }))
    }

    /// The stored list of field sources (see `CatalogueWriter.sources`).
    static func sources(_ text: String?) throws -> [SourcedField: String] {
        guard let text else { return [:] }
        var problems = ProblemList()
        let sources = CatalogueFile.SourceRecord.sources(try JSONDecoder().decode([CatalogueFile.SourceRecord].self, from: Data(text.utf8)),
                                                         path: "networks.sources", problems: &problems)
        guard problems.errors.isEmpty else { throw ImportFailure(errors: problems.errors) }
        return sources
    }
}
