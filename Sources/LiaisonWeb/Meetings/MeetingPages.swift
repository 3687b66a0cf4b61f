import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore
import LiaisonServices

/// `/meetings`: the meetings the secretariat organises, to come and past, each with its page and its iCalendar
/// file, and the whole as a calendar to subscribe to. Editors create, change and cancel them.
struct MeetingPages {
    let meetings: MeetingService
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/meetings", needs: .anyone, use: list)
        routes.get("/meetings.ics", needs: .anyone, use: feed)
        routes.get("/meetings/new", needs: .permission(.manageMeetings), use: newForm)
        routes.post("/meetings/new", needs: .permission(.manageMeetings), use: create)
        // `/meetings/{id}` and `/meetings/{id}.ics`.
        routes.get("/meetings/:id", needs: .anyone, use: show)
        routes.get("/meetings/:id/edit", needs: .permission(.manageMeetings), use: editForm)
        routes.post("/meetings/:id/edit", needs: .permission(.manageMeetings), use: save)
        routes.post("/meetings/:id/cancel", needs: .permission(.manageMeetings), use: cancel)
    }

    /// GET /meetings — to come (soonest first, `upcoming_page`) and past (latest first, `page`), each a page at a time.
    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let fields = request.queryFields
        let page = try Paging.number(fields["page"].map(String.init))
        let upcomingPage = try Paging.number(fields[Substring(Self.upcomingPageField)].map(String.init), field: Self.upcomingPageField)
        let upcoming = try await meetings.meetings(upcoming: true, page: upcomingPage)
        let past = try await meetings.meetings(upcoming: false, page: page)
        let pageCounts = try [(past.total, page, "page"), (upcoming.total, upcomingPage, Self.upcomingPageField)].map { total, page, field in
            let count = Paging.count(total, perPage: MeetingService.perPage)
            try Paging.check(page, of: count, field: field)
            return count
        }
        let model = MeetingListPage(upcoming: upcoming.meetings, past: past.meetings, page: page, pages: pageCounts[0], upcomingPage: upcomingPage,
                                    upcomingPages: pageCounts[1], canManage: Policy.allows(context.principal, .manageMeetings), t: t)
        return pages.render(request, context, "meetings", model) { $0["meetings_title"] }
    }

    /// GET /meetings.ics — the calendar to subscribe to: the meetings of the last year and those to come.
    func feed(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = Localizer.of(request).language
        let events = try await meetings.calendarFeed().map { meetings.event($0, language: language) }
        let name = language == .fr ? "Liaison · réunions" : "Liaison · meetings"
        return Self.calendar(ICalendar.calendar(events, method: .publish, name: name, stamp: meetings.now()), name: "liaison-meetings.ics")
    }

    /// GET /meetings/{id} and /meetings/{id}.ics
    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let raw = try context.parameters.require("id")
        let isCalendar = raw.hasSuffix(".ics")
        let id = try Self.id(isCalendar ? String(raw.dropLast(4)) : raw)
        let meeting = try await meetings.meeting(id)
        let t = Localizer.of(request)
        if isCalendar {
            return Self.calendar(ICalendar.calendar([meetings.event(meeting, language: t.language)], method: .publish, stamp: meetings.now()),
                                 name: "liaison-meeting-\(id).ics")
        }
        let editions = try await meetings.editions(of: meeting)
        var model = MeetingPage(meeting, editions: editions, canManage: Policy.allows(context.principal, .manageMeetings), now: meetings.now(), t: t)
        // Someone signed in who is registered sees the videoconference link; anyone else is told who gets it.
        if let email = context.identity?.account.email, context.principal.isSignedIn,
           let mine = try await meetings.invitations(of: email).first(where: { $0.meeting.id == meeting.id })?.invitation {
            model.yourAnswer = mine.status.label(t.language)
            if mine.status == .registered, !meeting.cancelled { model.conferenceURL = meeting.conferenceURL }
        }
        model.notice = request.queryFields["saved"] != nil ? t["meeting_saved"] : nil
        return pages.render(request, context, "meeting", model, forms: model.canManage) { _ in meeting.title.text(t.language) }
    }

    /// GET /meetings/new — an empty form (the annual meeting, online, in Strasbourg's time, by default).
    func newForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        formPage(request, context, id: nil, draft: MeetingDraft(), failure: nil, series: try await meetings.series())
    }

    /// POST /meetings/new
    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await saving(request, context, id: nil) { draft in
            try await meetings.create(draft, by: context.principal, actor: EditPages.actor(context))
        }
    }

    /// GET /meetings/{id}/edit
    func editForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let meeting = try await meetings.meeting(id)
        return formPage(request, context, id: id, draft: MeetingDraft(meeting), failure: nil, series: try await meetings.series())
    }

    /// POST /meetings/{id}/edit
    func save(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        return try await saving(request, context, id: id) { draft in
            try await meetings.edit(id, draft, by: context.principal, actor: EditPages.actor(context))
        }
    }

    /// Saves the form's meeting and shows it, or shows the form again with each problem.
    func saving(_ request: Request, _ context: AppRequestContext, id: Int64?, _ save: (MeetingDraft) async throws -> Meeting) async throws
        -> Response
    {
        let draft = Self.draft(try await Form.read(request, context))
        do {
            let meeting = try await save(draft)
            return .redirect("/meetings/\(meeting.id ?? 0)?saved=1")
        } catch let failure as NetworkEditFailure {
            return formPage(request, context, id: id, draft: draft, failure: failure, series: try await meetings.series())
        }
    }

    /// POST /meetings/{id}/cancel — cancels (or, with `restore`, restores) the meeting.
    func cancel(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        let restore = form.text(.step) == "restore"
        _ = try await meetings.setCancelled(id, !restore, by: context.principal, actor: EditPages.actor(context))
        return .redirect("/meetings/\(id)?saved=1")
    }

    // MARK: Helpers

    func formPage(_ request: Request, _ context: AppRequestContext, id: Int64?, draft: MeetingDraft, failure: NetworkEditFailure?,
                  series: [String]) -> Response {
        let t = Localizer.of(request)
        let model = MeetingEditPage(id: id, draft: draft, failure: failure, series: series, t: t)
        return pages.render(request, context, "meeting-edit", model, forms: true, status: failure == nil ? .ok : .badRequest) {
            $0[id == nil ? "meeting_new_title" : "meeting_edit_title"]
        }
    }

    static func calendar(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "inline; filename=\"\(name)\"",
                                        .cacheControl: "public, max-age=300", .vary: "Accept-Language, Cookie"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func id(_ text: String) throws -> Int64 {
        guard text.count <= 18, let id = Int64(text), id > 0 else { throw CatalogueError.meetingNotFound(id: 0) }
        return id
    }

    /// The query parameter of the page of meetings to come.
    static let upcomingPageField = "upcoming_page"

    static func draft(_ form: Form) -> MeetingDraft {
        var draft = MeetingDraft()
        draft.titleEN = form.raw(.titleEn)
        draft.titleFR = form.raw(.titleFr)
        draft.summaryEN = form.raw(.summaryEn)
        draft.summaryFR = form.raw(.summaryFr)
        draft.kind = form.text(.kind)
        draft.format = form.text(.format)
        draft.place = form.raw(.place)
        draft.starts = form.raw(.starts)
        draft.ends = form.raw(.ends)
        draft.timeZone = form.text(.timeZone)
        draft.conferenceURL = form.raw(.conferenceURL)
        draft.capacity = form.raw(.capacity)
        draft.quotaPerNetwork = form.raw(.quotaPerNetwork)
        draft.registrationDeadline = form.raw(.registrationDeadline)
        draft.agendaEN = form.raw(.agendaEn)
        draft.agendaFR = form.raw(.agendaFr)
        draft.documents = form.raw(.documents)
        draft.minutesEN = form.raw(.minutesEn)
        draft.minutesFR = form.raw(.minutesFr)
        draft.series = form.raw(.series)
        return draft
    }
}
