import Foundation

/// What checking one address found.
public enum LinkOutcome: String, Sendable, CaseIterable, Codable {
    /// It answered 2xx (directly or after redirects within the limit).
    case ok
    /// It answered with an error status (4xx, 5xx).
    case httpError = "http_error"
    /// Redirects went on past the limit (or in a loop).
    case tooManyRedirects = "too_many_redirects"
    /// No answer within the time allowed.
    case timeout
    /// No connection: the name does not resolve, the connection is refused, TLS fails.
    case unreachable
    /// The address is not one that can be checked (not http or https).
    case invalid

    public var isFailure: Bool { self != .ok }
}

/// One check of one address: when, what came of it, and where it ended after redirects.
public struct LinkCheck: Sendable, Hashable {
    public let url: String
    public let checkedAt: Date
    public let outcome: LinkOutcome
    /// The last HTTP status seen (nil: no answer).
    public let status: Int?
    /// The address the redirects ended at, when it differs.
    public let finalURL: String?
    /// What went wrong, in words (the error, the redirect chain).
    public let detail: String?

    public init(url: String, checkedAt: Date, outcome: LinkOutcome, status: Int?, finalURL: String? = nil, detail: String? = nil) {
        self.url = url
        self.checkedAt = checkedAt
        self.outcome = outcome
        self.status = status
        self.finalURL = finalURL
        self.detail = detail
    }
}

/// When an entry needs someone to look at it again.
public enum Liveness {
    /// A link "keeps failing" after this many failed checks in a row (daily checks: three days).
    public static let failuresInARow = 3
    /// An entry nobody confirmed for this long needs verification.
    public static let confirmationPeriod: TimeInterval = 365 * 24 * 3600

    /// Whether an address keeps failing, from its checks newest first.
    public static func keepsFailing(_ newestFirst: [LinkCheck]) -> Bool {
        newestFirst.count >= failuresInARow && newestFirst.prefix(failuresInARow).allSatisfy { $0.outcome.isFailure }
    }

    /// Why a network needs verification, or nil: links that keep failing, or no confirmation for a year.
    /// `lastConfirmed` is the last "still correct" (or, never confirmed, the date of its source).
    public static func reasons(links: [String: [LinkCheck]], lastConfirmed: Date?, now: Date) -> [VerificationReason] {
        var reasons: [VerificationReason] = links.keys.sorted().compactMap { url in
            keepsFailing(links[url] ?? []) ? .linkFailing(url: url) : nil
        }
        if let lastConfirmed, now.timeIntervalSince(lastConfirmed) > confirmationPeriod {
            reasons.append(.notConfirmedSince(lastConfirmed))
        } else if lastConfirmed == nil {
            reasons.append(.neverConfirmed)
        }
        return reasons
    }
}

/// Why an entry needs verification.
public enum VerificationReason: Sendable, Hashable {
    case linkFailing(url: String)
    case notConfirmedSince(Date)
    case neverConfirmed
}
