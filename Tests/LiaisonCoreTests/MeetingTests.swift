import Foundation
import Testing
@testable import LiaisonCore

/// Meetings: local times in their zone, the form's checks, and the iCalendar that calendar programs read.
@Suite struct MeetingTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let created = Date(timeIntervalSince1970: 1_790_000_000)

    static func meeting(_ starts: String = "2027-03-18T09:30", _ ends: String = "2027-03-18T17:00", zone: String = "Europe/Paris") throws -> Meeting {
        var draft = MeetingDraft()
        draft.titleEN = "Annual meeting of network leaders, 2027; “first”"
        draft.titleFR = "Réunion annuelle des responsables des réseaux"
        draft.summaryEN = "The leaders meet **online**.\nSee [the report](https://example.org/report)."
        draft.starts = starts
        draft.ends = ends
        draft.timeZone = zone
        draft.conferenceURL = "https://meet.example.org/room-1"
        return try draft.meeting(from: Meeting(uid: "meeting-1@liaison.test", title: Bilingual(), kind: .other, format: .online,
                                               startsAt: created, endsAt: created, timeZone: "UTC", createdAt: created, updatedAt: created))
    }

    @Test func localTimesAreInstantsOfTheirZone() throws {
        let winter = try LocalTime.instant("2027-03-18T09:30", in: Self.paris, field: "starts")
        #expect(ICalendar.utc(winter) == "20270318T083000Z")
        let summer = try LocalTime.instant("2027-07-01T10:00", in: Self.paris, field: "starts")
        #expect(ICalendar.utc(summer) == "20270701T080000Z")
        #expect(LocalTime.offset(winter, in: Self.paris) == "UTC+01:00" && LocalTime.offset(summer, in: Self.paris) == "UTC+02:00")
        #expect(LocalTime.offset(winter, in: TimeZone(identifier: "America/Bogota")!) == "UTC−05:00")
        #expect(LocalTime.text(summer, in: Self.paris) == "2027-07-01T10:00")
        // 28 March 2027, 02:30 does not happen in Paris; 31 October 2027, 02:30 happens twice: the first is taken.
        #expect(throws: InputError.invalidValue(field: "starts", value: "2027-03-28T02:30",
                                                rule: "must be a time that exists in Europe/Paris: the clocks skip it that day")) {
            try LocalTime.instant("2027-03-28T02:30", in: Self.paris, field: "starts")
        }
        #expect(ICalendar.utc(try LocalTime.instant("2027-10-31T02:30", in: Self.paris, field: "starts")) == "20271031T003000Z")
        for bad in ["2027-02-30T10:00", "2027-3-18T09:30", "18/03/2027 09:30", "2027-03-18T24:00", "2027-03-18", "１２３４-03-18T09:30"] {
            #expect(throws: InputError.self, "\(bad)") { try LocalTime.instant(bad, in: Self.paris, field: "starts") }
        }
        #expect(throws: InputError.self) { try LocalTime.zone("Mars/Olympus", field: "time_zone") }
        #expect(throws: InputError.self) { try LocalTime.zone("../../etc/passwd", field: "time_zone") }
    }

    @Test func theFormNamesEachProblem() throws {
        var draft = MeetingDraft()
        draft.format = "in-person"
        draft.starts = "2027-03-18T17:00"
        draft.ends = "2027-03-18T09:00"
        draft.conferenceURL = "javascript:alert(1)"
        draft.capacity = "0"
        draft.documents = "Agenda | https://example.org/a.pdf\nno address here"
        draft.series = "Annual Meeting!"
        draft.registrationDeadline = "2027-03-19T10:00"
        let base = try Self.meeting()
        do {
            _ = try draft.meeting(from: base)
            Issue.record("a draft with mistakes was accepted")
        } catch let failure as NetworkEditFailure {
            let fields = Set(failure.errors.map { error -> String in
                switch error {
                case let .invalidValue(field, _, _), let .missingField(field), let .duplicate(field, _): field
                case .invalidInput: "?"
                }
            })
            #expect(fields == ["title_en", "place", "ends", "conference_url", "capacity", "documents[2]", "series", "registration_deadline"])
        }
        let meeting = try Self.meeting()
        #expect(meeting.title.en.hasPrefix("Annual") && meeting.conferenceURL == "https://meet.example.org/room-1")
        #expect(MeetingDraft(meeting).starts == "2027-03-18T09:30" && MeetingDraft(meeting).timeZone == "Europe/Paris")
        #expect(try MeetingDraft(meeting).meeting(from: meeting) == meeting, "the form of a meeting saves it unchanged")
    }

    @Test func peopleNamedOneALineAreCheckedEachByLine() throws {
        #expect(try InvitationAudience.people("Anne Ésope <Anne@Example.org> | fr\nbob@example.org\n\nbob@example.org", field: "people") == [
            InvitationAudience.Person(email: "anne@example.org", name: "Anne Ésope", language: .fr),
            InvitationAudience.Person(email: "bob@example.org", name: "bob@example.org", language: .en),
        ])
        for text in ["|", "| fr", "||", " | ", "<>", "Name <>", "<a@example.org> | de", "not an address", "a@example.org | fr | en"] {
            #expect(throws: NetworkEditFailure.self, "\(text)") { try InvitationAudience.people(text, field: "people") }
        }
    }

    @Test func calendarLinesAreEscapedFoldedAndEndedByCRLF() throws {
        var meeting = try Self.meeting()
        meeting.sequence = 3
        let long = String(repeating: "é€😀 ", count: 40)
        let ics = ICalendar.calendar([ICalendar.Event(meeting: meeting, url: "https://liaison.test/meetings/1", title: meeting.title.en,
                                                      description: long)], method: .publish, name: "Liaison", stamp: Self.created)
        #expect(ics.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && ics.hasSuffix("END:VCALENDAR\r\n"))
        #expect(!ics.replacingOccurrences(of: "\r\n", with: "").contains("\n") && !ics.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        for line in ics.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 75, "\(line)") }
        let unfolded = ics.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:Annual meeting of network leaders\\, 2027\\; “first”\r\n"))
        #expect(unfolded.contains("DESCRIPTION:" + long + "\\n\\nhttps://liaison.test/meetings/1\r\n"))
        #expect(unfolded.contains("DTSTART;TZID=Europe/Paris:20270318T093000\r\n") && unfolded.contains("SEQUENCE:3\r\n"))
        #expect(unfolded.contains("UID:meeting-1@liaison.test\r\n") && unfolded.contains("STATUS:CONFIRMED\r\n"))
        #expect(!unfolded.contains("meet.example.org"), "the conferencing address is only for those registered")
        #expect(ICalendar.text("a\\b;c,d\ne\u{7}") == "a\\\\b\\;c\\,d\\ne")
    }

    /// Read back by a real iCalendar parser (Python's `icalendar`): each event's start, resolved through the
    /// calendar's own VTIMEZONE, is the instant the meeting starts.
    @Test(arguments: [("2027-03-18T09:30", "Europe/Paris", "2027-03-18T08:30:00+00:00"),
                      ("2027-07-01T10:00", "Europe/Paris", "2027-07-01T08:00:00+00:00"),
                      ("2027-10-31T02:30", "Europe/Paris", "2027-10-31T00:30:00+00:00"),
                      ("2027-06-15T14:00", "America/Santiago", "2027-06-15T18:00:00+00:00"),
                      ("2027-01-10T09:00", "Asia/Tokyo", "2027-01-10T00:00:00+00:00"),
                      ("2027-03-18T09:30", "UTC", "2027-03-18T09:30:00+00:00")])
    func aRealParserReadsTheRightInstant(_ starts: String, _ zone: String, _ instant: String) throws {
        guard let python = Self.icalendarPython else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI=true but Python's icalendar is missing (pip install icalendar)")
            return
        }
        var meeting = try Self.meeting(starts, LocalTime.text(try LocalTime.instant(starts, in: TimeZone(identifier: zone)!, field: "s")
                                                                  .addingTimeInterval(7200), in: TimeZone(identifier: zone)!), zone: zone)
        meeting.cancelled = true
        let ics = ICalendar.calendar([ICalendar.Event(meeting: meeting, url: "https://liaison.test/meetings/1", title: meeting.title.en,
                                                      description: "Agenda:\n1. Opening; 2. Close, then \\ done")],
                                     method: .publish, stamp: Self.created)
        // The zone renamed, so that the parser cannot take it from its own time-zone data: only the VTIMEZONE tells.
        let renamed = "X-Liaison-" + zone.replacingOccurrences(of: "/", with: "-")
        #expect(ics.contains("TZID:\(zone)\r\n"))
        let read = try Self.parse(ics.replacingOccurrences(of: zone, with: renamed), with: python)
        #expect(read["start"] == instant)
        #expect(read["tzid"] == renamed)
        #expect(read["summary"] == meeting.title.en)
        #expect(read["description"] == "Agenda:\n1. Opening; 2. Close, then \\ done\n\nhttps://liaison.test/meetings/1")
        #expect(read["status"] == "CANCELLED" && read["uid"] == "meeting-1@liaison.test")
    }

    /// An invitation mail as a mail program reads it (Python's `email` parser): the text in its language, then the
    /// calendar as `text/calendar; method=REQUEST`, which `icalendar` reads with the invitee as ATTENDEE.
    @Test func anInvitationMailIsReadByRealParsers() throws {
        guard let python = Self.icalendarPython else {
            #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI=true but Python's icalendar is missing (pip install icalendar)")
            return
        }
        let meeting = try Self.meeting()
        let calendar = ICalendar.calendar([ICalendar.Event(meeting: meeting, url: "https://liaison.test/meetings/1", title: meeting.title.en,
                                                           description: "Agenda", attendee: ("anne@example.org", "Anne Ésope, CARIN"),
                                                           organizer: ("secretariat@example.org", "Liaison"), alarmMinutes: 60)],
                                          method: .request, stamp: Self.created)
        let message = try MailMessage(to: "anne@example.org", subject: "Invitation : réunion", text: "Bonjour Anne,\n\n--=_liaison_x\nFin.",
                                      language: .fr, calendar: MailMessage.Calendar(method: "REQUEST", text: calendar))
        let rendered = message.rendered(from: "noreply@liaison.test", messageID: "outbox-7@liaison.test", date: Self.created)
        let script = """
            import sys, json, email, email.policy, icalendar
            msg = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
            parts = [p for p in msg.walk() if not p.is_multipart()]
            cal = icalendar.Calendar.from_ical(parts[1].get_content())
            ev = cal.walk("VEVENT")[0]
            print(json.dumps({"type": msg.get_content_type(), "subject": str(msg["subject"]), "text": parts[0].get_content(),
                              "structure": " ".join(p.get_content_type() + ("(" + p.get_content_disposition() + ")" if p.get_content_disposition() else "")
                                                    for p in msg.walk()),
                              "attached": str(parts[2].get_content().decode() == parts[1].get_content()),
                              "partType": parts[1].get_content_type(), "method": parts[1].get_param("method"),
                              "calMethod": str(cal["METHOD"]), "attendee": str(ev["ATTENDEE"]), "cn": str(ev["ATTENDEE"].params["CN"]),
                              "rsvp": str(ev["ATTENDEE"].params["RSVP"]), "alarm": str(ev.walk("VALARM")[0]["TRIGGER"].to_ical().decode())}))
            """
        let read = try Self.run(python, script, input: rendered)
        #expect(read["type"] == "multipart/mixed" && read["subject"] == "Invitation : réunion")
        // The calendar inline beside the text (what webmail and calendar programs offer to add), and as a file.
        #expect(read["structure"] == "multipart/mixed multipart/alternative text/plain text/calendar application/ics(attachment)")
        #expect(read["attached"] == "True")
        #expect(read["text"]?.replacingOccurrences(of: "\r\n", with: "\n") == "Bonjour Anne,\n\n--=_liaison_x\nFin.", "a text holding a boundary-like line stays whole")
        #expect(read["partType"] == "text/calendar" && read["method"] == "REQUEST" && read["calMethod"] == "REQUEST")
        #expect(read["attendee"] == "mailto:anne@example.org" && read["cn"] == "Anne Ésope, CARIN" && read["rsvp"] == "TRUE")
        #expect(read["alarm"] == "-PT1H")
    }

    static func run(_ python: URL, _ script: String, input: String) throws -> [String: String] {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        let stdin = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw InputError.invalidInput(source: "python", line: nil, field: nil, reason: problem) }
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    static let icalendarPython: URL? = {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map(String.init)
        for path in directories.map({ $0 + "/python3" }) where FileManager.default.isExecutableFile(atPath: path) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-c", "import icalendar"]
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return URL(fileURLWithPath: path) }
        }
        return nil
    }()

    /// The first event of a calendar as icalendar reads it: its start in UTC (through the calendar's VTIMEZONE),
    /// its TZID, summary, description, status and UID.
    static func parse(_ ics: String, with python: URL) throws -> [String: String] {
        let script = """
            import sys, json, datetime, icalendar
            cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
            zones = {z["TZID"]: z.to_tz() for z in cal.walk("VTIMEZONE")}
            ev = cal.walk("VEVENT")[0]
            start = ev.get("DTSTART")
            tzid = start.params.get("TZID")
            naive = start.dt.replace(tzinfo=None)
            local = zones[tzid].localize(naive) if hasattr(zones[tzid], "localize") else naive.replace(tzinfo=zones[tzid])
            print(json.dumps({"start": local.astimezone(datetime.timezone.utc).isoformat(), "tzid": tzid, "summary": str(ev["SUMMARY"]),
                              "description": str(ev["DESCRIPTION"]), "status": str(ev["STATUS"]), "uid": str(ev["UID"])}))
            """
        return try run(python, script, input: ics)
    }
}
