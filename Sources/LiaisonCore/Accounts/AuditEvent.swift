import Foundation

/// What the audit log records: sign-ins and their failures, invitations, role changes, resets.
public enum AuditEvent: String, Sendable, CaseIterable, Codable {
    case signIn = "sign_in"
    case signInFailed = "sign_in_failed"
    case signInThrottled = "sign_in_throttled"
    /// An account failed to sign in more often than a client may, summed over several client addresses: noted for
    /// the administrators, without locking the account (a stranger could otherwise lock anyone out).
    case signInFailuresMounting = "sign_in_failures_mounting"
    case secondFactorFailed = "second_factor_failed"
    case recoveryCodeUsed = "recovery_code_used"
    case signOut = "sign_out"
    case signOutEverywhere = "sign_out_everywhere"
    case accountCreated = "account_created"
    case invitationSent = "invitation_sent"
    case invitationAccepted = "invitation_accepted"
    case roleChanged = "role_changed"
    case accountDisabled = "account_disabled"
    case accountEnabled = "account_enabled"
    case passwordResetRequested = "password_reset_requested"
    case passwordReset = "password_reset"
    case passwordChanged = "password_changed"
    case emailChangeRequested = "email_change_requested"
    case emailChanged = "email_changed"
    case secondFactorEnabled = "second_factor_enabled"
    case secondFactorDisabled = "second_factor_disabled"
    case recoveryCodesReplaced = "recovery_codes_replaced"
}

/// One line of the audit log: who did what, when, from where.
public struct AuditEntry: Sendable, Hashable {
    public let id: Int64
    public let at: Date
    public let event: AuditEvent
    /// The account that acted (nil: a visitor, or the command line).
    public let actorID: Int64?
    /// The address the actor gave or was known by (kept when the account changes address).
    public let actorEmail: String?
    /// Whom or what the event is about (an address, a network).
    public let subject: String?
    public let detail: String?
    /// The client's network address (or "cli").
    public let address: String?

    public init(id: Int64, at: Date, event: AuditEvent, actorID: Int64?, actorEmail: String?, subject: String?, detail: String?,
                address: String?) {
        self.id = id
        self.at = at
        self.event = event
        self.actorID = actorID
        self.actorEmail = actorEmail
        self.subject = subject
        self.detail = detail
        self.address = address
    }
}
