import Foundation
import LiaisonCore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Every string the site shows is in both tables, and the French one is French.
@Suite struct LocalisationTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/LiaisonWeb")

    /// The keys the templates and the page code use.
    static func usedKeys() throws -> Set<String> {
        var keys: Set<String> = []
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let url as URL in files where ["mustache", "swift"].contains(url.pathExtension) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for pattern in [#"\{\{t\.([a-z0-9_.]+)\}\}"#, #"\bt\["([a-z0-9_.-]+)"\]"#, #"\["([a-z_]+)"\]"#,
                            #"t\.(?:count|format)\("([a-z0-9_.]+)""#, #"\("(nav_[a-z]+|networks_title|countries_title|about_title)"\)"#] {
                let regex = try NSRegularExpression(pattern: pattern)
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let range = Range(match.range(at: 1), in: text) { keys.insert(String(text[range])) }
                }
            }
        }
        // Keys built from vocabularies.
        keys.formUnion(Role.allCases.map { "role_heading.\($0.rawValue)" })
        keys.formUnion(RelationType.allCases.flatMap { ["relation.\($0.rawValue)", "relation_inverse.\($0.rawValue)"] })
        keys.formUnion(InclusionCriterion.allCases.map { "criterion.\($0.rawValue)" })
        keys.formUnion(["holds", "fails", "unknown"].map { "verdict.\($0)" })
        keys.formUnion(CriterionReason.allKeys.map { "reason.\($0)" })
        keys.formUnion(DataProblem.Kind.allCases.map { "quality_kind.\($0.rawValue)" })
        keys.formUnion(RevisionAction.allCases.map { "history_action.\($0.rawValue)" })
        // Counted keys (`t.count`): the key names its two forms, each of which both languages need.
        for counted in keys where Localizer.english.strings[counted] == nil
            && (Localizer.english.strings[counted + ".one"] != nil || Localizer.french.strings[counted + ".one"] != nil) {
            keys.formUnion(["\(counted).one", "\(counted).other"])
            keys.remove(counted)
        }
        // Words caught by the loose pattern that are no keys.
        return keys.filter { key in Localizer.english.strings[key] != nil || key.contains("_") || key.contains(".") }
    }

    @Test func bothLanguagesHaveEveryKey() throws {
        let used = try Self.usedKeys()
        #expect(used.count > 100)
        let english = Set(Localizer.english.strings.keys), french = Set(Localizer.french.strings.keys)
        #expect(used.subtracting(english).sorted() == [])
        #expect(used.subtracting(french).sorted() == [])
        #expect(english == french)
    }

    @Test func frenchIsWrittenInFrench() {
        let english = Localizer.english.strings, french = Localizer.french.strings
        // Words that are the same in both languages.
        let same: Set<String> = ["site_name", "nav_discussions", "discussions_title", "discussions_message", "library_source", "library_licence", "data_licence_heading", "library_version", "library_facet_instrument", "library_date", "library_found.one", "meeting_format", "meeting_documents", "meeting_capacity_label", "meeting_capacity.one", "meeting_capacity.other", "paging_label", "col_code", "section_references", "field_code", "accounts_actions", "edit_field.notes", "edit_field.relations",
                                 "history_seed_actor", "directory_source", "directory_card"]
        for (key, value) in french where !same.contains(key) {
            #expect(value != english[key], "\(key) is not translated")
            #expect(!value.contains("_"), "\(key) looks like a key")
        }
        #expect(french["count_networks.other"] == "{count} réseaux")
        #expect(Localizer.french.count("count_networks", 0) == "0 réseau")
        #expect(Localizer.english.count("count_networks", 0) == "0 networks")
    }
}
