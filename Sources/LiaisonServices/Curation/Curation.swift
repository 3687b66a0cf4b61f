import Foundation
import LiaisonCore
import LiaisonStore

/// A write refused because the entry changed since the form was opened (or a slug was taken meanwhile): the person
/// looks again. Nothing was written.
public struct WriteConflict: Error, Sendable {
    public let error: InputError
    /// What others saved on the entry since the form was opened, newest first (none when a slug was taken, or the
    /// entry deleted): shown, so the person sees the change their save would have overwritten.
    public var meanwhile: [Revision] = []
    /// The entry's revision now: a form that carries it saves over the changes shown, knowingly.
    public var latest: Int64?

    /// The conflict of a save on `slug` made on `revision`, with the changes saved since.
    static func since(_ revision: Int64?, slug: String, error: InputError, catalogue: LiveCatalogue) async -> WriteConflict {
        guard let revision, let (current, latest) = try? await catalogue.entry(slug: slug) as (Network?, Int64), current != nil else {
            return WriteConflict(error: error)
        }
        let meanwhile = (try? await catalogue.store.history(ofNetwork: slug, limit: 20))?.filter { $0.seq > revision } ?? []
        return WriteConflict(error: error, meanwhile: meanwhile, latest: meanwhile.isEmpty ? nil : latest)
    }
}

/// Keeping entries true: edits of the fields and of the members, undo of the latest change, restoring any earlier
/// version; each one revision with who and why, refused when the entry moved on since the form was opened.
public struct Curation: Sendable {
    let catalogue: LiveCatalogue

    public init(catalogue: LiveCatalogue) {
        self.catalogue = catalogue
    }

    /// What undoing a change did.
    public enum Undone: Sendable {
        /// The state before the change is back.
        case restored
        /// The change created the network: it is removed.
        case removed
    }

    /// A network as a form shows it, with the revision it is at: the snapshot is brought up to that revision first
    /// (a save committed but not yet swapped in would otherwise pair old content with the new number).
    public func current(slug: String) async throws -> (Network, Int64) {
        let (network, revision) = try await catalogue.entry(slug: slug)
        guard let network else { throw CatalogueError.networkNotFound(slug: slug) }
        return (network, revision)
    }

    /// Saves an edit of the fields made on `revision`. Throws `NetworkEditFailure` for every rule broken,
    /// `WriteConflict` when the entry changed meanwhile.
    public func edit(_ network: Network, with draft: NetworkDraft, revision: Int64, by actor: String) async throws {
        let snapshot = catalogue.snapshot
        try await save(network, revision: revision, actor: actor, reason: draft.reason) {
            try draft.apply(to: network, isNetwork: { snapshot.network(slug: $0) != nil }, directory: snapshot.directory)
        }
    }

    /// Saves an edit of the members made on `revision` (as `edit`).
    public func editMembers(_ network: Network, with draft: MembershipDraft, revision: Int64, by actor: String) async throws {
        let directory = catalogue.snapshot.directory
        try await save(network, revision: revision, actor: actor, reason: draft.reason) { try draft.apply(to: network, directory: directory) }
    }

    /// A network's revisions, newest first.
    public func history(of slug: String, limit: Int = 100) async throws -> [Revision] {
        try await catalogue.store.history(ofNetwork: slug, limit: limit)
    }

    /// The latest revisions of the whole catalogue, newest first.
    public func recentChanges(limit: Int) async throws -> [Revision] {
        try await catalogue.store.recentChanges(limit: limit)
    }

    /// Undoes the latest change of a network (`seq`, as the request gives it): the state before it comes back as a new
    /// revision. Undoing the creation of a network removes it, which only a person who may review proposals may do.
    public func undo(_ network: Network, seq raw: String, by principal: Principal, actor: String) async throws -> Undone {
        // Undo is for the latest change; an older state is brought back with "restore this version", which shows
        // first everything that restoring it would change (the later changes included).
        guard let seq = Int64(raw), let revision = try await catalogue.store.revision(seq), revision.entityID == network.slug,
              try await catalogue.store.latestRevision(ofNetwork: network.slug) == seq
        else {
            throw InputError.invalidValue(field: "revision", value: raw, rule: "must be the latest change of this network")
        }
        guard let change = NetworkRevisionChange.decode(revision.change) else {
            guard revision.action == .created, Policy.allows(principal, .reviewProposals) else {
                throw InputError.invalidValue(field: "revision", value: raw, rule: "must be an edit of this network's history")
            }
            try await catalogue.delete(slug: network.slug, actor: actor, reason: "undid revision \(seq): the network is removed")
            return .removed
        }
        // The state before the change (for the first edit, the state the import left).
        let restored = try restoredNetwork(change.before)
        try await catalogue.save(restored, change: try NetworkRevisionChange(action: .restored, before: network, after: restored, restoredFrom: seq),
                                 actor: actor, reason: "undid revision \(seq): the state before it is back", expected: seq)
        return .restored
    }

    /// The revision `seq` (as the request gives it) names and the network as it was right after it.
    public func version(of network: Network, seq raw: String) async throws -> (Revision, Network) {
        guard let seq = Int64(raw), let (revision, state) = try await catalogue.store.version(ofNetwork: network.slug, at: seq) else {
            throw InputError.invalidValue(field: "revision", value: raw, rule: "must be a revision of this network whose state the history keeps")
        }
        do {
            return (revision, try restoredNetwork(state))
        } catch let failure as ImportFailure {
            throw InputError.invalidValue(field: "revision", value: raw, rule: "cannot be restored: "
                + failure.errors.map(\.description).joined(separator: "; "))
        }
    }

    /// Brings back the network as it was after `revision`, as a new revision made on `latest`, with its reason.
    /// Throws `NetworkEditFailure` (no reason, nothing to restore) or `WriteConflict`.
    public func restore(_ network: Network, to revision: Revision, version: Network, latest: Int64, reason: String, by actor: String) async throws {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems = ProblemList()
        _ = problems.check { try Rules.checkReason(reason) }
        problems.require(version != network, .invalidValue(field: "revision", value: String(revision.seq), rule: "is the entry as it is now: nothing to restore"))
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        try await save(network, revision: latest, actor: actor, reason: "restored the version of revision \(revision.seq): \(reason)",
                       action: .restored, restoredVersion: revision.seq) { version }
    }

    /// A network as a revision kept it, read against today's catalogue (a party or network it names that is gone
    /// is an error that names it).
    func restoredNetwork(_ state: String) throws -> Network {
        let snapshot = catalogue.snapshot
        return try NetworkRevisionChange.network(state, directory: PartyDirectory.standard.adding(networks: snapshot.networks),
                                                 networkSlugs: Set(snapshot.networks.map(\.slug)))
    }

    /// One revision with its reason for an edit made on `revision`; nothing is written when anything is wrong.
    private func save(_ network: Network, revision: Int64, actor: String, reason: String, action: NetworkRevisionChange.Action = .edited,
                      restoredVersion: Int64? = nil, edit: () throws -> Network) async throws {
        let edited = try edit()
        do {
            try await catalogue.save(edited, change: try NetworkRevisionChange(action: action, before: network, after: edited,
                                                                               restoredVersion: restoredVersion),
                                     actor: actor, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines), expected: revision)
        } catch let error as InputError {
            throw await WriteConflict.since(revision, slug: network.slug, error: error, catalogue: catalogue)
        } catch let CatalogueError.networkNotFound(slug) {
            throw WriteConflict(error: .invalidValue(field: "network", value: slug, rule: "was deleted since the form was opened"))
        }
    }
}
