import Foundation
import LiaisonCore
import LiaisonStore

/// Inviting to a meeting in one step, and the answers: each invitee gets a personal mail in their language with
/// two one-click answers and the meeting's calendar (METHOD:REQUEST, their ATTENDEE line, a reminder); a yes takes
/// a place or waits for one, a no frees it for the first waiting.
extension MeetingService {
    /// What an invitation round did.
    public struct InvitationReport: Sendable, Equatable {
        /// Mails queued.
        public let invited: Int
        /// People found who had been invited before (left as they are).
        public let alreadyInvited: Int
        /// The networks of the audience with no focal point to invite (their names).
        public let networksWithoutFocalPoint: [String]
    }

    /// Invites the audience, resolved now: the focal points of the networks as their accounts say today (one who
    /// left is not invited, their successor is), and the people named. Each person once, for the first network of
    /// theirs in the audience.
    public func invite(_ id: Int64, audience: InvitationAudience, by principal: Principal) async throws -> InvitationReport {
        guard Policy.allows(principal, .manageMeetings) else { throw ServiceDenied() }
        let meeting = try await meeting(id)
        guard !meeting.cancelled else {
            throw InputError.invalidValue(field: "meeting", value: String(id), rule: "is cancelled: nobody can be invited to it")
        }
        let snapshot = catalogue.snapshot
        let networks: [Network]
        try audience.networks?.check(in: snapshot)
        networks = audience.networks?.networks(in: snapshot) ?? []
        let focalPoints = try await store.accounts().filter { $0.role == .focalPoint && !$0.disabled }
        var people: [(person: InvitationAudience.Person, network: String?)] = []
        var seen = Set<String>()
        var without: [String] = []
        for network in networks {
            let theirs = focalPoints.filter { $0.networks.contains(network.slug) }
            if theirs.isEmpty { without.append(network.displayName) }
            for account in theirs where seen.insert(account.email).inserted {
                people.append((InvitationAudience.Person(email: account.email, name: account.displayName, language: account.language), network.slug))
            }
        }
        for person in audience.people where seen.insert(person.email).inserted {
            people.append((person, nil))
        }
        let date = now()
        let invitees = try people.map { person, network -> CatalogueStore.Invitee in
            let token = Secrets.token()
            let invitation = MeetingInvitation(meetingID: id, email: person.email, name: person.name, language: person.language,
                                               network: network, invitedAt: date)
            let language = person.language
            let answer = "\(site)/meetings/answer/\(token)"
            var mail = try self.mail.meetingInvitation(
                to: person.email, language: language, name: person.name, network: network.flatMap { snapshot.network(slug: $0)?.displayName },
                title: meeting.title.text(language), when: DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, language),
                place: Self.placeText(meeting, language), accept: answer + "?answer=yes&lang=\(language.rawValue)",
                decline: answer + "?answer=no&lang=\(language.rawValue)", page: page(of: meeting) + "?lang=\(language.rawValue)")
            mail = try mail.with(calendar: calendar(meeting, for: invitation, conference: nil))
            return CatalogueStore.Invitee(invitation: invitation, tokenHash: Secrets.hash(token), mail: mail)
        }
        let invited = try await store.invite(invitees, at: date)
        return InvitationReport(invited: invited, alreadyInvited: invitees.count - invited, networksWithoutFocalPoint: without)
    }

    /// The invitation an answer link belongs to, and its meeting (nil: no such link, or it was used).
    public func invitation(token: String) async throws -> (invitation: MeetingInvitation, meeting: Meeting)? {
        guard token.count <= 100, let invitation = try await store.invitation(tokenHash: Secrets.hash(token)) else { return nil }
        return (invitation, try await meeting(invitation.meetingID))
    }

    /// Answers by a link: the person's place (or place on the waiting list) with its mail, or their withdrawal, and
    /// the mails of those who moved up. Nil: no such link, or it was used.
    public func answer(token: String, accept: Bool) async throws -> (answer: CatalogueStore.Answer, meeting: Meeting)? {
        guard let found = try await invitation(token: token) else { return nil }
        let meeting = found.meeting
        if accept && !meeting.registrationOpen(at: now()) {
            throw InputError.invalidValue(field: "answer", value: "yes", rule: meeting.cancelled ? "the meeting is cancelled"
                                          : "registration closed on \(DateText.moment(meeting.registrationDeadline ?? meeting.startsAt, in: meeting.zone, .en))")
        }
        let place = placeMail(meeting)
        let answer = try await store.answerInvitation(
            tokenHash: Secrets.hash(token), accept: accept, capacity: meeting.capacity, quotaPerNetwork: meeting.quotaPerNetwork, at: now(),
            newToken: Self.newToken, mail: place)
        return answer.map { ($0, meeting) }
    }

    /// Gives the places an edit freed (a larger capacity, more places per network, or none) to those waiting, who are
    /// told by mail; nothing for a cancelled meeting or one already begun. Returns who moved up.
    @discardableResult
    func promoteWaiting(_ meeting: Meeting) async throws -> [MeetingInvitation] {
        guard let id = meeting.id, !meeting.cancelled, meeting.startsAt > now() else { return [] }
        let place = placeMail(meeting)
        return try await store.promoteWaiting(meetingID: id, capacity: meeting.capacity, quotaPerNetwork: meeting.quotaPerNetwork, at: now(),
                                              newToken: Self.newToken, mail: { try place($0, $1, true) })
    }

    static let newToken: @Sendable () -> (token: String, hash: String) = { let token = Secrets.token(); return (token, Secrets.hash(token)) }

    /// The mail of one who has, or waits for, a place (`movedUp`: from the waiting list), with the link to withdraw;
    /// those registered get the conference link and the calendar. None for a declined answer.
    func placeMail(_ meeting: Meeting) -> @Sendable (MeetingInvitation, String?, Bool) throws -> MailMessage? {
        let service = self
        return { invitation, token, movedUp in
            guard let token, invitation.status == .registered || invitation.status == .waiting else { return nil }
            let language = invitation.language
            let registered = invitation.status == .registered
            let message = try service.mail.meetingPlace(
                to: invitation.email, language: language, name: invitation.name, title: meeting.title.text(language),
                when: DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, language), place: Self.placeText(meeting, language),
                registered: registered, movedUp: movedUp,
                conference: registered ? meeting.conferenceURL : nil, withdraw: "\(service.site)/meetings/answer/\(token)?answer=no&lang=\(language.rawValue)",
                page: service.page(of: meeting) + "?lang=\(language.rawValue)")
            return registered ? try message.with(calendar: service.calendar(meeting, for: invitation, conference: meeting.conferenceURL)) : message
        }
    }

    /// Sends the reminders due: to whoever has not answered three days after the invitation (while registration is
    /// open), and to those registered a week and a day before the meeting; each in their language, with a new link
    /// (the earlier one stops working). Returns how many were queued.
    @discardableResult
    public func remindInvitees() async throws -> Int {
        let date = now()
        var meetings: [Int64: Meeting] = [:]
        var sent = 0
        for (invitation, kind) in try await store.dueReminders(at: date) {
            guard let id = invitation.id else { continue }
            if meetings[invitation.meetingID] == nil { meetings[invitation.meetingID] = try await meeting(invitation.meetingID) }
            guard let meeting = meetings[invitation.meetingID] else { continue }
            let language = invitation.language
            let token = Secrets.token()
            let answer = "\(site)/meetings/answer/\(token)"
            let when = DateText.span(from: meeting.startsAt, to: meeting.endsAt, in: meeting.zone, language)
            let pageLink = page(of: meeting) + "?lang=\(language.rawValue)"
            let mail: MailMessage
            switch kind {
            case .answer:
                mail = try self.mail.meetingInvitation(
                    to: invitation.email, language: language, name: invitation.name,
                    network: invitation.network.flatMap { catalogue.snapshot.network(slug: $0)?.displayName }, title: meeting.title.text(language),
                    when: when, place: Self.placeText(meeting, language), accept: answer + "?answer=yes&lang=\(language.rawValue)",
                    decline: answer + "?answer=no&lang=\(language.rawValue)", page: pageLink, reminder: true)
                    .with(calendar: calendar(meeting, for: invitation, conference: nil))
            case .week, .day:
                let soon = switch (kind, language) {
                case (.day, .fr): "La réunion a lieu demain."
                case (.day, _): "The meeting is tomorrow."
                case (_, .fr): "La réunion a lieu dans une semaine."
                default: "The meeting is in a week."
                }
                mail = try self.mail.meetingPlace(
                    to: invitation.email, language: language, name: invitation.name, title: meeting.title.text(language), when: when,
                    place: Self.placeText(meeting, language), registered: true, movedUp: false, conference: meeting.conferenceURL,
                    withdraw: answer + "?answer=no&lang=\(language.rawValue)", page: pageLink, soon: soon)
            }
            if try await store.remind(id, kind: kind, tokenHash: Secrets.hash(token), mail: mail, at: date) { sent += 1 }
        }
        return sent
    }

    /// A meeting's invitations, for its organisers.
    public func invitations(of id: Int64, by principal: Principal) async throws -> (meeting: Meeting, invitations: [MeetingInvitation]) {
        guard Policy.allows(principal, .manageMeetings) else { throw ServiceDenied() }
        let meeting = try await meeting(id)
        return (meeting, try await store.invitations(meetingID: id))
    }

    /// A meeting as a calendar event in a language: its title, its summary and agenda as plain text, a link to its page.
    /// Without the videoconference link, which only those registered receive.
    public func event(_ meeting: Meeting, language: Language) -> ICalendar.Event {
        let description = [meeting.summary.text(language), meeting.agenda.text(language)].filter { !$0.isEmpty }
            .map { Markdown.plainText(Markdown.parse($0)) }.joined(separator: "\n\n")
        return ICalendar.Event(meeting: meeting, url: page(of: meeting), title: meeting.title.text(language), description: description)
    }

    func page(of meeting: Meeting) -> String {
        "\(site)/meetings/\(meeting.id ?? 0)"
    }

    /// The calendar mailed with an invitation: METHOD:REQUEST (or CANCEL), the invitee as ATTENDEE asked to answer, a
    /// reminder an hour before; the videoconference link only for those registered.
    func calendar(_ meeting: Meeting, for invitation: MeetingInvitation, conference: String?, method: ICalendar.Method = .request)
        -> MailMessage.Calendar
    {
        var event = event(meeting, language: invitation.language)
        event.conferenceURL = conference
        event.attendee = (invitation.email, invitation.name)
        event.organizer = organizer.map { ($0, "Liaison") }
        event.alarmMinutes = 60
        return MailMessage.Calendar(method: method.rawValue, text: ICalendar.calendar([event], method: method, stamp: now()))
    }

    static func placeText(_ meeting: Meeting, _ language: Language) -> String {
        [meeting.format == .online ? nil : meeting.place, meeting.format == .inPerson ? nil : (language == .fr ? "en ligne" : "online")]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}
