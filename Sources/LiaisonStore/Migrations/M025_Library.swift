/// The library: documents (what they are and are about, who may see them, the set of translations they belong to),
/// their versions (each file kept in the database, so that several instances on one PostgreSQL serve the same
/// library, or a link), their facets and readers (networks), and the text search over their titles, summaries and
/// extracted text — SQLite's FTS5 (accents and case folded by its tokenizer) or PostgreSQL's tsvector (of text
/// folded by Liaison: the title and summary weighted, the body's vector without positions so that a long document
/// stays within a vector's size, and both together, indexed).
let m025Library = Migration(version: 25, name: "library") { dialect in
    let sequence = dialect == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
    let bytes = dialect == .sqlite ? "BLOB" : "BYTEA"
    let search = dialect == .sqlite
        ? ["CREATE VIRTUAL TABLE document_search USING fts5(title, summary, body, tokenize = 'unicode61 remove_diacritics 2')"]
        : ["""
           CREATE TABLE document_search (
               document_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
               body TEXT NOT NULL,
               heading_vector TSVECTOR NOT NULL,
               body_vector TSVECTOR NOT NULL,
               vector TSVECTOR NOT NULL
           )
           """,
           "CREATE INDEX document_search_vector ON document_search USING GIN (vector)"]
    return [
        """
        CREATE TABLE documents (
            id \(sequence),
            set_id BIGINT,
            translation TEXT NOT NULL,
            title_en TEXT NOT NULL,
            title_fr TEXT NOT NULL,
            summary_en TEXT NOT NULL,
            summary_fr TEXT NOT NULL,
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            date TEXT,
            crime_areas TEXT NOT NULL,
            instruments TEXT NOT NULL,
            countries TEXT NOT NULL,
            networks TEXT NOT NULL,
            source TEXT NOT NULL,
            licence TEXT NOT NULL,
            visibility TEXT NOT NULL CHECK (visibility IN ('public', 'practitioners', 'networks')),
            visible_networks TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX documents_set ON documents (set_id)",
        """
        CREATE TABLE document_versions (
            id \(sequence),
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            file_name TEXT,
            file_type TEXT,
            size INTEGER NOT NULL,
            sha256 TEXT,
            content \(bytes),
            link TEXT,
            text_note TEXT,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            UNIQUE (document_id, number)
        )
        """,
        """
        CREATE TABLE document_facets (
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            facet TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (document_id, facet, value)
        )
        """,
        "CREATE INDEX document_facets_value ON document_facets (facet, value)",
        """
        CREATE TABLE document_readers (
            document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            network TEXT NOT NULL,
            PRIMARY KEY (document_id, network)
        )
        """,
        "CREATE INDEX document_readers_network ON document_readers (network)",
    ] + search
}
