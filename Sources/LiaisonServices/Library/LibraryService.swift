import Foundation
import LiaisonCore
import LiaisonStore

/// The library the networks share: guides, model forms, legislation, reports… each a file (PDF, ODT, DOCX, text) or a
/// link, seen by the public, by practitioners, or by the people of some networks only. Editors and the networks' focal
/// points add documents and versions; a search never shows a document, or a piece of its text, to someone who may
/// not see it.
public struct LibraryService: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    public let now: @Sendable () -> Date
    public var reader = DocumentReader()
    let titles = TitleVocabularies()
    public static let perPage = 20

    /// A file as uploaded.
    public struct Upload: Sendable {
        public let name: String
        public let bytes: [UInt8]

        public init(name: String, bytes: [UInt8]) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// A page of a search: the documents with their snippets and translations, the facets, the count.
    public struct Results: Sendable {
        public struct Hit: Sendable {
            public let document: LibraryDocument
            /// A piece of its text around the first word of the query (nil: none in its first pages).
            public let snippet: [LibraryText.Piece]?
            /// Its translations the reader may see: a search in one language leads to the others.
            public let translations: [LibraryDocument]
        }

        public let hits: [Hit]
        public let total: Int
        public let page: Int
        public let pages: Int
        public let facetCounts: [(facet: DocumentFacet, value: String, count: Int)]
    }

    /// Adds a document: its description (checked against the catalogue), then its file (read: its type from its
    /// bytes, its text for search) or its link. A translation joins the set of the document it translates. Editors may
    /// share any document; a focal point, documents about their networks, seen by the public, by practitioners or by
    /// their own networks.
    public func add(_ draft: DocumentDraft, file: Upload?, translationOf: Int64?, by principal: Principal, actor: String) async throws -> LibraryDocument {
        let date = now()
        let blank = LibraryDocument(title: Bilingual(), kind: .guide, language: .en, visibility: .everyone, createdAt: date, updatedAt: date)
        let document = try draft.document(from: blank, catalogue: catalogue.snapshot)
        try checkSharing(document, by: principal)
        if let translationOf {
            guard let original = try await store.document(id: translationOf), original.isVisible(to: principal) else {
                throw InputError.invalidValue(field: "translation_of", value: String(translationOf), rule: "must be a document of the library")
            }
            // A translation joins the original's set: only one who may share the original adds one.
            guard mayShare(original, by: principal) else {
                throw InputError.invalidValue(field: "translation_of", value: String(translationOf),
                                              rule: "must be a document you may share (one about your networks)")
            }
        }
        let version = try await newVersion(file: file, link: try draft.checkedLink())
        return try await store.addDocument(document, version: version, translationOf: translationOf, actor: actor, at: date)
    }

    /// Adds a version to a document (a new file or link; the earlier ones are kept). Returns its number.
    public func addVersion(_ id: Int64, file: Upload?, link: String, by principal: Principal, actor: String) async throws -> Int {
        let document = try await visibleDocument(id, by: principal)
        try checkSharing(document, by: principal)
        var draft = DocumentDraft()
        draft.link = link
        let version = try await newVersion(file: file, link: try draft.checkedLink())
        guard let number = try await store.addVersion(documentID: id, version, actor: actor, at: now()) else {
            throw CatalogueError.documentNotFound(id: id)
        }
        return number
    }

    /// Changes what a document is, is about and who reads it (its files stay): for one who may share it, and as one
    /// who may share what it becomes.
    public func edit(_ id: Int64, _ draft: DocumentDraft, by principal: Principal, actor: String) async throws -> LibraryDocument {
        let current = try await visibleDocument(id, by: principal)
        try checkSharing(current, by: principal)
        var edited = try draft.document(from: current, catalogue: catalogue.snapshot)
        edited.id = current.id
        edited.setID = current.setID
        try checkSharing(edited, by: principal)
        guard let saved = try await store.updateDocument(edited, actor: actor, at: now()) else { throw CatalogueError.documentNotFound(id: id) }
        return saved
    }

    /// Withdraws a document from the library, with all its versions, for one who may share it (`confirm` must be
    /// said: nothing of it can be had again).
    public func withdraw(_ id: Int64, confirm: Bool, by principal: Principal) async throws {
        let document = try await visibleDocument(id, by: principal)
        try checkSharing(document, by: principal)
        guard confirm else { throw InputError.missingField(field: "confirm") }
        guard try await store.withdrawDocument(id: id) else { throw CatalogueError.documentNotFound(id: id) }
    }

    /// Whether the principal may add this document (or a version of it).
    public func mayShare(_ document: LibraryDocument, by principal: Principal) -> Bool {
        (try? checkSharing(document, by: principal)) != nil
    }

    func checkSharing(_ document: LibraryDocument, by principal: Principal) throws {
        guard Policy.allows(principal, .contributeDocuments) else { throw ServiceDenied() }
        // A focal point adds documents about their networks: the form says so, and keeps what was typed.
        guard Policy.allows(principal, .shareDocument(networks: Set(document.networks))) else {
            throw InputError.invalidValue(field: "networks", value: document.networks.joined(separator: " "),
                                          rule: "must include a network you maintain (" + principal.networks.sorted().joined(separator: ", ") + ")")
        }
        // A focal point shares with the public, with practitioners, or with their own networks' people.
        if principal.role < .editor, !Set(document.visibility.networkSlugs).isSubset(of: principal.networks) {
            throw InputError.invalidValue(field: "visible_networks", value: document.visibility.networkSlugs.joined(separator: " "),
                                          rule: "must be networks you maintain (" + principal.networks.sorted().joined(separator: ", ") + ")")
        }
    }

    func newVersion(file: Upload?, link: String?) async throws -> CatalogueStore.NewVersion {
        if let file, !file.bytes.isEmpty {
            let read = try await reader.read(file.bytes, field: "file")
            let name = read.type.fileName(for: file.name)
            return .init(fileName: name, fileType: read.type, content: Data(file.bytes), link: nil, text: read.text, textNote: read.note, sha256: read.sha256)
        }
        guard let link else { throw InputError.missingField(field: "file") }
        return .init(fileName: nil, fileType: nil, content: nil, link: link, text: "", textNote: nil, sha256: nil)
    }

    /// A document the principal may see, with the other documents of its set they may see; "not found" for one they
    /// may not (its existence is not told).
    public func document(_ id: Int64, by principal: Principal) async throws -> (document: LibraryDocument, translations: [LibraryDocument]) {
        let document = try await visibleDocument(id, by: principal)
        let set = try await document.setID.asyncMap { try await store.documents(setID: $0) } ?? []
        return (document, set.filter { $0.id != id && $0.isVisible(to: principal) })
    }

    func visibleDocument(_ id: Int64, by principal: Principal) async throws -> LibraryDocument {
        guard let document = try await store.document(id: id), document.isVisible(to: principal) else { throw CatalogueError.documentNotFound(id: id) }
        return document
    }

    /// A version's file (the latest when `number` is nil), for one who may see the document, with the document.
    public func file(_ id: Int64, version number: Int?, by principal: Principal) async throws
        -> (document: LibraryDocument, version: DocumentVersion, content: Data)
    {
        let document = try await visibleDocument(id, by: principal)
        guard let number = number ?? document.current?.number, let file = try await store.documentFile(documentID: id, number: number) else {
            throw CatalogueError.documentFileNotFound(id: id, version: number.map(String.init) ?? "latest")
        }
        return (document, file.version, file.content)
    }

    /// Searches what the principal may see: every word of `text` as a word's beginning in a title, summary or text
    /// (and, from five letters, the titles' words one typing mistake away), ranked, a page at a time, narrowed by
    /// `facets`; a snippet of each document's text around the words.
    public func search(_ text: String, facets: [(facet: DocumentFacet, value: String)], page: Int, by principal: Principal) async throws -> Results {
        try TextRules.checkSearch(text)
        let facets = try facets.map { facet, value in (facet, try check(facet, value)) }
        let words = Array(TextKey.words(text).prefix(10))
        var variants = words.map { [$0] }
        if words.contains(where: { $0.count >= 5 }) {
            let vocabulary = try await titleVocabulary(DocumentReaders(principal))
            for (index, word) in words.enumerated() where word.count >= 5 && !vocabulary.words.contains(word) {
                // Only words within one letter of its length can be one edit away: the others are not looked at.
                let length = word.unicodeScalars.count
                let near = (length - 1...length + 1).flatMap { vocabulary.byLength[$0] ?? [] }
                variants[index] += near.filter { $0 != word && Self.oneEdit($0, word) }.sorted().prefix(10)
            }
        }
        let results = try await store.searchDocuments(.init(words: variants, facets: facets), readers: DocumentReaders(principal),
                                                      limit: Self.perPage, offset: max(0, page - 1) * Self.perPage)
        let pages = max(1, (results.total + Self.perPage - 1) / Self.perPage)
        guard page <= pages else { throw InputError.invalidValue(field: "page", value: String(page), rule: "must be at most \(pages), the number of pages") }
        let matched = variants.flatMap { $0 }
        let sets = Dictionary(grouping: try await store.documents(setIDs: Array(Set(results.documents.compactMap(\.setID))))
            .filter { $0.isVisible(to: principal) }, by: { $0.setID ?? 0 })
        let hits = results.documents.map { document in
            Results.Hit(document: document, snippet: document.id.flatMap { results.texts[$0] }.flatMap { LibraryText.snippet($0, words: matched) },
                        translations: (sets[document.setID ?? 0] ?? []).filter { $0.id != document.id })
        }
        return Results(hits: hits, total: results.total, page: page, pages: pages, facetCounts: results.facetCounts)
    }

    /// The documents the principal may see about a network (its page's library), or a country, the newest first.
    public func documents(about facet: DocumentFacet, _ value: String, by principal: Principal, limit: Int = 10) async throws -> (documents: [LibraryDocument], total: Int) {
        let results = try await store.searchDocuments(.init(facets: [(facet, value)]), readers: DocumentReaders(principal), limit: limit, offset: 0)
        return (results.documents, results.total)
    }

    /// A facet's value checked, as the documents keep it (`gh` is Ghana's `GH`).
    func check(_ facet: DocumentFacet, _ value: String) throws -> String {
        let field = facet.rawValue
        switch facet {
        case .kind: return try DocumentKind.parse(value, field: field).rawValue
        case .language: return try DocumentLanguage.parse(value, field: field).rawValue
        case .crimeArea: return try CrimeArea.parse(value, field: field).rawValue
        case .instrument: return try Instrument.parse(value, field: field).rawValue
        case .country:
            guard let party = catalogue.snapshot.party(id: value) else {
                throw InputError.invalidValue(field: field, value: TextRules.preview(value), rule: "must be the code of a party of the catalogue")
            }
            return party.id
        case .network:
            guard let network = catalogue.snapshot.network(slug: value) else {
                throw InputError.invalidValue(field: field, value: TextRules.preview(value), rule: "must be the slug of a network of the catalogue")
            }
            return network.slug
        }
    }

    /// The words of the titles `readers` may see, by length: read from the database once per kind of reader and
    /// state of the library (its generation, asked each time, so an instance sees another's writes).
    func titleVocabulary(_ readers: DocumentReaders) async throws -> TitleVocabulary {
        let key = "\(readers.all) \(readers.practitioners) \(readers.networks.joined(separator: ","))"
        let generation = try await store.libraryGeneration()
        if let known = titles.vocabulary(key, generation: generation) { return known }
        let words = Set(try await store.documentTitles(readers: readers).flatMap(TextKey.words))
        let vocabulary = TitleVocabulary(words: words, byLength: Dictionary(grouping: words, by: \.unicodeScalars.count))
        titles.keep(vocabulary, key, generation: generation)
        return vocabulary
    }

    /// Whether two words are one insertion, deletion, substitution or transposition of neighbours apart.
    static func oneEdit(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        guard abs(x.count - y.count) <= 1 else { return false }
        if x.count == y.count {
            let differences = x.indices.filter { x[$0] != y[$0] }
            if differences.count == 1 { return true }
            return differences.count == 2 && differences[1] == differences[0] + 1 && x[differences[0]] == y[differences[1]] && x[differences[1]] == y[differences[0]]
        }
        let (long, short) = x.count > y.count ? (x, y) : (y, x)
        var i = 0
        while i < short.count, long[i] == short[i] { i += 1 }
        return Array(long[(i + 1)...]) == Array(short[i...])
    }
}

/// The words of the titles a kind of reader may see, and by length (for the words one typing mistake away).
struct TitleVocabulary: Sendable {
    let words: Set<String>
    let byLength: [Int: [String]]
}

/// The title vocabularies made, each for a kind of reader and a state of the library; at most `limit` (then all are
/// dropped and made again as asked).
final class TitleVocabularies: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String: (generation: String, vocabulary: TitleVocabulary)] = [:]
    let limit = 200

    func vocabulary(_ key: String, generation: String) -> TitleVocabulary? {
        lock.withLock { kept[key].flatMap { $0.generation == generation ? $0.vocabulary : nil } }
    }

    func keep(_ vocabulary: TitleVocabulary, _ key: String, generation: String) {
        lock.withLock {
            if kept.count >= limit { kept.removeAll() }
            kept[key] = (generation, vocabulary)
        }
    }
}
