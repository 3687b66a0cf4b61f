import Foundation

/// A place of discussion: a network's own (its people: practitioners and focal points of the network, and the
/// editors) or a topic across networks (asset recovery, e-evidence…) open to every practitioner.
public struct DiscussionSpace: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case network, topic
    }

    public var id: Int64?
    /// Its address: a network's slug, or a topic's.
    public var slug: String
    public var kind: Kind
    public var name: Bilingual
    public var summary: Bilingual

    public init(id: Int64? = nil, slug: String, kind: Kind, name: Bilingual, summary: Bilingual = Bilingual()) {
        self.id = id
        self.slug = slug
        self.kind = kind
        self.name = name
        self.summary = summary
    }

    /// The network whose space it is.
    public var network: String? { kind == .network ? slug : nil }

    public func isOpen(to principal: Principal) -> Bool {
        Policy.allows(principal, .discuss(network: network))
    }

    public func mayModerate(_ principal: Principal) -> Bool {
        Policy.allows(principal, .moderate(network: network))
    }
}

/// A thread of a space: its title, who started it, whether it is locked (no more replies) or hidden.
public struct DiscussionThread: Sendable, Equatable {
    public var id: Int64?
    public var spaceID: Int64
    public var title: String
    public var authorID: Int64
    public var authorName: String
    public var createdAt: Date
    public var lastPostAt: Date
    public var posts: Int
    public var locked: Bool
    public var hidden: Bool
    /// Posted by the secretariat to every space.
    public var announcement: Bool

    public static let titleLimit = 200
    /// Messages of a thread, at most: past them, a new thread goes on (a page shows the whole thread).
    public static let postLimit = 2_000

    public init(id: Int64? = nil, spaceID: Int64, title: String, authorID: Int64, authorName: String, createdAt: Date, lastPostAt: Date, posts: Int = 0,
                locked: Bool = false, hidden: Bool = false, announcement: Bool = false) {
        self.id = id
        self.spaceID = spaceID
        self.title = title
        self.authorID = authorID
        self.authorName = authorName
        self.createdAt = createdAt
        self.lastPostAt = lastPostAt
        self.posts = posts
        self.locked = locked
        self.hidden = hidden
        self.announcement = announcement
    }
}

/// A message of a thread, in Markdown (rendered safely: no HTML passes through).
public struct DiscussionPost: Sendable, Equatable {
    public enum Via: String, Sendable {
        case web, mail
    }

    public var id: Int64?
    public var threadID: Int64
    public var authorID: Int64
    public var authorName: String
    public var body: String
    public var createdAt: Date
    public var editedAt: Date?
    public var hidden: Bool
    public var hiddenReason: String?
    public var via: Via
    /// Documents of the library it points to (each reader sees those they may).
    public var attachments: [Int64]

    public init(id: Int64? = nil, threadID: Int64, authorID: Int64, authorName: String, body: String, createdAt: Date, editedAt: Date? = nil,
                hidden: Bool = false, hiddenReason: String? = nil, via: Via = .web, attachments: [Int64] = []) {
        self.attachments = attachments
        self.id = id
        self.threadID = threadID
        self.authorID = authorID
        self.authorName = authorName
        self.body = body
        self.createdAt = createdAt
        self.editedAt = editedAt
        self.hidden = hidden
        self.hiddenReason = hiddenReason
        self.via = via
    }

    public static let bodyLimit = 20_000
    public static let attachmentLimit = 10

    /// Documents named in a form: their numbers or their addresses (`/library/12`, `https://…/library/12`), separated
    /// by spaces, commas or lines; at most `attachmentLimit`.
    public static func attachments(_ text: String, field: String = "attachments") throws -> [Int64] {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0.isNewline }).map(String.init)
        guard tokens.count <= attachmentLimit else {
            throw InputError.invalidValue(field: field, value: "\(tokens.count) documents", rule: "must be at most \(attachmentLimit) documents")
        }
        var seen = Set<Int64>()
        return try tokens.compactMap { token in
            let number = token.split(separator: "/").last.map(String.init) ?? token
            guard token.count <= 300, number.count <= 18, let id = Int64(number), id > 0,
                  token.allSatisfy(\.isNumber) || token.contains("/library/") else {
                throw InputError.invalidValue(field: field, value: TextRules.preview(token), rule: "must be the number or address of a document of the library")
            }
            return seen.insert(id).inserted ? id : nil
        }
    }

    /// The post as the start of a reply: each line quoted, with who wrote it.
    public func quoted(_ language: Language) -> String {
        let said = language == .fr ? "\(authorName) a écrit :" : "\(authorName) wrote:"
        return "> " + said + "\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(separator: "\n") + "\n\n"
    }
}

/// What a reply by mail says, without what it quotes and without its signature: the lines before the first quoted
/// line (`>`), the client's "On … wrote:" line, the `-- ` signature separator or a forwarded original; trailing blank
/// lines dropped. One pass over the lines.
public enum MailReplyText {
    public static func stripped(_ text: String) -> String {
        var kept: [Substring] = []
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(">") || line == "-- " || trimmed == "--" || trimmed.hasPrefix("-----Original Message") || trimmed.hasPrefix("________________") {
                break
            }
            // "On Mon, 7 Dec 2026, Ann <ann@example.org> wrote:" (perhaps over two lines), "Le … a écrit :".
            let next = index + 1 < lines.count ? lines[index + 1].trimmingCharacters(in: .whitespaces) : ""
            let joined = trimmed + " " + next
            if (trimmed.hasPrefix("On ") || trimmed.hasPrefix("Le ")) && (trimmed.hasSuffix("wrote:") || trimmed.hasSuffix("a écrit :")
                || trimmed.hasSuffix("a écrit:") || ((joined.hasSuffix("wrote:") || joined.hasSuffix("a écrit :")) && next.count < 80)) {
                break
            }
            kept.append(line)
        }
        while let last = kept.last, last.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeLast() }
        while let first = kept.first, first.trimmingCharacters(in: .whitespaces).isEmpty { kept.removeFirst() }
        return kept.joined(separator: "\n")
    }
}

/// What moderators do, as the log keeps it.
public enum ModerationAction: String, Sendable, CaseIterable {
    case hidePost = "hide-post"
    case restorePost = "restore-post"
    case lock, unlock
    case hideThread = "hide-thread"
    case restoreThread = "restore-thread"
    case move
}

/// An entry of a thread's moderation log.
public struct ModerationEntry: Sendable, Equatable {
    public let postID: Int64?
    public let action: ModerationAction
    public let reason: String
    public let actor: String
    public let at: Date

    public init(postID: Int64?, action: ModerationAction, reason: String, actor: String, at: Date) {
        self.postID = postID
        self.action = action
        self.reason = reason
        self.actor = actor
        self.at = at
    }
}

/// A report waiting for a moderator: the post, its thread and space, why, how many reported it.
public struct PostReport: Sendable, Equatable {
    public let postID: Int64
    public let threadID: Int64
    public let threadTitle: String
    public let spaceSlug: String
    public let reasons: [String]
    public let hidden: Bool

    public init(postID: Int64, threadID: Int64, threadTitle: String, spaceSlug: String, reasons: [String], hidden: Bool) {
        self.postID = postID
        self.threadID = threadID
        self.threadTitle = threadTitle
        self.spaceSlug = spaceSlug
        self.reasons = reasons
        self.hidden = hidden
    }
}
