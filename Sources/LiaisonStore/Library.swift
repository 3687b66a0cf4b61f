import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// A version to store: a file (its bytes, type, and the text extracted from it) or a link.
    public struct NewVersion: Sendable {
        public let fileName: String?
        public let fileType: DocumentFileType?
        public let content: Data?
        public let link: String?
        /// The text search reads (the file's, cleaned and cut to `LibraryText.limit`), and why there is none.
        public let text: String
        public let textNote: String?
        public let sha256: String?

        public init(fileName: String?, fileType: DocumentFileType?, content: Data?, link: String?, text: String, textNote: String?, sha256: String?) {
            self.fileName = fileName
            self.fileType = fileType
            self.content = content
            self.link = link
            self.text = text
            self.textNote = textNote
            self.sha256 = sha256
        }
    }

    /// A library search: each word of the query with the words it may be (its one-edit neighbours among the titles'
    /// words), matched as a prefix; the facets it is narrowed to.
    public struct DocumentSearch: Sendable {
        public var words: [[String]]
        public var facets: [(facet: DocumentFacet, value: String)]

        public init(words: [[String]] = [], facets: [(facet: DocumentFacet, value: String)] = []) {
            self.words = words
            self.facets = facets
        }
    }

    /// A page of a search: the documents in rank order (best first), the start of each one's text (for snippets),
    /// how many match, and the facets' counts among them.
    public struct DocumentResults: Sendable {
        public let documents: [LibraryDocument]
        public let texts: [Int64: String]
        public let total: Int
        public let facetCounts: [(facet: DocumentFacet, value: String, count: Int)]
    }

    /// Adds a document and its first version, in one transaction: a translation joins the set of `translationOf`.
    public func addDocument(_ document: LibraryDocument, version: NewVersion, translationOf: Int64?, actor: String, at date: Date) async throws
        -> LibraryDocument
    {
        let now = Timestamp.string(date)
        let dialect = driver.dialect
        return try await driver.transaction { db in
            var setID: Int64?
            if let translationOf {
                guard let row = try await db.raw("SELECT id, set_id FROM documents WHERE id = \(bind: translationOf)").first() else {
                    throw InputError.invalidValue(field: "translation_of", value: String(translationOf), rule: "must be a document of the library")
                }
                setID = try row.decode(column: "set_id", as: Int64?.self) ?? row.decode(column: "id", as: Int64.self)
            }
            guard let id = try await db.raw("""
                INSERT INTO documents (set_id, translation, title_en, title_fr, summary_en, summary_fr, kind, language, date, crime_areas,
                    instruments, countries, networks, source, licence, visibility, visible_networks, created_at, created_by, updated_at)
                VALUES (\(bind: setID), \(bind: document.translation.rawValue), \(bind: document.title.en), \(bind: document.title.fr),
                    \(bind: document.summary.en), \(bind: document.summary.fr), \(bind: document.kind.rawValue), \(bind: document.language.rawValue),
                    \(bind: document.date?.description), \(bind: document.crimeAreas.map(\.rawValue).joined(separator: " ")),
                    \(bind: document.instruments.map(\.rawValue).joined(separator: " ")), \(bind: document.countries.joined(separator: " ")),
                    \(bind: document.networks.joined(separator: " ")), \(bind: document.source), \(bind: document.licence),
                    \(bind: document.visibility.stored), \(bind: document.visibility.networkSlugs.joined(separator: " ")), \(bind: now), \(bind: actor),
                    \(bind: now))
                RETURNING id
                """).first()?.decode(column: "id", as: Int64.self)
            else { throw StoredDataError(column: "documents.id", value: "", rule: "was not returned by the insert") }
            if setID == nil { try await db.raw("UPDATE documents SET set_id = \(bind: id) WHERE id = \(bind: id)").run() }
            var stored = document
            stored.id = id
            stored.setID = setID ?? id
            try await Self.writeFacets(db, stored)
            try await Self.insertVersion(db, documentID: id, number: 1, version, actor: actor, at: now)
            try await Self.writeSearch(db, dialect: dialect, stored, text: version.text, replacing: false)
            stored.versions = try await Self.versions(db, documentIDs: [id])[id] ?? []
            try await Self.libraryChanged(db)
            return stored
        }
    }

    /// Changes what a document is, is about and who reads it (its versions and text stay), in one transaction.
    /// Returns it as stored; nil when there is no such document.
    public func updateDocument(_ document: LibraryDocument, actor: String, at date: Date) async throws -> LibraryDocument? {
        guard let id = document.id else { return nil }
        let now = Timestamp.string(date)
        let dialect = driver.dialect
        return try await driver.transaction { db -> LibraryDocument? in
            guard try await db.raw("""
                UPDATE documents SET translation = \(bind: document.translation.rawValue), title_en = \(bind: document.title.en),
                    title_fr = \(bind: document.title.fr), summary_en = \(bind: document.summary.en), summary_fr = \(bind: document.summary.fr),
                    kind = \(bind: document.kind.rawValue), language = \(bind: document.language.rawValue), date = \(bind: document.date?.description),
                    crime_areas = \(bind: document.crimeAreas.map(\.rawValue).joined(separator: " ")),
                    instruments = \(bind: document.instruments.map(\.rawValue).joined(separator: " ")),
                    countries = \(bind: document.countries.joined(separator: " ")), networks = \(bind: document.networks.joined(separator: " ")),
                    source = \(bind: document.source), licence = \(bind: document.licence), visibility = \(bind: document.visibility.stored),
                    visible_networks = \(bind: document.visibility.networkSlugs.joined(separator: " ")), updated_at = \(bind: now)
                WHERE id = \(bind: id) RETURNING id
                """).first() != nil else { return nil }
            try await Self.writeFacets(db, document)
            let key: SQLQueryString = dialect == .sqlite ? "rowid" : "document_id"
            let text = try await db.raw("SELECT body FROM document_search WHERE \(key) = \(bind: id)").first()?.decode(column: "body", as: String.self) ?? ""
            try await Self.writeSearch(db, dialect: dialect, document, text: text, replacing: true)
            try await Self.libraryChanged(db)
            guard let row = try await db.raw("SELECT * FROM documents WHERE id = \(bind: id)").first() else { return nil }
            return try Self.document(row, versions: try await Self.versions(db, documentIDs: [id])[id] ?? [])
        }
    }

    /// Withdraws a document from the library: it, its versions (their files), facets, readers and text go, in one
    /// transaction. Returns whether there was one.
    public func withdrawDocument(id: Int64) async throws -> Bool {
        let dialect = driver.dialect
        return try await driver.transaction { db in
            // SQLite's search table is virtual (no cascade); PostgreSQL's goes with the document.
            if dialect == .sqlite { try await db.raw("DELETE FROM document_search WHERE rowid = \(bind: id)").run() }
            guard try await db.raw("DELETE FROM documents WHERE id = \(bind: id) RETURNING id").first() != nil else { return false }
            try await Self.libraryChanged(db)
            return true
        }
    }

    /// Adds a version to a document (the earlier ones are kept); its text replaces the document's in search.
    /// Returns the new version's number, nil when there is no such document.
    public func addVersion(documentID: Int64, _ version: NewVersion, actor: String, at date: Date) async throws -> Int? {
        let now = Timestamp.string(date)
        let dialect = driver.dialect
        return try await driver.transaction { db -> Int? in
            // The document's row is held until the end (PostgreSQL), so that two versions added at once take numbers
            // one after the other; SQLite writes one transaction at a time.
            let lock: SQLQueryString = dialect == .postgresql ? " FOR UPDATE" : ""
            guard let row = try await db.raw("SELECT * FROM documents WHERE id = \(bind: documentID)\(lock)").first() else { return nil }
            let document = try Self.document(row, versions: [])
            let number = (try await db.raw("SELECT max(number) AS n FROM document_versions WHERE document_id = \(bind: documentID)").first()?
                .decode(column: "n", as: Int?.self) ?? 0) + 1
            try await Self.insertVersion(db, documentID: documentID, number: number, version, actor: actor, at: now)
            try await db.raw("UPDATE documents SET updated_at = \(bind: now) WHERE id = \(bind: documentID)").run()
            try await Self.writeSearch(db, dialect: dialect, document, text: version.text, replacing: true)
            try await Self.libraryChanged(db)
            return number
        }
    }

    /// A document with its versions (newest first, without their files); nil when there is none.
    public func document(id: Int64) async throws -> LibraryDocument? {
        try await driver.withDatabase { db in
            guard let row = try await db.raw("SELECT * FROM documents WHERE id = \(bind: id)").first() else { return nil }
            return try Self.document(row, versions: try await Self.versions(db, documentIDs: [id])[id] ?? [])
        }
    }

    /// The documents of a set of translations, by language.
    public func documents(setID: Int64) async throws -> [LibraryDocument] {
        try await driver.withDatabase { db in
            let rows = try await db.raw("SELECT * FROM documents WHERE set_id = \(bind: setID) ORDER BY language, id LIMIT 100").all()
            let versions = try await Self.versions(db, documentIDs: try rows.map { try $0.decode(column: "id", as: Int64.self) })
            return try rows.map { row in try Self.document(row, versions: versions[try row.decode(column: "id", as: Int64.self)] ?? []) }
        }
    }

    /// The documents of these sets of translations (without their versions).
    public func documents(setIDs: [Int64]) async throws -> [LibraryDocument] {
        guard !setIDs.isEmpty else { return [] }
        return try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM documents WHERE set_id IN (\(binds: setIDs)) ORDER BY language, id LIMIT 2000").all().map {
                try Self.document($0, versions: [])
            }
        }
    }

    /// The documents of these numbers that are there (without their versions).
    public func documents(ids: [Int64]) async throws -> [LibraryDocument] {
        guard !ids.isEmpty else { return [] }
        return try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM documents WHERE id IN (\(binds: ids)) ORDER BY id LIMIT 2000").all().map { try Self.document($0, versions: []) }
        }
    }

    /// A version's file: its bytes, with the version it is of; nil when the document, the version or its file is not there.
    public func documentFile(documentID: Int64, number: Int) async throws -> (version: DocumentVersion, content: Data)? {
        try await driver.withDatabase { db in
            guard let row = try await db.raw("""
                SELECT * FROM document_versions WHERE document_id = \(bind: documentID) AND number = \(bind: number)
                """).first(), let content = try row.decode(column: "content", as: Data?.self) else { return nil }
            return (try Self.version(row), content)
        }
    }

    /// The library's generation (migration 29), which every write moves on: what is made from the library may be kept
    /// until it changes.
    public func libraryGeneration() async throws -> String {
        try await driver.withDatabase { db in
            String(try await db.raw("SELECT generation FROM library_state WHERE id = 1").first()?.decode(column: "generation", as: Int64.self) ?? 0)
        }
    }

    /// Moves the library's generation on, in a write's transaction.
    static func libraryChanged(_ db: any SQLDatabase) async throws {
        try await db.raw("UPDATE library_state SET generation = generation + 1 WHERE id = 1").run()
    }

    /// The titles of the documents `readers` may see (for a search's typo tolerance: a word of a title one may not
    /// see must not change what one finds), at most `limit` documents' worth.
    public func documentTitles(readers: DocumentReaders, limit: Int = 20_000) async throws -> [String] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT d.title_en, d.title_fr FROM documents d WHERE \(Self.visible(readers)) ORDER BY d.id DESC LIMIT \(bind: limit)
                """).all().flatMap { row in
                [try row.decode(column: "title_en", as: String.self), try row.decode(column: "title_fr", as: String.self)]
            }
        }
    }

    /// Searches the documents `readers` may see: every word (or one of its variants) as a word's beginning in the
    /// title, the summary or the text, ranked (title first, then summary, then text); without words, the newest
    /// first. Narrowed by the facets; their counts are among all the matches.
    public func searchDocuments(_ search: DocumentSearch, readers: DocumentReaders, limit: Int, offset: Int) async throws -> DocumentResults {
        let dialect = driver.dialect
        return try await driver.withDatabase { db in
            var conditions: [SQLQueryString] = [Self.visible(readers)]
            for (facet, value) in search.facets {
                conditions.append("""
                    EXISTS (SELECT 1 FROM document_facets f WHERE f.document_id = d.id AND f.facet = \(bind: facet.rawValue) AND f.value = \(bind: value))
                    """)
            }
            let words = search.words.filter { !$0.isEmpty }
            let source: SQLQueryString
            let rank: SQLQueryString
            if words.isEmpty {
                source = "documents d"
                rank = "0"
            } else if dialect == .sqlite {
                // FTS5: each word as a prefix or one of its variants; bm25 with the title weighing most (lower is better).
                let match = words.map { variants in
                    "(" + variants.enumerated().map { index, word in index == 0 ? "\"\(word)\"*" : "\"\(word)\"" }.joined(separator: " OR ") + ")"
                }.joined(separator: " AND ")
                source = """
                    documents d JOIN (SELECT rowid AS document_id, bm25(document_search, 10.0, 4.0, 1.0) AS score FROM document_search
                                      WHERE document_search MATCH \(bind: match)) s ON s.document_id = d.id
                    """
                rank = "-s.score"
            } else {
                let query = words.map { variants in
                    "(" + variants.enumerated().map { index, word in index == 0 ? "\(word):*" : word }.joined(separator: " | ") + ")"
                }.joined(separator: " & ")
                source = """
                    documents d JOIN document_search s ON s.document_id = d.id AND s.vector @@ to_tsquery('simple', \(bind: query))
                    """
                rank = "4 * ts_rank(s.heading_vector, to_tsquery('simple', \(bind: query))) + ts_rank(s.body_vector, to_tsquery('simple', \(bind: query)))"
            }
            let condition = conditions.joined(separator: " AND ")
            let total = try await db.raw("SELECT count(*) AS n FROM \(source) WHERE \(condition)").first()?.decode(column: "n", as: Int.self) ?? 0
            let rows = try await db.raw("""
                SELECT d.*, \(rank) AS rank FROM \(source) WHERE \(condition)
                ORDER BY rank DESC, d.updated_at DESC, d.id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
                """).all()
            let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
            let versions = try await Self.versions(db, documentIDs: ids)
            let documents = try rows.map { row in try Self.document(row, versions: versions[try row.decode(column: "id", as: Int64.self)] ?? []) }
            var texts: [Int64: String] = [:]
            if !words.isEmpty, !ids.isEmpty {
                let column: SQLQueryString = dialect == .sqlite ? "rowid" : "document_id"
                for row in try await db.raw("""
                    SELECT \(column) AS id, substr(body, 1, 100000) AS body FROM document_search WHERE \(column) IN (\(binds: ids))
                    """).all() {
                    texts[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "body", as: String.self)
                }
            }
            let counts = try await db.raw("""
                SELECT f.facet, f.value, count(*) AS n FROM document_facets f
                WHERE f.document_id IN (SELECT d.id FROM \(source) WHERE \(condition))
                GROUP BY f.facet, f.value ORDER BY n DESC, f.value LIMIT 2000
                """).all().compactMap { row -> (facet: DocumentFacet, value: String, count: Int)? in
                guard let facet = DocumentFacet(rawValue: try row.decode(column: "facet", as: String.self)) else { return nil }
                return (facet, try row.decode(column: "value", as: String.self), try row.decode(column: "n", as: Int.self))
            }
            return DocumentResults(documents: documents, texts: texts, total: total, facetCounts: counts)
        }
    }

    /// Who may see a document, as SQL over `documents d`.
    static func visible(_ readers: DocumentReaders) -> SQLQueryString {
        if readers.all { return "1 = 1" }
        var parts: [SQLQueryString] = ["d.visibility = 'public'"]
        if readers.practitioners { parts.append("d.visibility = 'practitioners'") }
        if !readers.networks.isEmpty {
            parts.append("""
                (d.visibility = 'networks' AND EXISTS (SELECT 1 FROM document_readers r WHERE r.document_id = d.id AND r.network IN (\(binds: readers.networks))))
                """)
        }
        return "(" + parts.joined(separator: " OR ") + ")"
    }

    static func writeFacets(_ db: any SQLDatabase, _ document: LibraryDocument) async throws {
        guard let id = document.id else { return }
        try await db.raw("DELETE FROM document_facets WHERE document_id = \(bind: id)").run()
        try await db.raw("DELETE FROM document_readers WHERE document_id = \(bind: id)").run()
        var seen = Set<String>()
        for (facet, value) in document.facets where seen.insert(facet.rawValue + " " + value).inserted {
            try await db.raw("INSERT INTO document_facets (document_id, facet, value) VALUES (\(bind: id), \(bind: facet.rawValue), \(bind: value))").run()
        }
        for network in Set(document.visibility.networkSlugs) {
            try await db.raw("INSERT INTO document_readers (document_id, network) VALUES (\(bind: id), \(bind: network))").run()
        }
    }

    static func insertVersion(_ db: any SQLDatabase, documentID: Int64, number: Int, _ version: NewVersion, actor: String, at now: String) async throws {
        try await db.raw("""
            INSERT INTO document_versions (document_id, number, file_name, file_type, size, sha256, content, link, text_note, created_at, created_by)
            VALUES (\(bind: documentID), \(bind: number), \(bind: version.fileName), \(bind: version.fileType?.rawValue), \(bind: version.content?.count ?? 0),
                    \(bind: version.sha256), \(bind: version.content), \(bind: version.link), \(bind: version.textNote), \(bind: now), \(bind: actor))
            """).run()
    }

    /// The search's row of a document: its titles and summaries in both languages, and its text.
    static func writeSearch(_ db: any SQLDatabase, dialect: SQLDialect, _ document: LibraryDocument, text: String, replacing: Bool) async throws {
        guard let id = document.id else { return }
        let title = document.title.en + "\n" + document.title.fr
        let summary = document.summary.en + "\n" + document.summary.fr
        if dialect == .sqlite {
            if replacing { try await db.raw("DELETE FROM document_search WHERE rowid = \(bind: id)").run() }
            try await db.raw("""
                INSERT INTO document_search (rowid, title, summary, body) VALUES (\(bind: id), \(bind: title), \(bind: summary), \(bind: text))
                """).run()
        } else {
            let folded = { (text: String) in TextKey.words(text).joined(separator: " ") }
            try await db.raw("""
                INSERT INTO document_search (document_id, body, heading_vector, body_vector, vector)
                SELECT \(bind: id), \(bind: text), h.v, b.v, h.v || b.v FROM
                    (SELECT setweight(to_tsvector('simple', \(bind: folded(title))), 'A') || setweight(to_tsvector('simple', \(bind: folded(summary))), 'B') AS v) h,
                    (SELECT strip(to_tsvector('simple', \(bind: Self.distinctWords(text, limit: Self.vectorWordsLimit)))) AS v) b
                ON CONFLICT (document_id) DO UPDATE SET body = excluded.body, heading_vector = excluded.heading_vector,
                    body_vector = excluded.body_vector, vector = excluded.vector
                """).run()
        }
    }

    /// PostgreSQL builds a tsvector with its words' positions before `strip` drops them, and refuses one over 1 MB
    /// (each word costs its bytes, an entry of 4 and a position of 2): a text's words go to it once each, at most this
    /// many bytes of them — some 50,000 different words (a text that says more is found by its first 50,000).
    static let vectorWordsLimit = 300_000

    /// The folded words of a text, each once, in the order they first come, joined by spaces, at most `limit` bytes.
    static func distinctWords(_ text: String, limit: Int) -> String {
        var seen = Set<String>()
        var out = ""
        for word in TextKey.words(text) where seen.insert(word).inserted {
            guard out.utf8.count + word.utf8.count + 1 <= limit else { break }
            if !out.isEmpty { out += " " }
            out += word
        }
        return out
    }

    static func versions(_ db: any SQLDatabase, documentIDs: [Int64]) async throws -> [Int64: [DocumentVersion]] {
        guard !documentIDs.isEmpty else { return [:] }
        var versions: [Int64: [DocumentVersion]] = [:]
        for row in try await db.raw("""
            SELECT document_id, number, file_name, file_type, size, sha256, link, text_note, created_at, created_by FROM document_versions
            WHERE document_id IN (\(binds: documentIDs)) ORDER BY document_id, number DESC
            """).all() {
            versions[try row.decode(column: "document_id", as: Int64.self), default: []].append(try Self.version(row))
        }
        return versions
    }

    static func version(_ row: any SQLRow) throws -> DocumentVersion {
        let created = try row.decode(column: "created_at", as: String.self)
        guard let createdAt = Timestamp.date(created) else { throw StoredDataError(column: "document_versions.created_at", value: created, rule: "must be a time") }
        let type = try row.decode(column: "file_type", as: String?.self)
        return DocumentVersion(number: try row.decode(column: "number", as: Int.self), fileName: try row.decode(column: "file_name", as: String?.self),
                               fileType: try type.map { text in
                                   guard let type = DocumentFileType(rawValue: text) else {
                                       throw StoredDataError(column: "document_versions.file_type", value: text, rule: "must be pdf, odt, docx or text")
                                   }
                                   return type
                               },
                               size: try row.decode(column: "size", as: Int.self), sha256: try row.decode(column: "sha256", as: String?.self),
                               link: try row.decode(column: "link", as: String?.self), textNote: try row.decode(column: "text_note", as: String?.self),
                               createdAt: createdAt, createdBy: try row.decode(column: "created_by", as: String.self))
    }

    static func document(_ row: any SQLRow, versions: [DocumentVersion]) throws -> LibraryDocument {
        func words(_ column: String) throws -> [String] { try row.decode(column: column, as: String.self).split(separator: " ").map(String.init) }
        func time(_ column: String) throws -> Date {
            let text = try row.decode(column: column, as: String.self)
            guard let date = Timestamp.date(text) else { throw StoredDataError(column: "documents.\(column)", value: text, rule: "must be a time") }
            return date
        }
        // Who may read it fails closed: a value this code does not know is an error, never "everyone".
        let visibility: DocumentVisibility
        switch try row.decode(column: "visibility", as: String.self) {
        case "public": visibility = .everyone
        case "practitioners": visibility = .practitioners
        case "networks": visibility = .networks(try words("visible_networks"))
        case let other: throw StoredDataError(column: "documents.visibility", value: other, rule: "must be public, practitioners or networks")
        }
        return LibraryDocument(
            id: try row.decode(column: "id", as: Int64.self), setID: try row.decode(column: "set_id", as: Int64?.self),
            translation: try TranslationRole.parse(try row.decode(column: "translation", as: String.self), field: "documents.translation"),
            title: Bilingual(en: try row.decode(column: "title_en", as: String.self), fr: try row.decode(column: "title_fr", as: String.self)),
            summary: Bilingual(en: try row.decode(column: "summary_en", as: String.self), fr: try row.decode(column: "summary_fr", as: String.self)),
            kind: try DocumentKind.parse(try row.decode(column: "kind", as: String.self), field: "documents.kind"),
            language: try DocumentLanguage.parse(try row.decode(column: "language", as: String.self), field: "documents.language"),
            date: try row.decode(column: "date", as: String?.self).map { try PartialDate($0, field: "documents.date") },
            crimeAreas: try words("crime_areas").map { try CrimeArea.parse($0, field: "documents.crime_areas") },
            instruments: try words("instruments").map { try Instrument.parse($0, field: "documents.instruments") },
            countries: try words("countries"), networks: try words("networks"),
            source: try row.decode(column: "source", as: String.self), licence: try row.decode(column: "licence", as: String.self),
            visibility: visibility, versions: versions, createdAt: try time("created_at"), updatedAt: try time("updated_at"))
    }
}
