import Foundation

/// A mailing list of the platform: who receives its messages.
///
/// - `anyone` and `practitioners`: those who subscribed (and confirmed, double opt-in); practitioners' lists take
///   signed-in practitioners and above only.
/// - `focalPoints`: the focal points of some networks, as the accounts say when a message goes (one who left is not
///   written to, their successor is), less those who left the list.
public enum ListAudience: Sendable, Equatable {
    case anyone
    case practitioners
    case focalPoints(NetworkSelection)

    /// Whether people subscribe themselves (else the roles define it).
    public var isSubscribed: Bool {
        switch self {
        case .anyone, .practitioners: true
        case .focalPoints: false
        }
    }

    /// The audience as the database keeps it: `anyone`, `practitioners`, `focal-points:every`,
    /// `focal-points:section:european`, `focal-points:networks:ejn carin`, `focal-points:covering:GH NG`.
    public var stored: String {
        switch self {
        case .anyone: "anyone"
        case .practitioners: "practitioners"
        case .focalPoints(.every): "focal-points:every"
        case let .focalPoints(.section(section)): "focal-points:section:\(section.rawValue)"
        case let .focalPoints(.chosen(slugs)): "focal-points:networks:" + slugs.joined(separator: " ")
        case let .focalPoints(.covering(codes)): "focal-points:covering:" + codes.joined(separator: " ")
        }
    }

    public init(stored text: String, field: String) throws {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        let words = parts.count == 3 ? parts[2].split(separator: " ").map(String.init) : []
        switch (parts.first, parts.count > 1 ? parts[1] : nil) {
        case ("anyone", nil): self = .anyone
        case ("practitioners", nil): self = .practitioners
        case ("focal-points", "every"): self = .focalPoints(.every)
        case ("focal-points", "section") where parts.count == 3: self = .focalPoints(.section(try Section.parse(parts[2], field: field)))
        case ("focal-points", "networks") where !words.isEmpty: self = .focalPoints(.chosen(words))
        case ("focal-points", "covering") where !words.isEmpty: self = .focalPoints(.covering(words))
        default:
            throw InputError.invalidValue(field: field, value: TextRules.preview(text),
                                          rule: "must be anyone, practitioners, or focal-points:every|section:…|networks:…|covering:…")
        }
    }
}

/// A mailing list: its address part (`slug`), its name and purpose in both languages, and its audience.
public struct MailingList: Sendable, Equatable {
    public var id: Int64?
    public var slug: String
    public var name: Bilingual
    public var summary: Bilingual
    public var audience: ListAudience
    /// Who is told of its bounces, and answers for it.
    public var owner: String

    public init(id: Int64? = nil, slug: String, name: Bilingual, summary: Bilingual, audience: ListAudience, owner: String) {
        self.id = id
        self.slug = slug
        self.name = name
        self.summary = summary
        self.audience = audience
        self.owner = owner
    }

    /// A slug: lower-case letters, digits and hyphens, 2 to 60 characters.
    public static func checkSlug(_ slug: String, field: String = "slug") throws {
        guard (2...60).contains(slug.count),
              slug.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw InputError.invalidValue(field: field, value: TextRules.preview(slug), rule: "must be 2 to 60 lower-case letters, digits and hyphens")
        }
        // The pages of `/lists/new`, `/lists/confirm/…` and `/lists/unsubscribe/…` would hide a list's own.
        guard !["new", "confirm", "unsubscribe"].contains(slug) else {
            throw InputError.invalidValue(field: field, value: slug, rule: "must not be new, confirm or unsubscribe (addresses of the site)")
        }
    }
}

/// Where a subscriber stands.
public enum SubscriptionStatus: String, Sendable {
    /// Asked; the confirmation link not followed yet.
    case pending
    case active
    /// Left the list (for a list of roles: opted out).
    case unsubscribed
    /// Its mail bounced again and again: the list no longer writes to it (kept as `active` with the time it was
    /// suspended; subscribing again and confirming lifts it).
    case suspended
}

/// A message of a list as its archive keeps it.
public struct ListMessage: Sendable, Equatable {
    public let id: Int64
    public let subject: Bilingual
    public let body: Bilingual
    public let recipients: Int
    public let sentAt: Date

    public init(id: Int64, subject: Bilingual, body: Bilingual, recipients: Int, sentAt: Date) {
        self.id = id
        self.subject = subject
        self.body = body
        self.recipients = recipients
        self.sentAt = sentAt
    }
}
