import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Inviting networks to a meeting in one step, and answering by the mailed links without signing in: places, the
/// quota per network, the waiting list that moves up, the organiser's view network by network.
@Suite struct InvitationTests {
    /// The messages sent to `address`, newest last.
    static func mails(to address: String, _ bed: AccountBed) async throws -> [String] {
        try await bed.mail().filter { $0.contains("\r\nTo: \(address)\r\n") }
    }

    /// The link in a message that starts with the site's `/meetings/answer/` and ends with `?answer=…`.
    static func answerLink(in message: String, answer: String) throws -> String {
        let line = try #require(message.components(separatedBy: "\r\n").first { $0.contains("/meetings/answer/") && $0.contains("?answer=\(answer)&") })
        return String(line.dropFirst("http://liaison.test".count))
    }

    /// The calendar of a message (its inline `text/calendar` part), decoded.
    static func calendar(in message: String) throws -> String {
        let mail = try MIMEEntity(parsing: Array(message.utf8))
        let alternative = try #require(try mail.parts().first { $0.contentType.type == "multipart/alternative" })
        return try #require(try alternative.parts().first { $0.contentType.type == "text/calendar" }).text
    }

    /// Answers a link as someone who is not signed in: the page first (it changes nothing), then the button.
    static func answer(_ link: String, _ answer: String, _ client: any TestClientProtocol) async throws -> TestResponse {
        var visitor = Browser(client)
        let page = try await visitor.get(link)
        #expect(page.status == .ok)
        return try await visitor.post(String(link.prefix { $0 != "?" }), ["answer": answer])
    }

