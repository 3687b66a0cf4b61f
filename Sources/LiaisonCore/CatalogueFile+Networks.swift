import Foundation

extension CatalogueFile {
    /// The file's networks, checked and with printed names resolved to parties.
    ///
    /// - Parameters:
    ///   - directory: the parties names resolve to; the file's own networks are added to it.
    ///   - existingNetworks: slugs of networks already stored, which relations and hosts may name.
    /// - Throws: `ImportFailure` listing every problem, each with its JSON path.
    public func networks(directory: PartyDirectory = .standard, existingNetworks: Set<String> = []) throws -> [Network] {
        var problems = ProblemList()
        var seen: [String: Int] = [:]
        for (index, record) in networks.enumerated() {
            if let first = seen[record.slug] {
                problems.errors.append(.duplicate(field: "networks[\(index)].slug", value: "\(record.slug) (also networks[\(first)])"))
            } else {
                seen[record.slug] = index
            }
        }
        let slugs = existingNetworks.union(networks.map(\.slug))
        let stubs = networks.map { Network(slug: $0.slug, name: $0.name, acronym: $0.acronym, otherNames: $0.otherNames ?? [],
                                           section: .european, scope: .global) }
        let directory = directory.adding(networks: stubs)
        var result: [Network] = []
        for (index, record) in networks.enumerated() {
            var recordProblems = ProblemList()
            if let network = record.network(path: "networks[\(index)]", directory: directory, networkSlugs: slugs, problems: &recordProblems) {
                result.append(network)
            }
            problems.errors += recordProblems.errors
        }
        if !problems.errors.isEmpty { throw ImportFailure(errors: problems.errors) }
        return result
    }

    /// The file that holds these networks (the inverse of `networks(directory:existingNetworks:)`).
    public init(networks: [Network], source: Source? = nil) {
        self.init(format: Self.formatName, source: source, networks: networks.map(NetworkRecord.init))
    }
}

