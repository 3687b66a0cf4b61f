import Foundation
import LiaisonCore
import LiaisonStore

/// The restricted directory of contact points, liaison magistrates, national correspondents and central
/// authorities: imported whole or not at all, searched by those `Policy` lets read it, each view of an entry
/// recorded and limited per account. Nothing here is for a public page, feed or export.
public struct DirectoryService: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    public let now: @Sendable () -> Date
    /// Entries one account may open an hour: enough for any case, too few to copy the directory.
    public static let viewsPerHour = 120

    /// Checks the whole file, then adds or updates its entries in one transaction.
    public func importFile(_ text: String, source: String, actor: String) async throws -> (added: Int, updated: Int) {
        let snapshot = catalogue.snapshot
        let entries = try DirectoryFile.read(text, source: source, parties: snapshot.directory, isNetwork: { snapshot.network(slug: $0) != nil })
        return try await store.importDirectory(entries, actor: actor, reason: "imported from \(source)", at: now())
    }

    /// A page of the entries the principal may see, and how many match.
    public func search(_ query: DirectoryQuery, by principal: Principal, page: Int, perPage: Int = 50) async throws
        -> (entries: [DirectoryEntry], total: Int)
    {
        guard Policy.allows(principal, .readDirectory) else { throw DirectoryDenied() }
        return try await store.directoryEntries(query, seenBy: principal, today: today, limit: perPage, offset: max(0, page - 1) * perPage)
    }

    /// One entry, recorded as viewed by the principal; "not found" for an entry the principal may not see (its
    /// existence is not told), `AccountError.throttled` past `viewsPerHour`.
    public func entry(_ id: Int64, by principal: Principal) async throws -> DirectoryEntry {
        guard Policy.allows(principal, .readDirectory), let accountID = principal.accountID else { throw DirectoryDenied() }
        guard let entry = try await store.directoryEntry(id: id), !entry.lapsed(on: today), Self.visible(entry, to: principal) else {
            throw CatalogueError.directoryEntryNotFound(id: id)
        }
        try await store.recordDirectoryView(entryID: id, accountID: accountID, perHour: Self.viewsPerHour, at: now())
        return entry
    }

    /// Whom to call for a case, for those who may read the directory (nil for anyone else): the contact points for
    /// the countries asked, and the liaison magistrates posted between them.
    public func whomToCall(countries: [String], by principal: Principal) async throws -> [DirectoryEntry]? {
        guard Policy.allows(principal, .readDirectory) else { return nil }
        return try await store.directoryContacts(countries: countries, seenBy: principal, today: today)
    }

    /// A country's people in the directory, for those who may read it (nil for anyone else): who works for it or is
    /// posted in it (or covers it), and the liaison magistrates it posts elsewhere.
    public func country(_ code: String, by principal: Principal) async throws -> (inCountry: [DirectoryEntry], postedBy: [DirectoryEntry])? {
        guard Policy.allows(principal, .readDirectory) else { return nil }
        let inCountry = try await store.directoryEntries(DirectoryQuery(country: code), seenBy: principal, today: today, limit: 100, offset: 0)
        let postedBy = try await store.directoryEntries(DirectoryQuery(postedFrom: code), seenBy: principal, today: today, limit: 100, offset: 0)
        return (inCountry.entries, postedBy.entries)
    }

    /// Every entry, for the editors' export.
    public func export(by principal: Principal) async throws -> [DirectoryEntry] {
        guard Policy.allows(principal, .manageDirectory) else { throw DirectoryDenied() }
        return try await store.allDirectoryEntries()
    }

    /// Every entry, for `liaison directory export` (the operator, on the server).
    public func exportForOperator() async throws -> [DirectoryEntry] {
        try await store.allDirectoryEntries()
    }

    /// The views of an entry, for an administrator.
    public func views(of id: Int64, by principal: Principal) async throws -> [DirectoryView] {
        guard Policy.allows(principal, .readDirectoryAccessLog) else { throw DirectoryDenied() }
        return try await store.directoryViews(entryID: id)
    }

    /// The entries as vCard 4.0, names in English.
    public func vCards(_ entries: [DirectoryEntry]) -> String {
        let snapshot = catalogue.snapshot
        return VCard.cards(entries, name: { snapshot.party(id: $0)?.nameEN ?? $0 },
                           networkName: { snapshot.network(slug: $0)?.displayName ?? $0 })
    }

    static func visible(_ entry: DirectoryEntry, to principal: Principal) -> Bool {
        Policy.allows(principal, .readDirectoryEntry(restrictedTo: entry.visibility == .networkMembers ? Set(entry.networks) : nil))
    }

    var today: PartialDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: now())
        // A date the calendar gives is always valid.
        return (try? PartialDate(String(format: "%04d-%02d-%02d", parts.year ?? 2000, parts.month ?? 1, parts.day ?? 1), field: "today"))
            ?? (try! PartialDate("2000", field: "today"))
    }
}

/// The directory asked for by someone who may not read it (a visitor, an account without a second factor).
public struct DirectoryDenied: Error, Sendable {}
