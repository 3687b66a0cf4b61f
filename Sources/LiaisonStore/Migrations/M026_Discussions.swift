/// Discussions: spaces (a network's, or a topic's), threads, posts (Markdown; each edit kept in `post_revisions`),
/// who follows a space or a thread (a mail per message, or a daily digest), reports and the moderators' log; and the
/// site's own secrets (the key that signs reply addresses), made once and shared by every instance on the database.
let m026Discussions = Migration(version: 26, name: "discussions") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    return [
        "CREATE TABLE site_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE discussion_spaces (
            id \(sequence),
            slug TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('network', 'topic')),
            name_en TEXT NOT NULL,
            name_fr TEXT NOT NULL,
            summary_en TEXT NOT NULL,
            summary_fr TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE discussion_threads (
            id \(sequence),
            space_id BIGINT NOT NULL REFERENCES discussion_spaces(id),
            title TEXT NOT NULL,
            author_id BIGINT NOT NULL,
            author_name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_post_at TEXT NOT NULL,
            posts INTEGER NOT NULL DEFAULT 0,
            locked INTEGER NOT NULL DEFAULT 0,
            hidden INTEGER NOT NULL DEFAULT 0,
            announcement INTEGER NOT NULL DEFAULT 0
        )
        """,
        "CREATE INDEX discussion_threads_space ON discussion_threads (space_id, last_post_at)",
        """
        CREATE TABLE discussion_posts (
            id \(sequence),
            thread_id BIGINT NOT NULL REFERENCES discussion_threads(id),
            author_id BIGINT NOT NULL,
            author_name TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            edited_at TEXT,
            hidden INTEGER NOT NULL DEFAULT 0,
            hidden_reason TEXT,
            via TEXT NOT NULL CHECK (via IN ('web', 'mail'))
        )
        """,
        "CREATE INDEX discussion_posts_thread ON discussion_posts (thread_id, id)",
        """
        CREATE TABLE post_revisions (
            id \(sequence),
            post_id BIGINT NOT NULL REFERENCES discussion_posts(id),
            body TEXT NOT NULL,
            replaced_at TEXT NOT NULL,
            replaced_by TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE discussion_subscriptions (
            id \(sequence),
            account_id BIGINT NOT NULL,
            space_id BIGINT REFERENCES discussion_spaces(id),
            thread_id BIGINT REFERENCES discussion_threads(id),
            mode TEXT NOT NULL CHECK (mode IN ('each', 'digest')),
            created_at TEXT NOT NULL,
            digested_until TEXT,
            UNIQUE (account_id, space_id, thread_id)
        )
        """,
        "CREATE INDEX discussion_subscriptions_thread ON discussion_subscriptions (thread_id)",
        "CREATE INDEX discussion_subscriptions_space ON discussion_subscriptions (space_id)",
        """
        CREATE TABLE post_reports (
            id \(sequence),
            post_id BIGINT NOT NULL REFERENCES discussion_posts(id),
            account_id BIGINT NOT NULL,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (post_id, account_id)
        )
        """,
        """
        CREATE TABLE moderation_log (
            id \(sequence),
            thread_id BIGINT NOT NULL,
            post_id BIGINT,
            action TEXT NOT NULL,
            reason TEXT NOT NULL,
            actor TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """,
    ]
}
