import Foundation
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// What the check step shows before a proposal is sent: networks it may duplicate, and the report's criteria.
struct CheckResult {
    struct Candidate {
        let url: String
        let name: String
        let why: String
        /// Where to report what is wrong in that entry instead of proposing a new network.
        let reportURL: String?
    }

    /// Networks the proposal may be (a name, an acronym, a website in common), with a way to correct them instead.
    let candidates: [Candidate]
    let hasCandidates: Bool
    /// Networks that share much of its ground (members, crime areas): information, not a duplicate.
    let related: [Candidate]
    let hasRelated: Bool
    /// Parties of the directory with its name or acronym (ARIN-WA).
    let parties: [Candidate]
    let hasParties: Bool
    /// The duplicate check ran (a new network).
    let showsDuplicates: Bool
    let criteria: [NetworkPage.Criterion]

    init(_ proposed: Network, draft: ProposalDraft, catalogue: Catalogue, t: Localizer) {
        // Only a new network can duplicate one: a change is to a network that exists.
        let check = DuplicateCheck(catalogue: catalogue)
        let duplicate = draft.kind == .new ? draft.duplicateDraft(of: proposed) : nil
        let found = duplicate.map { check.candidates(for: $0, limit: 6) } ?? []
        func item(_ candidate: DuplicateCheck.Candidate, report: Bool) -> Candidate {
            Candidate(url: "/networks/\(candidate.network.slug)", name: candidate.network.displayName,
                      why: candidate.reasons.map { Self.words($0, t: t) }.joined(separator: "; "),
                      reportURL: report ? "/networks/\(candidate.network.slug)/report" : nil)
        }
        candidates = found.filter(\.maySameNetwork).prefix(4).map { item($0, report: true) }
        hasCandidates = !candidates.isEmpty
        related = found.filter { !$0.maySameNetwork }.prefix(4).map { item($0, report: false) }
        hasRelated = !related.isEmpty
        parties = (duplicate.map { check.parties(matching: $0) } ?? []).map { match in
            Candidate(url: PartyItem.url(match.party), name: match.party.name(t.language), why: Self.words(match.reason, t: t), reportURL: nil)
        }
        hasParties = !parties.isEmpty
        showsDuplicates = duplicate != nil
        criteria = proposed.inclusionCriteria(directory: catalogue.directory).map {
            NetworkPage.Criterion(text: t["criterion.\($0.criterion.rawValue)"], verdict: t["verdict.\($0.verdict.rawValue)"],
                                  verdictClass: $0.verdict.rawValue, reason: t.format("reason.\($0.why.key)", $0.why.values(t.language)))
        }
    }

    static func words(_ reason: DuplicateCheck.Reason, t: Localizer) -> String {
        switch reason {
        case let .similarName(share): t.format("check_similar_name", ["percent": Int((share * 100).rounded())])
        case let .sameAcronym(acronym): t.format("check_same_acronym", ["acronym": acronym])
        case let .memberOverlap(shared, count, members, _): t.format("check_members", ["shared": shared, "count": count, "members": members])
        case let .sameCrimeAreas(areas): t.format("check_crime_areas", ["areas": areas.map { $0.label(t.language) }.joined(separator: ", ")])
        case let .sameWebsite(website): t.format("check_same_website", ["website": website])
        }
    }
}

/// The member lines of a proposal as its forms show them (the proposer's, and the reviewer's when accepting): the
/// parties to add — all the members, for a new network — and, for a change, those to remove, with their problems.
struct MemberLines {
    let members: String
    let label: String
    let hint: String
    let membersError: String?
    let isChange: Bool
    let removals: String
    let removalsError: String?

    init(_ draft: ProposalDraft, failure: NetworkEditFailure?, t: Localizer) {
        isChange = draft.kind == .change
        members = draft.members
        label = t[isChange ? "propose_members_add" : "propose_members"]
        hint = t[isChange ? "propose_members_add_hint" : "propose_members_hint"]
        membersError = failure?.first(under: "members")?.description
        removals = draft.removals
        removalsError = failure?.first(under: "removals")?.description
    }
}

/// The proposal form: the network's fields, and for a new one its address and members; the source; who proposes.
struct ProposePage {
    let isNew: Bool
    let action: String
    let title: String
    let form: EditPage
    let slug: String
    let memberLines: MemberLines
    let source: String
    let proposerName: String
    let proposerEmail: String
    let sourceError: String?
    let slugError: String?
    let check: CheckResult?
    /// At the check step of a change: exactly what accepting it would change in the entry, field by field.
    let changes: [DiffLine]
    let hasChanges: Bool
    let honeypot = ProposalPages.honeypot

