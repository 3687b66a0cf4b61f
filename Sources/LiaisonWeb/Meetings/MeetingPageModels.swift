import Foundation
import LiaisonCore

/// A meeting as a line of a list: its title, kind, when (in its own zone), where, and whether it was cancelled.
struct MeetingItem {
    let url: String
    let title: String
    let kind: String
    let when: String
    let format: String
    let place: String
    let hasPlace: Bool
    let cancelled: Bool

    init(_ meeting: Meeting, t: Localizer) {
        url = "/meetings/\(meeting.id ?? 0)"
        title = meeting.title.text(t.language)
        kind = meeting.kind.label(t.language)
        when = DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, t.language)
        format = meeting.format.label(t.language)
        place = meeting.place
        hasPlace = !meeting.place.isEmpty
        cancelled = meeting.cancelled
    }
}

/// `/meetings`: those to come and, a page at a time, those past.
struct MeetingListPage {
    let upcoming: [MeetingItem]
    let hasUpcoming: Bool
    let past: [MeetingItem]
    let hasPast: Bool
    let pastPaging: Paging
    /// The meetings to come, a page at a time too (a busy year has more than a page).
    let upcomingPaging: Paging
    let canManage: Bool

    init(upcoming: [Meeting], past: [Meeting], page: Int, pages: Int, upcomingPage: Int = 1, upcomingPages: Int = 1, canManage: Bool, t: Localizer) {
        self.upcoming = upcoming.map { MeetingItem($0, t: t) }
        hasUpcoming = !upcoming.isEmpty
        self.past = past.map { MeetingItem($0, t: t) }
        hasPast = !past.isEmpty
        // Each list's links keep the other's page.
        func url(past: Int, upcoming: Int) -> String {
            let query = [upcoming > 1 ? "upcoming_page=\(upcoming)" : nil, past > 1 ? "page=\(past)" : nil].compactMap { $0 }
            return "/meetings" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
        pastPaging = Paging(page: page, pages: pages, label: t["meetings_past_paging"], t: t) { url(past: $0, upcoming: upcomingPage) }
        upcomingPaging = Paging(page: upcomingPage, pages: upcomingPages, label: t["meetings_upcoming_paging"], t: t) { url(past: page, upcoming: $0) }
        self.canManage = canManage
    }
}

/// `/meetings/{id}`: everything public about a meeting; its editors' buttons.
struct MeetingPage {
    struct Document {
        let title: String
        let url: String
    }

    let id: Int64
    let title: String
    let titleIsFallback: Bool
    let kind: String
    let format: String
    let when: String
    let utcWhen: String
    let place: String?
    let cancelled: Bool
    let summary: MarkdownView
    let agenda: MarkdownView
    let minutes: MarkdownView
    let documents: [Document]
    let hasDocuments: Bool
    let capacity: String?
    let deadline: String?
    let registrationOpen: Bool
    let isOnline: Bool
    let editions: [MeetingItem]
    let hasEditions: Bool
    let calendarURL: String
    let canManage: Bool
    var notice: String?
    /// The signed-in person's answer, if invited; the videoconference link, if registered.
    var yourAnswer: String?
    var conferenceURL: String?

    init(_ meeting: Meeting, editions: [Meeting], canManage: Bool, now: Date, t: Localizer) {
        let language = t.language
        id = meeting.id ?? 0
        title = meeting.title.text(language)
        titleIsFallback = meeting.title.isFallback(language)
        kind = meeting.kind.label(language)
        format = meeting.format.label(language)
        when = DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, language)
        utcWhen = t.format("meeting_utc", ["start": DateText.dateTime(meeting.startsAt, language)])
        place = meeting.place.isEmpty ? nil : meeting.place
        cancelled = meeting.cancelled
        summary = MarkdownView(meeting.summary.text(language))
        agenda = MarkdownView(meeting.agenda.text(language))
        minutes = MarkdownView(meeting.minutes.text(language))
        documents = meeting.documents.map { Document(title: $0.title, url: $0.url) }
        hasDocuments = !documents.isEmpty
        capacity = meeting.capacity.map { t.count("meeting_capacity", $0) }
        deadline = meeting.registrationDeadline.map { DateText.moment($0, in: meeting.zone, language) }
        registrationOpen = meeting.registrationOpen(at: now)
        isOnline = meeting.format != .inPerson
        self.editions = editions.map { MeetingItem($0, t: t) }
        hasEditions = !editions.isEmpty
        calendarURL = "/meetings/\(meeting.id ?? 0).ics"
        self.canManage = canManage
    }
}

/// `/meetings/new` and `/meetings/{id}/edit`: the form, as filled in, with each problem.
struct MeetingEditPage {
    let heading: String
    let action: String
    let cancelURL: String
    let draft: MeetingDraft
    let kinds: [Choice]
    let formats: [Choice]
    let zones: [Choice]
    let series: [String]
    let problems: [String]
    let hasProblems: Bool

    /// The time zones offered first: Strasbourg's, and those of the networks' seats; every IANA zone may be typed.
    static let commonZones = ["Europe/Paris", "Europe/London", "Europe/Lisbon", "Europe/Madrid", "Europe/Brussels", "Europe/Berlin",
                              "Europe/Vienna", "Europe/Rome", "Europe/Athens", "Europe/Bucharest", "Europe/Istanbul", "Europe/Moscow",
                              "Africa/Casablanca", "Africa/Lagos", "Africa/Johannesburg", "Africa/Nairobi", "Asia/Dubai", "Asia/Bangkok",
                              "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "America/New_York", "America/Mexico_City",
                              "America/Bogota", "America/Sao_Paulo", "America/Santiago", "UTC"]

    init(id: Int64?, draft: MeetingDraft, failure: NetworkEditFailure?, series: [String], t: Localizer) {
        heading = t[id == nil ? "meeting_new_title" : "meeting_edit_title"]
        action = id.map { "/meetings/\($0)/edit" } ?? "/meetings/new"
        cancelURL = id.map { "/meetings/\($0)" } ?? "/meetings"
        self.draft = draft
        kinds = MeetingKind.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == draft.kind) }
        formats = MeetingFormat.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == draft.format) }
        let zoneNames = Self.commonZones.contains(draft.timeZone) || draft.timeZone.isEmpty ? Self.commonZones : [draft.timeZone] + Self.commonZones
        zones = zoneNames.map { Choice(value: $0, label: $0, selected: $0 == draft.timeZone) }
        self.series = series
        problems = failure?.errors.map(\.description) ?? []
        hasProblems = !problems.isEmpty
    }
}