extension CatalogueFile.NetworkRecord {
    /// Checks the record; returns nil and records problems when anything is invalid.
    func network(path: String, directory: PartyDirectory, networkSlugs: Set<String>, problems: inout ProblemList) -> Network? {
        let before = problems.errors.count
        problems.check { try Rules.checkSlug(slug, field: "\(path).slug") }
        problems.check { try Rules.checkNotEmpty(name, field: "\(path).name") }
        problems.check { try TextRules.checkLine(name, field: "\(path).name", limit: 300) }
        if let acronym { problems.check { try TextRules.checkLine(acronym, field: "\(path).acronym", limit: 40) } }
        let section = problems.check { try Section.parse(self.section, field: "\(path).section") }
        let scope = problems.check { try Scope.parse(self.scope, field: "\(path).scope") }
        var purposeByLanguage: [Language: String] = [:]
        for (code, text) in purpose ?? [:] {
            if let language = problems.check({ try Language.parse(code, field: "\(path).purpose") }) {
                purposeByLanguage[language] = text
            }
        }
        let memberTypes = (self.memberTypes ?? []).enumerated().compactMap { i, v in
            problems.check { try MemberType.parse(v, field: "\(path).member_types[\(i)]") }
        }
        let crimeAreas = (self.crimeAreas ?? []).enumerated().compactMap { i, v in
            problems.check { try CrimeArea.parse(v, field: "\(path).crime_areas[\(i)]") }
        }
        let instruments = (self.instruments ?? []).enumerated().compactMap { i, v in
            problems.check { try Instrument.parse(v, field: "\(path).instruments[\(i)]") }
        }
        let status = status.flatMap { record in
            problems.check {
                NetworkStatus(
                    value: try NetworkStatusValue.parse(record.value, field: "\(path).status.value"),
                    since: try record.since.map { try PartialDate($0, field: "\(path).status.since") },
                    until: try record.until.map { try PartialDate($0, field: "\(path).status.until") },
                    note: record.note)
            }
        } ?? NetworkStatus(value: .unknown)
        let founded = founded.flatMap { text in problems.check { try PartialDate(text, field: "\(path).founded") } }
        let function = self.function.flatMap { text in problems.check { try NetworkFunction.parse(text, field: "\(path).function") } }
        if let website { problems.check { try Rules.checkURL(website, field: "\(path).website") } }
        for (i, reference) in (references ?? []).enumerated() {
            if let url = reference.url { problems.check { try Rules.checkURL(url, field: "\(path).references[\(i)].url") } }
        }
        if let hostedBy {
            problems.require(directory.party(id: hostedBy) != nil,
                             .invalidValue(field: "\(path).hosted_by", value: hostedBy, rule: "must be the id of a known party or network"))
        }
        let relations = (self.relations ?? []).enumerated().compactMap { i, record -> Relation? in
            problems.require(networkSlugs.contains(record.target),
                             .invalidValue(field: "\(path).relations[\(i)].target", value: record.target, rule: "must be the slug of a network"))
            problems.require(record.target != slug,
                             .invalidValue(field: "\(path).relations[\(i)].target", value: record.target, rule: "a network cannot be related to itself"))
            return problems.check {
                Relation(type: try RelationType.parse(record.type, field: "\(path).relations[\(i)].type"), target: record.target, note: record.note)
            }
        }
        let groups = (self.groups ?? []).enumerated().compactMap { i, group in
            group.memberGroup(path: "\(path).groups[\(i)]", directory: directory, problems: &problems)
        }
        let sources = CatalogueFile.SourceRecord.sources(self.sources ?? [], path: "\(path).sources", problems: &problems)
        if let nameFr {
            problems.check { try Rules.checkNotEmpty(nameFr, field: "\(path).name_fr") }
            problems.check { try TextRules.checkLine(nameFr, field: "\(path).name_fr", limit: 300) }
        }
        // A translation is said of a French text there is.
        let translations = Set((translated ?? []).enumerated().compactMap { i, value -> SourcedField? in
            let field = "\(path).translated[\(i)]"
            guard let translated = SourcedField(rawValue: value), [.nameFR, .purposeFR].contains(translated) else {
                problems.errors.append(.invalidValue(field: field, value: value, rule: "must be name_fr or purpose_fr"))
                return nil
            }
            guard translated == .nameFR ? nameFr != nil : purposeByLanguage[.fr] != nil else {
                problems.errors.append(.invalidValue(field: field, value: value, rule: "names a French text the network does not have"))
                return nil
            }
            return translated
        })
        guard problems.errors.count == before, let section, let scope else { return nil }
        return Network(
            slug: slug, name: name, acronym: acronym, otherNames: otherNames ?? [], printedName: printedName,
            section: section, row: row, scope: scope, purpose: purposeByLanguage, memberTypes: memberTypes,
            crimeAreas: crimeAreas, instruments: instruments, status: status, function: function, openMembership: openMembership ?? false,
            founded: founded, website: website,
            references: references ?? [], statedMemberCount: statedMemberCount,
            // The party's own id ("be" is Belgium, stored as "BE"), as members' are.
            hostedBy: hostedBy.map { directory.party(id: $0)?.id ?? $0 },
            relations: relations, groups: groups, notes: notes, sources: sources, nameFR: nameFr, translations: translations)
    }

    init(_ network: Network) {
        self.init(
            slug: network.slug, name: network.name, nameFr: network.nameFR, acronym: network.acronym, otherNames: network.otherNames,
            printedName: network.printedName, section: network.section.rawValue, row: network.row,
            scope: network.scope.rawValue,
            purpose: Dictionary(uniqueKeysWithValues: network.purpose.map { ($0.key.rawValue, $0.value) }),
            memberTypes: network.memberTypes.map(\.rawValue), crimeAreas: network.crimeAreas.map(\.rawValue),
            instruments: network.instruments.map(\.rawValue),
            status: .init(value: network.status.value.rawValue, since: network.status.since?.description,
                          until: network.status.until?.description, note: network.status.note),
            function: network.function?.rawValue, openMembership: network.openMembership ? true : nil,
            founded: network.founded?.description, website: network.website, references: network.references,
            statedMemberCount: network.statedMemberCount, hostedBy: network.hostedBy,
            relations: network.relations.map { .init(type: $0.type.rawValue, target: $0.target, note: $0.note) },
            groups: network.groups.map(CatalogueFile.GroupRecord.init), notes: network.notes,
            sources: network.sources.isEmpty ? nil : network.sourceRecords, translated: network.translatedRecords)
    }
}

