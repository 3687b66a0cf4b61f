import Foundation

/// What kind of meeting: the report's annual meeting of network leaders, and the others an umbrella body holds.
public enum MeetingKind: String, Vocabulary {
    case leadersMeeting = "leaders-meeting"
    case workingGroup = "working-group"
    case audioConference = "audio-conference"
    case seminar
    case other

    public static let vocabularyName = "kind"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.leadersMeeting, .en): "meeting of network leaders"
        case (.leadersMeeting, .fr): "réunion des responsables des réseaux"
        case (.workingGroup, .en): "working group"
        case (.workingGroup, .fr): "groupe de travail"
        case (.audioConference, .en): "audio conference"
        case (.audioConference, .fr): "audioconférence"
        case (.seminar, .en): "seminar or training"
        case (.seminar, .fr): "séminaire ou formation"
        case (.other, .en): "other meeting"
        case (.other, .fr): "autre réunion"
        }
    }
}

/// Where people take part: in one place, online, or both.
public enum MeetingFormat: String, Vocabulary {
    case inPerson = "in-person"
    case online
    case hybrid

    public static let vocabularyName = "format"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.inPerson, .en): "in person"
        case (.inPerson, .fr): "en présentiel"
        case (.online, .en): "online"
        case (.online, .fr): "en ligne"
        case (.hybrid, .en): "in person and online"
        case (.hybrid, .fr): "en présentiel et en ligne"
        }
    }
}

/// A text in English and in French; either may be empty, and a reader of one language is shown the other when
/// theirs is missing.
public struct Bilingual: Sendable, Codable, Equatable {
    public var en: String
    public var fr: String

    public init(en: String = "", fr: String = "") {
        self.en = en
        self.fr = fr
    }

    /// The text in `language`, or else in the other one.
    public func text(_ language: Language) -> String {
        let wanted = language == .en ? en : fr
        return wanted.isEmpty ? (language == .en ? fr : en) : wanted
    }

    /// Whether the text shown in `language` is the other language's (no translation yet).
    public func isFallback(_ language: Language) -> Bool {
        (language == .en ? en : fr).isEmpty && !(language == .en ? fr : en).isEmpty
    }

    public var isEmpty: Bool { en.isEmpty && fr.isEmpty }
}

/// A document of a meeting: its title and where it is.
public struct MeetingDocument: Sendable, Codable, Equatable {
    public var title: String
    public var url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// A meeting the platform's secretariat organises. Its start and end are instants (stored in UTC) shown in the
/// meeting's own time zone; `uid` and `sequence` are what calendars know it by: the UID never changes, the
/// sequence grows with each change, so a subscribed or invited calendar replaces its copy.
public struct Meeting: Sendable, Codable, Equatable {
    public var id: Int64?
    public var uid: String
    public var sequence: Int
    /// The series it is an edition of (the annual meeting): editions share it and are listed together.
    public var series: String?
    public var title: Bilingual
    public var summary: Bilingual
    public var kind: MeetingKind
    public var format: MeetingFormat
    public var place: String
    public var startsAt: Date
    public var endsAt: Date
    /// An IANA time zone (`Europe/Paris`).
    public var timeZone: String
    /// The conferencing service's address: shown only to those registered.
    public var conferenceURL: String?
    public var capacity: Int?
    /// How many people of one network may register (the rest wait).
    public var quotaPerNetwork: Int?
    public var registrationDeadline: Date?
    public var agenda: Bilingual
    public var documents: [MeetingDocument]
    public var minutes: Bilingual
    public var cancelled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64? = nil, uid: String, sequence: Int = 0, series: String? = nil, title: Bilingual, summary: Bilingual = Bilingual(),
                kind: MeetingKind, format: MeetingFormat, place: String = "", startsAt: Date, endsAt: Date, timeZone: String,
                conferenceURL: String? = nil, capacity: Int? = nil, quotaPerNetwork: Int? = nil, registrationDeadline: Date? = nil,
                agenda: Bilingual = Bilingual(), documents: [MeetingDocument] = [], minutes: Bilingual = Bilingual(), cancelled: Bool = false,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.uid = uid
        self.sequence = sequence
        self.series = series
        self.title = title
        self.summary = summary
        self.kind = kind
        self.format = format
        self.place = place
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.conferenceURL = conferenceURL
        self.capacity = capacity
        self.quotaPerNetwork = quotaPerNetwork
        self.registrationDeadline = registrationDeadline
        self.agenda = agenda
        self.documents = documents
        self.minutes = minutes
        self.cancelled = cancelled
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The meeting's time zone (UTC if the stored name is no longer known).
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    /// Whether registration is still open at `date`.
    public func registrationOpen(at date: Date) -> Bool {
        !cancelled && date < (registrationDeadline ?? startsAt)
    }