    @Test func theNetworksAreInvitedInOneStepAndTheWaitingListMovesUp() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await MeetingPagesTests.editor(bed, client)
            var form = MeetingPagesTests.form
            form["capacity"] = "2"
            form["quota_per_network"] = "1"
            let path = String(try #require(try await editor.post("/meetings/new", form).location).prefix { $0 != "?" })
            // The focal points as the accounts say today: two for the EJN, one for CARIN, one (French) for IberRed;
            // WACAP has none.
            try await bed.account("carin-fp@example.org", role: .focalPoint, networks: ["carin"])
            try await bed.account("ejn-one@example.org", role: .focalPoint, networks: ["ejn"])
            try await bed.account("ejn-two@example.org", role: .focalPoint, networks: ["ejn"])
            let iberred = try await bed.account("iberred-fp@example.org", role: .focalPoint, networks: ["iberred"])
            try await bed.store.setLanguage(accountID: iberred.id, language: .fr)
            let invited = try await editor.post(path + "/invite", ["audience": "chosen", "networks": "carin ejn iberred wacap",
                                                                   "people": "Guest Speaker <guest@example.org> | fr"])
            #expect(invited.location == path + "/invitations?invited=5&already=0")

            // Each a personal mail in their language, with the two answers and the calendar to add.
            let carinMail = try #require(try await Self.mails(to: "carin-fp@example.org", bed).last)
            #expect(carinMail.contains("Subject: Invitation: Annual meeting of network leaders 2027") && carinMail.contains("Content-Language: en"))
            #expect(carinMail.contains("Content-Type: multipart/mixed; boundary=") && carinMail.contains("text/calendar; charset=utf-8; method=REQUEST"))
            let ics = try Self.calendar(in: carinMail).replacingOccurrences(of: "\r\n ", with: "")
            #expect(ics.contains("METHOD:REQUEST\r\n") && ics.contains("RSVP=TRUE") && ics.contains(":mailto:carin-fp@example.org\r\n"))
            #expect(ics.contains("BEGIN:VALARM\r\n") && ics.contains("DTSTART;TZID=Europe/Paris:20270318T093000\r\n"))
            #expect(!ics.contains("secret-room"), "the videoconference link only once registered")
            let frenchMail = try #require(try await Self.mails(to: "iberred-fp@example.org", bed).last)
            #expect(frenchMail.contains("Content-Language: fr") && frenchMail.contains("Oui, je participerai"))
            #expect(frenchMail.contains("18 mars 2027, 09:30–17:00 (Europe/Paris, UTC+01:00)"))

            // CARIN says yes: a place, and the videoconference link by mail.
            let carinYes = try Self.answerLink(in: carinMail, answer: "yes")
            #expect(try await Self.answer(carinYes, "yes", client).page.contains("You are registered."))
            #expect(try await Client(client).get(carinYes).status == .notFound, "each link works once")
            let carinPlace = try #require(try await Self.mails(to: "carin-fp@example.org", bed).last)
            #expect(carinPlace.contains("Subject: Your place: Annual meeting") && carinPlace.contains("https://meet.example.org/secret-room"))
            #expect(try Self.calendar(in: carinPlace).contains("secret-room"))
            // The EJN's first says yes (the last place); its second waits (no place, and the EJN's one is taken);
            // IberRed's waits too.
            for (address, expected) in [("ejn-one@example.org", "You are registered."), ("ejn-two@example.org", "waiting list"),
                                        ("iberred-fp@example.org", "liste d’attente")] {
                let mail = try #require(try await Self.mails(to: address, bed).last)
                #expect(try await Self.answer(try Self.answerLink(in: mail, answer: "yes"), "yes", client).page.contains(expected), "\(address)")
            }
            // CARIN cannot come after all: the place goes to IberRed (the EJN's second would pass the EJN's quota).
            let withdraw = try Self.answerLink(in: carinPlace, answer: "no")
            #expect(try await Self.answer(withdraw, "no", client).page.contains("you will not take part"))
            let movedUp = try #require(try await Self.mails(to: "iberred-fp@example.org", bed).last)
            #expect(movedUp.contains("Une place s’est libérée") && movedUp.contains("secret-room"))
            let statuses = Dictionary(uniqueKeysWithValues: try await bed.meetings.invitations(
                of: 1, by: Principal(accountID: 1, role: .editor, usesSecondFactor: true)).invitations.map { ($0.email, $0.status) })
            #expect(statuses == ["carin-fp@example.org": .declined, "ejn-one@example.org": .registered, "ejn-two@example.org": .waiting,
                                 "iberred-fp@example.org": .registered, "guest@example.org": .invited])

            // The organiser sees it network by network, and which networks have no one coming.
            let view = try await editor.get(path + "/invitations?lang=en")
            #expect(view.page.contains("5 invited: 2 registered, 1 waiting, 1 declined, 1 without an answer."))
            let nobody = try #require(view.page.components(separatedBy: "Networks with no one coming").dropFirst().first?
                .components(separatedBy: "</section>").first)
            #expect(nobody.contains("Camden Assets Recovery Interagency Network (CARIN)") && !nobody.contains("Ibero-American"))
            #expect(!nobody.contains("European Judicial Network (EJN)<"), "the EJN has someone coming")
            // The EJN's page shows the meeting its people are invited to (not who); its focal point's account lists it.
            var reader = Browser(client)
            let ejnPage = try await reader.get("/networks/ejn?lang=en")
            #expect(ejnPage.page.contains("Its people&#39;s meetings to come") && ejnPage.page.contains(#"<a href="\#(path)">Annual meeting"#))
            #expect(!ejnPage.page.contains("ejn-one@example.org"))
            var focalPoint = Browser(client)
            _ = try await AccountFlowTests.signIn(&focalPoint, bed, "ejn-one@example.org")
            let account = try await focalPoint.get("/account?lang=en")
            #expect(account.page.contains(#"<a href="\#(path)">Annual meeting of network leaders 2027</a>"#) && account.page.contains("· registered"))
            // Signed in and registered, they see the videoconference link on the meeting's page; others do not.
            let mine = try await focalPoint.get(path + "?lang=en")
            #expect(mine.page.contains(#"<a href="https://meet.example.org/secret-room" rel="noopener">"#) && mine.page.contains("Your answer"))
            #expect(mine.headers[.cacheControl] == "no-store")
            #expect(!(try await reader.get(path + "?lang=en").page.contains("secret-room")))
            // Inviting the same networks again invites nobody twice.
            #expect(try await editor.post(path + "/invite", ["audience": "chosen", "networks": "carin ejn"]).location
                    == path + "/invitations?invited=0&already=3")

            // The organiser makes room (a third place, two per network): the EJN's second moves up at once, and is told.
            var larger = form
            larger["capacity"] = "3"
            larger["quota_per_network"] = "2"
            #expect(try await editor.post(path + "/edit", larger).status == .seeOther)
            let ejnTwo = try #require(try await Self.mails(to: "ejn-two@example.org", bed).last)
            #expect(ejnTwo.contains("A place has become free") && ejnTwo.contains("secret-room"))
            #expect(try await bed.meetings.invitations(of: 1, by: Principal(accountID: 1, role: .editor, usesSecondFactor: true)).invitations
                .first { $0.email == "ejn-two@example.org" }?.status == .registered)
        }
    }

    @Test func remindersGoToThoseWhoHaveNotAnsweredAndBeforeTheMeetingEachOnce() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await MeetingPagesTests.editor(bed, client)
            var form = MeetingPagesTests.form
            form["registration_deadline"] = ""
            let path = String(try #require(try await editor.post("/meetings/new", form).location).prefix { $0 != "?" })
            #expect(try await editor.post(path + "/invite", ["audience": "none", "people": "Ann <ann@example.org>\nBen <ben@example.org> | fr"])
                .location == path + "/invitations?invited=2&already=0")
            let annInvitation = try #require(try await Self.mails(to: "ann@example.org", bed).last)
            _ = try await Self.answer(try Self.answerLink(in: annInvitation, answer: "yes"), "yes", client)
            #expect(try await bed.meetings.remindInvitees() == 0, "nobody is reminded the day they are invited")
            // Three days on, Ben (who has not answered) is reminded, in French, with a new link; the first one stops working.
            bed.clock.advance(3 * 86_400 + 60)
            let benFirst = try Self.answerLink(in: try #require(try await Self.mails(to: "ben@example.org", bed).last), answer: "yes")
            #expect(try await bed.meetings.remindInvitees() == 1)
            #expect(try await bed.meetings.remindInvitees() == 0, "each reminder once")
            let reminder = try #require(try await Self.mails(to: "ben@example.org", bed).last)
            #expect(reminder.contains("Subject: =?UTF-8?B?") && reminder.contains("Nous n’avons pas encore reçu votre réponse"))
            #expect(try await Client(client).get(benFirst).status == .notFound)
            // Past the registration deadline, the link's page offers no yes, only no.
            let closing = try await bed.meetings.meeting(1)
            bed.clock.advance((closing.registrationDeadline ?? closing.startsAt).timeIntervalSince(bed.clock.now) + 60)
            var late = Browser(client)
            let latePage = try await late.get(try Self.answerLink(in: reminder, answer: "yes"))
            #expect(!latePage.page.contains(#"value="yes""#) && latePage.page.contains("Non, je ne pourrai pas participer"))
            bed.clock.advance(-((closing.registrationDeadline ?? closing.startsAt).timeIntervalSince(bed.clock.now) + 60) - 120)
            #expect(try await Self.answer(try Self.answerLink(in: reminder, answer: "no"), "no", client).page.contains("vous ne participerez pas"))
            // A week before the meeting Ann (registered) is reminded, with the videoconference link; a day before, again.
            let meeting = try await bed.meetings.meeting(1)
            bed.clock.advance(meeting.startsAt.timeIntervalSince(bed.clock.now) - 6 * 86_400)
            #expect(try await bed.meetings.remindInvitees() == 1)
            let week = try #require(try await Self.mails(to: "ann@example.org", bed).last)
            let subject = "Reminder — Your place: Annual meeting of network leaders 2027"
            #expect(week.contains("Subject: =?UTF-8?B?" + Data(subject.utf8).base64EncodedString() + "?=\r\n"))
            #expect(week.contains("The meeting is in a week.") && week.contains("secret-room"))
            bed.clock.advance(5 * 86_400 + 3600)
            #expect(try await bed.meetings.remindInvitees() == 1)
            #expect(try await Self.mails(to: "ann@example.org", bed).last?.contains("The meeting is tomorrow.") == true)
            #expect(try await bed.meetings.remindInvitees() == 0)
            // A cancelled meeting reminds nobody.
            _ = try await bed.meetings.setCancelled(1, true, by: Principal(accountID: 1, role: .editor, usesSecondFactor: true), actor: "test")
            bed.clock.advance(-3 * 86_400)
            #expect(try await bed.meetings.remindInvitees() == 0)
        }
    }

    @Test func aMovedOrCancelledMeetingUpdatesTheInviteesCalendars() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await MeetingPagesTests.editor(bed, client)
            let path = String(try #require(try await editor.post("/meetings/new", MeetingPagesTests.form).location).prefix { $0 != "?" })
            _ = try await editor.post(path + "/invite", ["audience": "none", "people": "Ann <ann@example.org>\nBen <ben@example.org>\nCy <cy@example.org>"])
            let ann = try #require(try await Self.mails(to: "ann@example.org", bed).last)
            _ = try await Self.answer(try Self.answerLink(in: ann, answer: "yes"), "yes", client)
            let cy = try #require(try await Self.mails(to: "cy@example.org", bed).last)
            _ = try await Self.answer(try Self.answerLink(in: cy, answer: "no"), "no", client)
            let uid = try #require(try Self.calendar(in: ann).components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") })
            // A description changed: no calendar changes, nobody is written to.
            var retitled = MeetingPagesTests.form
            retitled["summary_en"] = "Another description."
            _ = try await editor.post(path + "/edit", retitled)
            #expect(try await Self.mails(to: "ann@example.org", bed).count == 2)
            // Moved an hour later: those who have not declined get the calendar that updates theirs (the same UID, the next
            // sequence); Ann, registered, with the videoconference link.
            var moved = retitled
            moved["starts"] = "2027-03-18T10:30"
            _ = try await editor.post(path + "/edit", moved)
            let annChanged = try #require(try await Self.mails(to: "ann@example.org", bed).last)
            #expect(annChanged.contains("Subject: Changed: Annual meeting") && annChanged.contains("18 March 2027, 10:30–17:00"))
            let update = try Self.calendar(in: annChanged).replacingOccurrences(of: "\r\n ", with: "")
            #expect(update.contains(uid + "\r\n") && update.contains("METHOD:REQUEST\r\n") && update.contains("SEQUENCE:2\r\n"))
            #expect(update.contains("DTSTART;TZID=Europe/Paris:20270318T103000") && update.contains("secret-room"))
            #expect(try await Self.mails(to: "ben@example.org", bed).last?.contains("Subject: Changed:") == true)
            #expect(try await Self.mails(to: "cy@example.org", bed).count == 1, "Cy declined: nothing more")
            // Cancelled: METHOD:CANCEL removes it from their calendars.
            _ = try await editor.post(path + "/cancel", [:])
            let cancelled = try #require(try await Self.mails(to: "ben@example.org", bed).last)
            #expect(cancelled.contains("Subject: Cancelled: Annual meeting") && cancelled.contains("method=CANCEL"))
            let cancel = try Self.calendar(in: cancelled).replacingOccurrences(of: "\r\n ", with: "")
            #expect(cancel.contains("METHOD:CANCEL\r\n") && cancel.contains("STATUS:CANCELLED\r\n") && cancel.contains("SEQUENCE:3\r\n")
                    && cancel.contains(uid + "\r\n") && !cancel.contains("VALARM"))
        }
    }

    @Test func aWrongAudienceIsRefusedByName() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await MeetingPagesTests.editor(bed, client)
            let path = String(try #require(try await editor.post("/meetings/new", MeetingPagesTests.form).location).prefix { $0 != "?" })
            #expect(try await editor.post(path + "/invite", ["audience": "chosen", "networks": "no-such-network"]).page
                .contains("networks: “no-such-network” is not allowed: must be the slug of a network of the catalogue"))
            #expect(try await editor.post(path + "/invite", ["audience": "none", "people": "not an address"]).page.contains("people[1]"))
            #expect(try await editor.post(path + "/invite", ["audience": "everybody"]).status == .badRequest)
            #expect(try await editor.post(path + "/invite", ["audience": "covering", "countries": "XX"]).page
                .contains("countries: “XX” is not allowed: must be the code of a party of the catalogue"))
            #expect(try await editor.post(path + "/invite", ["audience": "covering"]).page.contains("countries"))
            #expect(try await bed.store.outbox().isEmpty)
        }
    }

    @Test func theNetworksCoveringSomeCountriesAreInvitedAsTheCatalogueSaysNow() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await MeetingPagesTests.editor(bed, client)
            let path = String(try #require(try await editor.post("/meetings/new", MeetingPagesTests.form).location).prefix { $0 != "?" })
            let ghana = Set(NetworkSelection.covering(["GH"]).networks(in: bed.catalogue.snapshot).map(\.slug))
            let inGhana = try #require(ghana.sorted().first)
            let elsewhere = try #require(bed.catalogue.snapshot.networks.first { !ghana.contains($0.slug) && $0.status.value == .active }?.slug)
            try await bed.account("gh@example.org", role: .focalPoint, networks: [inGhana])
            try await bed.account("other@example.org", role: .focalPoint, networks: [elsewhere])
            #expect(try await editor.post(path + "/invite", ["audience": "covering", "countries": "gh"]).location
                    == path + "/invitations?invited=1&already=0")
            #expect(try await Self.mails(to: "gh@example.org", bed).count == 1)
            #expect(try await Self.mails(to: "other@example.org", bed).isEmpty)
        }
    }
}

/// A visitor's GET, without following redirects.
struct Client {
    let client: any TestClientProtocol
    init(_ client: any TestClientProtocol) { self.client = client }

    func get(_ uri: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .get)
    }
}
