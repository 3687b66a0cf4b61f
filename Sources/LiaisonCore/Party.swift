import Foundation

/// Something that takes part in a network: a state, a subdivision, a territory,
/// an international organisation or another network.
public struct Party: Hashable, Sendable, Codable, Identifiable {
    /// ISO 3166-1 alpha-2 for states and territories (`BE`, `XK`), ISO 3166-2 for subdivisions
    /// (`DE-NW`), a lowercase slug for organisations and networks (`europol`, `arin-ap`).
    public let id: String
    public let kind: PartyKind
    /// English and French names.
    public let nameEN: String
    public let nameFR: String
    /// For a party that is also a network of the catalogue: its slug.
    public let networkSlug: String?

    public init(id: String, kind: PartyKind, nameEN: String, nameFR: String, networkSlug: String? = nil) {
        self.id = id
        self.kind = kind
        self.nameEN = nameEN
        self.nameFR = nameFR
        self.networkSlug = networkSlug
    }

    /// The ISO code for states, territories and subdivisions; nil for organisations and networks.
    public var code: String? {
        switch kind {
        case .state, .territory, .subdivision: id
        case .organisation, .network: nil
        }
    }

    public func name(_ language: Language) -> String { language == .en ? nameEN : nameFR }

    /// Whether the party counts as a country in country-level figures (states, territories, subdivisions).
    public var isCountryLevel: Bool { code != nil }

    /// The state a country-level party belongs to (`DE` for `DE-NW`); nil for organisations and networks.
    public var countryCode: String? {
        guard let code else { return nil }
        return String(code.prefix(2))
    }
}
