import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import LiaisonStore

/// Inviting to a meeting (organisers: the audience chosen on one form, the answers network by network) and
/// answering by the mailed link (anyone holding it, without signing in).
struct InvitationPages {
    let meetings: MeetingService
    let catalogue: LiveCatalogue
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/meetings/:id/invitations", needs: .permission(.manageMeetings), use: invitations)
        routes.post("/meetings/:id/invite", needs: .permission(.manageMeetings), use: invite)
        routes.get("/meetings/answer/:token", needs: .anyone, use: answerPage)
        routes.post("/meetings/answer/:token", needs: .anyone, use: answer)
    }

    /// GET /meetings/{id}/invitations — who was invited, who answered what, network by network; the form to invite.
    func invitations(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try MeetingPages.id(try context.parameters.require("id"))
        let found = try await meetings.invitations(of: id, by: context.principal)
        let t = Localizer.of(request)
        let fields = request.queryFields
        var model = InvitationsPage(found.meeting, invitations: found.invitations, catalogue: catalogue.snapshot, t: t)
        if let invited = fields["invited"].flatMap({ Int($0) }), let already = fields["already"].flatMap({ Int($0) }) {
            model.notice = t.format("invitations_sent", ["invited": invited, "already": already])
        }
        return pages.render(request, context, "meeting-invitations", model, forms: true) { $0["invitations_title"] }
    }

    /// POST /meetings/{id}/invite — a wrong audience shows the page again with what to change (400).
    func invite(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try MeetingPages.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        do {
            return try await invite(id, form, context)
        } catch let failure as NetworkEditFailure {
            return try await refused(request, context, id: id, problems: failure.errors.map(\.description))
        } catch let error as InputError {
            return try await refused(request, context, id: id, problems: [error.description])
        }
    }

    func refused(_ request: Request, _ context: AppRequestContext, id: Int64, problems: [String]) async throws -> Response {
        let found = try await meetings.invitations(of: id, by: context.principal)
        var model = InvitationsPage(found.meeting, invitations: found.invitations, catalogue: catalogue.snapshot, t: Localizer.of(request))
        model.problems = problems
        model.hasProblems = true
        return pages.render(request, context, "meeting-invitations", model, forms: true, status: .badRequest) { $0["invitations_title"] }
    }

    func invite(_ id: Int64, _ form: Form, _ context: AppRequestContext) async throws -> Response {
        let networks = try NetworkSelection(choice: form.text(.audience), networks: form.list(.networks), countries: form.list(.countries))
        let people = try InvitationAudience.people(form.raw(.people), field: "people")
        if networks == nil, people.isEmpty {
            throw InputError.invalidValue(field: "audience", value: "none", rule: "must name networks or people to invite")
        }
        let report = try await meetings.invite(id, audience: InvitationAudience(networks: networks, people: people), by: context.principal)
        return .redirect("/meetings/\(id)/invitations?invited=\(report.invited)&already=\(report.alreadyInvited)")
    }

    /// GET /meetings/answer/{token}?answer=yes|no — the meeting and one button: mail programs that open links to
    /// inspect them answer nothing.
    func answerPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        guard let found = try await meetings.invitation(token: token) else { return pages.linkProblem(request, context, .linkUnknown, back: ("/meetings", "meetings_title")) }
        let t = Localizer.of(request)
        let wanted = request.queryFields["answer"].map(String.init)
        let model = AnswerPage(found.meeting, invitation: found.invitation, token: token, accept: wanted != "no", now: meetings.now(), t: t)
        return pages.render(request, context, "meeting-answer", model, forms: true) { _ in found.meeting.title.text(t.language) }
    }

    /// POST /meetings/answer/{token}
    func answer(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let form = try await Form.read(request, context)
        let accept: Bool
        switch form.text(.answer) {
        case "yes": accept = true
        case "no": accept = false
        default: throw InputError.invalidValue(field: "answer", value: TextRules.preview(form.text(.answer)), rule: "must be yes or no")
        }
        guard let done = try await meetings.answer(token: token, accept: accept) else { return pages.linkProblem(request, context, .linkUnknown, back: ("/meetings", "meetings_title")) }
        let t = Localizer.of(request)
        let key = switch done.answer.invitation.status {
        case .registered: "answer_registered"
        case .waiting: "answer_waiting"
        case .declined: "answer_declined"
        case .invited: "answer_declined"
        }
        return pages.render(request, context, "notice",
                            Notice(heading: done.meeting.title.text(t.language), message: t[key], link: "/meetings/\(done.meeting.id ?? 0)",
                                   linkLabel: t["answer_see_meeting"])) { _ in done.meeting.title.text(t.language) }
    }
}

