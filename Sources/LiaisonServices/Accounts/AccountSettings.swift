import Foundation

/// The rules of accounts and sessions. The defaults are the production values; tests shorten the clock, not the rules.
public struct AccountSettings: Sendable {
    /// The address people use to reach the site, for links in mail (`https://liaison.example.org`).
    public var publicURL: String
    /// Idle limit: a session not used for this long ends.
    public var sessionIdle: TimeInterval = 60 * 60
    /// Absolute limit: a session ends this long after sign-in, whatever its activity.
    public var sessionLifetime: TimeInterval = 12 * 60 * 60
    /// Time to type the second factor's code after the password.
    public var secondFactorWindow: TimeInterval = 10 * 60
    public var invitationLifetime: TimeInterval = 7 * 24 * 60 * 60
    public var passwordResetLifetime: TimeInterval = 60 * 60
    public var emailChangeLifetime: TimeInterval = 24 * 60 * 60
    /// Password reset requests allowed from one client address in an hour, whatever addresses they name.
    public var resetRequestsPerClient = 10
    /// Address changes one account may ask for in an hour (each mails a link to the address given).
    public var emailChangesPerAccount = 5
    /// Failed sign-ins allowed per account, and per client address, in `throttleWindow`.
    public var failuresPerAccount = 5
    public var failuresPerAddress = 20
    public var throttleWindow: TimeInterval = 15 * 60
    /// Take the client address from X-Forwarded-For (only behind a proxy that sets it).
    public var trustForwardedFor = false
    /// bcrypt's cost: 12 or more in production (tests may lower it to keep the suite quick).
    var bcryptCost: UInt8 = 12
    /// The time; tests move it to expire sessions and links.
    package var now: @Sendable () -> Date = { Date() }

    public init(publicURL: String) {
        self.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
    }

    /// Whether cookies must be marked Secure: the site is served over HTTPS.
    package var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }
}
