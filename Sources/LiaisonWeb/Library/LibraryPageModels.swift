import Foundation
import LiaisonCore
import LiaisonServices

/// A document in a list: its title, what it is, and who may see it when that is not everyone.
struct DocumentItem {
    let url: String
    let title: String
    let kind: String
    let language: String
    let date: String
    let hasDate: Bool
    let audience: String
    let restricted: Bool

    init(_ document: LibraryDocument, catalogue: Catalogue, t: Localizer) {
        url = "/library/\(document.id ?? 0)"
        title = document.title.text(t.language)
        kind = document.kind.label(t.language)
        language = document.language.label(t.language)
        date = document.date?.description ?? ""
        hasDate = document.date != nil
        let audience = LibraryDocumentPage.audience(document.visibility, catalogue: catalogue, t: t)
        self.audience = audience ?? ""
        restricted = audience != nil
    }
}

/// The documents about a network or a country the reader may see, on its page: a few, and the link to the rest.
struct LibrarySection {
    var documents: [DocumentItem] = []
    var hasDocuments = false
    var moreURL = ""
    var more = ""
    /// One of them is not public, or the count of them all may hold some that are not (it goes past those listed):
    /// the page is not kept by shared caches.
    var restricted = false

    init() {}

    init(_ found: (documents: [LibraryDocument], total: Int), facet: DocumentFacet, value: String, catalogue: Catalogue, t: Localizer) {
        documents = found.documents.map { DocumentItem($0, catalogue: catalogue, t: t) }
        hasDocuments = !documents.isEmpty
        moreURL = "/library?\(facet.rawValue)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        more = t.count("library_all_about", found.total)
        restricted = found.total > found.documents.count || found.documents.contains { $0.visibility != .everyone }
    }
}

/// `/library`: the search form, its facets, a page of documents with a snippet of each.
struct LibrarySearchPage {
    struct Hit {
        let item: DocumentItem
        let summary: String
        let hasSummary: Bool
        let alsoIn: [Choice]
        let hasAlsoIn: Bool
        let before: String
        let match: String
        let after: String
        let hasSnippet: Bool
    }

    struct Option {
        let facet: String
        let value: String
        let label: String
        let url: String
        let count: Int
        let selected: Bool
    }

    struct FacetGroup {
        let heading: String
        let options: [Option]
    }

    let query: String
    let hits: [Hit]
    let hasHits: Bool
    let found: String
    let groups: [FacetGroup]
    let hasFacets: Bool
    let narrowed: [Option]
    let isNarrowed: Bool
    let paging: Paging
    let canAdd: Bool
    /// A document was just withdrawn.
    var withdrawn = false

