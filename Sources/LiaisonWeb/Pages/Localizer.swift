import Foundation
import LiaisonCore
import LiaisonStore

/// The user-visible strings of the site in one language, from `Resources/locales/{en,fr}.json`.
///
/// Templates read them as `{{t.key}}`; strings with values (`{count} networks`) are formatted in Swift
/// with `format(_:_:)`, because Mustache has no formatting of its own.
struct Localizer: Sendable {
    let language: Language
    let strings: [String: String]

    static let english = Localizer(language: .en)
    static let french = Localizer(language: .fr)

    static func forLanguage(_ language: Language) -> Localizer {
        language == .en ? english : french
    }

    init(language: Language) {
        self.language = language
        self.strings = Self.load(language)
    }

    static func load(_ language: Language) -> [String: String] {
        guard let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "locales"),
              let data = try? Data(contentsOf: url),
              let strings = try? JSONDecoder().decode([String: String].self, from: data)
        else { return [:] }
        return strings
    }

    /// The string for a key; a missing key shows as the key itself (and the locale tests fail).
    subscript(_ key: String) -> String {
        strings[key] ?? key
    }

    /// The string for a key with `{name}` placeholders filled in.
    func format(_ key: String, _ values: [String: CustomStringConvertible]) -> String {
        values.reduce(self[key]) { text, pair in
            text.replacingOccurrences(of: "{\(pair.key)}", with: pair.value.description)
        }
    }

    /// A network's status as lists and pages show it: "defunct since 2025-06", "dormant until 2020".
    func status(_ status: NetworkStatus) -> String {
        status.value.label(language)
            + [status.since.map { format("since_date", ["date": $0]) }, status.until.map { format("until_date", ["date": $0]) }]
            .compactMap { $0 }.map { " " + $0 }.joined()
    }

    /// A field's name, short: its edit form label without what the parentheses explain ("Founded", "Other names").
    func fieldName(_ field: String) -> String {
        let label = self["edit_field.\(field)"]
        return label.range(of: " (").map { String(label[..<$0.lowerBound]) } ?? label
    }

    /// Who made a revision, as the history says it (the first start's load in this language).
    func actor(_ revision: Revision) -> String { revision.isSeed ? self["history_seed_actor"] : revision.actor }

    /// Why, as the history says it (the first start's load in this language; a person's reason as they wrote it).
    func reason(_ revision: Revision) -> String { revision.isSeed ? self["history_seed_reason"] : revision.reason }

    /// A date on a page: “6 December 2026”, “6 décembre 2026”.
    func date(_ date: Date) -> String { DateText.date(date, language) }

    /// A date and time on a page, in UTC on a 24-hour clock: “6 December 2026 at 15:24 UTC”.
    func dateTime(_ date: Date) -> String { DateText.dateTime(date, language) }

    /// Parties in the order of their names in this language, case and accents aside ("Égypte" among the E's); each
    /// name folded once, not at every comparison.
    func sortedByName(_ parties: [Party]) -> [Party] {
        let locale = Locale(identifier: language.rawValue)
        return parties.map { ($0.name(language).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: locale), $0) }
            .sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1)
    }

    /// "1 network" / "3 networks": keys `KEY.one` and `KEY.other`.
    func count(_ key: String, _ count: Int, _ values: [String: CustomStringConvertible] = [:]) -> String {
        let form = (count == 1 || (language == .fr && count == 0)) ? "one" : "other"
        return format("\(key).\(form)", values.merging(["count": count.formatted(.number.locale(Locale(identifier: language.rawValue)))]) { $1 })
    }
}
