import Foundation
import LiaisonCore
import LiaisonStore
import Synchronization

/// What network pages need of liveness, kept in memory: the latest checks of every address, the confirmations,
/// and when each network entered the catalogue. Refreshed by each run, after a confirmation, and every ten minutes
/// (another process may have run a check), so that a page view asks the database nothing.
final class LivenessState: Sendable {
    struct Loaded: Sendable {
        let histories: [String: [LinkCheck]]
        let verifications: [String: NetworkVerification]
        let firstSeen: [String: Date]
        let at: ContinuousClock.Instant
    }

    private struct State {
        var loaded: Loaded?
        /// The load under way: page views that find the state stale wait for it rather than each run the queries.
        var loading: Task<Loaded, any Error>?
        var loads = 0
    }

    private let state = Mutex(State())

    /// How many times the state was read from the store.
    var loadCount: Int { state.withLock { $0.loads } }

    func current(_ store: CatalogueStore) async throws -> Loaded {
        enum Next { case ready(Loaded), wait(Task<Loaded, any Error>) }
        let next = state.withLock { state -> Next in
            if let loaded = state.loaded, ContinuousClock.now - loaded.at < .seconds(600) { return .ready(loaded) }
            if let loading = state.loading { return .wait(loading) }
            let loading = Task {
                Loaded(histories: try await store.latestLinkChecks(), verifications: try await store.verifications(),
                       firstSeen: try await store.firstRevisionDates(), at: .now)
            }
            state.loading = loading
            state.loads += 1
            return .wait(loading)
        }
        switch next {
        case let .ready(loaded):
            return loaded
        case let .wait(loading):
            do {
                let loaded = try await loading.value
                // Kept unless forgotten meanwhile (a confirmation after the load began).
                state.withLock { if $0.loading == loading { $0.loaded = loaded; $0.loading = nil } }
                return loaded
            } catch {
                state.withLock { if $0.loading == loading { $0.loading = nil } }
                throw error
            }
        }
    }

    func forget() {
        state.withLock {
            $0.loaded = nil
            $0.loading = nil
        }
    }
}

/// What one liveness run did.
public struct LivenessRun: Sendable {
    public let checked: Int
    /// The addresses whose check failed this time.
    public let failed: [LinkCheck]
    /// The networks that need verification, with why.
    public let needingVerification: [String: [VerificationReason]]
    /// Reminder mails queued.
    public let reminders: Int
}

/// Checks every network's links, keeps their history, marks the entries that need verification and reminds their
/// focal points (one mail a month at most, with a one-click "still correct" link).
public struct LivenessMonitor: Sendable {
    public let catalogue: LiveCatalogue
    public let accounts: AccountService
    public var checker: LinkChecker
    public var reminderInterval: TimeInterval = 30 * 24 * 3600
    public var linkLifetime: TimeInterval = 30 * 24 * 3600
    let state = LivenessState()

    public init(catalogue: LiveCatalogue, accounts: AccountService) {
        self.catalogue = catalogue
        self.accounts = accounts
        self.checker = LinkChecker(site: accounts.settings.publicURL)
    }

    var store: CatalogueStore { accounts.store }

    /// The addresses of a network: its website and its references.
    public static func urls(of network: Network) -> [String] {
        ([network.website] + network.references.map(\.url)).compactMap { $0 }.filter { !$0.isEmpty }
    }

    public func run(progress: @escaping @Sendable (Int, Int, LinkCheck) -> Void = { _, _, _ in }) async throws -> LivenessRun {
        let snapshot = catalogue.snapshot
        let checks = await checker.check(snapshot.networks.flatMap(Self.urls), at: { accounts.settings.now() }, progress: progress)
        try await store.recordLinkChecks(checks)
        state.forget()
        let loaded = try await state.current(store)
        let now = accounts.settings.now()
        var needing: [String: [VerificationReason]] = [:]
        var reminders = 0
        // Read once, and only when someone is to be reminded.
        var people: [Account]?
        for network in snapshot.networks {
            let record = loaded.verifications[network.slug]
            let reasons = Self.reasons(network, loaded, snapshot, now: now)
            guard !reasons.isEmpty else { continue }
            needing[network.slug] = reasons
            if let reminded = record?.remindedAt, now.timeIntervalSince(reminded) < reminderInterval { continue }
            if people == nil { people = try await store.accounts() }
            let focalPoints = (people ?? []).filter { $0.maintains(network.slug) }
            guard !focalPoints.isEmpty else { continue }
            for person in focalPoints {
                try await remind(person, of: network, reasons: reasons, at: now)
                reminders += 1
            }
            try await store.markReminded(slug: network.slug, at: now)
        }
        return LivenessRun(checked: checks.count, failed: checks.filter { $0.outcome.isFailure }, needingVerification: needing,
                           reminders: reminders)
    }

