import Foundation
import LiaisonCore
import Mustache

/// Page models: plain values built from a catalogue snapshot, in one language. Templates only show them.
struct LabelledCount {
    let label: String
    let url: String
    let count: Int
}

/// One option of a select list (or checkbox) on a page.
struct Choice {
    let value: String
    let label: String
    let selected: Bool
}

/// An option of a list, read by its names without reflection: pages hold hundreds of them (every country, three
/// times on the directory's search).
extension Choice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": value
        case "label": label
        case "selected": selected
        default: nil
        }
    }
}

struct NetworkItem {
    let url: String
    let name: String
    let acronym: String?
    let scope: String
    let status: String
    let inactive: Bool
    let members: String
    let snippet: String?
    /// With a search: the sentence that matched, with the matched words marked.
    let snippetParts: [SnippetPart]

    init(_ network: Network, snippet parts: [SnippetPart] = [], t: Localizer) {
        url = "/networks/\(network.slug)"
        // In the page's language: the French name where it has one.
        let name = network.localizedName(t.language)
        self.name = name
        acronym = network.acronym.flatMap { name.contains($0) ? nil : $0 }
        scope = network.scope.label(t.language)
        status = t.status(network.status)
        inactive = network.status.value != .active
        members = t.count("count_parties", Set(network.memberships.map(\.partyID)).count)
        snippetParts = parts
        let purpose = network.purpose[t.language] ?? network.purpose[.en]
        snippet = parts.isEmpty ? purpose.map { String($0.prefix(220)) + ($0.count > 220 ? "…" : "") } : nil
    }
}

struct PartyItem {
    let url: String
    let name: String
    let code: String?
    let printed: String?
    let note: String?
    /// Since when, until when it takes part, where known (“since 2019”, “2012 to 2017”).
    let dates: String?

    init(_ party: Party, printed: String? = nil, note: String? = nil, since: PartialDate? = nil, until: PartialDate? = nil, t: Localizer) {
        url = PartyItem.url(party)
        name = party.name(t.language)
        code = party.code
        // The label as printed, where it says more than the party's name.
        self.printed = printed.flatMap { PartyDirectory.key($0) == PartyDirectory.key(party.nameEN) || party.id == $0 ? nil : $0 }
        self.note = note
        dates = Self.dates(since: since, until: until, t: t)
    }

    /// "since 2019", "until 2021-06", "2019 – 2021": the dates of a membership or a role, where known.
    static func dates(since: PartialDate?, until: PartialDate?, t: Localizer) -> String? {
        switch (since, until) {
        case let (since?, until?): t.format("dates_from_to", ["since": since.description, "until": until.description])
        case let (since?, nil): t.format("dates_since", ["since": since.description])
        case let (nil, until?): t.format("dates_until", ["until": until.description])
        case (nil, nil): nil
        }
    }

    static func url(_ party: Party) -> String {
        if let network = party.networkSlug, party.kind == .network { return "/networks/\(network)" }
        return party.isCountryLevel ? "/countries/\(party.id)" : "/organisations/\(party.id)"
    }
}

/// Parties sorted as a reader looks for them: states (and other country-level parties) by name, then the rest.
/// Every entry is kept, also a party printed twice (two institutions of one country).
/// `printed`: each entry's label as printed (false for an entry the platform created, which was never printed).
func sortedForReading(_ items: [(Party, Membership)], printed: Bool = true, t: Localizer) -> [PartyItem] {
    let rank = Dictionary(t.sortedByName(items.map(\.0)).enumerated().map { ($1.id, $0) }, uniquingKeysWith: min)
    return items.enumerated()
        .sorted { a, b in
            (a.element.0.isCountryLevel ? 0 : 1, rank[a.element.0.id] ?? 0, a.offset)
                < (b.element.0.isCountryLevel ? 0 : 1, rank[b.element.0.id] ?? 0, b.offset)
        }
        .map { PartyItem($0.element.0, printed: printed ? $0.element.1.asPrinted : nil, note: $0.element.1.note, since: $0.element.1.since,
                         until: $0.element.1.until, t: t) }
}
