import Foundation

/// Meetings as iCalendar (RFC 5545) that calendar programs read: a VTIMEZONE for each zone used (its changes of
/// offset around the meetings, from the system's time-zone data), each meeting a VEVENT with its stable UID and
/// its SEQUENCE, times in the meeting's zone, a URL back to its page; cancelled ones marked so that a subscribed
/// calendar removes them. Text is escaped (`\\ ; , \n`), control characters left out, lines folded at 75 octets
/// without cutting a character, every line ended by CRLF.
public enum ICalendar {
    public enum Method: String, Sendable {
        /// A calendar to read or subscribe to.
        case publish = "PUBLISH"
        /// An invitation (with attendees).
        case request = "REQUEST"
        /// A cancellation sent to those invited.
        case cancel = "CANCEL"
    }

    /// One meeting as a calendar event.
    public struct Event: Sendable {
        public var meeting: Meeting
        /// The meeting's page.
        public var url: String
        /// The text of the description (plain text, the summary and the agenda).
        public var description: String
        public var title: String
        /// The conferencing address, for those who may have it (registered people's invitations).
        public var conferenceURL: String?
        /// Who is invited (`mailto:` address and name), for invitations.
        public var attendee: (email: String, name: String)?
        /// The organiser, for invitations (`mailto:` address and name).
        public var organizer: (email: String, name: String)?
        /// Minutes before the start at which a calendar reminds (invitations).
        public var alarmMinutes: Int?

        public init(meeting: Meeting, url: String, title: String, description: String, conferenceURL: String? = nil,
                    attendee: (email: String, name: String)? = nil, organizer: (email: String, name: String)? = nil, alarmMinutes: Int? = nil) {
            self.meeting = meeting
            self.url = url
            self.title = title
            self.description = description
            self.conferenceURL = conferenceURL
            self.attendee = attendee
            self.organizer = organizer
            self.alarmMinutes = alarmMinutes
        }
    }