    /// A new UID: random, and the same for the meeting from then on.
    public static func newUID(domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        return "meeting-\(random)@\(domain)"
    }
}

/// Local times in a time zone, as a form gives them (`2027-03-18T09:30`), and back.
public enum LocalTime {
    /// The instant a local date and time (`YYYY-MM-DDTHH:MM`) names in `zone`. A time the clocks skip (the hour
    /// lost when summer time starts) is refused, naming it; a time that happens twice (the hour when it ends) is
    /// the first.
    public static func instant(_ text: String, in zone: TimeZone, field: String) throws -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(whereSeparator: { $0 == "T" || $0 == " " })
        let date = parts.first.map { $0.split(separator: "-") } ?? []
        let time = parts.count == 2 ? parts[1].split(separator: ":") : []
        guard parts.count == 2, date.count == 3, time.count == 2 || time.count == 3,
              date[0].count == 4, date[1].count == 2, date[2].count == 2, time[0].count == 2, time[1].count == 2,
              let year = Int(date[0]), let month = Int(date[1]), let day = Int(date[2]), let hour = Int(time[0]), let minute = Int(time[1]),
              (2000...2200).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute)
        else {
            throw InputError.invalidValue(field: field, value: text, rule: "must be a date and time as YYYY-MM-DDTHH:MM (2000–2200)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        guard let instant = calendar.date(from: components) else {
            throw InputError.invalidValue(field: field, value: text, rule: "must be a date and time that exists")
        }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard back.year == year, back.month == month, back.day == day else {
            throw InputError.invalidValue(field: field, value: text, rule: "must be a date that exists")
        }
        guard back.hour == hour, back.minute == minute else {
            throw InputError.invalidValue(field: field, value: text,
                                          rule: "must be a time that exists in \(zone.identifier): the clocks skip it that day")
        }
        // Of a time that happens twice, the earlier.
        if let earlier = Optional(instant.addingTimeInterval(-3600)),
           calendar.dateComponents([.year, .month, .day, .hour, .minute], from: earlier) == back {
            return earlier
        }
        return instant
    }

    /// The local date and time of an instant in `zone`, as a form shows it (`2027-03-18T09:30`).
    public static func text(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// The zone's offset from UTC at an instant, as `UTC+01:00`.
    public static func offset(_ date: Date, in zone: TimeZone) -> String {
        let seconds = zone.secondsFromGMT(for: date)
        let sign = seconds < 0 ? "−" : "+"
        return String(format: "UTC%@%02d:%02d", sign, abs(seconds) / 3600, abs(seconds) % 3600 / 60)
    }

    /// Whether `name` is an IANA time zone this system knows (`Europe/Paris`, `UTC`), by its canonical name.
    public static func zone(_ name: String, field: String) throws -> TimeZone {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard name.count <= 60, TimeZone.knownTimeZoneIdentifiers.contains(name) || name == "UTC", let zone = TimeZone(identifier: name) else {
            throw InputError.invalidValue(field: field, value: name, rule: "must be an IANA time zone, such as Europe/Paris or America/Bogota")
        }
        return zone
    }
}
