/// Accounts, their sessions and single-use tokens, recovery codes, sign-in failures (for throttling) and the
/// audit log. Secrets are stored as hashes only: bcrypt for passwords, SHA-256 for session ids, tokens and
/// recovery codes (they are long random values, so a fast hash is enough).
let m003Accounts = Migration(version: 3, name: "accounts") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    let roles = "'practitioner','focal_point','editor','administrator'"
    return [
        """
        CREATE TABLE accounts (
            id \(sequence),
            email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND email LIKE '%_@_%'),
            display_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN (\(roles))),
            language TEXT NOT NULL CHECK (language IN ('en','fr')),
            password_hash TEXT,
            totp_secret TEXT,
            totp_enabled_at TEXT,
            totp_last_step BIGINT,
            disabled_at TEXT,
            created_at TEXT NOT NULL,
            last_sign_in_at TEXT
        )
        """,
        """
        CREATE TABLE account_networks (
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            network_slug TEXT NOT NULL,
            PRIMARY KEY (account_id, network_slug)
        )
        """,
        """
        CREATE TABLE sessions (
            id_hash TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            stage TEXT NOT NULL CHECK (stage IN ('second_factor','enrol','complete')),
            csrf_token TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            address TEXT,
            user_agent TEXT
        )
        """,
        "CREATE INDEX sessions_account ON sessions (account_id)",
        """
        CREATE TABLE account_tokens (
            hash TEXT PRIMARY KEY,
            purpose TEXT NOT NULL CHECK (purpose IN ('invitation','password_reset','email_change')),
            account_id BIGINT REFERENCES accounts(id) ON DELETE CASCADE,
            email TEXT NOT NULL,
            role TEXT CHECK (role IS NULL OR role IN (\(roles))),
            networks TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL CHECK (language IN ('en','fr')),
            created_by BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        )
        """,
        "CREATE INDEX account_tokens_email ON account_tokens (email)",
        """
        CREATE TABLE recovery_codes (
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            code_hash TEXT NOT NULL,
            used_at TEXT,
            PRIMARY KEY (account_id, code_hash)
        )
        """,
        """
        CREATE TABLE sign_in_failures (
            id \(sequence),
            account_key TEXT NOT NULL,
            address TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX sign_in_failures_account ON sign_in_failures (account_key, at)",
        "CREATE INDEX sign_in_failures_address ON sign_in_failures (address, at)",
        """
        CREATE TABLE audit_log (
            id \(sequence),
            at TEXT NOT NULL,
            event TEXT NOT NULL,
            actor_id BIGINT,
            actor_email TEXT,
            subject TEXT,
            detail TEXT,
            address TEXT
        )
        """,
        "CREATE INDEX audit_log_at ON audit_log (at)",
    ]
}
