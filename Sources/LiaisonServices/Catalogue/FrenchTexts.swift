import Foundation
import LiaisonCore
import LiaisonStore

/// Brings the French texts of the shipped 2017 catalogue (French names, French purposes, which are Liaison's
/// translations, the sources of the official names) into a database seeded before they existed, without touching
/// anything else: a network gets a French text only where it has none and its English text is still the one the
/// French translates (an editor's renamed network or rewritten purpose gets none), as an edit of its own in its history.
public struct FrenchTexts: Sendable {
    let curation: Curation

    public struct Summary: Sendable, Equatable {
        /// Networks that got French texts.
        public var added = 0
        /// Networks left as they were: they had their French texts, or their English ones are no longer those the
        /// French translates.
        public var had = 0
        /// Networks of the file the database does not have (removed since, or never there).
        public var absent = 0
    }

    public static let actor = "liaison"
    public static let reason = "the French texts of the 2017 catalogue (names, purposes and their sources)"

    /// Adds each missing French text of `file` (the shipped catalogue by default); `progress` is told each network done.
    public func add(from file: [Network]? = nil, progress: (_ done: Int, _ of: Int) -> Void = { _, _ in }) async throws -> Summary {
        let shipped = try file ?? CatalogueFile.catalogue2017().networks()
        var summary = Summary()
        for (index, source) in shipped.enumerated() {
            defer { progress(index + 1, shipped.count) }
            let network: Network, revision: Int64
            do {
                (network, revision) = try await curation.current(slug: source.slug)
            } catch CatalogueError.networkNotFound {
                // Removed from this database: nothing to add to. A database that fails is not "absent": it stops the command.
                summary.absent += 1
                continue
            }
            var draft = NetworkDraft(network)
            var changed = false
            if network.nameFR == nil, network.name == source.name, let name = source.nameFR {
                draft.nameFR = name
                draft.nameFRTranslated = source.translations.contains(.nameFR) ? "1" : ""
                if let cited = source.sources[.nameFR] { draft.sources[SourcedField.nameFR.rawValue] = cited }
                changed = true
            }
            if network.purpose[.fr] == nil, network.purpose[.en] == source.purpose[.en], let purpose = source.purpose[.fr] {
                draft.purposeFR = purpose
                draft.purposeFRTranslated = source.translations.contains(.purposeFR) ? "1" : ""
                changed = true
            }
            guard changed else {
                summary.had += 1
                continue
            }
            draft.reason = Self.reason
            try await curation.edit(network, with: draft, revision: revision, by: Self.actor)
            summary.added += 1
        }
        return summary
    }
}
