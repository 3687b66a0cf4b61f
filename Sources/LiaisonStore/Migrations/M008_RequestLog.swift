/// Requests limited per client address that leave no other row to count (password reset requests): when and from
/// where, kept a day.
let m008RequestLog = Migration(version: 8, name: "request log") { _ in
    [
        """
        CREATE TABLE request_log (
            kind TEXT NOT NULL,
            address TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
        "CREATE INDEX request_log_kind_address ON request_log (kind, address, at)",
    ]
}
