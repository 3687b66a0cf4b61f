import Foundation

/// What a document of the library is.
public enum DocumentKind: String, Vocabulary {
    case goodPractice = "good-practice"
    case guide, legislation
    case modelForm = "model-form"
    case report
    case trainingMaterial = "training-material"
    case minutes

    public static let vocabularyName = "kind"

    public func label(_ language: Language) -> String {
        let labels: (String, String) = switch self {
        case .goodPractice: ("good practice", "bonne pratique")
        case .guide: ("guide", "guide")
        case .legislation: ("legislation", "législation")
        case .modelForm: ("model form", "formulaire type")
        case .report: ("report", "rapport")
        case .trainingMaterial: ("training material", "support de formation")
        case .minutes: ("minutes", "compte rendu")
        }
        return language == .en ? labels.0 : labels.1
    }
}

/// The language a document is written in (the networks work in many more than the site's two).
public enum DocumentLanguage: String, Vocabulary {
    case en, fr, es, pt, de, it, nl, ru, ar, zh, other

    public static let vocabularyName = "language"

    public func label(_ language: Language) -> String {
        let labels: (String, String) = switch self {
        case .en: ("English", "anglais")
        case .fr: ("French", "français")
        case .es: ("Spanish", "espagnol")
        case .pt: ("Portuguese", "portugais")
        case .de: ("German", "allemand")
        case .it: ("Italian", "italien")
        case .nl: ("Dutch", "néerlandais")
        case .ru: ("Russian", "russe")
        case .ar: ("Arabic", "arabe")
        case .zh: ("Chinese", "chinois")
        case .other: ("another language", "autre langue")
        }
        return language == .en ? labels.0 : labels.1
    }
}

/// Who may see a document — its record, its text in a search, its files.
public enum DocumentVisibility: Sendable, Hashable {
    /// Anyone, the public included.
    case everyone
    /// Signed-in practitioners and above.
    case practitioners
    /// The people of these networks (their focal points and practitioners), and the editors.
    case networks([String])

    /// As the database keeps it: `public`, `practitioners`, `networks`.
    public var stored: String {
        switch self {
        case .everyone: "public"
        case .practitioners: "practitioners"
        case .networks: "networks"
        }
    }

    public var networkSlugs: [String] {
        if case let .networks(slugs) = self { slugs } else { [] }
    }
}

/// A document's place in a set of translations of one text.
public enum TranslationRole: String, Vocabulary {
    case original
    case unofficialTranslation = "unofficial-translation"

    public static let vocabularyName = "translation"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.original, .en): "original"
        case (.original, .fr): "original"
        case (.unofficialTranslation, .en): "unofficial translation"
        case (.unofficialTranslation, .fr): "traduction non officielle"
        }
    }
}

/// A file as the library keeps it: the type read from its bytes, never from its name.
public enum DocumentFileType: String, Sendable, CaseIterable {
    case pdf, odt, docx, text

    public var mediaType: String {
        switch self {
        case .pdf: "application/pdf"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .text: "text/plain; charset=utf-8"
        }
    }

    public var fileExtension: String {
        switch self {
        case .pdf: "pdf"
        case .odt: "odt"
        case .docx: "docx"
        case .text: "txt"
        }
    }

    /// The name a file of this type is kept and downloaded under: the uploaded name with this type's extension in
    /// place of its own (a text named `guide.js` or an HTML page holding `%PDF-` must not open as what its name says).
    public func fileName(for uploaded: String) -> String {
        var base = Substring(uploaded)
        if let dot = base.lastIndex(of: "."), dot > base.startIndex { base = base[..<dot] }
        base = base.drop { $0 == "." }
        return (base.isEmpty ? "document" : String(base)) + "." + fileExtension
    }
}

