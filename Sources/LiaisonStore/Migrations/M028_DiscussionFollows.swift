/// Following in discussions: one subscription per account and thread, and per account and space (the UNIQUE of
/// migration 26 took no effect, one of its columns being always NULL: partial unique indexes do, on both databases);
/// and the threads an account chose to stop following, which writing in them again does not undo.
let m028DiscussionFollows = Migration(version: 28, name: "discussion follows") { _ in
    [
        """
        DELETE FROM discussion_subscriptions WHERE id NOT IN (
            SELECT min(id) FROM discussion_subscriptions GROUP BY account_id, space_id, thread_id)
        """,
        "CREATE UNIQUE INDEX discussion_subscriptions_one_thread ON discussion_subscriptions (account_id, thread_id) WHERE thread_id IS NOT NULL",
        "CREATE UNIQUE INDEX discussion_subscriptions_one_space ON discussion_subscriptions (account_id, space_id) WHERE space_id IS NOT NULL",
        """
        CREATE TABLE discussion_unfollowed (
            account_id BIGINT NOT NULL,
            thread_id BIGINT NOT NULL REFERENCES discussion_threads(id),
            PRIMARY KEY (account_id, thread_id)
        )
        """,
    ]
}