    func remind(_ person: Account, of network: Network, reasons: [VerificationReason], at now: Date) async throws {
        let token = Secrets.token()
        let expires = now.addingTimeInterval(linkLifetime)
        try await store.createVerificationToken(hash: Secrets.hash(token), slug: network.slug, accountID: person.id, at: now, expires: expires)
        let site = accounts.settings.publicURL
        try await store.enqueue(try accounts.mail.verificationReminder(
            to: person.email, language: person.language, network: network.displayName, reasons: reasons.map { $0.text(person.language) },
            entry: "\(site)/networks/\(network.slug)", link: "\(site)/networks/\(network.slug)/confirm/\(token)", expires: expires), at: now)
    }

    /// Where one network stands, for its page: when it was last verified — confirmed “still correct”, or changed by
    /// its focal point or an editor, whichever is later; nil when neither ever happened — and what makes it need
    /// verification.
    public func status(of network: Network) async throws -> (lastVerified: Date?, reasons: [VerificationReason]) {
        let loaded = try await state.current(store)
        return (Self.lastVerified(network, loaded, catalogue.snapshot), Self.reasons(network, loaded, catalogue.snapshot, now: accounts.settings.now()))
    }

    /// For the editors' dashboard: addresses whose latest check failed (with their networks), and the networks
    /// that need verification, from the state in memory.
    package func overview() async throws -> (broken: [(check: LinkCheck, networks: [Network])], needing: [(Network, [VerificationReason])]) {
        let loaded = try await state.current(store)
        let now = accounts.settings.now()
        var byURL: [String: [Network]] = [:]
        var needing: [(Network, [VerificationReason])] = []
        for network in catalogue.snapshot.networks {
            for url in Self.urls(of: network) { byURL[url, default: []].append(network) }
            let reasons = Self.reasons(network, loaded, catalogue.snapshot, now: now)
            if !reasons.isEmpty { needing.append((network, reasons)) }
        }
        let broken = byURL.keys.sorted().compactMap { url -> (LinkCheck, [Network])? in
            guard let latest = loaded.histories[url]?.first, latest.outcome.isFailure else { return nil }
            return (latest, byURL[url] ?? [])
        }
        return (broken, needing)
    }

    /// A confirmation was recorded: the next page shows it.
    func confirmed() {
        state.forget()
    }

    /// A confirmation and a change by a person (its focal point or an editor) both verify an entry.
    static func lastVerified(_ network: Network, _ loaded: LivenessState.Loaded, _ snapshot: Catalogue) -> Date? {
        [loaded.verifications[network.slug]?.confirmedAt, snapshot.lastChanged[network.slug]].compactMap { $0 }.max()
    }

    /// An entry never verified counts from when it entered the catalogue.
    static func reasons(_ network: Network, _ loaded: LivenessState.Loaded, _ snapshot: Catalogue, now: Date) -> [VerificationReason] {
        let links = Dictionary(urls(of: network).map { ($0, loaded.histories[$0] ?? []) }, uniquingKeysWith: { a, _ in a })
        let verified = lastVerified(network, loaded, snapshot) ?? loaded.firstSeen[network.slug]
        return Liveness.reasons(links: links, lastConfirmed: verified, now: now)
    }
}

// MARK: "Still correct"

extension LivenessMonitor {
    /// The network a reminder's one-click link confirms, while the link can be used (`AccountError` otherwise).
    public func networkOfLink(_ token: String) async throws -> String {
        try await store.verificationLink(hash: Secrets.hash(token), at: accounts.now).slug
    }

    /// Confirms the network a reminder's link names (the link is used up); returns its slug.
    public func confirm(link token: String) async throws -> String {
        let slug = try await store.confirmNetwork(linkHash: Secrets.hash(token), at: accounts.now)
        confirmed()
        return slug
    }

    /// A focal point or an editor confirms a network from its page.
    public func confirm(slug: String, by who: String) async throws {
        guard catalogue.snapshot.network(slug: slug) != nil else { throw CatalogueError.networkNotFound(slug: slug) }
        try await store.confirmNetwork(slug: slug, by: who, at: accounts.now)
        confirmed()
    }
}

