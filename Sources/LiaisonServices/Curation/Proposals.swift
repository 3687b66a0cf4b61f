import Foundation
import LiaisonCore
import LiaisonStore

/// Proposals as people make and decide them: anyone submits one; an editor accepts it (as sent or with edits) or
/// rejects it, and the proposer, if they gave an address, is told by mail in the language they proposed in.
public struct Proposals: Sendable {
    let catalogue: LiveCatalogue
    let settings: AccountSettings
    let mail: MailTemplates

    init(catalogue: LiveCatalogue, settings: AccountSettings, mail: MailTemplates) {
        self.catalogue = catalogue
        self.settings = settings
        self.mail = mail
    }

    /// The proposals, newest first (`pendingOnly`: those awaiting a decision).
    public func list(pendingOnly: Bool = false) async throws -> [Proposal] {
        try await catalogue.store.proposals(pendingOnly: pendingOnly)
    }

    /// The proposal `raw` (as the request gives it) numbers; with `pending`, one still awaiting a decision.
    public func proposal(_ raw: String, pending: Bool = false) async throws -> Proposal {
        guard let id = Int64(raw), let proposal = try await catalogue.store.proposal(id) else {
            throw InputError.invalidValue(field: "proposal", value: raw, rule: "no proposal has this number")
        }
        if pending, proposal.status != .pending {
            throw InputError.invalidValue(field: "proposal", value: raw, rule: "was decided already (\(proposal.status.rawValue))")
        }
        return proposal
    }

    /// The network a proposal would make, checked as an editor's edit is (`NetworkEditFailure` for every problem):
    /// what the visitor sees before sending it.
    public func preview(_ draft: ProposalDraft) throws -> Network {
        let snapshot = catalogue.snapshot
        return try draft.network(existing: draft.kind == .change ? snapshot.network(slug: draft.slug) : nil, directory: snapshot.directory,
                                 isNetwork: { snapshot.network(slug: $0) != nil }, sending: true)
    }

    /// The networks of the catalogue a proposed one may duplicate, likeliest first. The name is required; texts are
    /// held to their limits (read, never kept); parties must be known ids, crime areas of the vocabulary.
    public func similarNetworks(name: String, acronym: String?, parties: [String], crimeAreas: [String], website: String? = nil) throws
        -> [DuplicateCheck.Candidate]
    {
        // A name of spaces only leaves the check to the parties and crime areas; none at all is refused.
        guard !name.isEmpty else { throw InputError.missingField(field: "name") }
        try TextRules.checkLength(name, field: "name", limit: 300)
        try acronym.map { try TextRules.checkLength($0, field: "acronym", limit: 40) }
        try website.map { try TextRules.checkLength($0, field: "website", limit: 2_000) }
        try TextRules.checkPartyList(parties, field: "parties")
        if crimeAreas.count > CrimeArea.allCases.count {
            throw InputError.invalidValue(field: "crime_areas", value: "\(crimeAreas.count) values",
                                          rule: "at most \(CrimeArea.allCases.count) crime areas may be named")
        }
        let snapshot = catalogue.snapshot
        let ids = try parties.enumerated().map { i, id in
            guard let party = snapshot.party(id: id) else {
                throw InputError.invalidValue(field: "parties[\(i)]", value: id, rule: "must be the id of a known party (ISO code or slug)")
            }
            return party.id
        }
        let areas = try crimeAreas.enumerated().map { i, value in try CrimeArea.parse(value, field: "crime_areas[\(i)]") }
        return DuplicateCheck(catalogue: snapshot).candidates(for: .init(name: name, acronym: acronym, parties: ids, crimeAreas: areas,
                                                                         website: website))
    }

    /// Keeps a proposal and tells those who review it — the focal points of its network and the editors — by mail,
    /// each in their language, in one transaction; at most five an hour from one client address
    /// (`AccountError.throttled` beyond). Returns the reference its proposer follows it by (`/proposals/{reference}`).
    @discardableResult
    public func submit(_ draft: ProposalDraft, language: Language, address: String, accountID: Int64?) async throws -> String {
        let reference = Secrets.token()
        let network = draft.kind == .change ? catalogue.snapshot.network(slug: draft.slug) : nil
        let reviewers = try await reviewers(of: network)
        let (mail, site) = (self.mail, settings.publicURL)
        _ = try await catalogue.store.submitProposal(draft, language: language, address: address, accountID: accountID,
                                                     reference: reference, at: settings.now()) { id in
            try reviewers.map { reviewer in
                try mail.proposalReceived(
                    to: reviewer.email, language: reviewer.language, network: network?.displayName ?? draft.fields.name,
                    isNew: network == nil, report: draft.isReport ? draft.report : nil,
                    link: reviewer.role == .focalPoint && network != nil ? "\(site)/networks/\(draft.slug)/proposals/\(id)" : "\(site)/admin/proposals/\(id)")
            }
        }
        return reference
    }

