import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Meetings as the secretariat sets them up and everyone reads them: pages in both languages, Markdown shown
/// safely, calendars that follow every change.
@Suite struct MeetingPagesTests {
    static let key = "MeetingKey0123456789"

    static let form: [String: String] = [
        "title_en": "Annual meeting of network leaders 2027", "title_fr": "Réunion annuelle des responsables des réseaux 2027",
        "summary_en": "The **leaders** meet online.\n\n<script>alert('x')</script> [a link](javascript:alert(1)) [the report](https://example.org/r)",
        "summary_fr": "Les **responsables** se réunissent en ligne.", "kind": "leaders-meeting", "format": "online", "place": "",
        "time_zone": "Europe/Paris", "starts": "2027-03-18T09:30", "ends": "2027-03-18T17:00", "registration_deadline": "2027-03-11T18:00",
        "conference_url": "https://meet.example.org/secret-room", "capacity": "80", "quota_per_network": "2",
        "agenda_en": "1. Opening\n2. Tour de table\n   - needs of the networks", "agenda_fr": "1. Ouverture", "documents": "Agenda | https://example.org/a.pdf",
        "minutes_en": "", "minutes_fr": "", "series": "annual-meeting",
    ]

    static func editor(_ bed: AccountBed, _ client: any TestClientProtocol) async throws -> Browser {
        try await bed.account("secretariat@example.org", role: .editor, secondFactor: Self.key)
        var editor = Browser(client)
        _ = try await AccountFlowTests.signIn(&editor, bed, "secretariat@example.org", key: Self.key)
        return editor
    }

    @Test func theSecretariatSetsUpTheAnnualMeetingAndEveryoneReadsIt() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await Self.editor(bed, client)
            #expect(try await editor.get("/meetings/new").status == .ok)
            let created = try await editor.post("/meetings/new", Self.form)
            let location = try #require(created.location)
            #expect(location.hasPrefix("/meetings/") && location.hasSuffix("?saved=1"))
            let path = String(location.prefix { $0 != "?" })

            // Anyone reads it, in the meeting's own time, in English and French; the Markdown shows, the HTML in it as text.
            var visitor = Browser(client)
            let page = try await visitor.get(path + "?lang=en")
            #expect(page.status == .ok && page.page.contains("<h1>Annual meeting of network leaders 2027</h1>"))
            #expect(page.page.contains("18 March 2027, 09:30–17:00 (Europe/Paris, UTC+01:00)"))
            #expect(page.page.contains("<strong>leaders</strong>") && page.page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
            #expect(!page.page.contains("<script>alert") && !page.page.contains("href=\"javascript:"))
            #expect(page.page.contains(#"<a href="https://example.org/r" rel="nofollow noopener">the report</a>"#))
            #expect(page.page.contains("<ol start=\"1\"><li><p>Opening</p></li><li><p>Tour de table</p><ul><li><p>needs of the networks</p></li></ul>"))
            #expect(!page.page.contains("secret-room"), "the conferencing link is for those registered")
            #expect(page.page.contains("<dt>Registration</dt><dd>Open: those invited answer"))
            let french = try await visitor.get(path + "?lang=fr")
            #expect(french.page.contains("Réunion annuelle des responsables des réseaux 2027") && french.page.contains("18 mars 2027, 09:30–17:00"))
            #expect(french.page.contains("<strong>responsables</strong>"))
            let list = try await visitor.get("/meetings?lang=en")
            #expect(list.page.contains(#"<a href="\#(path)">Annual meeting of network leaders 2027</a>"#))

            // Its calendar: stable UID, sequence 0, the meeting's zone, a link back, no conferencing link.
            let ics = try await visitor.get(path + ".ics")
            #expect(ics.status == .ok && ics.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(ics.headers[.vary] == "Accept-Language, Cookie", "the calendar is in the reader's language")
            let first = ics.page.replacingOccurrences(of: "\r\n ", with: "")
            #expect(first.contains("DTSTART;TZID=Europe/Paris:20270318T093000\r\n") && first.contains("SEQUENCE:0\r\n"))
            #expect(first.contains("URL;VALUE=URI:http://liaison.test\(path)\r\n") && !first.contains("secret-room"))
            let uid = try #require(first.components(separatedBy: "\r\n").first { $0.hasPrefix("UID:") })

