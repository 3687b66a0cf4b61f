/// The restricted directory: people and offices (personal data of practitioners), their dated roles, every view of
/// an entry (who, when), and each entry's revisions. `search_key` holds the folded name, authority and function
/// for searching; `identity_key` finds the entry a later import of the same person updates. An erased entry keeps
/// its row with every personal field emptied, and when and by whom it was erased. A role's `until_key` is the last
/// day its `until` covers (`yyyymmdd`; 99991231 for none), for hiding lapsed entries in SQL.
let m013Directory = Migration(version: 13, name: "directory") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE directory_entries (
            id \(sequence),
            identity_key TEXT NOT NULL,
            search_key TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            function TEXT NOT NULL DEFAULT '',
            authority TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            emails TEXT NOT NULL DEFAULT '',
            phones TEXT NOT NULL DEFAULT '',
            languages TEXT NOT NULL DEFAULT '',
            available_24_7 INTEGER NOT NULL DEFAULT 0,
            urgent_phone TEXT,
            source TEXT NOT NULL DEFAULT '',
            consent_basis TEXT NOT NULL DEFAULT '',
            consent_date TEXT,
            visibility TEXT NOT NULL DEFAULT 'practitioners' CHECK (visibility IN ('practitioners','network-members')),
            last_confirmed TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            erased_at TEXT,
            erased_by TEXT
        )
        """,
        "CREATE INDEX directory_entries_identity ON directory_entries (identity_key)",
        "CREATE INDEX directory_entries_country ON directory_entries (country)",
        """
        CREATE TABLE directory_roles (
            entry_id BIGINT NOT NULL REFERENCES directory_entries(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('contact-point','liaison-magistrate','national-correspondent','central-authority')),
            network_slug TEXT,
            title TEXT NOT NULL DEFAULT '',
            since TEXT,
            until TEXT,
            until_key INTEGER NOT NULL DEFAULT 99991231,
            sending_country TEXT,
            host TEXT,
            covers TEXT NOT NULL DEFAULT ''
        )
        """,
        "CREATE INDEX directory_roles_entry ON directory_roles (entry_id, position)",
        "CREATE INDEX directory_roles_network ON directory_roles (network_slug)",
        "CREATE INDEX directory_roles_posting ON directory_roles (sending_country, host)",
        """
        CREATE TABLE directory_views (
            entry_id BIGINT NOT NULL REFERENCES directory_entries(id) ON DELETE CASCADE,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX directory_views_account ON directory_views (account_id, at)",
        "CREATE INDEX directory_views_entry ON directory_views (entry_id, at)",
        """
        CREATE TABLE directory_revisions (
            seq \(sequence),
            entry_id BIGINT NOT NULL REFERENCES directory_entries(id) ON DELETE CASCADE,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL,
            state TEXT
        )
        """,
        "CREATE INDEX directory_revisions_entry ON directory_revisions (entry_id, seq)",
    ]
}
