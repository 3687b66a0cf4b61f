import Foundation

/// What can go wrong when signing in or following a mailed link. The messages never say whether an
/// address has an account.
public enum AccountError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The address or the password is wrong (or the account is disabled: the same words, on purpose).
    case wrongCredentials
    /// The one-time code or recovery code is wrong or was used already.
    case wrongCode
    /// Too many failed attempts; try again after this time.
    case throttled(until: Date)
    /// A mailed link that no record matches.
    case linkUnknown
    /// A mailed link that was used already.
    case linkUsed
    /// A mailed link past its expiry.
    case linkExpired

    public var description: String {
        switch self {
        case .wrongCredentials: "The e-mail address or the password is wrong."
        case .wrongCode: "The code is wrong or was used already."
        case let .throttled(until):
            "Too many failed attempts. Try again after \(until.formatted(Date.ISO8601FormatStyle())) (UTC)."
        case .linkUnknown: "This link is not valid. Check that it was copied whole, or ask for a new one."
        case .linkUsed: "This link was used already; each link works once. Ask for a new one if you need it."
        case .linkExpired: "This link has expired. Ask for a new one."
        }
    }
}

extension AccountError {
    /// Whole minutes (at least one) until `date`: when someone throttled may try again.
    public static func minutesLeft(until date: Date, now: Date = Date()) -> Int {
        max(1, Int((date.timeIntervalSince(now) / 60).rounded(.up)))
    }
}