    /// The calendar of some events. `stamp` is the DTSTAMP (when the calendar was made).
    public static func calendar(_ events: [Event], method: Method, name: String? = nil, stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Liaison//Meetings 1.0//EN", "CALSCALE:GREGORIAN", "METHOD:\(method.rawValue)"]
        if let name {
            lines.append("X-WR-CALNAME:" + text(name))
        }
        // Each zone once (by the name the meeting gives it: Foundation calls UTC "GMT"), covering every event in it.
        var spans: [String: (TimeZone, Date, Date)] = [:]
        for event in events {
            let name = event.meeting.timeZone
            let span = spans[name]
            spans[name] = (event.meeting.zone, min(span?.1 ?? event.meeting.startsAt, event.meeting.startsAt),
                           max(span?.2 ?? event.meeting.endsAt, event.meeting.endsAt))
        }
        for name in spans.keys.sorted() {
            let (zone, first, last) = spans[name]!
            lines += timeZone(zone, named: name, from: first, to: last)
        }
        for event in events {
            lines += self.event(event, method: method, stamp: stamp)
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func event(_ event: Event, method: Method, stamp: Date) -> [String] {
        let meeting = event.meeting
        let zone = meeting.zone
        var lines = ["BEGIN:VEVENT", "UID:" + text(meeting.uid), "DTSTAMP:" + utc(stamp), "SEQUENCE:\(meeting.sequence)",
                     "DTSTART;TZID=\(parameter(meeting.timeZone)):" + local(meeting.startsAt, zone),
                     "DTEND;TZID=\(parameter(meeting.timeZone)):" + local(meeting.endsAt, zone),
                     "CREATED:" + utc(meeting.createdAt), "LAST-MODIFIED:" + utc(meeting.updatedAt),
                     "SUMMARY:" + text(event.title), "URL;VALUE=URI:" + uri(event.url)]
        var description = event.description
        if let conference = event.conferenceURL {
            description += (description.isEmpty ? "" : "\n\n") + conference
        }
        description += (description.isEmpty ? "" : "\n\n") + event.url
        lines.append("DESCRIPTION:" + text(description))
        let location = [meeting.format == .online ? nil : meeting.place, meeting.format == .inPerson ? nil : (event.conferenceURL ?? "Online")]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
        if !location.isEmpty { lines.append("LOCATION:" + text(location)) }
        lines.append("STATUS:" + (meeting.cancelled || method == .cancel ? "CANCELLED" : "CONFIRMED"))
        lines.append("TRANSP:OPAQUE")
        if let organizer = event.organizer {
            lines.append("ORGANIZER;CN=\(parameter(organizer.name)):mailto:" + uri(organizer.email))
        }
        if let attendee = event.attendee {
            lines.append("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=\(parameter(attendee.name)):mailto:"
                         + uri(attendee.email))
        }
        if let minutes = event.alarmMinutes, !meeting.cancelled, method != .cancel {
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + text(event.title), "TRIGGER:-PT\(minutes)M", "END:VALARM"]
        }
        lines.append("END:VEVENT")
        return lines
    }

    /// A VTIMEZONE with each change of offset from a year before `first` to a year after `last` (or the zone's
    /// one offset when it has no changes).
    static func timeZone(_ zone: TimeZone, named name: String, from first: Date, to last: Date) -> [String] {
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + text(name)]
        let start = first.addingTimeInterval(-366 * 86_400), end = last.addingTimeInterval(366 * 86_400)
        var transitions: [Date] = []
        var cursor = start
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next <= end, transitions.count < 200 {
            transitions.append(next)
            cursor = next
        }
        if transitions.isEmpty {
            let offset = self.offset(zone.secondsFromGMT(for: first))
            lines += ["BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:" + offset, "TZOFFSETTO:" + offset]
            if let name = zone.abbreviation(for: first) { lines.append("TZNAME:" + text(name)) }
            lines.append("END:STANDARD")
        } else {
            // The offset in force before the first change, as a component of its own, so every time in the span
            // is covered.
            let before = transitions[0].addingTimeInterval(-1)
            let initial = zone.secondsFromGMT(for: before)
            lines += component(zone, daylight: zone.isDaylightSavingTime(for: before), onset: start, from: initial, to: initial)
            for transition in transitions {
                let from = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
                let to = zone.secondsFromGMT(for: transition)
                lines += component(zone, daylight: zone.isDaylightSavingTime(for: transition), onset: transition, from: from, to: to)
            }
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    private static func component(_ zone: TimeZone, daylight: Bool, onset: Date, from: Int, to: Int) -> [String] {
        let kind = daylight ? "DAYLIGHT" : "STANDARD"
        // DTSTART of a zone's component is the local time of the change in the offset that was in force before it.
        var lines = ["BEGIN:" + kind, "DTSTART:" + local(onset.addingTimeInterval(TimeInterval(from)), TimeZone(secondsFromGMT: 0)!),
                     "TZOFFSETFROM:" + offset(from), "TZOFFSETTO:" + offset(to)]
        if let name = zone.abbreviation(for: onset) { lines.append("TZNAME:" + text(name)) }
        lines.append("END:" + kind)
        return lines
    }

    // MARK: Values

    static func utc(_ date: Date) -> String {
        local(date, TimeZone(secondsFromGMT: 0)!) + "Z"
    }

    static func local(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    static func offset(_ seconds: Int) -> String {
        String(format: "%@%02d%02d", seconds < 0 ? "-" : "+", abs(seconds) / 3600, abs(seconds) % 3600 / 60)
    }

    /// A TEXT value: backslash, semicolon, comma and line breaks escaped; other control characters left out.
    static func text(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in value.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case ";": out.append(contentsOf: "\\;".unicodeScalars)
            case ",": out.append(contentsOf: "\\,".unicodeScalars)
            case "\n", "\r": out.append(contentsOf: "\\n".unicodeScalars)
            default: if scalar.value >= 0x20 && scalar.value != 0x7F { out.append(scalar) }
            }
        }
        return String(out)
    }

    /// A parameter value, without the quotes and control characters it may not hold; quoted when it has a colon,
    /// a semicolon, a comma or anything but ASCII.
    static func parameter(_ value: String) -> String {
        let kept = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && $0 != "\"" }))
        return kept.unicodeScalars.contains { $0 == ":" || $0 == ";" || $0 == "," || !$0.isASCII } ? "\"" + kept + "\"" : kept
    }

    /// A URI value: no control characters or spaces (the addresses are checked before; this keeps the line whole).
    static func uri(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F }))
    }

    /// A content line folded at 75 octets: a CRLF and a space before each further part, never inside a character.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            let limit = parts.isEmpty ? 75 : 74  // a continuation line starts with the space
            if octets + size > limit {
                parts.append(String(current))
                current = String.UnicodeScalarView()
                octets = 0
            }
            current.append(scalar)
            octets += size
        }
        parts.append(String(current))
        return parts.joined(separator: "\r\n ")
    }
}
