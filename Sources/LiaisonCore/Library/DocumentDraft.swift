import Foundation

/// A document of the library as its form holds it: every field text; crime areas and instruments as their values,
/// countries (codes) and networks (slugs) separated by spaces or commas. `document` checks every field against the
/// catalogue and names each problem; nothing is made when any is found. (The file itself is read apart.)
public struct DocumentDraft: Sendable, Equatable {
    public var titleEN = ""
    public var titleFR = ""
    public var summaryEN = ""
    public var summaryFR = ""
    public var kind = DocumentKind.guide.rawValue
    public var language = DocumentLanguage.en.rawValue
    public var date = ""
    public var crimeAreas: [String] = []
    public var instruments: [String] = []
    public var countries: [String] = []
    public var networks: [String] = []
    public var source = ""
    public var licence = ""
    public var visibility = "public"
    public var visibleNetworks: [String] = []
    /// A link, for a document that is not a file (`https://…`).
    public var link = ""
    public var translation = TranslationRole.original.rawValue

    public static let titleLimit = 300
    public static let summaryLimit = 5_000
    public static let listLimit = 100

    public init() {}

    /// The form of a document as it is.
    public init(_ document: LibraryDocument) {
        titleEN = document.title.en
        titleFR = document.title.fr
        summaryEN = document.summary.en
        summaryFR = document.summary.fr
        kind = document.kind.rawValue
        language = document.language.rawValue
        date = document.date?.description ?? ""
        crimeAreas = document.crimeAreas.map(\.rawValue)
        instruments = document.instruments.map(\.rawValue)
        countries = document.countries
        networks = document.networks
        source = document.source
        licence = document.licence
        visibility = document.visibility.stored
        visibleNetworks = document.visibility.networkSlugs
        link = document.current?.link ?? ""
        translation = document.translation.rawValue
    }

    /// The document as described (a new one from `base`), checked against `catalogue`.
    public func document(from base: LibraryDocument, catalogue: Catalogue) throws -> LibraryDocument {
        var problems = ProblemList()
        func line(_ text: String, _ field: String, limit: Int) -> String {
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            problems.check { try TextRules.checkLine(text, field: field, limit: limit) }
            return text
        }
        func list(_ values: [String], _ field: String) -> [String] {
            let values = values.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if values.count > Self.listLimit {
                problems.errors.append(.invalidValue(field: field, value: "\(values.count) values", rule: "must be at most \(Self.listLimit)"))
                return []
            }
            var seen = Set<String>()
            return values.filter { seen.insert($0).inserted }
        }
        var document = base
        document.title = Bilingual(en: line(titleEN, "title_en", limit: Self.titleLimit), fr: line(titleFR, "title_fr", limit: Self.titleLimit))
        if document.title.isEmpty { problems.errors.append(.missingField(field: "title_en")) }
        let summaries = [(summaryEN, "summary_en"), (summaryFR, "summary_fr")].map { text, field in
            let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
            problems.check { try TextRules.checkText(text, field: field, limit: Self.summaryLimit) }
            return text
        }
        document.summary = Bilingual(en: summaries[0], fr: summaries[1])
        document.kind = problems.check { try DocumentKind.parse(kind, field: "kind") } ?? base.kind
        document.language = problems.check { try DocumentLanguage.parse(language, field: "language") } ?? base.language
        document.translation = problems.check { try TranslationRole.parse(translation, field: "translation") } ?? base.translation
        let dateText = line(date, "date", limit: 10)
        document.date = dateText.isEmpty ? nil : problems.check { try PartialDate(dateText, field: "date") }
        document.crimeAreas = list(crimeAreas, "crime_areas").compactMap { value in problems.check { try CrimeArea.parse(value, field: "crime_areas") } }
        document.instruments = list(instruments, "instruments").compactMap { value in problems.check { try Instrument.parse(value, field: "instruments") } }
        // Parties by their ids as the catalogue writes them: a country's code in capitals, an organisation's slug.
        var parties = Set<String>()
        document.countries = list(countries, "countries").compactMap { code in
            guard let party = catalogue.party(id: code) ?? catalogue.party(id: code.uppercased()) else {
                problems.errors.append(.invalidValue(field: "countries", value: TextRules.preview(code), rule: "must be the code of a party of the catalogue"))
                return nil
            }
            return parties.insert(party.id).inserted ? party.id : nil
        }
        func slugs(_ values: [String], _ field: String) -> [String] {
            list(values.map { $0.lowercased() }, field).filter { slug in
                guard catalogue.network(slug: slug) != nil else {
                    problems.errors.append(.invalidValue(field: field, value: TextRules.preview(slug), rule: "must be the slug of a network of the catalogue"))
                    return false
                }
                return true
            }
        }
        document.networks = slugs(networks, "networks")
        document.source = line(source, "source", limit: 300)
        document.licence = line(licence, "licence", limit: 200)
        switch visibility.trimmingCharacters(in: .whitespaces) {
        case "public": document.visibility = .everyone
        case "practitioners": document.visibility = .practitioners
        case "networks":
            let readers = slugs(visibleNetworks, "visible_networks")
            if readers.isEmpty && !problems.errors.contains(where: { "\($0)".contains("visible_networks") }) {
                problems.errors.append(.missingField(field: "visible_networks"))
            }
            document.visibility = .networks(readers)
        default:
            problems.errors.append(.invalidValue(field: "visibility", value: TextRules.preview(visibility), rule: "must be public, practitioners or networks"))
        }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        return document
    }

    /// The link of a document that is not a file: `https://` or `http://`, one line, checked.
    public func checkedLink() throws -> String? {
        let text = link.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        try TextRules.checkLine(text, field: "link", limit: 1000)
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), Markdown.isSafeURL(text) else {
            throw InputError.invalidValue(field: "link", value: TextRules.preview(text), rule: "must be an https:// or http:// address without spaces")
        }
        return text
    }
}
