/// Proposals from anyone: a new network or a change, with its source; editors accept or reject them. The
/// proposer's address is personal data: only editors see it, to answer.
let m006Proposals = Migration(version: 6, name: "proposals") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        """
        CREATE TABLE proposals (
            id \(sequence),
            kind TEXT NOT NULL CHECK (kind IN ('new','change')),
            network_slug TEXT NOT NULL,
            draft TEXT NOT NULL,
            language TEXT NOT NULL CHECK (language IN ('en','fr')),
            address TEXT NOT NULL,
            account_id BIGINT REFERENCES accounts(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','rejected')),
            decided_by TEXT,
            decided_at TEXT,
            decision_reason TEXT,
            revision_seq BIGINT
        )
        """,
        "CREATE INDEX proposals_status ON proposals (status, created_at)",
        "CREATE INDEX proposals_address ON proposals (address, created_at)",
    ]
}
