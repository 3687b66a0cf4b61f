import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// Editing a network's members: a table of parties (picked from a list searchable by name, in English or French,
/// or by code), roles, dates and notes; rows to add; one revision with a reason.
struct MembersPages {
    let catalogue: LiveCatalogue
    let curation: Curation
    let pages: SignInPages

    /// Empty rows offered for new members.
    static let newRows = 5

    func addRoutes(to routes: Routes) {
        routes.get("/networks/:slug/members", needs: .networkEditor) { request, context in
            let (network, revision) = try await curation.current(slug: try find(context).slug)
            return page(request, context, network, draft: MembershipDraft(network, directory: catalogue.snapshot.directory), revision: revision,
                        failure: nil)
        }
        routes.post("/networks/:slug/members", needs: .networkEditor) { request, context -> Response in
            let network = try find(context)
            let form = try await Form.read(request, context)
            let (draft, revision) = (Self.draft(form), Int64(form.text(.revision)) ?? 0)
            return try await EditPages.saving(network) {
                try await curation.editMembers(network, with: draft, revision: revision, by: EditPages.actor(context))
            } refused: { failure, status, conflict in
                page(request, context, network, draft: draft, revision: revision, failure: failure, conflict: conflict, status: status)
            }
        }
    }

    func find(_ context: AppRequestContext) throws -> Network {
        try catalogue.network(in: context)
    }

    /// Rows are numbered fields: `place_N` (`group.entry`, empty for a new row), `party_N`, `role_N`, `since_N`,
    /// `until_N`, `note_N`, `remove_N`.
    static func draft(_ form: Form) -> MembershipDraft {
        var rows: [MembershipDraft.Row] = []
        var n = 0
        while form.hasRow(n) {
            let place = form.text(.place, row: n).split(separator: ".").compactMap { Int($0) }
            rows.append(MembershipDraft.Row(place: place.count == 2 ? (place[0], place[1]) : nil, party: form.text(.party, row: n),
                                            role: form.text(.role, row: n), since: form.text(.since, row: n), until: form.text(.until, row: n),
                                            note: form.raw(.note, row: n), remove: !form.text(.remove, row: n).isEmpty))
            n += 1
            if n > 5_000 { break }
        }
        return MembershipDraft(rows: rows, reason: form.raw(.reason))
    }

    func page(_ request: Request, _ context: AppRequestContext, _ network: Network, draft: MembershipDraft, revision: Int64,
              failure: NetworkEditFailure?, conflict: WriteConflict? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let t = Localizer.of(request)
        let model = MembersPage(network, draft: draft, revision: revision, failure: failure, conflict: conflict, catalogue: catalogue.snapshot, t: t)
        return pages.render(request, context, "members", model, status: status) { $0.format("members_title", ["name": network.displayName]) }
    }
}

struct MembersPage {
    struct RowItem {
        let n: Int
        let place: String
        let party: String
        let roles: [Choice]
        let since: String
        let until: String
        let note: String
        let remove: Bool
        let existing: Bool
        let error: String?
    }

    struct PartyOption {
        let value: String
        let label: String
    }

    let slug: String
    let name: String
    let revision: Int64
    let rows: [RowItem]
    let parties: [PartyOption]
    let problems: [String]
    let hasProblems: Bool
    let reason: String
    let reasonError: String?
    let conflict: ConflictNotice?

    init(_ network: Network, draft: MembershipDraft, revision: Int64, failure: NetworkEditFailure?, conflict: WriteConflict? = nil,
         catalogue: Catalogue, t: Localizer) {
        slug = network.slug
        name = network.displayName
        self.conflict = ConflictNotice(conflict, t: t)
        self.revision = self.conflict?.latest ?? revision
        var rows = draft.rows
        rows += Array(repeating: MembershipDraft.Row(place: nil, party: "", role: Role.member.rawValue), count: MembersPages.newRows)
        self.rows = rows.enumerated().map { n, row in
            let field = "members[\(n + 1)]"
            let error = failure?.errors.first { error in
                if case let .invalidValue(name, _, _) = error { return name.hasPrefix(field + ".") }
                if case let .duplicate(name, _) = error { return name.hasPrefix(field + ".") }
                return false
            }
            return RowItem(n: n, place: row.place.map { "\($0.group).\($0.entry)" } ?? "", party: row.party,
                           roles: [Choice(value: "", label: t["members_no_role"], selected: row.role.isEmpty)]
                               + Role.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == row.role) },
                           since: row.since, until: row.until, note: row.note, remove: row.remove, existing: row.place != nil,
                           error: error?.description)
        }
        // The picker's list: every country and organisation, named as the picker writes them, searchable in both languages.
        parties = catalogue.directory.parties.values.sorted { $0.nameEN < $1.nameEN }.map { party in
            PartyOption(value: MembershipDraft.label(party), label: party.nameFR == party.nameEN ? party.nameEN : party.nameFR)
        }
        problems = failure?.errors.map(\.description) ?? []
        hasProblems = !problems.isEmpty
        reason = draft.reason
        reasonError = failure?.error(for: "reason")?.description
    }
}
