/// Mailing lists: each with its audience (`anyone`, `practitioners`, or focal points chosen by role, as
/// `ListAudience.stored` writes it); its subscribers (double opt-in: pending until the mailed link is followed;
/// those who left a list of roles are kept as unsubscribed, so that it does not write to them again); the one-time
/// unsubscribe links of its messages (by hash); and its archive.
let m023MailingLists = Migration(version: 23, name: "mailing lists") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE mailing_lists (
            id \(sequence),
            slug TEXT NOT NULL UNIQUE,
            name_en TEXT NOT NULL,
            name_fr TEXT NOT NULL,
            summary_en TEXT NOT NULL,
            summary_fr TEXT NOT NULL,
            audience TEXT NOT NULL,
            owner TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE list_subscriptions (
            id \(sequence),
            list_id BIGINT NOT NULL REFERENCES mailing_lists(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            language TEXT NOT NULL CHECK (language IN ('en','fr')),
            status TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
            confirm_hash TEXT UNIQUE,
            created_at TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            UNIQUE (list_id, email)
        )
        """,
        """
        CREATE TABLE list_unsubscribe_links (
            token_hash TEXT PRIMARY KEY,
            list_id BIGINT NOT NULL REFERENCES mailing_lists(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE list_messages (
            id \(sequence),
            list_id BIGINT NOT NULL REFERENCES mailing_lists(id) ON DELETE CASCADE,
            subject_en TEXT NOT NULL,
            subject_fr TEXT NOT NULL,
            body_en TEXT NOT NULL,
            body_fr TEXT NOT NULL,
            recipients INTEGER NOT NULL,
            sent_at TEXT NOT NULL,
            sent_by TEXT NOT NULL
        )
        """,
        "CREATE INDEX list_messages_list ON list_messages (list_id, sent_at)",
    ]
}
