import Foundation

/// A meeting as its form holds it: every field text, times local to the meeting's zone, documents one a line
/// (`Title | https://…`). `meeting` checks every field and names each problem; nothing is made when any is found.
public struct MeetingDraft: Sendable, Equatable {
    public var titleEN = ""
    public var titleFR = ""
    public var summaryEN = ""
    public var summaryFR = ""
    public var kind = MeetingKind.leadersMeeting.rawValue
    public var format = MeetingFormat.online.rawValue
    public var place = ""
    public var starts = ""
    public var ends = ""
    public var timeZone = "Europe/Paris"
    public var conferenceURL = ""
    public var capacity = ""
    public var quotaPerNetwork = ""
    public var registrationDeadline = ""
    public var agendaEN = ""
    public var agendaFR = ""
    public var documents = ""
    public var minutesEN = ""
    public var minutesFR = ""
    public var series = ""

    public static let titleLimit = 200
    public static let textLimit = 20_000
    public static let maxDocuments = 50

    public init() {}

    /// The form of a meeting as it is.
    public init(_ meeting: Meeting) {
        let zone = meeting.zone
        titleEN = meeting.title.en
        titleFR = meeting.title.fr
        summaryEN = meeting.summary.en
        summaryFR = meeting.summary.fr
        kind = meeting.kind.rawValue
        format = meeting.format.rawValue
        place = meeting.place
        starts = LocalTime.text(meeting.startsAt, in: zone)
        ends = LocalTime.text(meeting.endsAt, in: zone)
        timeZone = meeting.timeZone
        conferenceURL = meeting.conferenceURL ?? ""
        capacity = meeting.capacity.map(String.init) ?? ""
        quotaPerNetwork = meeting.quotaPerNetwork.map(String.init) ?? ""
        registrationDeadline = meeting.registrationDeadline.map { LocalTime.text($0, in: zone) } ?? ""
        agendaEN = meeting.agenda.en
        agendaFR = meeting.agenda.fr
        documents = meeting.documents.map { "\($0.title) | \($0.url)" }.joined(separator: "\n")
        minutesEN = meeting.minutes.en
        minutesFR = meeting.minutes.fr
        series = meeting.series ?? ""
    }

    /// The meeting as edited (or a new one from `base`), checked.
    public func meeting(from base: Meeting) throws -> Meeting {
        var problems = ProblemList()
        func line(_ text: String, _ field: String, limit: Int) -> String {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            problems.check { try TextRules.checkLine(text, field: field, limit: limit) }
            return text
        }
        func text(_ text: String, _ field: String) -> String {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            problems.check { try TextRules.checkText(text, field: field, limit: Self.textLimit) }
            return text
        }
        func number(_ text: String, _ field: String, _ range: ClosedRange<Int>) -> Int? {
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            guard text.count <= 7, let value = Int(text), range.contains(value) else {
                problems.errors.append(.invalidValue(field: field, value: text, rule: "must be a whole number from \(range.lowerBound) to \(range.upperBound)"))
                return nil
            }
            return value
        }
        var meeting = base
        meeting.title = Bilingual(en: line(titleEN, "title_en", limit: Self.titleLimit), fr: line(titleFR, "title_fr", limit: Self.titleLimit))
        if meeting.title.isEmpty { problems.errors.append(.missingField(field: "title_en")) }
        meeting.summary = Bilingual(en: text(summaryEN, "summary_en"), fr: text(summaryFR, "summary_fr"))
        meeting.kind = problems.check { try MeetingKind.parse(kind, field: "kind") } ?? base.kind
        meeting.format = problems.check { try MeetingFormat.parse(format, field: "format") } ?? base.format
        meeting.place = line(place, "place", limit: 300)
        if meeting.format != .online && meeting.place.isEmpty { problems.errors.append(.missingField(field: "place")) }
        let zone = problems.check { try LocalTime.zone(timeZone, field: "time_zone") }
        if let zone {
            meeting.timeZone = timeZone.trimmingCharacters(in: .whitespaces)
            let (startText, endText) = (line(starts, "starts", limit: 40), line(ends, "ends", limit: 40))
            let start = problems.check { try LocalTime.instant(startText, in: zone, field: "starts") }
            let end = problems.check { try LocalTime.instant(endText, in: zone, field: "ends") }
            if let start, let end {
                if end <= start {
                    problems.errors.append(.invalidValue(field: "ends", value: ends, rule: "must be after the start (\(starts))"))
                } else if end.timeIntervalSince(start) > 31 * 86_400 {
                    problems.errors.append(.invalidValue(field: "ends", value: ends, rule: "must be at most 31 days after the start"))
                }
                meeting.startsAt = start
                meeting.endsAt = end
            }
            let deadline = line(registrationDeadline, "registration_deadline", limit: 40)
            if deadline.isEmpty {
                meeting.registrationDeadline = nil
            } else if let instant = problems.check({ try LocalTime.instant(deadline, in: zone, field: "registration_deadline") }) {
                if let start, instant > start {
                    problems.errors.append(.invalidValue(field: "registration_deadline", value: deadline, rule: "must not be after the start (\(starts))"))
                }
                meeting.registrationDeadline = instant
            }
        }
        let conference = line(conferenceURL, "conference_url", limit: 1000)
        if conference.isEmpty {
            meeting.conferenceURL = nil
        } else if conference.lowercased().hasPrefix("https://"), Markdown.isSafeURL(conference) {
            meeting.conferenceURL = conference
        } else {
            problems.errors.append(.invalidValue(field: "conference_url", value: conference, rule: "must be an https:// address without spaces"))
        }
        if meeting.format == .inPerson && meeting.conferenceURL != nil {
            problems.errors.append(.invalidValue(field: "conference_url", value: conference, rule: "is for a meeting online or hybrid"))
        }
        meeting.capacity = number(capacity, "capacity", 1...100_000)
        meeting.quotaPerNetwork = number(quotaPerNetwork, "quota_per_network", 1...1_000)
        meeting.agenda = Bilingual(en: text(agendaEN, "agenda_en"), fr: text(agendaFR, "agenda_fr"))
        meeting.minutes = Bilingual(en: text(minutesEN, "minutes_en"), fr: text(minutesFR, "minutes_fr"))
        var documents: [MeetingDocument] = []
        let lines = self.documents.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if lines.count > Self.maxDocuments {
            problems.errors.append(.invalidValue(field: "documents", value: "\(lines.count) lines", rule: "must be at most \(Self.maxDocuments) documents"))
        }
        for (number, entry) in lines.prefix(Self.maxDocuments).enumerated() {
            let field = "documents[\(number + 1)]"
            let cells = entry.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, !cells[0].isEmpty, Markdown.isSafeURL(cells[1]), !cells[1].lowercased().hasPrefix("mailto:") else {
                problems.errors.append(.invalidValue(field: field, value: entry, rule: "must be “title | https://address”"))
                continue
            }
            problems.check { try TextRules.checkLine(cells[0], field: field, limit: 300) }
            problems.check { try TextRules.checkLine(cells[1], field: field, limit: 1000) }
            documents.append(MeetingDocument(title: cells[0], url: cells[1]))
        }
        meeting.documents = documents
        let series = line(self.series, "series", limit: 60).lowercased()
        if series.isEmpty {
            meeting.series = nil
        } else if series.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
            meeting.series = series
        } else {
            problems.errors.append(.invalidValue(field: "series", value: series, rule: "must be lower-case letters, digits and hyphens"))
        }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return meeting
    }
}
