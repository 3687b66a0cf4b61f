/// Bounces: each outgoing message gets a random `reference` (in its Message-ID, so that a delivery status
/// notification can be matched to it, and a forged one cannot name a message it never saw) and, for a list's
/// message, its list. The hard and soft bounces received, one per message and address; a subscription counts its hard
/// bounces and is suspended after repeated ones. The headers of messages already delivered are emptied: their
/// `List-Unsubscribe` link must not outlive the delivery (as their bodies do not).
let m024Bounces = Migration(version: 24, name: "bounces") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        "ALTER TABLE outbox ADD COLUMN reference TEXT",
        "ALTER TABLE outbox ADD COLUMN list_id BIGINT",
        "CREATE UNIQUE INDEX outbox_reference ON outbox (reference)",
        "UPDATE outbox SET headers = '' WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL",
        """
        CREATE TABLE mail_bounces (
            id \(sequence),
            outbox_id BIGINT NOT NULL,
            email TEXT NOT NULL,
            hard INTEGER NOT NULL CHECK (hard IN (0, 1)),
            status TEXT NOT NULL,
            diagnostic TEXT,
            list_id BIGINT REFERENCES mailing_lists(id) ON DELETE SET NULL,
            received_at TEXT NOT NULL,
            UNIQUE (outbox_id, email)
        )
        """,
        "CREATE INDEX mail_bounces_email ON mail_bounces (email, received_at)",
        "ALTER TABLE list_subscriptions ADD COLUMN bounces INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE list_subscriptions ADD COLUMN suspended_at TEXT",
    ]
}