extension CatalogueFile.SourceRecord {
    /// Field sources as a network keeps them, each record checked (a known field, once, a source of one line).
    package static func sources(_ records: [Self], path: String, problems: inout ProblemList) -> [SourcedField: String] {
        var sources: [SourcedField: String] = [:]
        var named: Set<SourcedField> = []
        for (i, record) in records.enumerated() {
            let field = "\(path)[\(i)]"
            guard let key = SourcedField(rawValue: record.field) else {
                problems.errors.append(.invalidValue(field: "\(field).field", value: record.field, rule: "must be one of: "
                    + SourcedField.allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            problems.require(named.insert(key).inserted, .duplicate(field: "\(field).field", value: record.field))
            if problems.check({ try Rules.checkSource(record.source, field: "\(field).source") }) != nil { sources[key] = record.source }
        }
        return sources
    }
}

extension Network {
    /// The field sources as the data file, the database and the API write them: one record a field, in field order.
    public var sourceRecords: [CatalogueFile.SourceRecord] {
        sources.sorted { $0.key < $1.key }.map { CatalogueFile.SourceRecord(field: $0.key.rawValue, source: $0.value) }
    }

    /// The French fields that are Liaison's translations, as the data file and the database write them (nil: none).
    public var translatedRecords: [String]? {
        translations.isEmpty ? nil : translations.sorted().map(\.rawValue)
    }
}

extension CatalogueFile.GroupRecord {
    func memberGroup(path: String, directory: PartyDirectory, problems: inout ProblemList) -> MemberGroup? {
        let before = problems.errors.count
        let role = role.flatMap { raw in problems.check { try Role.parse(raw, field: "\(path).role") } }
        if let statedCount {
            problems.require(statedCount >= 0, .invalidValue(field: "\(path).stated_count", value: "\(statedCount)", rule: "must be 0 or more"))
        }
        let entries = parties.enumerated().compactMap { i, entry -> MemberEntry? in
            let field = "\(path).parties[\(i)]"
            problems.check { try Rules.checkNotEmpty(entry.printed, field: "\(field).printed") }
            var partyID: String?
            if let id = entry.party {
                guard let party = directory.party(id: id) else {
                    problems.errors.append(.invalidValue(field: "\(field).party", value: id, rule: "must be the id of a known party (ISO code or slug)"))
                    return nil
                }
                partyID = party.id
            } else {
                partyID = directory.resolve(entry.printed)?.id
            }
            return problems.check {
                MemberEntry(
                    printed: entry.printed, partyID: partyID,
                    role: try entry.role.map { try Role.parse($0, field: "\(field).role") },
                    since: try entry.since.map { try PartialDate($0, field: "\(field).since") },
                    until: try entry.until.map { try PartialDate($0, field: "\(field).until") },
                    sourceFootnote: entry.sourceFootnote, note: entry.note)
            }
        }
        guard problems.errors.count == before else { return nil }
        return MemberGroup(heading: heading, role: role, statedCount: statedCount, text: text, entries: entries)
    }

    init(_ group: MemberGroup) {
        self.init(
            heading: group.heading, role: group.role?.rawValue, statedCount: group.statedCount, text: group.text,
            parties: group.entries.map { entry in
                // A name that resolves by itself is written plainly; otherwise the party id is kept.
                let resolvesAlone = entry.partyID == nil || PartyDirectory.standard.resolve(entry.printed)?.id == entry.partyID
                return CatalogueFile.EntryRecord(
                    printed: entry.printed, party: resolvesAlone ? nil : entry.partyID, role: entry.role?.rawValue,
                    since: entry.since?.description, until: entry.until?.description,
                    sourceFootnote: entry.sourceFootnote, note: entry.note)
            })
    }
}
