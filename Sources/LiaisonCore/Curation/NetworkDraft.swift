import Foundation

/// The fields of a network as an edit form sends them: text as typed. `apply(to:)` checks every field and
/// returns the edited network, or every problem at once (each naming its field), so that nothing is written
/// when anything is invalid.
public struct NetworkDraft: Sendable, Equatable, Codable {
    public var name = ""
    /// Its name in French.
    public var nameFR = ""
    /// `1` when the French name, or the French purpose, is a translation written for Liaison; empty otherwise.
    public var nameFRTranslated = ""
    public var purposeFRTranslated = ""
    public var acronym = ""
    /// The name exactly as the source prints it.
    public var printedName = ""
    /// One name a line.
    public var otherNames = ""
    public var section = ""
    public var scope = ""
    public var purposeEN = ""
    public var purposeFR = ""
    public var crimeAreas: [String] = []
    public var instruments: [String] = []
    public var memberTypes: [String] = []
    public var status = ""
    public var statusSince = ""
    public var statusUntil = ""
    public var statusNote = ""
    /// `operational`, `policy`, `training`, or empty (not established).
    public var function = ""
    /// `1` when the network is open to any country, its members not listed; empty otherwise.
    public var openMembership = ""
    public var founded = ""
    public var website = ""
    /// The network or organisation that hosts the secretariat: its id or its name.
    public var hostedBy = ""
    /// A count of members the source states outside the list: `54 | 54 Registered Member Jurisdictions`.
    public var statedMemberCount = ""
    public var notes = ""
    /// One reference a line: `address | title | footnote` (each part may be empty, not both the address and the title).
    public var references = ""
    /// One relation a line: `type | network | note` (`hosts | eurojust`).
    public var relations = ""
    /// Where each field's value comes from, by `SourcedField` name; an empty value removes a field's source.
    public var sources: [String: String] = [:]
    /// Why the change is made: required, it goes into the history.
    public var reason = ""

    public init() {}

    /// The draft of a network as it stands (the form's starting values).
    public init(_ network: Network) {
        name = network.name
        nameFR = network.nameFR ?? ""
        nameFRTranslated = network.translations.contains(.nameFR) ? "1" : ""
        purposeFRTranslated = network.translations.contains(.purposeFR) ? "1" : ""
        acronym = network.acronym ?? ""
        otherNames = network.otherNames.joined(separator: "\n")
        section = network.section.rawValue
        scope = network.scope.rawValue
        purposeEN = network.purpose[.en] ?? ""
        purposeFR = network.purpose[.fr] ?? ""
        crimeAreas = network.crimeAreas.map(\.rawValue)
        instruments = network.instruments.map(\.rawValue)
        memberTypes = network.memberTypes.map(\.rawValue)
        status = network.status.value.rawValue
        statusSince = network.status.since?.description ?? ""
        statusUntil = network.status.until?.description ?? ""
        statusNote = network.status.note ?? ""
        function = network.function?.rawValue ?? ""
        openMembership = network.openMembership ? "1" : ""
        founded = network.founded?.description ?? ""
        website = network.website ?? ""
        hostedBy = network.hostedBy ?? ""
        statedMemberCount = network.statedMemberCount.map { "\($0.count) | \($0.text)" } ?? ""
        printedName = network.printedName ?? ""
        notes = network.notes ?? ""
        references = network.references.map { reference in
            [reference.url ?? "", reference.title ?? "", reference.footnote.map(String.init) ?? ""].joined(separator: " | ")
        }.joined(separator: "\n")
        relations = network.relations.map { [$0.type.rawValue, $0.target, $0.note ?? ""].joined(separator: " | ") }.joined(separator: "\n")
        sources = Dictionary(uniqueKeysWithValues: network.sources.map { ($0.key.rawValue, $0.value) })
    }

    // Key paths are immutable values; the compiler does not know them as Sendable yet.
    nonisolated(unsafe) static let textFields: [WritableKeyPath<NetworkDraft, String>] = [
        \.name, \.nameFR, \.nameFRTranslated, \.purposeFRTranslated, \.acronym, \.otherNames, \.section, \.scope, \.purposeEN, \.purposeFR, \.status, \.statusSince, \.statusUntil,
        \.statusNote, \.founded, \.website, \.notes, \.references, \.relations, \.printedName, \.hostedBy, \.statedMemberCount,
        \.function, \.openMembership,
    ]
    nonisolated(unsafe) static let listFields: [WritableKeyPath<NetworkDraft, [String]>] = [\.crimeAreas, \.instruments, \.memberTypes]

