/// On PostgreSQL, every transaction that appends to the revision log tells the other instances at its commit
/// (`NOTIFY liaison_revisions`, once per transaction whatever it wrote): they take the new revisions in at once instead
/// of at their next ten-second look. A trigger, so that every writer — the web, the command line, a restore — tells.
let m033RevisionNotices = Migration(version: 33, name: "revision notices") { dialect in
    switch dialect {
    case .postgresql:
        [
            """
            CREATE OR REPLACE FUNCTION liaison_revision_notice() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('liaison_revisions', '');
                RETURN NULL;
            END
            $$
            """,
            "CREATE TRIGGER revisions_notice AFTER INSERT ON revisions FOR EACH STATEMENT EXECUTE FUNCTION liaison_revision_notice()",
        ]
    default:
        []
    }
}
