import SQLKit

/// What the directory's searches look up instead of scanning every entry with a subquery per row (measured with
/// `bench/directory.sh` at 10,000 entries: a country's page took ~40 ms of SQL, a name ~7 ms):
/// - `until_key`, the last day of an entry's latest role, so "not lapsed" is a column;
/// - `directory_places`, each country an entry works in, is posted in or covers (a country's people);
/// - `directory_words`, each word of an entry's name, authority and function (a name's words, by prefix), in
///   byte order on PostgreSQL too, so a prefix is a range of the index.
/// The rows of the entries already held are filled in here; the store keeps them with every write after.
let m017DirectoryIndexes = Migration(version: 17, name: "directory indexes") { dialect in
    let position = dialect == .postgresql ? "strpos(rest, ' ')" : "instr(rest, ' ')"
    let wordType = dialect == .postgresql ? "TEXT COLLATE \"C\"" : "TEXT"
    /// Splits a space-separated column into (entry_id, value) rows.
    func split(_ column: String, from table: String, entry: String) -> String {
        """
        WITH RECURSIVE split(entry_id, rest, value) AS (
            SELECT \(entry), \(column) || ' ', '' FROM \(table) WHERE \(column) <> ''
            UNION ALL
            SELECT entry_id, substr(rest, \(position) + 1), substr(rest, 1, \(position) - 1) FROM split WHERE rest <> ''
        )
        """
    }
    return [
        "ALTER TABLE directory_entries ADD COLUMN until_key INTEGER NOT NULL DEFAULT 0",
        """
        UPDATE directory_entries SET until_key = COALESCE((SELECT max(r.until_key) FROM directory_roles r
            WHERE r.entry_id = directory_entries.id), 0)
        """,
        """
        CREATE TABLE directory_places (
            entry_id BIGINT NOT NULL REFERENCES directory_entries(id) ON DELETE CASCADE,
            country TEXT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX directory_places_country ON directory_places (country, entry_id)",
        """
        CREATE TABLE directory_words (
            entry_id BIGINT NOT NULL REFERENCES directory_entries(id) ON DELETE CASCADE,
            word \(wordType) NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX directory_words_word ON directory_words (word, entry_id)",
        "CREATE INDEX directory_words_entry ON directory_words (entry_id)",
        "CREATE INDEX directory_places_entry ON directory_places (entry_id)",
        """
        INSERT INTO directory_places (entry_id, country)
        SELECT id, country FROM directory_entries WHERE erased_at IS NULL AND country <> ''
        UNION SELECT r.entry_id, r.host FROM directory_roles r WHERE r.host IS NOT NULL AND r.host <> ''
        """,
        split("covers", from: "directory_roles", entry: "entry_id") + """
        INSERT INTO directory_places (entry_id, country)
        SELECT DISTINCT s.entry_id, s.value FROM split s WHERE s.value <> ''
            AND NOT EXISTS (SELECT 1 FROM directory_places p WHERE p.entry_id = s.entry_id AND p.country = s.value)
        """,
        split("search_key", from: "directory_entries", entry: "id") + """
        INSERT INTO directory_words (entry_id, word)
        SELECT DISTINCT entry_id, value FROM split WHERE value <> '' AND value <> '|'
        """,
    ]
}