/// One version of a document: a file (with the text extracted from it for search) or a link.
public struct DocumentVersion: Sendable, Equatable {
    public var number: Int
    /// The file's name as uploaded (shown and offered when it is downloaded), its type and size; nil for a link.
    public var fileName: String?
    public var fileType: DocumentFileType?
    public var size: Int
    /// SHA-256 of the file, in hex.
    public var sha256: String?
    public var link: String?
    /// Why the text is not searchable (a PDF that could not be read within its limits), if it is not.
    public var textNote: String?
    public var createdAt: Date
    public var createdBy: String

    public init(number: Int, fileName: String? = nil, fileType: DocumentFileType? = nil, size: Int = 0, sha256: String? = nil, link: String? = nil,
                textNote: String? = nil, createdAt: Date, createdBy: String) {
        self.number = number
        self.fileName = fileName
        self.fileType = fileType
        self.size = size
        self.sha256 = sha256
        self.link = link
        self.textNote = textNote
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// A document of the library: what it is and is about (its facets), who may see it, and its versions (the latest is
/// the document; the earlier ones are kept).
public struct LibraryDocument: Sendable, Equatable {
    public var id: Int64?
    /// The documents that are translations of one text share a set (the first document's id).
    public var setID: Int64?
    public var translation: TranslationRole
    public var title: Bilingual
    public var summary: Bilingual
    public var kind: DocumentKind
    public var language: DocumentLanguage
    public var date: PartialDate?
    public var crimeAreas: [CrimeArea]
    public var instruments: [Instrument]
    /// The parties (countries, organisations) it is about, by id.
    public var countries: [String]
    /// The networks it concerns, by slug.
    public var networks: [String]
    public var source: String
    public var licence: String
    public var visibility: DocumentVisibility
    /// The latest version first.
    public var versions: [DocumentVersion]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: Int64? = nil, setID: Int64? = nil, translation: TranslationRole = .original, title: Bilingual, summary: Bilingual = Bilingual(),
                kind: DocumentKind, language: DocumentLanguage, date: PartialDate? = nil, crimeAreas: [CrimeArea] = [], instruments: [Instrument] = [],
                countries: [String] = [], networks: [String] = [], source: String = "", licence: String = "", visibility: DocumentVisibility,
                versions: [DocumentVersion] = [], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.setID = setID
        self.translation = translation
        self.title = title
        self.summary = summary
        self.kind = kind
        self.language = language
        self.date = date
        self.crimeAreas = crimeAreas
        self.instruments = instruments
        self.countries = countries
        self.networks = networks
        self.source = source
        self.licence = licence
        self.visibility = visibility
        self.versions = versions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var current: DocumentVersion? { versions.first }

    /// Whether the principal may see it: anyone a public document; practitioners and above a practitioners' one;
    /// the people of its networks (and the editors) a network's.
    public func isVisible(to principal: Principal) -> Bool {
        Policy.allows(principal, .readDocument(visibility))
    }

    /// The facets it is found by, as (facet, value) pairs: kind, language, crime areas, instruments, countries,
    /// networks.
    public var facets: [(facet: DocumentFacet, value: String)] {
        [(.kind, kind.rawValue), (.language, language.rawValue)] + crimeAreas.map { (.crimeArea, $0.rawValue) }
            + instruments.map { (.instrument, $0.rawValue) } + countries.map { (.country, $0) } + networks.map { (.network, $0) }
    }
}

/// Which documents a principal may see, as a query narrows them: all (editors), those for practitioners, and
/// those of some networks — the same rule as `Policy`'s `readDocument`.
public struct DocumentReaders: Sendable, Equatable {
    public let all: Bool
    public let practitioners: Bool
    public let networks: [String]

    public init(_ principal: Principal) {
        all = principal.isSignedIn && principal.role >= .editor
        practitioners = Policy.allows(principal, .readDocument(.practitioners))
        networks = principal.isSignedIn && principal.role >= .practitioner ? principal.networks.sorted() : []
    }
}

/// What a library search narrows by.
public enum DocumentFacet: String, Sendable, CaseIterable {
    case kind
    case crimeArea = "crime_area"
    case instrument
    case country
    case network
    case language
}
