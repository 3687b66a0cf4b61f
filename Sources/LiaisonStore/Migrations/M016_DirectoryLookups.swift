/// Each page of the directory's lists an account is shown (a search, the finder's "whom to call", a country's
/// people), so that paging through lists is limited per account as opening entries is.
let m016DirectoryLookups = Migration(version: 16, name: "directory lookups") { _ in
    [
        """
        CREATE TABLE directory_lookups (
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX directory_lookups_account ON directory_lookups (account_id, at)",
    ]
}
