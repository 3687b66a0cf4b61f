import Foundation
import LiaisonCore
import LiaisonStore

/// Meetings the secretariat organises: created, changed and cancelled by editors, read by anyone, and given to
/// calendar programs as iCalendar. Each change raises the meeting's sequence, so calendars that have it replace it.
public struct MeetingService: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    let mail: MailTemplates
    public let now: @Sendable () -> Date
    /// The site's address: the meetings' pages, and the domain of their calendar UIDs.
    let site: String
    /// The secretariat's address, the ORGANIZER of mailed invitations (nil: none set).
    let organizer: String?
    public static let perPage = 20

    /// Refused: the principal may not manage meetings.
    /// A meeting; `CatalogueError.meetingNotFound` when there is none.
    public func meeting(_ id: Int64) async throws -> Meeting {
        guard let meeting = try await store.meeting(id: id) else { throw CatalogueError.meetingNotFound(id: id) }
        return meeting
    }

    /// A page of the meetings to come (soonest first) or past (latest first), and how many there are.
    public func meetings(upcoming: Bool, page: Int) async throws -> (meetings: [Meeting], total: Int) {
        try await store.meetings(upcoming: upcoming, at: now(), limit: Self.perPage, offset: max(0, page - 1) * Self.perPage)
    }

    /// The other editions of a meeting's series, earliest first.
    public func editions(of meeting: Meeting) async throws -> [Meeting] {
        guard let series = meeting.series else { return [] }
        return try await store.meetings(series: series).filter { $0.id != meeting.id }
    }

    /// The meetings to come that a network's people are invited to (its page shows them).
    public func upcoming(forNetwork slug: String) async throws -> [Meeting] {
        try await store.upcomingMeetings(network: slug, at: now())
    }

    /// The meetings to come a person is invited to, and where they stand (their account page).
    public func invitations(of email: String) async throws -> [(invitation: MeetingInvitation, meeting: Meeting)] {
        try await store.invitations(email: email, at: now())
    }

    /// The series named so far (for the form).
    public func series() async throws -> [String] {
        try await store.meetingSeries()
    }

    /// The meetings of the calendar feed: those that ended less than a year ago and those to come (cancelled ones
    /// too, so a subscribed calendar removes them).
    public func calendarFeed() async throws -> [Meeting] {
        try await store.meetingsEnding(after: now().addingTimeInterval(-366 * 86_400), limit: 500)
    }

    /// Creates a meeting from its form; `NetworkEditFailure` names each field that breaks a rule.
    public func create(_ draft: MeetingDraft, by principal: Principal, actor: String) async throws -> Meeting {
        guard Policy.allows(principal, .manageMeetings) else { throw ServiceDenied() }
        let date = now()
        let blank = Meeting(uid: Meeting.newUID(domain: Self.domain(of: site)), title: Bilingual(), kind: .leadersMeeting, format: .online,
                            startsAt: date, endsAt: date, timeZone: "UTC", createdAt: date, updatedAt: date)
        let meeting = try draft.meeting(from: blank)
        return try await store.createMeeting(meeting, actor: actor)
    }

    /// Saves a meeting's form (its sequence goes up).
    public func edit(_ id: Int64, _ draft: MeetingDraft, by principal: Principal, actor: String) async throws -> Meeting {
        guard Policy.allows(principal, .manageMeetings) else { throw ServiceDenied() }
        let before = try await meeting(id)
        var edited = try draft.meeting(from: before)
        edited.updatedAt = now()
        let tell = Self.calendarChanged(before, edited) ? invitees : nil
        guard let saved = try await store.updateMeeting(edited, actor: actor, tell: tell) else { throw CatalogueError.meetingNotFound(id: id) }
        // More places: those waiting move up at once.
        try await promoteWaiting(saved)
        return saved
    }

    /// Cancels a meeting, or restores a cancelled one; the calendars that have it are told at their next reading.
    public func setCancelled(_ id: Int64, _ cancelled: Bool, by principal: Principal, actor: String) async throws -> Meeting {
        guard Policy.allows(principal, .manageMeetings) else { throw ServiceDenied() }
        var changed = try await meeting(id)
        guard changed.cancelled != cancelled else { return changed }
        changed.cancelled = cancelled
        changed.updatedAt = now()
        guard let saved = try await store.updateMeeting(changed, actor: actor, tell: invitees) else { throw CatalogueError.meetingNotFound(id: id) }
        return saved
    }

    /// Whether a change is one a calendar shows: the time, the place, the title, the videoconference link.
    static func calendarChanged(_ before: Meeting, _ after: Meeting) -> Bool {
        before.startsAt != after.startsAt || before.endsAt != after.endsAt || before.timeZone != after.timeZone || before.place != after.place
            || before.format != after.format || before.title != after.title || before.conferenceURL != after.conferenceURL
    }

    /// The mails of a change to everyone invited who has not declined: the meeting as it is now, with the calendar that
    /// updates theirs (METHOD:REQUEST, the new SEQUENCE) or removes it (METHOD:CANCEL).
    var invitees: @Sendable (Meeting, [MeetingInvitation]) throws -> [MailMessage] {
        { [self] meeting, invitations in
            try invitations.filter { $0.status != .declined }.map { invitation in
                let language = invitation.language
                let registered = invitation.status == .registered
                let calendar = self.calendar(meeting, for: invitation, conference: registered ? meeting.conferenceURL : nil,
                                             method: meeting.cancelled ? .cancel : .request)
                return try mail.meetingChanged(to: invitation.email, language: language, name: invitation.name, title: meeting.title.text(language),
                                               when: DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, language),
                                               place: Self.placeText(meeting, language), cancelled: meeting.cancelled,
                                               page: page(of: meeting) + "?lang=\(language.rawValue)").with(calendar: calendar)
            }
        }
    }

    /// The host of the site's address (`liaison.example.org`), for calendar UIDs.
    static func domain(of site: String) -> String {
        URL(string: site)?.host ?? "liaison.invalid"
    }
}
