import Foundation
import LiaisonCore
import LiaisonStore

/// What changed in the catalogue after a revision, for a mirror that keeps a copy current without downloading
/// everything again: the networks added, changed and removed, each with its state now, a page at a time.
public struct CatalogueChanges: Sendable {
    let catalogue: LiveCatalogue

    public enum Action: String, Sendable {
        case added, changed, removed
    }

    public struct Change: Sendable {
        public let slug: String
        public let action: Action
        /// The network as it is at the page's revision; nil when removed.
        public let network: Network?
    }

    public struct Page: Sendable {
        /// The revision asked from.
        public let since: Int64
        /// The last revision this page covers: the next page starts after it.
        public let until: Int64
        /// The catalogue's revision the states are at.
        public let revision: Int64
        public let changes: [Change]
        /// Whether revisions after `until` remain.
        public var more: Bool { until < revision }
    }

    public static let standardLimit = 100
    public static let maximumLimit = 1_000

    /// The networks changed by the revisions after `since`, at most `limit` of them, with their states as of the
    /// snapshot's revision (a network changed again later is in a later page again, with the same state).
    public func changes(since: Int64, limit: Int = standardLimit) async throws -> Page {
        guard since >= 0 else { throw InputError.invalidValue(field: "since", value: String(since), rule: "must be a revision number, 0 or more") }
        guard (1...Self.maximumLimit).contains(limit) else {
            throw InputError.invalidValue(field: "limit", value: String(limit), rule: "must be from 1 to \(Self.maximumLimit)")
        }
        let snapshot = catalogue.snapshot
        guard since < snapshot.revision else { return Page(since: since, until: since, revision: snapshot.revision, changes: []) }
        let found = try await catalogue.store.changedNetworks(after: since, upTo: snapshot.revision, limit: limit)
        let changes = found.slugs.map { slug in
            let network = snapshot.network(slug: slug)
            let action: Action = network == nil ? .removed : found.existed.contains(slug) ? .changed : .added
            return Change(slug: slug, action: action, network: network)
        }
        return Page(since: since, until: found.until, revision: snapshot.revision, changes: changes)
    }
}