/// `/meetings/answer/{token}`: what the meeting is, where the person stands, the answer to confirm.
struct AnswerPage {
    let title: String
    let when: String
    let name: String
    let token: String
    let status: String
    /// Not answered yet: both answers offered (the one the link asked for first).
    let open: Bool
    let acceptFirst: Bool
    /// The one button when yes is not offered: no (registration closed) or withdrawing (one who has or waits for a place).
    let declineLabel: String
    let meetingURL: String

    init(_ meeting: Meeting, invitation: MeetingInvitation, token: String, accept: Bool, now: Date, t: Localizer) {
        title = meeting.title.text(t.language)
        when = DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, t.language)
        name = invitation.name
        self.token = token
        status = invitation.status.label(t.language)
        // A yes is offered only while registration is open; a no (or withdrawing) always.
        open = invitation.status == .invited && meeting.registrationOpen(at: now)
        acceptFirst = accept
        declineLabel = t[invitation.status == .invited ? "answer_no" : "answer_withdraw"]
        meetingURL = "/meetings/\(meeting.id ?? 0)"
    }
}

/// `/meetings/{id}/invitations`: network by network, who was invited and what they answered; the networks with no
/// one coming; the form to invite more.
struct InvitationsPage {
    struct Person {
        let name: String
        let email: String
        let status: String
    }

    struct Group {
        let name: String
        let people: [Person]
    }

    let id: Int64
    let title: String
    let counts: String
    let groups: [Group]
    let hasGroups: Bool
    let nobodyComing: [String]
    let hasNobodyComing: Bool
    let networks: [Choice]
    var notice: String?
    var problems: [String] = []
    var hasProblems = false

    init(_ meeting: Meeting, invitations: [MeetingInvitation], catalogue: Catalogue, t: Localizer) {
        id = meeting.id ?? 0
        title = meeting.title.text(t.language)
        let registered = invitations.filter { $0.status == .registered }.count
        let waiting = invitations.filter { $0.status == .waiting }.count
        let declined = invitations.filter { $0.status == .declined }.count
        counts = t.format("invitations_counts", ["invited": invitations.count, "registered": registered, "waiting": waiting, "declined": declined,
                                                 "open": invitations.count - registered - waiting - declined])
        var groups: [Group] = []
        let byNetwork = Dictionary(grouping: invitations, by: { $0.network ?? "" })
        for key in byNetwork.keys.sorted(by: { ($0.isEmpty ? 1 : 0, $0) < ($1.isEmpty ? 1 : 0, $1) }) {
            let people = (byNetwork[key] ?? []).map {
                Person(name: $0.name, email: $0.email, status: $0.status.label(t.language))
            }
            let name = key.isEmpty ? t["invitations_named_people"] : (catalogue.network(slug: key)?.displayName ?? key)
            groups.append(Group(name: name, people: people))
        }
        self.groups = groups
        hasGroups = !groups.isEmpty
        // Every active network of the catalogue with no one registered (invited or not).
        let comingNetworks = Set(invitations.filter { $0.status == .registered }.compactMap(\.network))
        nobodyComing = catalogue.networks.filter { $0.status.value == .active && !comingNetworks.contains($0.slug) }.map(\.displayName)
            .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        hasNobodyComing = !nobodyComing.isEmpty
        networks = catalogue.networks.filter { $0.status.value == .active }
            .map { Choice(value: $0.slug, label: $0.displayName, selected: false) }
            .sorted { $0.label.localizedStandardCompare($1.label) == .orderedAscending }
    }
}
