/// Meetings: each with its stable calendar UID and the sequence calendars compare, its times as UTC instants
/// (`starts_at`, `ends_at`, ISO 8601) and the IANA zone it is shown in, its texts in English and French, its
/// documents (JSON: title and address), and who created and last changed it.
let m018Meetings = Migration(version: 18, name: "meetings") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE meetings (
            id \(sequence),
            uid TEXT NOT NULL UNIQUE,
            sequence INTEGER NOT NULL DEFAULT 0,
            series TEXT,
            title_en TEXT NOT NULL,
            title_fr TEXT NOT NULL,
            summary_en TEXT NOT NULL,
            summary_fr TEXT NOT NULL,
            kind TEXT NOT NULL,
            format TEXT NOT NULL,
            place TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            conference_url TEXT,
            capacity INTEGER,
            quota_per_network INTEGER,
            registration_deadline TEXT,
            agenda_en TEXT NOT NULL,
            agenda_fr TEXT NOT NULL,
            documents TEXT NOT NULL,
            minutes_en TEXT NOT NULL,
            minutes_fr TEXT NOT NULL,
            cancelled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL
        )
        """,
        "CREATE INDEX meetings_starts ON meetings (starts_at)",
        "CREATE INDEX meetings_series ON meetings (series, starts_at)",
    ]
}
