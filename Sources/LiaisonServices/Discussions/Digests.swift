import Foundation
import LiaisonCore
import LiaisonStore

extension DiscussionService {
    /// Messages of one followed space or thread in a digest, at most.
    static let digestLimit = 200
    /// A message's text in a digest, at most (the link leads to the rest).
    static let digestTextLimit = 1_000

    /// Sends the daily digests that are due: to each follower who chose them, one mail a day in their language with
    /// the messages written since their last digest in what they follow (that they may still read), thread by thread.
    /// A digest with nothing new sends nothing, and counts as sent. Each is claimed as it is sent, so two instances
    /// never send the same one. Returns how many mails were queued.
    @discardableResult
    public func sendDigests() async throws -> Int {
        let date = now()
        let due = try await store.dueDigests(at: date)
        guard !due.isEmpty else { return 0 }
        let accounts = Dictionary(try await store.accounts().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var spaces: [Int64: DiscussionSpace] = [:]
        var sent = 0
        for (accountID, digests) in Dictionary(grouping: due, by: \.accountID).sorted(by: { $0.key < $1.key }) {
            guard let account = accounts[accountID], !account.disabled else {
                try await store.markDigested(digests.map { ($0, date) }, mail: nil, at: date)
                continue
            }
            var items: [Int64: CatalogueStore.DigestItem] = [:]
            var marks: [(due: CatalogueStore.DueDigest, until: Date)] = []
            for digest in digests {
                let found = try await store.digestItems(spaceID: digest.spaceID, threadID: digest.threadID, since: digest.stamp, until: date,
                                                        excluding: accountID, limit: Self.digestLimit)
                // A digest that reached its limit goes as far as its last message: the rest go in the next.
                marks.append((digest, found.count == Self.digestLimit ? (found.last?.post.createdAt ?? date) : date))
                for item in found {
                    if spaces[item.spaceID] == nil { spaces[item.spaceID] = try await store.discussionSpace(id: item.spaceID).map(resolved) }
                    guard let space = spaces[item.spaceID], space.isOpen(to: account.principal), let id = item.post.id else { continue }
                    items[id] = item
                }
            }
            let language = account.language
            let threads = Dictionary(grouping: items.values, by: \.threadID).sorted { $0.key < $1.key }.map { threadID, posts -> [String: Any] in
                let sorted = posts.sorted { ($0.post.id ?? 0) < ($1.post.id ?? 0) }
                return ["title": sorted[0].threadTitle, "space": spaces[sorted[0].spaceID]?.name.text(language) ?? "",
                        "link": "\(site)/discussions/threads/\(threadID)?lang=\(language.rawValue)",
                        "posts": sorted.map { item in
                            ["author": item.post.authorName, "when": DateText.dateTime(item.post.createdAt, language),
                             "text": MailText.excerpt(Markdown.plainText(Markdown.parse(item.post.body)), limit: Self.digestTextLimit)] as [String: Any]
                        }]
            }
            let message = try items.isEmpty ? nil : mail.discussionDigest(to: account.email, language: language, name: account.displayName,
                                                                          count: items.count, threads: threads).with(headers: [Self.automatic])
            if try await store.markDigested(marks, mail: message, at: date), message != nil { sent += 1 }
        }
        return sent
    }
}
