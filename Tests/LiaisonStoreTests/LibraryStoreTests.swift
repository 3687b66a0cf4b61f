import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// The library on SQLite and PostgreSQL: files kept whole, versions, facets, who sees what, search ranked by field
/// with prefixes and variants, a translation joining its set.
@Suite struct LibraryStoreTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func document(_ title: String, visibility: DocumentVisibility, language: DocumentLanguage = .en, networks: [String] = ["carin"]) -> LibraryDocument {
        LibraryDocument(title: Bilingual(en: title), summary: Bilingual(en: "A summary."), kind: .guide, language: language,
                        crimeAreas: [.assetRecovery], countries: ["GH"], networks: networks, visibility: visibility, createdAt: start, updatedAt: start)
    }

    static func file(_ text: String, bytes: String = "%PDF-1.4 fake") -> CatalogueStore.NewVersion {
        .init(fileName: "guide.pdf", fileType: .pdf, content: Data(bytes.utf8), link: nil, text: text, textNote: nil, sha256: "abc")
    }

    @Test(arguments: Backend.available)
    func documentsAreKeptFoundAndShownOnlyToTheirReaders(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let guide = try await store.addDocument(Self.document("Asset tracing guide", visibility: .networks(["carin"])),
                                                    version: Self.file("Page one.\nPage two.\nOn the third page: beneficial ownership registers."),
                                                    translationOf: nil, actor: "carin-fp", at: Self.start)
            let guideID = try #require(guide.id)
            let open = try await store.addDocument(Self.document("Model form for freezing orders", visibility: .everyone, networks: ["ejn"]),
                                                   version: Self.file("Freezing of assets and ownership."), translationOf: nil, actor: "editor", at: Self.start)
            let french = try await store.addDocument(Self.document("Guide du dépistage des avoirs", visibility: .everyone, language: .fr),
                                                     version: Self.file("Registres des bénéficiaires effectifs."), translationOf: guideID,
                                                     actor: "carin-fp", at: Self.start)
            #expect(french.setID == guideID && guide.setID == guideID)
            #expect(try await store.documents(setID: guideID).map(\.language) == [.en, .fr])

            let visitor = DocumentReaders(Principal.visitor)
            let carin = DocumentReaders(Principal(accountID: 2, role: .practitioner, networks: ["carin"]))
            let ejn = DocumentReaders(Principal(accountID: 3, role: .practitioner, networks: ["ejn"]))
            func titles(_ words: [[String]], _ readers: DocumentReaders, facets: [(facet: DocumentFacet, value: String)] = []) async throws -> [String] {
                try await store.searchDocuments(.init(words: words, facets: facets), readers: readers, limit: 20, offset: 0).documents.map(\.title.en)
            }
            // A word of the third page, as a prefix; only CARIN's people see CARIN's guide.
            #expect(try await titles([["beneficial"]], carin) == ["Asset tracing guide"])
            #expect(try await titles([["beneficial"]], ejn).isEmpty)
            #expect(try await titles([["benef"]], ejn) == ["Guide du dépistage des avoirs"], "a prefix, accents folded")
            #expect(try await titles([["beneficial"]], visitor).isEmpty)
            // Accents folded: "beneficiaires" finds the French translation for anyone.
            #expect(try await titles([["beneficiaires"]], visitor) == ["Guide du dépistage des avoirs"])
            // The title outranks the text; every word must match; a variant counts as the word.
            #expect(Set(try await titles([["ownership"]], carin)) == ["Asset tracing guide", "Model form for freezing orders"])
            #expect(try await titles([["freezing"]], carin).first == "Model form for freezing orders")
            #expect(try await titles([["asset"], ["tracing"]], carin) == ["Asset tracing guide"])
            #expect(try await titles([["tracnig", "tracing"]], carin) == ["Asset tracing guide"])
            // Without words: the newest first, narrowed by facet, with counts among those seen.
            let all = try await store.searchDocuments(.init(facets: [(.network, "ejn")]), readers: visitor, limit: 20, offset: 0)
            #expect(all.documents.map(\.title.en) == ["Model form for freezing orders"] && all.total == 1)
            let counts = try await store.searchDocuments(.init(), readers: visitor, limit: 1, offset: 0)
            #expect(counts.total == 2 && counts.documents.count == 1)
            #expect(counts.facetCounts.contains { $0.facet == .language && $0.value == "fr" && $0.count == 1 })
            #expect(!counts.facetCounts.contains { $0.facet == .network && $0.value == "carin" && $0.count > 1 }, "CARIN's guide not counted")
            // Snippet text comes only with the documents found.
            let found = try await store.searchDocuments(.init(words: [["third"]]), readers: carin, limit: 20, offset: 0)
            #expect(found.texts[guideID]?.contains("third page") == true && found.texts.count == 1)

            // A new version: kept beside the first; its text replaces the first's in search.
            #expect(try await store.addVersion(documentID: guideID, Self.file("A wholly new text about nominee directors.", bytes: "%PDF-1.7 v2"),
                                               actor: "carin-fp", at: Self.start.addingTimeInterval(60)) == 2)
            #expect(try await titles([["beneficial"]], carin).isEmpty)
            #expect(try await titles([["nominee"]], carin) == ["Asset tracing guide"])
            let stored = try #require(try await store.document(id: guideID))
            #expect(stored.versions.map(\.number) == [2, 1] && stored.visibility == .networks(["carin"]) && stored.crimeAreas == [.assetRecovery])
            #expect(try await store.documentFile(documentID: guideID, number: 1)?.content == Data("%PDF-1.4 fake".utf8))
            #expect(try await store.documentFile(documentID: guideID, number: 2)?.content == Data("%PDF-1.7 v2".utf8))
            #expect(try await store.documentFile(documentID: guideID, number: 3) == nil)
            #expect(try await store.addVersion(documentID: 9_999, Self.file("x"), actor: "x", at: Self.start) == nil)
            _ = open
            #expect(try await store.documentTitles(readers: carin).contains("Asset tracing guide"))
            #expect(try await !store.documentTitles(readers: visitor).contains("Asset tracing guide"), "a title one may not see is not a variant")
        }
    }

    /// A document's description and readers change (its text still searched), and a withdrawn one leaves nothing.
    @Test(arguments: Backend.available)
    func aDocumentIsChangedAndWithdrawn(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            var document = try await store.addDocument(Self.document("Open guide", visibility: .everyone),
                                                       version: Self.file("Beneficial ownership."), translationOf: nil, actor: "editor", at: Self.start)
            let visitor = DocumentReaders(Principal.visitor)
            let carin = DocumentReaders(Principal(accountID: 2, role: .practitioner, networks: ["carin"]))
            document.title = Bilingual(en: "Closed guide")
            document.visibility = .networks(["carin"])
            let changed = try #require(try await store.updateDocument(document, actor: "editor", at: Self.start))
            #expect(changed.title.en == "Closed guide" && changed.visibility == .networks(["carin"]) && changed.versions.count == 1)
            #expect(try await store.searchDocuments(.init(words: [["ownership"]]), readers: visitor, limit: 5, offset: 0).total == 0)
            #expect(try await store.searchDocuments(.init(words: [["closed"]]), readers: carin, limit: 5, offset: 0).documents.map(\.id) == [document.id])
            #expect(try await store.searchDocuments(.init(words: [["ownership"]]), readers: carin, limit: 5, offset: 0).total == 1)
            let id = try #require(document.id)
            #expect(try await store.withdrawDocument(id: id))
            #expect(try await store.document(id: id) == nil)
            #expect(try await store.documentFile(documentID: id, number: 1) == nil)
            #expect(try await store.searchDocuments(.init(words: [["ownership"]]), readers: carin, limit: 5, offset: 0).total == 0)
            #expect(try await !store.withdrawDocument(id: id))
        }
    }

    /// A text of 300,000 different words (a table-heavy PDF, a word list): PostgreSQL's tsvector takes no more than
    /// 1 MB with positions, so the text's words go to it once each within a limit; it is kept and found by its words.
    @Test(arguments: Backend.available)
    func aTextOfManyDifferentWordsIsIndexed(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let words = (0..<300_000).map { "w\(String($0, radix: 36))x" }
            let document = try await store.addDocument(Self.document("Word list", visibility: .everyone),
                                                       version: Self.file(words.joined(separator: " ")), translationOf: nil, actor: "editor", at: Self.start)
            let readers = DocumentReaders(Principal.visitor)
            for word in [words[0], words[30_000]] {
                #expect(try await store.searchDocuments(.init(words: [[word]]), readers: readers, limit: 5, offset: 0).documents.map(\.id) == [document.id])
            }
        }
    }
}
