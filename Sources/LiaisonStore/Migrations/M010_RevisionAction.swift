/// Each revision says what it did in a column of its own (before, it was read from the change's JSON at every use).
/// The log is append-only; filling the new column for the revisions already written is the one change its guard
/// lets through, here, and the guard is back before the migration ends.
let m010RevisionAction = Migration(version: 10, name: "revision action") { dialect in
    if dialect == .postgresql {
        return [
            "ALTER TABLE revisions ADD COLUMN action TEXT",
            "ALTER TABLE revisions DISABLE TRIGGER revisions_no_change",
            "UPDATE revisions SET action = COALESCE((change::json)->>'action', 'edited')",
            "ALTER TABLE revisions ENABLE TRIGGER revisions_no_change",
        ]
    }
    return [
        "ALTER TABLE revisions ADD COLUMN action TEXT",
        "DROP TRIGGER revisions_no_update",
        "UPDATE revisions SET action = COALESCE(json_extract(change, '$.action'), 'edited')",
        "CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END",
    ]
}
