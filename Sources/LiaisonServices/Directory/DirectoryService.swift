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
    let mail: MailTemplates
    /// The site's address, for the links in reminders.
    let site: String
    /// An entry not confirmed for this long is due; its maintainers are reminded once a month at most.
    public static let confirmationMonths = 24
    /// Entries one account may open an hour (`--directory-views-per-hour`, default 120): enough for any case, too
    /// few to copy the directory.
    public var viewsPerHour = Settings.standardDirectoryViewsPerHour
    /// Pages of the directory's lists (searches, the people for a case or a country) one account may be shown an
    /// hour (`--directory-lists-per-hour`, default 300): names and roles are personal data too, and paging through
    /// every list must not copy them all.
    public var lookupsPerHour = Settings.standardDirectoryListsPerHour

    /// Checks the whole file, then adds or updates its entries in one transaction.
    public func importFile(_ text: String, source: String, actor: String) async throws -> (added: Int, updated: Int) {
        let snapshot = catalogue.snapshot
        let entries = try DirectoryFile.read(text, source: source, parties: snapshot.directory, isNetwork: { snapshot.network(slug: $0) != nil })
        return try await store.importDirectory(entries, actor: actor, reason: "imported from \(source)", at: now())
    }

    /// A page of the entries the principal may see, and how many match; `AccountError.throttled` past
    /// `lookupsPerHour`.
    public func search(_ query: DirectoryQuery, by principal: Principal, page: Int, perPage: Int = 50) async throws
        -> (entries: [DirectoryEntry], total: Int)
    {
        try await lookUp(by: principal)
        return try await store.directoryEntries(query, seenBy: principal, today: today, limit: perPage, offset: max(0, page - 1) * perPage)
    }

    /// One entry, recorded as viewed by the principal; "not found" for an entry the principal may not see (its
    /// existence is not told), `AccountError.throttled` past `viewsPerHour`.
    public func entry(_ id: Int64, by principal: Principal) async throws -> DirectoryEntry {
        guard Policy.allows(principal, .readDirectory), let accountID = principal.accountID else { throw ServiceDenied() }
        guard let entry = try await store.directoryEntry(id: id), !entry.lapsed(on: today), Self.visible(entry, to: principal) else {
            throw CatalogueError.directoryEntryNotFound(id: id)
        }
        try await store.recordDirectoryView(entryID: id, accountID: accountID, perHour: viewsPerHour, at: now())
        return entry
    }

    /// A page of the entries the principal may see, each recorded as viewed (a page of vCards): the search's own
    /// entries, not read again; refused whole past `viewsPerHour`.
    public func open(_ query: DirectoryQuery, by principal: Principal, page: Int, perPage: Int = 50) async throws -> [DirectoryEntry] {
        guard let accountID = principal.accountID else { throw ServiceDenied() }
        let entries = try await search(query, by: principal, page: page, perPage: perPage).entries
        try await store.recordDirectoryViews(entryIDs: entries.compactMap(\.id), accountID: accountID, perHour: viewsPerHour, at: now())
        return entries
    }

    /// Whom to call for a case, for those who may read the directory (nil for anyone else): the contact points for
    /// the countries asked, and the liaison magistrates posted between them; `AccountError.throttled` past
    /// `lookupsPerHour`.
    public func whomToCall(countries: [String], by principal: Principal) async throws -> [DirectoryEntry]? {
        guard Policy.allows(principal, .readDirectory) else { return nil }
        try await lookUp(by: principal)
        return try await store.directoryContacts(countries: countries, seenBy: principal, today: today)
    }

    /// A country's people in the directory, for those who may read it (nil for anyone else): who works for it or is
    /// posted in it (or covers it), and the liaison magistrates it posts elsewhere.
    public func country(_ code: String, by principal: Principal) async throws -> (inCountry: [DirectoryEntry], postedBy: [DirectoryEntry])? {
        guard Policy.allows(principal, .readDirectory) else { return nil }
        try await lookUp(by: principal)
        let inCountry = try await store.directoryEntries(DirectoryQuery(country: code), seenBy: principal, today: today, limit: 100, offset: 0)
        let postedBy = try await store.directoryEntries(DirectoryQuery(postedFrom: code), seenBy: principal, today: today, limit: 100, offset: 0)
        return (inCountry.entries, postedBy.entries)
    }

    /// Counts a page of the directory's lists against the principal's hourly allowance.
    private func lookUp(by principal: Principal) async throws {
        guard Policy.allows(principal, .readDirectory), let accountID = principal.accountID else { throw ServiceDenied() }
        try await store.recordDirectoryLookup(accountID: accountID, perHour: lookupsPerHour, at: now())
    }

    // MARK: Keeping entries true: the editors, and the focal points of an entry's networks

    /// An entry the principal may maintain (`ServiceDenied` otherwise; "not found" when there is none).
    public func maintained(_ id: Int64, by principal: Principal) async throws -> DirectoryEntry {
        guard let entry = try await store.directoryEntry(id: id) else { throw CatalogueError.directoryEntryNotFound(id: id) }
        guard Policy.allows(principal, .maintainDirectoryEntry(networks: Set(entry.networks))) else { throw ServiceDenied() }
        return entry
    }

    /// Saves an edit of an entry with its reason; a focal point's edit must keep the entry in one of their networks.
    public func edit(_ id: Int64, _ draft: DirectoryDraft, by principal: Principal, actor: String) async throws {
        let entry = try await maintained(id, by: principal)
        let snapshot = catalogue.snapshot
        let edited = try draft.apply(to: entry, parties: snapshot.directory, isNetwork: { snapshot.network(slug: $0) != nil })
        guard Policy.allows(principal, .maintainDirectoryEntry(networks: Set(edited.networks))) else {
            throw NetworkEditFailure(errors: [.invalidValue(field: "roles", value: edited.networks.joined(separator: ", "),
                                                            rule: "must keep a role in a network you maintain")])
        }
        try await store.correctDirectoryEntry(edited, actor: actor, reason: draft.reason.trimmingCharacters(in: .whitespacesAndNewlines), at: now())
    }

    /// One revision of an entry as its history shows it: what was done, when, by whom, why, and each field it changed.
    public struct HistoryItem: Sendable {
        public let action: String
        public let actor: String
        public let reason: String
        public let at: Date
        public let changes: [FieldChange]
    }

    /// An entry's revisions, newest first, for its maintainers: each edit with the fields it changed (against the
    /// state the revision before it kept).
    public func history(of id: Int64, by principal: Principal) async throws -> (entry: DirectoryEntry, revisions: [HistoryItem]) {
        let entry = try await maintained(id, by: principal)
        let revisions = try await store.directoryRevisions(entryID: id)
        // Newest first: each edit is compared with the state kept before it, found in one pass from the oldest.
        var earlier = [DirectoryEntry?](repeating: nil, count: revisions.count)
        var kept: DirectoryEntry?
        for index in revisions.indices.reversed() {
            earlier[index] = kept
            if let state = revisions[index].state { kept = state }
        }
        let items = revisions.enumerated().map { index, revision in
            let changes = revision.action == "edited" ? revision.state.flatMap { state in earlier[index].map { state.differences(from: $0) } } ?? [] : []
            return HistoryItem(action: revision.action, actor: revision.actor, reason: revision.reason, at: revision.at, changes: changes)
        }
        return (entry, items)
    }

    /// Records that a maintainer checked the entry and it is still correct.
    public func confirm(_ id: Int64, by principal: Principal, actor: String) async throws {
        _ = try await maintained(id, by: principal)
        try await store.confirmDirectoryEntry(id: id, actor: actor, at: now())
    }

    /// Reminds the focal points of each entry due for confirmation (not confirmed for two years), in their language,
    /// once a month at most; returns how many mails were queued. An entry no focal point maintains waits for the editors.
    public func remindStale() async throws -> Int {
        let now = now()
        let calendar = Calendar(identifier: .gregorian)
        let due = try await store.staleDirectoryEntries(
            confirmedBefore: calendar.date(byAdding: .month, value: -Self.confirmationMonths, to: now) ?? now,
            remindedBefore: now.addingTimeInterval(-30 * 24 * 3600), today: today)
        guard !due.isEmpty else { return 0 }
        let people = try await store.accounts()
        let snapshot = catalogue.snapshot
        var queued = 0
        for (id, networks) in due {
            let messages = try people.compactMap { person -> MailMessage? in
                guard let network = networks.first(where: person.maintains) else { return nil }
                return try mail.directoryReminder(to: person.email, language: person.language,
                                                  network: snapshot.network(slug: network)?.displayName ?? network, number: id,
                                                  months: Self.confirmationMonths, link: "\(site)/directory/\(id)")
            }
            guard !messages.isEmpty else { continue }
            try await store.remindDirectoryEntry(id: id, mail: messages, at: now)
            queued += messages.count
        }
        return queued
    }

    // MARK: A person's own entries: see, export, correct, erase

    /// Who viewed an entry, as its person may know it: when, and the viewer's role and networks (not their name).
    public struct ViewSummary: Sendable, Equatable, Codable {
        public let at: Date
        public let role: AccountRole
        public let networks: [String]
        /// The authority the viewer states on their account, if any.
        public let authority: String?
    }

    /// Everything the directory holds about a person: their entries, each with its revisions and its views.
    public struct OwnData: Sendable, Codable {
        public struct Item: Sendable, Codable {
            public let entry: DirectoryEntry
            public let revisions: [Revision]
            public let views: [ViewSummary]
        }

        public struct Revision: Sendable, Codable {
            public let action: String
            public let actor: String
            public let reason: String
            public let at: Date
        }

        public let email: String
        public let exportedAt: Date
        public let entries: [Item]
    }

    /// The entries listing the account's address, with their revisions and who viewed them.
    public func ownData(of account: Account) async throws -> OwnData {
        var items: [OwnData.Item] = []
        var viewers: [Int64: (account: Account, authority: String?)?] = [:]
        for entry in try await store.directoryEntries(email: account.email) {
            guard let id = entry.id else { continue }
            var views: [ViewSummary] = []
            for view in try await store.directoryViews(entryID: id) {
                if viewers[view.accountID] == nil {
                    if let stored = try await store.storedAccount(id: view.accountID) {
                        viewers[view.accountID] = (stored.account, try await store.authority(accountID: view.accountID))
                    } else {
                        viewers[view.accountID] = .some(nil)
                    }
                }
                guard let viewer = viewers[view.accountID] ?? nil else { continue }
                views.append(ViewSummary(at: view.at, role: viewer.account.role, networks: viewer.account.networks, authority: viewer.authority))
            }
            let revisions = try await store.directoryHistory(entryID: id).map { OwnData.Revision(action: $0.action, actor: $0.actor, reason: $0.reason, at: $0.at) }
            items.append(OwnData.Item(entry: entry, revisions: revisions, views: views))
        }
        return OwnData(email: account.email, exportedAt: now(), entries: items)
    }

    /// What a person may correct in their own entry: how to reach them and in which languages. (Their name, roles
    /// and networks are the network's or the editors' to change.)
    public struct Correction: Sendable {
        public var function = ""
        public var phones = ""
        public var languages = ""
        public var available247 = false
        public var urgentPhone = ""
        public var reason = ""

        public init() {}
    }

    /// Corrects the account's own entry `id`; every field that breaks a rule is named (nothing is written then).
    public func correctOwn(_ id: Int64, of account: Account, _ correction: Correction) async throws {
        guard var entry = try await store.directoryEntries(email: account.email).first(where: { $0.id == id }) else {
            throw CatalogueError.directoryEntryNotFound(id: id)
        }
        var problems = ProblemList()
        let function = correction.function.trimmingCharacters(in: .whitespacesAndNewlines)
        problems.check { try TextRules.checkLine(function, field: "function", limit: 300) }
        let phones = correction.phones.split(whereSeparator: { $0 == ";" || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.compactMap { text in problems.check { try DirectoryRules.phone(text, field: "phones") } }
        let languages = correction.languages.split(whereSeparator: { $0 == ";" || $0 == "," || $0.isWhitespace }).map(String.init)
            .compactMap { text in problems.check { try DirectoryRules.language(text, field: "languages") } }
        let urgentText = correction.urgentPhone.trimmingCharacters(in: .whitespaces)
        let urgent = urgentText.isEmpty ? nil : problems.check { try DirectoryRules.phone(urgentText, field: "urgent_phone") }
        if correction.available247 && urgent == nil && urgentText.isEmpty {
            problems.errors.append(.missingField(field: "urgent_phone"))
        }
        let reason = correction.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        problems.require(!reason.isEmpty, .missingField(field: "reason"))
        problems.check { try TextRules.checkLine(reason, field: "reason", limit: 500) }
        guard problems.errors.isEmpty else { throw NetworkEditFailure(errors: problems.errors) }
        entry.function = function
        entry.phones = phones
        entry.languages = languages
        entry.available247 = correction.available247
        entry.urgentPhone = correction.available247 ? urgent : nil
        try await store.correctDirectoryEntry(entry, actor: account.displayName, reason: "corrected by the person: " + reason, at: now())
    }

    /// Erases the account's own entry at once.
    public func eraseOwn(_ id: Int64, of account: Account) async throws {
        guard try await store.directoryEntries(email: account.email).contains(where: { $0.id == id }) else {
            throw CatalogueError.directoryEntryNotFound(id: id)
        }
        try await store.eraseDirectoryEntry(id: id, by: account.displayName, reason: "erased at the request of the person listed", at: now())
    }

    /// Erases any entry, for an editor, with the reason.
    public func erase(_ id: Int64, by principal: Principal, actor: String, reason: String) async throws {
        guard Policy.allows(principal, .manageDirectory) else { throw ServiceDenied() }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw InputError.missingField(field: "reason") }
        try TextRules.checkLine(reason, field: "reason", limit: 500)
        try await store.eraseDirectoryEntry(id: id, by: actor, reason: "erased by an editor: " + reason, at: now())
    }

    /// Retention: erases the entries whose every role ended more than `months` ago; returns how many.
    public func eraseLapsed(olderThan months: Int) async throws -> Int {
        let cutoff = Calendar(identifier: .gregorian).date(byAdding: .month, value: -months, to: now()) ?? now()
        let ids = try await store.lapsedDirectoryEntries(endedBefore: CatalogueStore.firstDay(Self.day(of: cutoff)))
        for id in ids {
            try await store.eraseDirectoryEntry(id: id, by: "retention", reason: "every role ended more than \(months) months ago", at: now())
        }
        return ids.count
    }

    /// Forgets the list pages shown more than a day ago: they count against an account's allowance for an hour only.
    @discardableResult
    public func forgetOldLookups() async throws -> Int {
        try await store.forgetDirectoryLookups(before: now().addingTimeInterval(-24 * 3600))
    }

    /// Every entry, for the editors' export.
    public func export(by principal: Principal) async throws -> [DirectoryEntry] {
        guard Policy.allows(principal, .manageDirectory) else { throw ServiceDenied() }
        return try await store.allDirectoryEntries()
    }

    /// Every entry, for `liaison directory export` (the operator, on the server).
    public func exportForOperator() async throws -> [DirectoryEntry] {
        try await store.allDirectoryEntries()
    }

    /// The views of an entry, for an administrator.
    public func views(of id: Int64, by principal: Principal) async throws -> [DirectoryView] {
        guard Policy.allows(principal, .readDirectoryAccessLog) else { throw ServiceDenied() }
        return try await store.directoryViews(entryID: id)
    }

    /// The latest views of the directory, for an administrator.
    public func accessLog(by principal: Principal) async throws -> [(at: Date, viewer: String, entryID: Int64, entry: String)] {
        guard Policy.allows(principal, .readDirectoryAccessLog) else { throw ServiceDenied() }
        return try await store.directoryAccessLog()
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

    var today: PartialDate { Self.day(of: now()) }

    /// The day (UTC) of a moment.
    static func day(of date: Date) -> PartialDate {
        let text = date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day())
        // A date the formatter writes is always valid.
        return (try? PartialDate(text, field: "today")) ?? (try! PartialDate("2000", field: "today"))
    }
}

