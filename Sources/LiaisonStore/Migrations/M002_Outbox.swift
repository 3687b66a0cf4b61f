/// The mail outbox: a message is stored in the same database as what it is about, then delivered by the
/// sender; it stays until delivered (or, after its last attempt, is kept as failed for an administrator).
let m002Outbox = Migration(version: 2, name: "outbox") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE outbox (
            id \(sequence),
            recipient TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            language TEXT NOT NULL CHECK (language IN ('en','fr')),
            queued_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            next_attempt_at TEXT NOT NULL,
            sent_at TEXT,
            failed_at TEXT,
            last_error TEXT
        )
        """,
        "CREATE INDEX outbox_due ON outbox (sent_at, failed_at, next_attempt_at)",
    ]
}
