import Foundation

/// What anyone — signed in or not — may propose: a new network, or a change to one, with its source.
public struct ProposalDraft: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case new, change
    }

    public var kind: Kind
    /// The network changed, or (new) the address proposed for it.
    public var slug: String
    public var fields: NetworkDraft
    /// Parties, one line a role: `Albania, Croatia, Serbia` or `observer: Italy, Spain`. A new network's members; for a
    /// change, parties to add (or, when they take part already, whose role becomes the one given).
    public var members: String
    /// A change: parties that no longer take part, separated by commas or lines.
    public var removals: String
    /// Where the information comes from (a web address, a document): required.
    public var source: String
    /// A report of an error in words (“Spain left in 2019”), for an editor or focal point to correct: the one-box
    /// form sends this and no field; the full form leaves it empty.
    public var report: String
    public var proposerName: String
    public var proposerEmail: String
    /// A change: the entry's fields as the proposer saw them, so that accepting brings only what they changed.
    public var base: NetworkDraft?

    public init(kind: Kind, slug: String = "", fields: NetworkDraft = NetworkDraft(), members: String = "", removals: String = "",
                source: String = "", report: String = "", proposerName: String = "", proposerEmail: String = "", base: NetworkDraft? = nil) {
        self.kind = kind
        self.slug = slug
        self.fields = fields
        self.members = members
        self.removals = removals
        self.source = source
        self.report = report
        self.proposerName = proposerName
        self.proposerEmail = proposerEmail
        self.base = base
    }

    /// Stored proposals written before a field existed still read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        slug = try container.decodeIfPresent(String.self, forKey: .slug) ?? ""
        fields = try container.decodeIfPresent(NetworkDraft.self, forKey: .fields) ?? NetworkDraft()
        members = try container.decodeIfPresent(String.self, forKey: .members) ?? ""
        removals = try container.decodeIfPresent(String.self, forKey: .removals) ?? ""
        source = try container.decodeIfPresent(String.self, forKey: .source) ?? ""
        report = try container.decodeIfPresent(String.self, forKey: .report) ?? ""
        proposerName = try container.decodeIfPresent(String.self, forKey: .proposerName) ?? ""
        proposerEmail = try container.decodeIfPresent(String.self, forKey: .proposerEmail) ?? ""
        base = try container.decodeIfPresent(NetworkDraft.self, forKey: .base)
    }

    /// The fields to apply to the entry as it is now: for a change, only those the proposer changed.
    public func fields(onto current: Network?) -> NetworkDraft {
        guard kind == .change, let current, let base else { return fields }
        return NetworkDraft(current).merged(fields, from: base)
    }

    /// A report of an error, which changes no field itself.
    public var isReport: Bool { kind == .change && !report.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }

    /// The network the proposal would make (a change applied to `existing`, or a new one), or every problem found.
    /// `sending`: the proposal is being sent — a report of an error may leave the entry as it is (the reviewer
    /// corrects it); accepted, every proposal must change something.
    public func network(existing: Network?, directory: PartyDirectory, isNetwork: (String) -> Bool, sending: Bool = false) throws -> Network {
        var problems = ProblemList()
        _ = problems.check { try TextRules.checkText(report, field: "report", limit: 4_000) }
        if kind == .new, !report.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.errors.append(.invalidValue(field: "report", value: String(report.prefix(40)), rule: "a report is about a network of the catalogue"))
        }
        let source = self.source.trimmingCharacters(in: .whitespacesAndNewlines)
        if source.isEmpty { problems.errors.append(.missingField(field: "source")) }
        _ = problems.check { try TextRules.checkText(source, field: "source", limit: 2_000) }
        let name = proposerName.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = problems.check { try TextRules.checkLine(name, field: "proposer_name", limit: 120) }
        if !proposerEmail.trimmingCharacters(in: .whitespaces).isEmpty {
            _ = problems.check { try Account.normalisedEmail(proposerEmail, field: "proposer_email") }
        }
        // Lists over their limit are not read at all: each name costs a look-up.
        let membersFit = problems.check { try TextRules.checkText(members, field: "members", limit: 20_000) } != nil
        let removalsFit = problems.check { try TextRules.checkText(removals, field: "removals", limit: 20_000) } != nil
        guard membersFit, removalsFit else { throw NetworkEditFailure(errors: problems.errors) }
        if kind == .new, !removals.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.errors.append(.invalidValue(field: "removals", value: String(removals.prefix(40)), rule: "only a change to a network removes parties"))
        }
        var fields = self.fields
        // The source is the reason (checked above, on as many lines as it needs).
        fields.reason = "proposal"
        let base: Network
        switch kind {
        case .change:
            guard let existing else { throw NetworkEditFailure(errors: [.invalidValue(field: "slug", value: slug, rule: "must be the slug of a network of the catalogue")]) }
            base = existing
        case .new:
            let slug = self.slug.trimmingCharacters(in: .whitespaces).lowercased()
            problems.check { try Rules.checkSlug(slug, field: "slug") }
            problems.require(!isNetwork(slug), .duplicate(field: "slug", value: slug))
            var groups: [MemberGroup] = []
            for line in Self.memberLines(members) {
                let record = CatalogueFile.GroupRecord(heading: nil, role: line.role.rawValue, statedCount: nil, text: line.text,
                                                       parties: line.names.map { CatalogueFile.EntryRecord(printed: $0) })
                if let group = record.memberGroup(path: "members[\(line.number)]", directory: directory, problems: &problems) { groups.append(group) }
            }
            if let section = try? Section.parse(fields.section, field: "section"), let scope = try? Scope.parse(fields.scope, field: "scope") {
                base = Network(slug: slug, name: fields.name.isEmpty ? slug : fields.name, section: section, scope: scope, groups: groups)
            } else {
                // The draft's own checks name the section or scope that is wrong.
                base = Network(slug: slug.isEmpty ? "x" : slug, name: "x", section: .european, scope: .global, groups: groups)
            }
        }
        let unchanged = InputError.invalidValue(field: "reason", value: "proposal", rule: "nothing was changed")
        var result: Network?
        do {
            result = try fields.apply(to: base, isNetwork: isNetwork, directory: directory)
        } catch let failure as NetworkEditFailure {
            let errors = failure.errors.filter { $0 != unchanged }
            // Fields left as they are: a change may still be to the members.
            if errors.isEmpty { result = base }
            problems.errors.append(contentsOf: errors)
        }
        if kind == .change, let edited = result {
            result = changingMembers(of: edited, directory: directory, problems: &problems)
            if problems.errors.isEmpty, result == existing, !(sending && isReport) { problems.errors.append(unchanged) }
        }
        guard problems.errors.isEmpty, let result else { throw NetworkEditFailure(errors: problems.errors) }
        return result
    }

    /// The lines of `members`: numbered from 1, each with its role (`observer:` before the names; member when none)
    /// and its names.
    static func memberLines(_ text: String) -> [(number: Int, role: Role, text: String, names: [String])] {
        text.split(whereSeparator: \.isNewline).enumerated().compactMap { i, line in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            var role = Role.member, names = text
            if let colon = text.firstIndex(of: ":"), let parsed = Role(rawValue: text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()) {
                role = parsed
                names = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            }
            return (i + 1, role, names, names.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    /// A change's members: the parties of `removals` taken out, those of `members` added with their role (or given
    /// it, when they take part already). The proposal's source goes with the revision (its reason), not into the
    /// public note of each entry it adds.
    func changingMembers(of network: Network, directory: PartyDirectory, problems: inout ProblemList) -> Network? {
        let removed = removals.split(whereSeparator: { $0 == "," || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let added = Self.memberLines(members)
        guard !removed.isEmpty || !added.isEmpty else { return network }
        let before = problems.errors.count
        var draft = MembershipDraft(network, directory: directory)
        draft.reason = "proposal"
        // The rows are the entries in printed order: their parties, without reading the rows' labels again.
        let parties = network.groups.flatMap { $0.entries.map(\.partyID) }
        let unknown = "must name a known country or organisation (English or French name, or code)"
        for (i, name) in removed.enumerated() {
            guard let party = directory.lookUp(name) else {
                problems.errors.append(.invalidValue(field: "removals[\(i + 1)]", value: name, rule: unknown))
                continue
            }
            let rows = parties.indices.filter { parties[$0] == party.id }
            guard !rows.isEmpty else {
                problems.errors.append(.invalidValue(field: "removals[\(i + 1)]", value: name, rule: "is not listed in this network"))
                continue
            }
            for row in rows { draft.rows[row].remove = true }
        }
        for line in added {
            for name in line.names {
                let field = "members[\(line.number)]"
                guard let party = directory.lookUp(name) else {
                    problems.errors.append(.invalidValue(field: field, value: name, rule: unknown))
                    continue
                }
                let rows = parties.indices.filter { parties[$0] == party.id && !draft.rows[$0].remove }
                if rows.contains(where: { draft.rows[$0].role == line.role.rawValue }) {
                    problems.errors.append(.invalidValue(field: field, value: name, rule: "takes part as \(line.role.rawValue) already"))
                } else if rows.count == 1 {
                    draft.rows[rows[0]].role = line.role.rawValue
                } else if rows.isEmpty {
                    draft.rows.append(MembershipDraft.Row(place: nil, party: party.id, role: line.role.rawValue, note: ""))
                } else {
                    problems.errors.append(.invalidValue(field: field, value: name, rule: "is listed more than once in this network: an editor changes its roles"))
                }
            }
        }
        guard problems.errors.count == before else { return nil }
        do {
            return try draft.apply(to: network, directory: directory)
        } catch let failure as NetworkEditFailure {
            problems.errors.append(contentsOf: failure.errors)
        } catch {
            problems.errors.append(.invalidValue(field: "members", value: members.prefix(40) + "…", rule: "\(error)"))
        }
        return nil
    }

    /// What the duplicate check compares: the name, acronym, countries and crime areas.
    public func duplicateDraft(of network: Network) -> DuplicateCheck.Draft {
        DuplicateCheck.Draft(name: network.name, acronym: network.acronym, parties: network.memberships.map(\.partyID), crimeAreas: network.crimeAreas,
                             website: network.website)
    }
}

/// A proposal as stored, with its review.
public struct Proposal: Sendable, Equatable {
    public enum Status: String, Sendable {
        case pending, accepted, rejected
    }

    public let id: Int64
    public let draft: ProposalDraft
    public let language: Language
    public let createdAt: Date
    public let status: Status
    public let decidedBy: String?
    public let decidedAt: Date?
    public let decisionReason: String?
    public let revision: Int64?
    /// What the proposer follows it by (`/proposals/{reference}`); nil for proposals kept before references.
    public let reference: String?

    public init(id: Int64, draft: ProposalDraft, language: Language, createdAt: Date, status: Status, decidedBy: String?, decidedAt: Date?,
                decisionReason: String?, revision: Int64?, reference: String? = nil) {
        self.id = id
        self.draft = draft
        self.language = language
        self.createdAt = createdAt
        self.status = status
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.decisionReason = decisionReason
        self.revision = revision
        self.reference = reference
    }

    /// Who the history credits: the proposer's name, or "a visitor".
    public var credit: String {
        let name = draft.proposerName.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? "a visitor" : name
    }
}
