/// Who is invited to a meeting and what they answered: one row a person and meeting, the network they come for,
/// the hash of their one-time answer link (emptied once used), and where they are: invited (no answer yet),
/// registered, waiting (no place left, or their network's places taken; in the order they answered) or declined.
let m020MeetingInvitations = Migration(version: 20, name: "meeting invitations") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE meeting_invitations (
            id \(sequence),
            meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            language TEXT NOT NULL CHECK (language IN ('en','fr')),
            network TEXT,
            token_hash TEXT UNIQUE,
            status TEXT NOT NULL CHECK (status IN ('invited', 'registered', 'waiting', 'declined')),
            invited_at TEXT NOT NULL,
            answered_at TEXT,
            reminded_at TEXT,
            UNIQUE (meeting_id, email)
        )
        """,
        "CREATE INDEX meeting_invitations_meeting ON meeting_invitations (meeting_id, status, answered_at)",
    ]
}