    /// Who reviews a proposal about a network (nil: a new network): the editors, and the network's focal points.
    public func reviewers(of network: Network?) async throws -> [Account] {
        try await catalogue.store.accounts().filter { account in
            !account.disabled && (account.role == .editor || account.role == .administrator
                || (account.role == .focalPoint && network.map { account.maintains($0.slug) } == true))
        }
    }

    /// The proposals awaiting a decision about some networks (a focal point's), oldest first.
    public func pending(about slugs: [String]) async throws -> [Proposal] {
        try await catalogue.store.pendingProposals(about: slugs)
    }

    /// The proposal a reference names, as its proposer follows it (`InputError` for a reference that names none).
    public func proposal(reference: String) async throws -> Proposal {
        let wellFormed = reference.count <= 64 && !reference.isEmpty
            && reference.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }
        guard wellFormed, let proposal = try await catalogue.store.proposal(reference: reference) else {
            throw CatalogueError.proposalNotFound(reference: reference)
        }
        return proposal
    }

    /// Accepts a pending proposal with `fields` as the editor left them, on the entry at `revision`: in one
    /// transaction the proposal is decided, the network written with its revision, and the two linked. Throws
    /// `NetworkEditFailure` for fields that break a rule, `WriteConflict` for a write refused (the entry changed since
    /// the review page opened, or the new network's slug is taken meanwhile; the proposal stays pending), and the
    /// "decided already" error when another acceptance came first.
    /// `byFocalPoint`: one of the network's focal points decided (the proposer's mail says so). `memberLines`: the
    /// members to add and the parties to remove as the reviewer left them (nil: as proposed); the proposal keeps
    /// what was proposed, the revision what was accepted.
    public func accept(_ proposal: Proposal, fields: NetworkDraft, memberLines: (members: String, removals: String)? = nil, revision: Int64,
                       by editor: String, byFocalPoint: Bool = false) async throws -> Network
    {
        var draft = proposal.draft
        draft.fields = fields
        if let memberLines { (draft.members, draft.removals) = memberLines }
        let snapshot = catalogue.snapshot
        let existing = draft.kind == .change ? snapshot.network(slug: draft.slug) : nil
        // The snapshot says which slugs are networks (the store's transaction refuses a slug taken meanwhile).
        let network = try draft.network(existing: existing, directory: snapshot.directory, isNetwork: { snapshot.network(slug: $0) != nil })
        let reason = String(("proposal \(proposal.id): " + draft.source.trimmingCharacters(in: .whitespacesAndNewlines)).prefix(500))
        do {
            try await catalogue.acceptProposal(proposal.id, network: network,
                                               change: try existing.map { try NetworkRevisionChange(action: .edited, before: $0, after: network) },
                                               actor: "\(editor), proposed by \(proposal.credit)", reason: reason,
                                               expected: existing == nil ? nil : revision, decidedBy: editor, at: settings.now(),
                                               mail: try decisionMail(proposal, accepted: true, network: network, reason: nil, byFocalPoint: byFocalPoint))
        } catch let error as InputError {
            if case .invalidValue(field: "proposal", _, _) = error { throw error }
            throw await WriteConflict.since(existing == nil ? nil : revision, slug: network.slug, error: error, catalogue: catalogue)
        }
        return network
    }

    /// Rejects a pending proposal, with the reason the proposer is told.
    public func reject(_ proposal: Proposal, reason: String, by editor: String, byFocalPoint: Bool = false) async throws {
        try TextRules.checkText(reason, field: "decision_reason", limit: 2_000)
        try await catalogue.store.rejectProposal(proposal.id, by: editor, reason: reason, at: settings.now(),
                                                 mail: try decisionMail(proposal, accepted: false,
                                                                        network: catalogue.snapshot.network(slug: proposal.draft.slug), reason: reason,
                                                                        byFocalPoint: byFocalPoint))
    }

    /// The mail to the proposer, if they gave an address, queued with the decision (decided and told, or neither):
    /// accepted, it links to the entry; declined, to the page that follows the proposal.
    func decisionMail(_ proposal: Proposal, accepted: Bool, network: Network?, reason: String?, byFocalPoint: Bool) throws -> [MailMessage] {
        guard let email = try? Account.normalisedEmail(proposal.draft.proposerEmail) else { return [] }
        let slug = network?.slug ?? proposal.draft.slug
        let name = network?.displayName ?? (proposal.draft.fields.name.isEmpty ? slug : proposal.draft.fields.name)
        let declined = proposal.reference.map { "\(settings.publicURL)/proposals/\($0)" } ?? "\(settings.publicURL)/about"
        return [try mail.proposalDecided(to: email, language: proposal.language, accepted: accepted, network: name, reason: reason,
                                         link: accepted ? "\(settings.publicURL)/networks/\(slug)" : declined, byNetwork: byFocalPoint)]
    }
}