    /// This draft (the entry as it is now) with the fields someone changed from `base` (the entry as they saw it)
    /// set as they changed them: a proposal made before a later edit brings only its own changes.
    public func merged(_ proposed: NetworkDraft, from base: NetworkDraft) -> NetworkDraft {
        var result = self
        for field in Self.textFields where proposed[keyPath: field] != base[keyPath: field] { result[keyPath: field] = proposed[keyPath: field] }
        for field in Self.listFields where Set(proposed[keyPath: field]) != Set(base[keyPath: field]) {
            result[keyPath: field] = proposed[keyPath: field]
        }
        for field in Set(proposed.sources.keys).union(base.sources.keys) where (proposed.sources[field] ?? "") != (base.sources[field] ?? "") {
            result.sources[field] = proposed.sources[field] ?? ""
        }
        return result
    }

    /// Stored drafts written before a field existed still read: a missing field is empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String { try container.decodeIfPresent(String.self, forKey: key) ?? "" }
        func list(_ key: CodingKeys) throws -> [String] { try container.decodeIfPresent([String].self, forKey: key) ?? [] }
        name = try text(.name)
        nameFR = try text(.nameFR)
        nameFRTranslated = try text(.nameFRTranslated)
        purposeFRTranslated = try text(.purposeFRTranslated)
        acronym = try text(.acronym)
        otherNames = try text(.otherNames)
        section = try text(.section)
        scope = try text(.scope)
        purposeEN = try text(.purposeEN)
        purposeFR = try text(.purposeFR)
        crimeAreas = try list(.crimeAreas)
        instruments = try list(.instruments)
        memberTypes = try list(.memberTypes)
        status = try text(.status)
        statusSince = try text(.statusSince)
        statusUntil = try text(.statusUntil)
        statusNote = try text(.statusNote)
        function = try text(.function)
        openMembership = try text(.openMembership)
        founded = try text(.founded)
        website = try text(.website)
        hostedBy = try text(.hostedBy)
        statedMemberCount = try text(.statedMemberCount)
        printedName = try text(.printedName)
        notes = try text(.notes)
        references = try text(.references)
        relations = try text(.relations)
        sources = try container.decodeIfPresent([String: String].self, forKey: .sources) ?? [:]
        reason = try text(.reason)
    }

    /// The network with this draft's fields, or `NetworkEditFailure` with every problem found. `isNetwork`: whether a
    /// slug names a network a relation may point to (a relation kept as it was is not checked again); `directory`:
    /// the parties a host may be (with the catalogue's networks).
    public func apply(to network: Network, isNetwork: (String) -> Bool = { _ in false }, directory: PartyDirectory = .standard) throws -> Network {
        var problems = ProblemList()
        var edited = network
        func text(_ value: String) -> String? {
            // Browsers send a text area's line breaks as CRLF; the catalogue keeps LF.
            let trimmed = value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
        func line(_ value: String, field: String, limit: Int) -> String? {
            guard let value = text(value) else { return nil }
            _ = problems.check { try TextRules.checkLine(value, field: field, limit: limit) }
            return value
        }
        func long(_ value: String, field: String, limit: Int) -> String? {
            guard let value = text(value) else { return nil }
            _ = problems.check { try TextRules.checkText(value, field: field, limit: limit) }
            return value
        }
        func date(_ value: String, field: String) -> PartialDate? {
            guard let value = text(value) else { return nil }
            return problems.check { try PartialDate(value, field: field) }
        }
        /// The chosen terms: those the network had, in its order (a form that changes nothing changes nothing), then the
        /// new ones in the vocabulary's order.
        func terms<T: Vocabulary>(_ values: [String], field: String, had: [T]) -> [T] {
            var chosen: Set<T> = []
            for value in values where !value.isEmpty {
                if let term = problems.check({ try T.parse(value, field: field) }) { chosen.insert(term) }
            }
            return had.filter(chosen.contains) + chosen.subtracting(had).sorted()
        }

        if let name = line(name, field: "name", limit: 300) { edited.name = name } else { problems.errors.append(.missingField(field: "name")) }
        edited.nameFR = line(nameFR, field: "name_fr", limit: 300)
        edited.acronym = line(acronym, field: "acronym", limit: 40)
        edited.otherNames = (long(otherNames, field: "other_names", limit: 5_000) ?? "").split(whereSeparator: \.isNewline)
            .compactMap { line(String($0), field: "other_names", limit: 300) }
        if let value = problems.check({ try Section.parse(section, field: "section") }) { edited.section = value }
        if let value = problems.check({ try Scope.parse(scope, field: "scope") }) { edited.scope = value }
        var purpose: [Language: String] = [:]
        purpose[.en] = long(purposeEN, field: "purpose_en", limit: 10_000)
        purpose[.fr] = long(purposeFR, field: "purpose_fr", limit: 10_000)
        edited.purpose = purpose
        // Said of a French text there is (a translation mark without its text is no mark).
        var translations = Set<SourcedField>()
        for (field, value, has) in [(SourcedField.nameFR, nameFRTranslated, edited.nameFR != nil), (.purposeFR, purposeFRTranslated, purpose[.fr] != nil)] {
            switch text(value) {
            case nil, "0": break
            case "1", "on", "true": if has { translations.insert(field) }
            case let other?: problems.errors.append(.invalidValue(field: "\(field.rawValue)_translated", value: other, rule: "must be 1 (a translation) or empty"))
            }
        }
        edited.translations = translations
        edited.crimeAreas = terms(crimeAreas, field: "crime_areas", had: network.crimeAreas)
        edited.instruments = terms(instruments, field: "instruments", had: network.instruments)
        edited.memberTypes = terms(memberTypes, field: "member_types", had: network.memberTypes)
        if let value = problems.check({ try NetworkStatusValue.parse(status, field: "status") }) {
            edited.status = NetworkStatus(value: value, since: date(statusSince, field: "status_since"),
                                          until: date(statusUntil, field: "status_until"),
                                          note: line(statusNote, field: "status_note", limit: 500))
            if value != network.status.value, value != .active, value != .unknown {
                // A network that stops (dormant, defunct, project ended) says from when and why, each time it changes.
                if edited.status.since == nil {
                    problems.errors.append(.invalidValue(field: "status_since", value: "", rule:
                        "a network that becomes \(value.rawValue) needs the date it became so"))
                }
                if edited.status.note == nil {
                    problems.errors.append(.invalidValue(field: "status_note", value: "", rule:
                        "a network that becomes \(value.rawValue) needs the reason, with its source"))
                }
            } else if value != .active, value != .unknown, edited.status.since == nil, edited.status.note == nil {
                problems.errors.append(.invalidValue(field: "status_note", value: "", rule:
                    "a network that is \(value.rawValue) needs the date it became so or a note saying why"))
            }
        }
        edited.function = text(function).flatMap { value in problems.check { try NetworkFunction.parse(value, field: "function") } }
        switch text(openMembership) {
        case nil, "0": edited.openMembership = false
        case "1", "on", "true": edited.openMembership = true
        case let other?: problems.errors.append(.invalidValue(field: "open_membership", value: other, rule: "must be 1 (open) or empty"))
        }
        edited.founded = date(founded, field: "founded")
        // Addresses kept as they were are not checked again (rules tighten; an untouched field must not block an edit).
        if let website = line(website, field: "website", limit: 500) {
            if website != network.website { _ = problems.check { try Rules.checkURL(website, field: "website") } }
            edited.website = website
        } else {
            edited.website = nil
        }
        edited.printedName = line(printedName, field: "printed_name", limit: 500)
        if let host = line(hostedBy, field: "hosted_by", limit: 200) {
            if host == network.hostedBy {
                edited.hostedBy = host
            } else if let party = directory.lookUp(host), party.kind == .organisation || party.kind == .network {
                problems.require(party.id != network.slug, .invalidValue(field: "hosted_by", value: host, rule: "a network cannot host itself"))
                edited.hostedBy = party.id
            } else {
                problems.errors.append(.invalidValue(field: "hosted_by", value: host, rule:
                    "must name a network or an organisation of the catalogue (its id, such as eurojust or unodc, or its name)"))
            }
        } else {
            edited.hostedBy = nil
        }
        if let stated = line(statedMemberCount, field: "stated_member_count", limit: 300) {
            // "|" alone, or " | words", has no number: split gives no first part, or an empty one.
            let parts = stated.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            let words = parts.count > 1 ? parts[1] : ""
            if let first = parts.first, first.utf8.count <= 9, first.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let count = Int(first) {
                edited.statedMemberCount = StatedCount(count: count, text: words.isEmpty ? String(count) : words)
            } else {
                problems.errors.append(.invalidValue(field: "stated_member_count", value: stated, rule:
                    "is a number, then | and the words the source uses (54 | 54 Registered Member Jurisdictions)"))
            }
        } else {
            edited.statedMemberCount = nil
        }
        edited.notes = long(notes, field: "notes", limit: 5_000)
        func parts(_ line: Substring) -> [String] {
            let pieces = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            return pieces + Array(repeating: "", count: max(0, 3 - pieces.count))
        }
        let keptAddresses = Set(network.references.compactMap(\.url))
        let referenceLines = (long(references, field: "references", limit: 20_000) ?? "").split(whereSeparator: \.isNewline)
        edited.references = referenceLines.enumerated().compactMap { i, line -> Reference? in
            let field = "references[\(i + 1)]"
            let p = parts(line)
            guard p.count <= 3 else {
                problems.errors.append(.invalidValue(field: field, value: String(line), rule: "is address | title | footnote"))
                return nil
            }
            if p[0].isEmpty, p[1].isEmpty {
                problems.errors.append(.invalidValue(field: field, value: String(line), rule: "needs an address or a title"))
                return nil
            }
            if !p[0].isEmpty, !keptAddresses.contains(p[0]) { _ = problems.check { try Rules.checkURL(p[0], field: "\(field).address") } }
            var footnote: Int?
            if !p[2].isEmpty {
                footnote = p[2].utf8.count <= 6 ? Int(p[2]) : nil
                problems.require(footnote.map { $0 > 0 } ?? false, .invalidValue(field: "\(field).footnote", value: p[2], rule: "must be a footnote number"))
            }
            return Reference(footnote: footnote, url: p[0].isEmpty ? nil : p[0], title: p[1].isEmpty ? nil : p[1])
        }
        let kept = Set(network.relations)
        let relationLines = (long(relations, field: "relations", limit: 20_000) ?? "").split(whereSeparator: \.isNewline)
        edited.relations = relationLines.enumerated().compactMap { i, line -> Relation? in
            let field = "relations[\(i + 1)]"
            let p = parts(line)
            guard p.count <= 3, let type = problems.check({ try RelationType.parse(p[0], field: "\(field).type") }) else { return nil }
            let relation = Relation(type: type, target: p[1].lowercased(), note: p[2].isEmpty ? nil : p[2])
            if !kept.contains(relation) {
                problems.require(isNetwork(relation.target),
                                 .invalidValue(field: "\(field).network", value: p[1], rule: "must be the slug of a network of the catalogue"))
                problems.require(relation.target != network.slug,
                                 .invalidValue(field: "\(field).network", value: p[1], rule: "a network cannot be related to itself"))
            }
            return relation
        }
        for key in sources.keys.sorted() where SourcedField(rawValue: key) == nil {
            problems.errors.append(.invalidValue(field: "source_\(key)", value: key, rule: "is not a field that can have a source"))
        }
        for field in SourcedField.allCases {
            guard let source = text(sources[field.rawValue] ?? "") else {
                edited.sources[field] = nil
                continue
            }
            edited.sources[field] = problems.check { try Rules.checkSource(source, field: "source_\(field.rawValue)") }.map { source }
        }
        _ = problems.check { try Rules.checkReason(reason) }
        if problems.errors.isEmpty, edited == network {
            problems.errors.append(.invalidValue(field: "reason", value: reason, rule: "nothing was changed"))
        }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return edited
    }
}

/// An edit refused, with every problem found (nothing is written).
public struct NetworkEditFailure: Error, Sendable, Equatable {
    public let errors: [InputError]

    public init(errors: [InputError]) {
        self.errors = errors
    }

    /// The first problem of a field or of one of its lines (`members`, `members[2]`, `members[2].party`).
    public func first(under field: String) -> InputError? {
        errors.first { $0.field.map { $0 == field || $0.hasPrefix(field + "[") } ?? false }
    }

    /// The problem of a field, if it has one.
    public func error(for field: String) -> InputError? {
        errors.first { $0.field == field }
    }
}