    init(draft: ProposalDraft, network: Network?, form: EditPage, failure: NetworkEditFailure?, check: CheckResult?, checked: Network? = nil,
         t: Localizer) {
        if let network, let checked, let change = try? NetworkRevisionChange(action: .edited, before: network, after: checked) {
            changes = DiffLine.lines(change.differences(), t: t)
        } else {
            changes = []
        }
        hasChanges = !changes.isEmpty
        isNew = network == nil
        action = network.map { "/networks/\($0.slug)/propose" } ?? "/propose"
        title = network.map { t.format("propose_change_title", ["name": $0.displayName]) } ?? t["propose_new_title"]
        self.form = form
        slug = draft.slug
        memberLines = MemberLines(draft, failure: failure, t: t)
        source = draft.source
        proposerName = draft.proposerName
        proposerEmail = draft.proposerEmail
        sourceError = failure?.error(for: "source")?.description
        slugError = failure?.error(for: "slug")?.description
        self.check = check
    }
}

/// The editors' queue.
struct ProposalsPage {
    struct Row {
        let url: String
        let number: Int64
        let what: String
        let status: String
        let pending: Bool
        let at: String
        let by: String
    }

    let rows: [Row]

    init(_ proposals: [Proposal], catalogue: Catalogue, t: Localizer) {
        rows = proposals.map { proposal in
            let name = catalogue.network(slug: proposal.draft.slug)?.displayName ?? proposal.draft.fields.name
            return Row(url: "/admin/proposals/\(proposal.id)", number: proposal.id,
                       what: t.format(proposal.draft.kind == .new ? "proposal_new" : "proposal_change", ["name": name]),
                       status: t["proposal_status.\(proposal.status.rawValue)"], pending: proposal.status == .pending,
                       at: t.dateTime(proposal.createdAt), by: proposal.credit)
        }
    }
}

/// One proposal for an editor: who, the source, what it changes, the duplicate check, and the decision.
struct ReviewPage {
    let id: Int64
    /// Where its forms go: the editors' queue, or the network's own address for its focal points.
    let base: String
    let what: String
    let pending: Bool
    let status: String
    let decisionReason: String?
    /// Who proposed it, for the secretariat only: a focal point decides on what is proposed, not on who proposes
    /// (the form promises the name is shown in the history once accepted, and the address never).
    let proposer: String?
    /// Shown to the secretariat only (the editors' queue): the form promises the address is never shown.
    let proposerEmail: String?
    let source: String
    /// A report of an error, in the reporter's words: the reviewer corrects the entry below, or declines.
    let report: String?
    let members: String
    let removals: String
    let changes: [DiffLine]
    let check: CheckResult?
    let form: EditPage
    /// The entry's latest revision when the page opened: accepting on a newer one is refused.
    let revision: Int64
    /// The changes saved meanwhile, when an acceptance was refused for them.
    let conflict: ConflictNotice?
    /// The member lines to accept, as the reviewer left them (the proposed ones at first), with their problems.
    let memberLines: MemberLines

    /// `form`: the fields to accept, with the problems of a refused acceptance; `accepting`: the draft with the
    /// member lines to accept.
    init(_ proposal: Proposal, base: String, forSecretariat: Bool, existing: Network?, proposed: Network?, form: EditPage, check: CheckResult?,
         accepting: ProposalDraft, failure: NetworkEditFailure?, revision: Int64, conflict: WriteConflict? = nil, t: Localizer) {
        memberLines = MemberLines(accepting, failure: failure, t: t)
        self.conflict = ConflictNotice(conflict, t: t)
        self.revision = self.conflict?.latest ?? revision
        self.base = base
        id = proposal.id
        let name = existing?.displayName ?? proposal.draft.fields.name
        what = t.format(proposal.draft.kind == .new ? "proposal_new" : "proposal_change", ["name": name])
        pending = proposal.status == .pending
        status = t["proposal_status.\(proposal.status.rawValue)"]
        decisionReason = proposal.decisionReason
        proposer = forSecretariat ? proposal.credit : nil
        proposerEmail = forSecretariat && !proposal.draft.proposerEmail.isEmpty ? proposal.draft.proposerEmail : nil
        source = proposal.draft.source
        report = proposal.draft.isReport ? proposal.draft.report : nil
        members = proposal.draft.members
        removals = proposal.draft.removals
        if let existing, let proposed, proposal.draft.kind == .change,
           let change = try? NetworkRevisionChange(action: .edited, before: existing, after: proposed) {
            changes = DiffLine.lines(change.differences(), t: t)
        } else {
            changes = []
        }
        self.check = check
        self.form = form
    }
}
