import Foundation

/// What a role in the directory is: a person a network designates for a country, a magistrate or prosecutor
/// posted by one state to another state or to a body, a national correspondent, or an office.
public enum DirectoryKind: String, Vocabulary {
    case contactPoint = "contact-point"
    case liaisonMagistrate = "liaison-magistrate"
    case nationalCorrespondent = "national-correspondent"
    case centralAuthority = "central-authority"

    public static let vocabularyName = "kind"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.contactPoint, .en): "contact point"
        case (.contactPoint, .fr): "point de contact"
        case (.liaisonMagistrate, .en): "liaison magistrate or prosecutor"
        case (.liaisonMagistrate, .fr): "magistrat ou procureur de liaison"
        case (.nationalCorrespondent, .en): "national correspondent"
        case (.nationalCorrespondent, .fr): "correspondant national"
        case (.centralAuthority, .en): "central authority"
        case (.centralAuthority, .fr): "autorité centrale"
        }
    }
}

/// Who may see an entry: every practitioner with a second factor, or only the people of its networks
/// (their focal points and network editors) and the platform's editors.
public enum DirectoryVisibility: String, Vocabulary {
    case practitioners
    case networkMembers = "network-members"

    public static let vocabularyName = "visibility"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.practitioners, .en): "practitioners with a second factor"
        case (.practitioners, .fr): "praticiens avec un second facteur"
        case (.networkMembers, .en): "the people of its networks"
        case (.networkMembers, .fr): "les personnes de ses réseaux"
        }
    }
}

/// One role of a person or an office, dated: a contact point of a network for a country, a posting as liaison
/// magistrate from a sending state to a host (a state or a body such as Eurojust) covering some countries, …
public struct DirectoryRole: Sendable, Equatable, Codable {
    public var kind: DirectoryKind
    /// The network of the catalogue the role is in (nil: a role outside any network, such as a posting).
    public var network: String?
    /// The role's title as the network or the authority names it ("contact point", "national correspondent").
    public var title: String
    public var since: PartialDate?
    public var until: PartialDate?
    /// For a liaison magistrate: the state that posts them, where they are posted (a state or a body), and the
    /// countries the posting covers besides the host.
    public var sendingCountry: String?
    public var host: String?
    public var covers: [String]

    public init(kind: DirectoryKind, network: String? = nil, title: String = "", since: PartialDate? = nil, until: PartialDate? = nil,
                sendingCountry: String? = nil, host: String? = nil, covers: [String] = []) {
        self.kind = kind
        self.network = network
        self.title = title
        self.since = since
        self.until = until
        self.sendingCountry = sendingCountry
        self.host = host
        self.covers = covers
    }
}

/// A person or an office of the restricted directory, with its dated roles. Everything here but `id` and the
/// roles' networks is personal data of practitioners: it appears on no public page, API answer, feed, export
/// or log.
public struct DirectoryEntry: Sendable, Equatable, Codable {
    public var id: Int64?
    /// The person's name, or the office's.
    public var name: String
    public var function: String
    public var authority: String
    /// The country the person or office works for (a party id of the directory: `ES`, `GB-SCT`).
    public var country: String
    public var emails: [String]
    /// Telephone numbers in E.164 (`+34912345678`).
    public var phones: [String]
    /// Languages spoken, ISO 639-1 codes.
    public var languages: [String]
    /// Reachable at any hour, and the number for urgent requests.
    public var available247: Bool
    public var urgentPhone: String?
    public var roles: [DirectoryRole]
    public var source: String
    public var lastConfirmed: Date?
    /// The lawful basis of holding the data (consent, a public task, …) and the date consent was given.
    public var consentBasis: String
    public var consentDate: PartialDate?
    public var visibility: DirectoryVisibility