            // Moved by an hour: the same UID, the next sequence; the feed says so too.
            var moved = Self.form
            moved["starts"] = "2027-03-18T10:30"
            #expect(try await editor.post(path + "/edit", moved).location == path + "?saved=1")
            let second = try await visitor.get(path + ".ics").page.replacingOccurrences(of: "\r\n ", with: "")
            #expect(second.contains(uid + "\r\n") && second.contains("SEQUENCE:1\r\n") && second.contains("DTSTART;TZID=Europe/Paris:20270318T103000"))
            // Cancelled: the subscribed calendar removes it at its next reading.
            #expect(try await editor.post(path + "/cancel", [:]).location == path + "?saved=1")
            let feed = try await visitor.get("/meetings.ics").page.replacingOccurrences(of: "\r\n ", with: "")
            #expect(feed.contains(uid + "\r\n") && feed.contains("STATUS:CANCELLED\r\n") && feed.contains("SEQUENCE:2\r\n"))
            let cancelledPage = try await visitor.get(path + "?lang=en").page
            #expect(cancelledPage.contains("This meeting is cancelled.") && cancelledPage.contains("<dt>Registration</dt><dd>Closed.</dd>"))
        }
    }

    @Test func theMeetingsToComeAreAPageAtATimeLikeThePastOnes() async throws {
        try await AccountBed.run { bed, client in
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            for day in 1...(MeetingService.perPage + 1) {
                var draft = MeetingDraft()
                draft.titleEN = "Working group \(day)"
                draft.starts = String(format: "2027-04-%02dT10:00", day)
                draft.ends = String(format: "2027-04-%02dT12:00", day)
                _ = try await bed.meetings.create(draft, by: editor, actor: "test")
            }
            var reader = Browser(client)
            let first = try await reader.get("/meetings?lang=en")
            #expect(first.page.contains("Working group 20<") && !first.page.contains("Working group 21<"))
            #expect(first.page.contains(#"<a href="/meetings?upcoming_page=2" rel="next">Next page</a>"#) && first.page.contains("Page 1 of 2"))
            let second = try await reader.get("/meetings?upcoming_page=2&lang=en")
            #expect(second.page.contains("Working group 21<") && !second.page.contains("Working group 1<"))
            #expect(second.page.contains(#"<a href="/meetings" rel="prev">Previous page</a>"#))
            let beyond = try await reader.get("/meetings?upcoming_page=3&lang=en")
            #expect(beyond.status == .badRequest && beyond.page.contains("upcoming_page"))
        }
    }

    @Test func aWrongFormIsShownAgainWithEachProblemAndNothingIsSaved() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await Self.editor(bed, client)
            var wrong = Self.form
            wrong["ends"] = "2027-03-18T08:00"
            wrong["time_zone"] = "Europe/Atlantis"
            wrong["conference_url"] = "http://insecure.example.org"
            let refused = try await editor.post("/meetings/new", wrong)
            #expect(refused.status == .badRequest)
            #expect(refused.page.contains("time_zone: “Europe/Atlantis” is not allowed") && refused.page.contains("conference_url"))
            #expect(refused.page.contains(#"value="Annual meeting of network leaders 2027""#), "what was typed is kept")
            wrong["time_zone"] = "Europe/Paris"
            wrong["conference_url"] = ""
            #expect(try await editor.post("/meetings/new", wrong).page.contains("ends: “2027-03-18T08:00” is not allowed: must be after the start"))
            #expect(try await bed.meetings.meetings(upcoming: true, page: 1).total == 0)
            // Only editors create meetings.
            try await bed.account("p@example.org", role: .practitioner)
            var practitioner = Browser(client)
            _ = try await AccountFlowTests.signIn(&practitioner, bed, "p@example.org")
            #expect(try await practitioner.post("/meetings/new", Self.form).status == .forbidden)
            #expect(try await bed.meetings.meetings(upcoming: true, page: 1).total == 0)
        }
    }
}
