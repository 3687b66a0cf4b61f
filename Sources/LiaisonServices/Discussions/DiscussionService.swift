import Crypto
import Foundation
import LiaisonCore
import LiaisonStore

/// Discussions between the networks: each network's space (its people) and topics across networks (every
/// practitioner), threads and replies in Markdown, followed by mail — each message mailed to the followers with a
/// reply address of their own, signed, so that answering the mail posts the answer (`liaison mail receive`).
public struct DiscussionService: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    let mail: MailTemplates
    public let now: @Sendable () -> Date
    let site: String
    /// Posts one account may make an hour.
    public var postsPerHour = 30
    public static let perPage = 30
    /// The signing key, once read: every post's notifications and every reply by mail need it.
    let replyKeyCache = ReplyKeyCache()
    /// Days a reply address works.
    public static let replyDays = 180

    /// A space's page: the space, a page of its threads, whether the reader follows it and may moderate it.
    public struct SpacePage: Sendable {
        public let space: DiscussionSpace
        public let threads: [DiscussionThread]
        public let total: Int
        public let following: String?
    }

    /// The spaces a principal may enter: every topic, and the spaces of their networks (every network's, for editors).
    public func spaces(by principal: Principal) async throws -> [DiscussionSpace] {
        guard Policy.allows(principal, .discuss(network: nil)) else { throw ServiceDenied() }
        let snapshot = catalogue.snapshot
        let networks = snapshot.networks.filter { $0.status.value == .active && Policy.allows(principal, .discuss(network: $0.slug)) }
        let own = networks.map { DiscussionSpace(slug: $0.slug, kind: .network, name: Bilingual(en: $0.displayName, fr: $0.displayName)) }
        return own + (try await store.topicSpaces())
    }

    /// A space by its address: a topic's, or a network's (made the first time it is opened).
    public func space(_ slug: String, by principal: Principal) async throws -> DiscussionSpace {
        guard slug.count <= 60 else { throw CatalogueError.spaceNotFound(slug: slug) }
        let network = catalogue.snapshot.network(slug: slug)
        guard let stored = try await store.discussionSpace(slug: slug, network: network.map { Bilingual(en: $0.displayName, fr: $0.displayName) },
                                                           at: now()) else { throw CatalogueError.spaceNotFound(slug: slug) }
        let space = resolved(stored)
        guard space.isOpen(to: principal) else { throw ServiceDenied() }
        return space
    }

    /// A space as its access is decided: one whose address is a network's slug is that network's space, whatever it
    /// was stored as (a topic made before a network took the same slug does not open the network's messages to all).
    func resolved(_ space: DiscussionSpace) -> DiscussionSpace {
        guard space.kind == .topic, catalogue.snapshot.network(slug: space.slug) != nil else { return space }
        var network = space
        network.kind = .network
        return network
    }

    public func spacePage(_ slug: String, page: Int, by principal: Principal) async throws -> SpacePage {
        let space = try await space(slug, by: principal)
        guard let id = space.id else { throw CatalogueError.spaceNotFound(slug: slug) }
        let found = try await store.threads(spaceID: id, hidden: space.mayModerate(principal), limit: Self.perPage, offset: max(0, page - 1) * Self.perPage)
        let following = try await principal.accountID.asyncMap { try await store.following(accountID: $0, spaceID: id, threadID: nil) } ?? nil
        return SpacePage(space: space, threads: found.threads, total: found.total, following: following)
    }

    /// The addresses under `/discussions/` the site's own pages take.
    static let reservedSlugs: Set<String> = ["threads", "new", "reports", "posts", "announce"]

    /// Creates a topic (editors): its address may not be a network's, nor one of the site's pages.
    public func createTopic(_ space: DiscussionSpace, by principal: Principal) async throws -> DiscussionSpace {
        // Moderating every space (no network named) is the editors'.
        guard Policy.allows(principal, .moderate(network: nil)) else { throw ServiceDenied() }
        try MailingList.checkSlug(space.slug)
        if catalogue.snapshot.network(slug: space.slug) != nil || Self.reservedSlugs.contains(space.slug) {
            throw InputError.invalidValue(field: "slug", value: space.slug, rule: "must not be a network's slug or an address of the site")
        }
        for (text, field) in [(space.name.en, "title_en"), (space.name.fr, "title_fr")] { try TextRules.checkLine(text, field: field, limit: 200) }
        guard !space.name.isEmpty else { throw InputError.missingField(field: "title_en") }
        for (text, field) in [(space.summary.en, "summary_en"), (space.summary.fr, "summary_fr")] { try TextRules.checkText(text, field: field, limit: 2_000) }
        var topic = space
        topic.kind = .topic
        return try await store.createTopicSpace(topic, at: now())
    }

    /// A thread and its posts, for one who may enter its space (hidden posts only for its moderators).
    public func thread(_ id: Int64, by principal: Principal) async throws -> (space: DiscussionSpace, thread: DiscussionThread, posts: [DiscussionPost],
                                                                              following: String?) {
        guard let thread = try await store.thread(id: id), let stored = try await store.discussionSpace(id: thread.spaceID) else {
            throw CatalogueError.threadNotFound(id: id)
        }
        let space = resolved(stored)
        // A thread of a space one may not enter is not there: its number tells nothing.
        guard space.isOpen(to: principal) else { throw CatalogueError.threadNotFound(id: id) }
        let moderator = space.mayModerate(principal)
        guard !thread.hidden || moderator else { throw CatalogueError.threadNotFound(id: id) }
        let posts = try await store.posts(threadID: id).filter { !$0.hidden || moderator }
        let following = try await principal.accountID.asyncMap { try await store.following(accountID: $0, spaceID: nil, threadID: id) } ?? nil
        return (space, thread, posts, following)
    }

    /// Starts a thread in a space; its followers are written to.
    public func startThread(in slug: String, title: String, body: String, attachments: [Int64] = [], by principal: Principal, account: Account)
        async throws -> Int64
    {
        let space = try await space(slug, by: principal)
        guard let spaceID = space.id else { throw CatalogueError.spaceNotFound(slug: slug) }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.checkLine(title, field: "title", limit: DiscussionThread.titleLimit)
        guard !title.isEmpty else { throw InputError.missingField(field: "title") }
        var post = try checkedPost(body, threadID: 0, account: account, via: .web)
        post.attachments = try await checkedAttachments(attachments, by: principal)
        guard let added = try await store.addPost(post, newThread: title, spaceID: spaceID, perHour: postsPerHour, at: now(),
                                                  notify: try notifier(space: space, title: title, post: post)) else {
            throw CatalogueError.spaceNotFound(slug: slug)
        }
        return added.threadID
    }

    /// The secretariat's announcement (editors): a thread in every space — each active network's and each topic's —
    /// shown first in each, its followers written to. Returns how many spaces it went to.
    public func announce(title: String, body: String, by principal: Principal, account: Account) async throws -> Int {
        guard Policy.allows(principal, .moderate(network: nil)) else { throw ServiceDenied() }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.checkLine(title, field: "title", limit: DiscussionThread.titleLimit)
        guard !title.isEmpty else { throw InputError.missingField(field: "title") }
        let post = try checkedPost(body, threadID: 0, account: account, via: .web)
        var spaces: [Int64: DiscussionSpace] = [:]
        for network in catalogue.snapshot.networks where network.status.value == .active {
            if let space = try await store.discussionSpace(slug: network.slug, network: Bilingual(en: network.displayName, fr: network.displayName),
                                                           at: now()), let id = space.id { spaces[id] = resolved(space) }
        }
        // A topic stored under a slug a network took since is that network's space, already there: each space once.
        for topic in try await store.topicSpaces() {
            if let id = topic.id, spaces[id] == nil { spaces[id] = resolved(topic) }
        }
        let context = try await notificationContext()
        let notifiers = spaces.mapValues { notifier(space: $0, title: title, post: post, context: context) }
        // Every space has it, or none (one transaction); it is not held to the hourly limit of posts.
        return try await store.announce(post, title: title, spaceIDs: spaces.keys.sorted(), at: now()) { id in
            guard let notify = notifiers[id] else { return { _, _, _ in [] } }
            return notify
        }
    }

    /// Replies in a thread (not locked); its and its space's followers are written to. Returns the post's number.
    @discardableResult
    public func reply(to threadID: Int64, body: String, attachments: [Int64] = [], by principal: Principal, account: Account,
                      via: DiscussionPost.Via = .web) async throws -> Int64 {
        let found = try await thread(threadID, by: principal)
        guard !found.thread.locked, !found.thread.hidden else {
            throw InputError.invalidValue(field: "thread", value: found.thread.title, rule: found.thread.locked ? "is locked: no more replies"
                                          : "is hidden: show it again to reply")
        }
        guard let spaceID = found.space.id else { throw CatalogueError.threadNotFound(id: threadID) }
        var post = try checkedPost(body, threadID: threadID, account: account, via: via)
        post.attachments = try await checkedAttachments(attachments, by: principal)
        guard found.thread.posts < DiscussionThread.postLimit else {
            throw InputError.invalidValue(field: "thread", value: found.thread.title,
                                          rule: "has reached \(DiscussionThread.postLimit) messages: start a new thread to go on")
        }
        guard let added = try await store.addPost(post, newThread: nil, spaceID: spaceID, perHour: postsPerHour, at: now(),
                                                  notify: try notifier(space: found.space, title: found.thread.title, post: post)) else {
            throw InputError.invalidValue(field: "thread", value: found.thread.title, rule: "is locked or hidden: no more replies")
        }
        return added.postID
    }

    /// Follows a thread or a space (`each`: a mail per message; `digest`: one a day), or stops (nil).
    public func follow(thread: Int64?, space slug: String?, mode: String?, by principal: Principal) async throws {
        guard let accountID = principal.accountID else { throw ServiceDenied() }
        if let mode, !["each", "digest"].contains(mode) {
            throw InputError.invalidValue(field: "mode", value: TextRules.preview(mode), rule: "must be each, digest or none")
        }
        // Stopping needs no access (one who lost it may still stop the mails, which would not go anyway); following does.
        if let thread {
            if mode == nil {
                guard try await store.thread(id: thread) != nil else { throw CatalogueError.threadNotFound(id: thread) }
            } else {
                _ = try await self.thread(thread, by: principal)
            }
            try await store.follow(accountID: accountID, spaceID: nil, threadID: thread, mode: mode, at: now())
        } else if let slug {
            let spaceID: Int64?
            if mode == nil, slug.count <= 60 {
                spaceID = try await store.discussionSpace(slug: slug, network: nil, at: now())?.id
            } else {
                spaceID = try await space(slug, by: principal).id
            }
            guard let spaceID else { throw CatalogueError.spaceNotFound(slug: slug) }
            try await store.follow(accountID: accountID, spaceID: spaceID, threadID: nil, mode: mode, at: now())
        }
    }

    /// The documents a post points to: each must be one the poster may see.
    func checkedAttachments(_ ids: [Int64], by principal: Principal) async throws -> [Int64] {
        for id in ids {
            guard let document = try await store.document(id: id), document.isVisible(to: principal) else {
                throw InputError.invalidValue(field: "attachments", value: String(id), rule: "must be the number of a document of the library you may see")
            }
        }
        return ids
    }

    /// The documents the posts point to that the reader may see, by number.
    public func attachments(of posts: [DiscussionPost], by principal: Principal) async throws -> [Int64: LibraryDocument] {
        let documents = try await store.documents(ids: Set(posts.flatMap(\.attachments)).sorted())
        return Dictionary(documents.compactMap { document in document.id.flatMap { document.isVisible(to: principal) ? ($0, document) : nil } },
                          uniquingKeysWith: { first, _ in first })
    }

    func checkedPost(_ body: String, threadID: Int64, account: Account, via: DiscussionPost.Via) throws -> DiscussionPost {
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.checkText(text, field: "body", limit: DiscussionPost.bodyLimit)
        guard !text.isEmpty else { throw InputError.missingField(field: "body") }
        return DiscussionPost(threadID: threadID, authorID: account.id, authorName: account.displayName, body: text, createdAt: now(), via: via)
    }

    /// Makes the mails of a new post: one per follower who wants each message, in their language, with their own
    /// reply address.
    func notifier(space: DiscussionSpace, title: String, post: DiscussionPost) async throws -> CatalogueStore.Notify {
        notifier(space: space, title: title, post: post, context: try await notificationContext())
    }

    /// What notifications are made with: the accounts (read once for every space an announcement goes to) and the key.
    struct NotificationContext: Sendable {
        let accounts: [Int64: Account]
        let key: SymmetricKey
    }

    func notificationContext() async throws -> NotificationContext {
        NotificationContext(accounts: Dictionary(try await store.accounts().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
                            key: try await replyKey())
    }

    func notifier(space: DiscussionSpace, title: String, post: DiscussionPost, context: NotificationContext) -> CatalogueStore.Notify {
        let (accounts, key) = (context.accounts, context.key)
        let (mail, site, today) = (self.mail, self.site, Self.day(now()))
        let domain = MeetingService.domain(of: site)
        let text = Markdown.plainText(Markdown.parse(post.body))
        return { threadID, _, followers in
            try followers.compactMap { follower -> MailMessage? in
                guard follower.mode == "each", let account = accounts[follower.accountID], !account.disabled,
                      space.isOpen(to: account.principal) else { return nil }
                let language = account.language
                let message = try mail.discussionPost(to: account.email, language: language, space: space.name.text(language), thread: title,
                                                      author: post.authorName, text: text, link: "\(site)/discussions/threads/\(threadID)?lang=\(language.rawValue)",
                                                      followsSpace: follower.throughSpace,
                                                      spaceLink: "\(site)/discussions/\(space.slug)?lang=\(language.rawValue)")
                let address = Self.replyAddress(thread: threadID, account: account.id, day: today, key: key, domain: domain)
                return try MailMessage(to: message.to, subject: message.subject, text: message.text, language: language,
                                       headers: [MailMessage.ListHeader(.replyTo, address), Self.automatic])
            }
        }
    }

    // MARK: Replies by mail

    /// `Auto-Submitted: auto-generated` (RFC 3834): a notification is no one's personal mail, and a responder that
    /// honours it does not answer it (one that does not is refused by `receive`).
    static let automatic = try! MailMessage.ListHeader(.autoSubmitted, "auto-generated")

    /// The key that signs reply addresses: made once, kept in the database (every instance signs alike).
    func replyKey() async throws -> SymmetricKey {
        if let key = replyKeyCache.key { return key }
        let text = try await store.siteSecret("reply-address-key") { Secrets.token() }
        let key = SymmetricKey(data: Data(text.utf8))
        replyKeyCache.key = key
        return key
    }

    static func day(_ date: Date) -> Int { Int(date.timeIntervalSince1970 / 86_400) }

    /// `reply+12.34.20430.<32 hex>@domain`: the thread, the account, the day it was made, and their signature.
    static func replyAddress(thread: Int64, account: Int64, day: Int, key: SymmetricKey, domain: String) -> String {
        let claim = "\(thread).\(account).\(day)"
        return "reply+\(claim).\(signature(claim, key: key))@\(domain)"
    }

    static func signature(_ claim: String, key: SymmetricKey) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(claim.utf8), using: key).prefix(16).map { String(format: "%02x", $0) }.joined()
    }

    /// The thread, account and day a reply address names, when its signature holds (expired or not).
    static func signedClaim(_ address: String, key: SymmetricKey) -> (thread: Int64, account: Int64, day: Int)? {
        let local = address.lowercased().split(separator: "@").first.map(String.init) ?? ""
        guard local.hasPrefix("reply+") else { return nil }
        let parts = local.dropFirst("reply+".count).split(separator: ".").map(String.init)
        guard parts.count == 4, let thread = Int64(parts[0]), let account = Int64(parts[1]), let day = Int(parts[2]), parts[3].count == 32 else { return nil }
        guard Secrets.equal(signature("\(thread).\(account).\(day)", key: key), parts[3]) else { return nil }
        return (thread, account, day)
    }

    /// Whether a reply address made on `day` is still valid: not older than `replyDays`, nor from the future.
    static func isCurrent(day: Int, today: Int) -> Bool { day <= today && today - day <= replyDays }
}

/// The reply addresses' key once the database gave it (it never changes: made once, kept in `site_secrets`).
final class ReplyKeyCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: SymmetricKey?

    var key: SymmetricKey? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
