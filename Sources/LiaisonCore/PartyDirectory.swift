import Foundation

/// Every party the catalogue knows, and how printed names resolve to them.
///
/// States and territories come from Foundation's `Locale` (ISO 3166-1 with English and French names);
/// subdivisions and international organisations are listed here; the networks of a catalogue are added
/// by `adding(networks:)`. Printed names resolve through the English and French names and the
/// report's historical and variant names (`aliases`).
public struct PartyDirectory: Sendable {
    public private(set) var parties: [String: Party]
    private var names: [String: String]

    /// The directory of states, territories, subdivisions and organisations, without networks.
    public static let standard = PartyDirectory(parties: StandardParties.all, aliases: StandardParties.aliases)

    public init(parties: [Party], aliases: [String: String]) {
        var byID: [String: Party] = [:]
        var names: [String: String] = [:]
        for party in parties {
            byID[party.id] = party
        }
        // Official names first, so that an alias never shadows a party's own name.
        for party in parties {
            for name in [party.nameEN, party.nameFR, party.id] where names[Self.key(name)] == nil {
                names[Self.key(name)] = party.id
            }
        }
        for (alias, id) in aliases where byID[id] != nil {
            names[Self.key(alias)] = id
        }
        self.parties = byID
        self.names = names
    }

    /// The party with this id (exact, then case-insensitive for ISO codes).
    public func party(id: String) -> Party? {
        parties[id] ?? parties[id.uppercased()]
    }

    /// The party a printed name stands for, or nil when it stands for none.
    public func resolve(_ printed: String) -> Party? {
        names[Self.key(printed)].flatMap { parties[$0] }
    }

    /// The party a person names in a form: by id (`HR`, `europol`), as a picker writes it (`Croatia (HR)`), or by
    /// its name in English or French.
    public func lookUp(_ text: String) -> Party? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let open = text.lastIndex(of: "("), text.hasSuffix(")") {
            let id = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingCharacters(in: .whitespaces)
            if let party = party(id: id) { return party }
        }
        return party(id: text) ?? resolve(text)
    }

    /// A network as a party: the directory's party of the same id keeps its kind and names (an organisation that is
    /// also a network), otherwise a network party named by its display names.
    public func party(for network: Network) -> Party {
        let existing = parties[network.slug]
        let displayName = network.displayName
        return Party(
            id: network.slug, kind: existing?.kind ?? .network,
            // (Without a French name, the one text serves both: not two copies of it for each of 100,000 networks.)
            nameEN: existing?.nameEN ?? displayName,
            nameFR: existing?.nameFR ?? (network.nameFR == nil ? displayName : network.localizedDisplayName(.fr)),
            networkSlug: network.slug)
    }

    /// This directory with each network also present as a party under its slug.
    /// A network already known as an organisation (Eurojust) keeps that kind and gains the link.
    public func adding(networks: [Network]) -> PartyDirectory {
        var copy = self
        for network in networks {
            copy.parties[network.slug] = copy.party(for: network)
            let names = [network.name, network.displayName] + [network.acronym].compactMap { $0 } + network.otherNames
            for name in names {
                let key = Self.key(name)
                if copy.names[key] == nil { copy.names[key] = network.slug }
            }
        }
        return copy
    }

    /// The lookup key of a name: case and diacritics folded, `&` read as "and", punctuation and
    /// the word "the" dropped ("the Former Yugoslav Republic of Macedonia" ≡ "former yugoslav republic of macedonia").
    public static func key(_ name: String) -> String {
        // ASCII names (most of them) are folded byte by byte; others go through Foundation's folding.
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else { return slowKey(name) }
        return TextKey.words(name).joined(separator: " ")
    }

    static func slowKey(_ name: String) -> String {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "en"))
            .replacingOccurrences(of: "&", with: " and ")
        var cleaned = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars {
            cleaned.append(CharacterSet.alphanumerics.contains(scalar) ? scalar : " ")
        }
        let words: [Substring] = String(cleaned).split(separator: " ").filter { $0 != "the" }
        return words.joined(separator: " ")
    }
}
