/// Liveness: every check of every address (its history), and each network's last confirmation by a person
/// ("still correct") with the reminders sent for it.
let m005Liveness = Migration(version: 5, name: "liveness") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE link_checks (
            id \(sequence),
            url TEXT NOT NULL,
            checked_at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('ok','http_error','too_many_redirects','timeout','unreachable','invalid')),
            http_status INTEGER,
            final_url TEXT,
            detail TEXT
        )
        """,
        "CREATE INDEX link_checks_url ON link_checks (url, checked_at)",
        """
        CREATE TABLE network_verifications (
            network_slug TEXT PRIMARY KEY,
            confirmed_at TEXT,
            confirmed_by TEXT,
            reminded_at TEXT
        )
        """,
        """
        CREATE TABLE verification_tokens (
            hash TEXT PRIMARY KEY,
            network_slug TEXT NOT NULL,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """,
    ]
}