    init(query: String, facets: [(facet: DocumentFacet, value: String)], results: LibraryService.Results, catalogue: Catalogue, canAdd: Bool,
         t: Localizer) {
        self.query = query
        hits = results.hits.map { hit in
            let pieces = hit.snippet ?? []
            let summary = hit.document.summary.text(t.language)
            let alsoIn = hit.translations.map { Choice(value: "/library/\($0.id ?? 0)", label: $0.language.label(t.language), selected: false) }
            return Hit(item: DocumentItem(hit.document, catalogue: catalogue, t: t), summary: String(summary.prefix(300)), hasSummary: !summary.isEmpty,
                       alsoIn: alsoIn, hasAlsoIn: !alsoIn.isEmpty,
                       before: pieces.first?.text ?? "", match: pieces.count > 1 ? pieces[1].text : "", after: pieces.count > 2 ? pieces[2].text : "",
                       hasSnippet: !pieces.isEmpty)
        }
        hasHits = !hits.isEmpty
        found = t.count("library_found", results.total)
        // A link keeps the query and the other facets, and sets (or, for one chosen, removes) its own.
        func url(_ chosen: [(facet: DocumentFacet, value: String)], page: Int = 1) -> String {
            var items = query.isEmpty ? [] : ["q=" + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")]
            items += chosen.map { "\($0.facet.rawValue)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            if page > 1 { items.append("page=\(page)") }
            return "/library" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
        }
        let label = { (facet: DocumentFacet, value: String) -> String in
            switch facet {
            case .kind: DocumentKind(rawValue: value)?.label(t.language) ?? value
            case .language: DocumentLanguage(rawValue: value)?.label(t.language) ?? value
            case .crimeArea: CrimeArea(rawValue: value)?.label(t.language) ?? value
            case .instrument: Instrument(rawValue: value)?.label(t.language) ?? value
            case .country: catalogue.party(id: value)?.name(t.language) ?? value
            case .network: catalogue.network(slug: value)?.localizedDisplayName(t.language) ?? value
            }
        }
        groups = DocumentFacet.allCases.compactMap { facet in
            let options = results.facetCounts.filter { $0.facet == facet }.prefix(30).map { count in
                let selected = facets.contains { $0.facet == facet && $0.value == count.value }
                let others = facets.filter { $0.facet != facet }
                return Option(facet: facet.rawValue, value: count.value, label: label(facet, count.value),
                              url: url(selected ? others : others + [(facet, count.value)]), count: count.count, selected: selected)
            }
            return options.isEmpty ? nil : FacetGroup(heading: t["library_facet_\(facet.rawValue)"], options: Array(options))
        }
        hasFacets = !groups.isEmpty
        narrowed = facets.map { chosen in
            Option(facet: chosen.facet.rawValue, value: chosen.value, label: label(chosen.facet, chosen.value),
                   url: url(facets.filter { !($0.facet == chosen.facet && $0.value == chosen.value) }), count: 0, selected: true)
        }
        isNarrowed = !narrowed.isEmpty
        paging = Paging(page: results.page, pages: results.pages, label: t["library_paging"], t: t) { url(facets, page: $0) }
        self.canAdd = canAdd
    }
}

/// `/library/{id}`: a document, its versions and files, its translations.
struct LibraryDocumentPage {
    struct Version {
        let number: Int
        let date: String
        let fileName: String
        let size: String
        let fileType: String
        let download: String
        let hasFile: Bool
        let link: String
        let hasLink: Bool
        let note: String
        let hasNote: Bool
    }

    struct Translation {
        let url: String
        let title: String
        let language: String
        let role: String
    }

    struct Named {
        let name: String
        let url: String
    }

    let id: Int64
    let title: String
    let otherTitle: String?
    let summary: String?
    let kind: String
    let language: String
    let role: String
    let date: String?
    let crimeAreas: [String]
    let instruments: [String]
    let countries: [Named]
    let networks: [Named]
    let hasCrimeAreas: Bool
    let hasInstruments: Bool
    let hasCountries: Bool
    let hasNetworks: Bool
    let source: String?
    let licence: String?
    let audience: String
    let current: Version?
    let earlier: [Version]
    let hasEarlier: Bool
    let translations: [Translation]
    let hasTranslations: Bool
    let canAddVersion: Bool
    let canTranslate: Bool
    let saved: Bool
    let versionAdded: Bool
    let problem: String?

    init(_ document: LibraryDocument, translations: [LibraryDocument], catalogue: Catalogue, canAddVersion: Bool, canTranslate: Bool, saved: Bool,
         versionAdded: Bool, problem: String?, t: Localizer) {
        let id = document.id ?? 0
        self.id = id
        title = document.title.text(t.language)
        let other = t.language == .en ? document.title.fr : document.title.en
        otherTitle = other.isEmpty || other == title ? nil : other
        let summary = document.summary.text(t.language)
        self.summary = summary.isEmpty ? nil : summary
        kind = document.kind.label(t.language)
        language = document.language.label(t.language)
        role = document.translation.label(t.language)
        date = document.date?.description
        crimeAreas = document.crimeAreas.map { $0.label(t.language) }
        instruments = document.instruments.map { $0.label(t.language) }
        countries = document.countries.map { code in
            Named(name: catalogue.party(id: code)?.name(t.language) ?? code, url: "/countries/\(code)")
        }
        networks = document.networks.map { slug in
            Named(name: catalogue.network(slug: slug)?.localizedDisplayName(t.language) ?? slug, url: "/networks/\(slug)")
        }
        hasCrimeAreas = !crimeAreas.isEmpty
        hasInstruments = !instruments.isEmpty
        hasCountries = !countries.isEmpty
        hasNetworks = !networks.isEmpty
        source = document.source.isEmpty ? nil : document.source
        licence = document.licence.isEmpty ? nil : document.licence
        audience = Self.audience(document.visibility, catalogue: catalogue, t: t) ?? t["library_audience_public"]
        let versions = document.versions.enumerated().map { index, version in
            Version(number: version.number, date: t.date(version.createdAt), fileName: version.fileName ?? "", size: Self.size(version.size, t: t),
                    fileType: version.fileType?.rawValue.uppercased() ?? "",
                    download: index == 0 ? "/library/\(id)/file" : "/library/\(id)/versions/\(version.number)/file", hasFile: version.fileName != nil,
                    link: version.link ?? "", hasLink: version.link != nil, note: version.textNote ?? "", hasNote: version.textNote != nil)
        }
        current = versions.first
        earlier = Array(versions.dropFirst())
        hasEarlier = !earlier.isEmpty
        self.translations = translations.map { other in
            Translation(url: "/library/\(other.id ?? 0)", title: other.title.text(t.language), language: other.language.label(t.language),
                        role: other.translation.label(t.language))
        }
        hasTranslations = !self.translations.isEmpty
        self.canAddVersion = canAddVersion
        self.canTranslate = canTranslate
        self.saved = saved
        self.versionAdded = versionAdded
        self.problem = problem
    }

    /// Who may see a document, said when it is not everyone.
    static func audience(_ visibility: DocumentVisibility, catalogue: Catalogue, t: Localizer) -> String? {
        switch visibility {
        case .everyone: nil
        case .practitioners: t["library_audience_practitioners"]
        case let .networks(slugs):
            t.format("library_audience_networks", ["networks": slugs.map { catalogue.network(slug: $0)?.acronym ?? $0 }.joined(separator: ", ")])
        }
    }

    static func size(_ bytes: Int, t: Localizer) -> String {
        bytes >= 1024 * 1024
            ? t.format("library_size_mb", ["size": String(format: "%.1f", Double(bytes) / 1_048_576)])
            : t.format("library_size_kb", ["size": max(1, (bytes + 1023) / 1024)])
    }
}

/// `/library/new`: a document's description, its file or link, who may see it.
struct LibraryEditPage {
    struct Check {
        let value: String
        let label: String
        let checked: Bool
    }

    let draft: DocumentDraft
    let translationOf: String
    let isTranslation: Bool
    let kinds: [Choice]
    let languages: [Choice]
    let roles: [Choice]
    let crimeAreas: [Check]
    let instruments: [Check]
    let networks: [Check]
    let readers: [Check]
    let countries: String
    let publicChecked: Bool
    let practitionersChecked: Bool
    let networksChecked: Bool
    let problems: [String]
    let hasProblems: Bool
    /// A new document (with its file or link), or an existing one's description (`action` its edit address).
    let isNew: Bool
    let action: String

    init(draft: DocumentDraft, translationOf: Int64?, editing: Int64? = nil, catalogue: Catalogue, principal: Principal, failure: NetworkEditFailure?,
         t: Localizer) {
        self.draft = draft
        self.translationOf = translationOf.map(String.init) ?? ""
        isTranslation = translationOf != nil
        isNew = editing == nil
        action = editing.map { "/library/\($0)/edit" } ?? "/library/new"
        kinds = DocumentKind.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == draft.kind) }
        languages = DocumentLanguage.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == draft.language) }
        roles = TranslationRole.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0.rawValue == draft.translation) }
        // Sets: a form sent back may hold many values, each looked up once.
        let (areas, used, about, visible) = (Set(draft.crimeAreas), Set(draft.instruments), Set(draft.networks), Set(draft.visibleNetworks))
        crimeAreas = CrimeArea.allCases.map { Check(value: $0.rawValue, label: $0.label(t.language), checked: areas.contains($0.rawValue)) }
        instruments = Instrument.allCases.map { Check(value: $0.rawValue, label: $0.label(t.language), checked: used.contains($0.rawValue)) }
        let active = catalogue.inNameOrder(catalogue.networks.filter { $0.status.value == .active }, language: t.language) { $0.slug }
        networks = active.map { Check(value: $0.slug, label: $0.localizedDisplayName(t.language), checked: about.contains($0.slug)) }
        // A focal point shares with their own networks' people only; editors with any network's.
        let own = principal.role >= .editor ? active : active.filter { principal.networks.contains($0.slug) }
        readers = own.map { Check(value: $0.slug, label: $0.localizedDisplayName(t.language), checked: visible.contains($0.slug)) }
        countries = draft.countries.joined(separator: " ")
        publicChecked = draft.visibility == "public"
        practitionersChecked = draft.visibility == "practitioners"
        networksChecked = draft.visibility == "networks"
        problems = failure?.errors.map(\.description) ?? []
        hasProblems = !problems.isEmpty
    }
}