    public init(id: Int64? = nil, name: String, function: String = "", authority: String = "", country: String, emails: [String] = [],
                phones: [String] = [], languages: [String] = [], available247: Bool = false, urgentPhone: String? = nil,
                roles: [DirectoryRole], source: String = "", lastConfirmed: Date? = nil, consentBasis: String = "",
                consentDate: PartialDate? = nil, visibility: DirectoryVisibility = .practitioners) {
        self.id = id
        self.name = name
        self.function = function
        self.authority = authority
        self.country = country
        self.emails = emails
        self.phones = phones
        self.languages = languages
        self.available247 = available247
        self.urgentPhone = urgentPhone
        self.roles = roles
        self.source = source
        self.lastConfirmed = lastConfirmed
        self.consentBasis = consentBasis
        self.consentDate = consentDate
        self.visibility = visibility
    }

    /// An office (a central authority) rather than a person.
    public var isOffice: Bool { !roles.isEmpty && roles.allSatisfy { $0.kind == .centralAuthority } }

    /// The networks of the catalogue the entry has a role in, in order, once each.
    public var networks: [String] {
        var seen = Set<String>()
        return roles.compactMap(\.network).filter { seen.insert($0).inserted }
    }

    /// Whether the entry has lapsed: every role ended before `day`.
    public func lapsed(on day: PartialDate) -> Bool {
        !roles.isEmpty && roles.allSatisfy { role in role.until.map { $0 < day } ?? false }
    }

    /// Whether the entry was confirmed (or created) within `months` before `date`.
    public func confirmed(within months: Int, of date: Date) -> Bool {
        guard let lastConfirmed else { return false }
        return Calendar(identifier: .gregorian).date(byAdding: .month, value: -months, to: date).map { lastConfirmed >= $0 } ?? false
    }
}

extension DirectoryEntry {
    /// The fields that differ from `earlier`, each with its values before and after (as the edit form writes them).
    public func differences(from earlier: DirectoryEntry) -> [FieldChange] {
        func change(_ field: String, _ before: [String], _ after: [String]) -> FieldChange? {
            before == after ? nil : FieldChange(field: field, before: before, after: after)
        }
        return [
            change("name", [earlier.name], [name]), change("function", [earlier.function], [function]),
            change("authority", [earlier.authority], [authority]), change("country", [earlier.country], [country]),
            change("emails", earlier.emails, emails), change("phones", earlier.phones, phones), change("languages", earlier.languages, languages),
            change("available_24_7", [earlier.available247 ? "yes" : "no"], [available247 ? "yes" : "no"]),
            change("urgent_phone", earlier.urgentPhone.map { [$0] } ?? [], urgentPhone.map { [$0] } ?? []),
            change("roles", earlier.roles.map(DirectoryDraft.line), roles.map(DirectoryDraft.line)),
            change("source", [earlier.source], [source]), change("consent_basis", [earlier.consentBasis], [consentBasis]),
            change("consent_date", earlier.consentDate.map { [$0.description] } ?? [], consentDate.map { [$0.description] } ?? []),
            change("visibility", [earlier.visibility.rawValue], [visibility.rawValue]),
        ].compactMap { $0 }
    }
}

/// The rules of the directory's fields: telephone numbers, languages.
public enum DirectoryRules {
    /// A telephone number as E.164 wants it: `+`, the country code and number, 15 digits at most. Spaces, dashes,
    /// dots and brackets people write are left out; anything else is refused.
    public static func phone(_ text: String, field: String) throws -> String {
        let kept = text.unicodeScalars.filter { !" -.()\u{A0}".unicodeScalars.contains($0) }
        let digits = kept.dropFirst()
        guard kept.first == "+", (2...15).contains(digits.count), digits.allSatisfy({ ("0"..."9").contains($0) }), digits.first != "0" else {
            throw InputError.invalidValue(field: field, value: text, rule: "must be a telephone number in E.164: + and the country code, 15 digits at most")
        }
        return "+" + String(String.UnicodeScalarView(digits))
    }

    /// A language as ISO 639-1 names it (two letters, lower case).
    public static func language(_ text: String, field: String) throws -> String {
        let code = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard isoLanguages.contains(code) else {
            throw InputError.invalidValue(field: field, value: text, rule: "must be an ISO 639-1 language code (en, fr, es, …)")
        }
        return code
    }

    /// Every ISO 639-1 code.
    public static let isoLanguages: Set<String> = Set("""
        aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es \
        et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj \
        kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv \
        ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti \
        tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
        """.split(separator: " ").map(String.init))
}
