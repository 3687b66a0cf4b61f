import Foundation

/// A controlled vocabulary: a closed set of values, each with an English and a French label.
///
/// The raw value is what the data file, the database and the API use; labels are for people.
public protocol Vocabulary: RawRepresentable, CaseIterable, Codable, Hashable, Sendable, Comparable
where RawValue == String {
    /// The vocabulary's name as used in error messages and the API (`role`, `crime_area`, …).
    static var vocabularyName: String { get }
    /// The value's label in English (`en`) or French (`fr`).
    func label(_ language: Language) -> String
}

extension Vocabulary {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        let all = Array(allCases)
        return (all.firstIndex(of: lhs) ?? 0) < (all.firstIndex(of: rhs) ?? 0)
    }

    /// Parses a raw value, or throws an error naming the field, the value and the allowed values.
    public static func parse(_ raw: String, field: String) throws -> Self {
        guard let value = Self(rawValue: raw) else {
            throw InputError.invalidValue(
                field: field, value: raw,
                rule: "must be one of: " + allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }
}

/// The languages of the platform: the Council of Europe's two official languages.
public enum Language: String, Vocabulary {
    case en, fr

    public static let vocabularyName = "language"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.en, .en): "English"
        case (.en, .fr): "anglais"
        case (.fr, .en): "French"
        case (.fr, .fr): "français"
        }
    }
}

/// What a party is in a network, as the report prints it.
public enum Role: String, Vocabulary {
    case member, observer, associate, partner
    case operationalPartner = "operational-partner"
    case contactPoint = "contact-point"
    case cooperationAgreement = "cooperation-agreement"
    case liaisonProsecutor = "liaison-prosecutor"
    case subNetwork = "sub-network"

    public static let vocabularyName = "role"

    /// Full members take part with every right; the other roles are looser ties.
    public var isFullMembership: Bool { self == .member }

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.member, .en): "member"
        case (.member, .fr): "membre"
        case (.observer, .en): "observer"
        case (.observer, .fr): "observateur"
        case (.associate, .en): "associate"
        case (.associate, .fr): "membre associé"
        case (.partner, .en): "partner"
        case (.partner, .fr): "partenaire"
        case (.operationalPartner, .en): "operational partner"
        case (.operationalPartner, .fr): "partenaire opérationnel"
        case (.contactPoint, .en): "contact point"
        case (.contactPoint, .fr): "point de contact"
        case (.cooperationAgreement, .en): "cooperation agreement"
        case (.cooperationAgreement, .fr): "accord de coopération"
        case (.liaisonProsecutor, .en): "liaison prosecutor"
        case (.liaisonProsecutor, .fr): "procureur de liaison"
        case (.subNetwork, .en): "sub-network"
        case (.subNetwork, .fr): "sous-réseau"
        }
    }
}

/// The table of the report a network is listed in.
public enum Section: String, Vocabulary {
    case european
    case nonEuropean = "non-european"

    public static let vocabularyName = "section"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.european, .en): "European networks"
        case (.european, .fr): "Réseaux européens"
        case (.nonEuropean, .en): "Non-European networks"
        case (.nonEuropean, .fr): "Réseaux non européens"
        }
    }
}

/// Whether a network still works.
public enum NetworkStatusValue: String, Vocabulary {
    case active, dormant, defunct
    case projectEnded = "project-ended"
    case unknown

    public static let vocabularyName = "status"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.active, .en): "active"
        case (.active, .fr): "actif"
        case (.dormant, .en): "dormant"
        case (.dormant, .fr): "en sommeil"
        case (.defunct, .en): "defunct"
        case (.defunct, .fr): "disparu"
        case (.projectEnded, .en): "project ended"
        case (.projectEnded, .fr): "projet terminé"
        case (.unknown, .en): "unknown"
        case (.unknown, .fr): "inconnu"
        }
    }
}

/// What practitioners use a network for: a channel for cases, a forum on policy, or training.
public enum NetworkFunction: String, Vocabulary {
    /// Practitioners use it for cases: requests, contact points, coordination of investigations.
    case operational
    /// A forum on policy, standards, law and practice, without case work.
    case policy
    /// Training and exchanges of judicial staff.
    case training

    public static let vocabularyName = "function"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.operational, .en): "operational channel (for cases)"
        case (.operational, .fr): "canal opérationnel (pour les affaires)"
        case (.policy, .en): "policy forum (no case work)"
        case (.policy, .fr): "forum d’orientation (sans traitement d’affaires)"
        case (.training, .en): "training"
        case (.training, .fr): "formation"
        }
    }
}

/// How two networks are related.
public enum RelationType: String, Vocabulary {
    case hosts, partner, mou
    case successorOf = "successor-of"
    case sameAs = "same-as"

    public static let vocabularyName = "relation"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.hosts, .en): "hosts"
        case (.hosts, .fr): "héberge"
        case (.partner, .en): "partner of"
        case (.partner, .fr): "partenaire de"
        case (.mou, .en): "memorandum of understanding with"
        case (.mou, .fr): "protocole d’accord avec"
        case (.successorOf, .en): "successor of"
        case (.successorOf, .fr): "successeur de"
        case (.sameAs, .en): "same as"
        case (.sameAs, .fr): "identique à"
        }
    }
}

/// What kind of thing a party is.
public enum PartyKind: String, Vocabulary {
    case state, subdivision, territory, organisation, network

    public static let vocabularyName = "kind"

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.state, .en): "state"
        case (.state, .fr): "État"
        case (.subdivision, .en): "subdivision"
        case (.subdivision, .fr): "subdivision"
        case (.territory, .en): "territory"
        case (.territory, .fr): "territoire"
        case (.organisation, .en): "international organisation"
        case (.organisation, .fr): "organisation internationale"
        case (.network, .en): "network"
        case (.network, .fr): "réseau"
        }
    }
}
