import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// Stores a new meeting; returns it with its id.
    public func createMeeting(_ meeting: Meeting, actor: String) async throws -> Meeting {
        let documents = String(decoding: try JSONEncoder().encode(meeting.documents), as: UTF8.self)
        return try await driver.withDatabase { db in
            guard let id = try await db.raw("""
                INSERT INTO meetings (uid, sequence, series, title_en, title_fr, summary_en, summary_fr, kind, format, place, starts_at, ends_at,
                    time_zone, conference_url, capacity, quota_per_network, registration_deadline, agenda_en, agenda_fr, documents, minutes_en,
                    minutes_fr, cancelled, created_at, created_by, updated_at, updated_by)
                VALUES (\(bind: meeting.uid), \(bind: meeting.sequence), \(bind: meeting.series), \(bind: meeting.title.en), \(bind: meeting.title.fr),
                    \(bind: meeting.summary.en), \(bind: meeting.summary.fr), \(bind: meeting.kind.rawValue), \(bind: meeting.format.rawValue),
                    \(bind: meeting.place), \(bind: Timestamp.string(meeting.startsAt)), \(bind: Timestamp.string(meeting.endsAt)),
                    \(bind: meeting.timeZone), \(bind: meeting.conferenceURL), \(bind: meeting.capacity), \(bind: meeting.quotaPerNetwork),
                    \(bind: meeting.registrationDeadline.map(Timestamp.string)), \(bind: meeting.agenda.en), \(bind: meeting.agenda.fr),
                    \(bind: documents), \(bind: meeting.minutes.en), \(bind: meeting.minutes.fr), \(bind: meeting.cancelled ? 1 : 0),
                    \(bind: Timestamp.string(meeting.createdAt)), \(bind: actor), \(bind: Timestamp.string(meeting.updatedAt)), \(bind: actor))
                RETURNING id
                """).first()?.decode(column: "id", as: Int64.self)
            else { throw StoredDataError(column: "meetings.id", value: "", rule: "was not returned by the insert") }
            var stored = meeting
            stored.id = id
            return stored
        }
    }

    /// Saves a changed meeting, its sequence one higher than the stored one's, so calendars take the change; refused
    /// (nil) when the meeting is not there. `tell` makes the mails the saved meeting calls for (to those invited),
    /// given it and its invitations; they are queued in the same transaction, so the change and its mails go together.
    public func updateMeeting(_ meeting: Meeting, actor: String,
                              tell: (@Sendable (Meeting, [MeetingInvitation]) throws -> [MailMessage])? = nil) async throws -> Meeting? {
        guard let id = meeting.id else { return nil }
        let documents = String(decoding: try JSONEncoder().encode(meeting.documents), as: UTF8.self)
        return try await driver.transaction { db in
            guard let row = try await db.raw("""
                UPDATE meetings SET sequence = sequence + 1, series = \(bind: meeting.series), title_en = \(bind: meeting.title.en),
                    title_fr = \(bind: meeting.title.fr), summary_en = \(bind: meeting.summary.en), summary_fr = \(bind: meeting.summary.fr),
                    kind = \(bind: meeting.kind.rawValue), format = \(bind: meeting.format.rawValue), place = \(bind: meeting.place),
                    starts_at = \(bind: Timestamp.string(meeting.startsAt)), ends_at = \(bind: Timestamp.string(meeting.endsAt)),
                    time_zone = \(bind: meeting.timeZone), conference_url = \(bind: meeting.conferenceURL), capacity = \(bind: meeting.capacity),
                    quota_per_network = \(bind: meeting.quotaPerNetwork),
                    registration_deadline = \(bind: meeting.registrationDeadline.map(Timestamp.string)), agenda_en = \(bind: meeting.agenda.en),
                    agenda_fr = \(bind: meeting.agenda.fr), documents = \(bind: documents), minutes_en = \(bind: meeting.minutes.en),
                    minutes_fr = \(bind: meeting.minutes.fr), cancelled = \(bind: meeting.cancelled ? 1 : 0),
                    updated_at = \(bind: Timestamp.string(meeting.updatedAt)), updated_by = \(bind: actor)
                WHERE id = \(bind: id) RETURNING *
                """).first() else { return nil }
            let saved = try Self.meeting(row)
            if let tell {
                let invitations = try await db.raw("SELECT * FROM meeting_invitations WHERE meeting_id = \(bind: id) ORDER BY id").all()
                    .map(Self.invitation)
                for message in try tell(saved, invitations) { _ = try await Self.enqueue(db, message, at: saved.updatedAt) }
            }
            return saved
        }
    }

    /// One meeting (nil when there is none).
    public func meeting(id: Int64) async throws -> Meeting? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM meetings WHERE id = \(bind: id)").first().map(Self.meeting)
        }
    }

    /// The meetings that end at or after `date` (upcoming, soonest first) or before it (past, latest first), a page.
    public func meetings(upcoming: Bool, at date: Date, limit: Int, offset: Int = 0) async throws -> (meetings: [Meeting], total: Int) {
        let now = Timestamp.string(date)
        return try await driver.withDatabase { db in
            let condition: SQLQueryString = upcoming ? "ends_at >= \(bind: now)" : "ends_at < \(bind: now)"
            let order: SQLQueryString = upcoming ? "starts_at ASC, id ASC" : "starts_at DESC, id DESC"
            let total = try await db.raw("SELECT count(*) AS n FROM meetings WHERE \(condition)").first()?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.raw("SELECT * FROM meetings WHERE \(condition) ORDER BY \(order) LIMIT \(bind: limit) OFFSET \(bind: offset)").all()
            return (try rows.map(Self.meeting), total)
        }
    }

    /// The meetings that end after `date`, for a calendar feed (soonest first, at most `limit`).
    public func meetingsEnding(after date: Date, limit: Int) async throws -> [Meeting] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM meetings WHERE ends_at >= \(bind: Timestamp.string(date)) ORDER BY starts_at, id LIMIT \(bind: limit)
                """).all().map(Self.meeting)
        }
    }

    /// The editions of a series, earliest first.
    public func meetings(series: String) async throws -> [Meeting] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM meetings WHERE series = \(bind: series) ORDER BY starts_at, id LIMIT 200").all().map(Self.meeting)
        }
    }

    /// The series named so far, for the form.
    public func meetingSeries() async throws -> [String] {
        try await driver.withDatabase { db in
            try await db.raw("SELECT DISTINCT series FROM meetings WHERE series IS NOT NULL ORDER BY series LIMIT 200").all()
                .map { try $0.decode(column: "series", as: String.self) }
        }
    }

    static func meeting(_ row: any SQLRow) throws -> Meeting {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func time(_ column: String) throws -> Date {
            let value = try text(column)
            guard let date = Timestamp.date(value) else { throw StoredDataError(column: "meetings.\(column)", value: value, rule: "must be a time") }
            return date
        }
        func vocabulary<V: Vocabulary>(_ column: String, _ type: V.Type) throws -> V {
            let value = try text(column)
            guard let parsed = V(rawValue: value) else { throw StoredDataError(column: "meetings.\(column)", value: value, rule: "must be a \(V.vocabularyName)") }
            return parsed
        }
        let documents = try JSONDecoder().decode([MeetingDocument].self, from: Data(try text("documents").utf8))
        return Meeting(
            id: try row.decode(column: "id", as: Int64.self), uid: try text("uid"), sequence: try row.decode(column: "sequence", as: Int.self),
            series: try row.decode(column: "series", as: String?.self), title: Bilingual(en: try text("title_en"), fr: try text("title_fr")),
            summary: Bilingual(en: try text("summary_en"), fr: try text("summary_fr")), kind: try vocabulary("kind", MeetingKind.self),
            format: try vocabulary("format", MeetingFormat.self), place: try text("place"), startsAt: try time("starts_at"),
            endsAt: try time("ends_at"), timeZone: try text("time_zone"), conferenceURL: try row.decode(column: "conference_url", as: String?.self),
            capacity: try row.decode(column: "capacity", as: Int?.self), quotaPerNetwork: try row.decode(column: "quota_per_network", as: Int?.self),
            registrationDeadline: try row.decode(column: "registration_deadline", as: String?.self).map { value in
                guard let date = Timestamp.date(value) else {
                    throw StoredDataError(column: "meetings.registration_deadline", value: value, rule: "must be a time")
                }
                return date
            },
            agenda: Bilingual(en: try text("agenda_en"), fr: try text("agenda_fr")), documents: documents,
            minutes: Bilingual(en: try text("minutes_en"), fr: try text("minutes_fr")), cancelled: try row.decode(column: "cancelled", as: Int.self) != 0,
            createdAt: try time("created_at"), updatedAt: try time("updated_at"))
    }
}
