import Dispatch
import Foundation
import Synchronization
import HummingbirdBcrypt
import HummingbirdOTP
import LiaisonCore
import LiaisonStore
import Metrics

/// A session found from its cookie: the account and how far its sign-in has come.
public struct Identity: Sendable {
    public let account: Account
    public let session: StoredSession

    /// Who the request acts as: the account once signed in fully, a visitor before.
    public var principal: Principal { session.stage == .complete ? account.principal : .visitor }
}

/// A sign-in step that succeeded: the cookie value of the new session and where it stands.
public struct SignInStep: Sendable {
    public let sessionID: String
    public let identity: Identity
}

/// Accounts as people use them: sign-in with throttling, second factor, sessions, mailed links, invitations.
/// Passwords are hashed with bcrypt off the request threads; tokens and session ids are stored hashed.
public struct AccountService: Sendable {
    let store: CatalogueStore
    public let settings: AccountSettings
    /// The texts of the mails it sends.
    let mail: MailTemplates
    /// Work a request starts and does not wait for.
    let background = BackgroundWork()

    init(store: CatalogueStore, settings: AccountSettings, mail: MailTemplates) {
        self.store = store
        self.settings = settings
        self.mail = mail
    }

    public var now: Date { settings.now() }

    // MARK: Passwords

    func hashPassword(_ password: String) async -> String {
        let cost = settings.bcryptCost
        return await Self.offThread { Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String?) async -> Bool {
        // Without an account, a hash is still checked, so that the time taken does not tell whether the address has one.
        let hash = hash ?? Self.decoyHash
        return await Self.offThread { Bcrypt.verify(password, hash: hash) }
    }

    private static let decoyHash = Bcrypt.hash(Secrets.token(), cost: 12)

    /// bcrypt on threads of its own, a few at a time: a burst of sign-ins waits its turn rather than taking
    /// every thread of the machine.
    private static let hashing = Turnstile(lanes: max(2, ProcessInfo.processInfo.activeProcessorCount))

    private static func offThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await hashing.run {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: work()) }
            }
        }
    }

    // MARK: Sign-in

    /// Checks an address and a password. Too many failures for the address's account or for the client address
    /// throttle further attempts; the answer is the same whether or not the account exists.
    public func signIn(email: String, password: String, address: String, userAgent: String?, replacing earlier: String?) async throws
        -> SignInStep
    {
        // What was typed is kept (for throttling and the audit log) only when it is an address: a password typed
        // into the wrong field must not be stored.
        let valid = try? Account.normalisedEmail(email)
        let key = valid ?? "(not an e-mail address)"
        let attempt = try await beginAttempt(key: key, address: address)
        let stored = valid == nil ? nil : try await store.storedAccount(email: key)
        let passwordMatches = await verifyPassword(password, hash: stored?.passwordHash)
        guard let stored, passwordMatches, stored.passwordHash != nil, !stored.account.disabled else {
            try await store.failSignInAttempt(accountKey: key, address: address, event: .signInFailed, at: now)
            Counter(label: "liaison_sign_in_failures_total").increment()
            throw AccountError.wrongCredentials
        }
        try await store.clearSignInAttempt(attempt)
        let account = stored.account
        let stage: SessionStage = account.secondFactorEnabled ? .secondFactor : account.role.requiresSecondFactor ? .enrol : .complete
        return try await startSession(account, stage: stage, address: address, userAgent: userAgent, replacing: earlier)
    }

    /// The second step: a code from the authenticator app, or one of the recovery codes.
    public func verifySecondFactor(_ identity: Identity, code: String, address: String, userAgent: String?) async throws -> SignInStep {
        let account = identity.account
        let attempt = try await beginAttempt(key: account.email, address: address)
        guard identity.session.stage == .secondFactor, let stored = try await store.storedAccount(id: account.id),
              let secret = stored.totpSecret
        else { throw AccountError.wrongCode }
        var accepted = false
        if let step = matchingStep(secret: secret, code: code) {
            accepted = try await store.claimSecondFactorStep(accountID: account.id, step: step)
        } else {
            let recovery = Secrets.normalisedRecoveryCode(code)
            if recovery.count == 10, try await store.useRecoveryCode(accountID: account.id, hash: Secrets.hash(recovery), at: now) {
                accepted = true
                try await store.audit(.recoveryCodeUsed, by: AuditActor(account, address: address), subject: account.email,
                                      detail: "\(try await store.unusedRecoveryCodes(accountID: account.id)) left", at: now)
            }
        }
        guard accepted else {
            try await store.failSignInAttempt(accountKey: account.email, address: address, event: .secondFactorFailed, at: now)
            throw AccountError.wrongCode
        }
        try await store.clearSignInAttempt(attempt)
        return try await startSession(account, stage: .complete, address: address, userAgent: userAgent, replacing: identity.session.idHash)
    }

    /// The time step of a six-digit code valid now (one step of clock drift either way), or nil.
    func matchingStep(secret: String, code: String) -> Int64? {
        let digits = code.filter { !$0.isWhitespace }
        guard digits.count == 6, let value = Int(digits) else { return nil }
        let totp = TOTP(secret: secret)
        let current = Int64(now.timeIntervalSince1970 / 30)
        for step in [current - 1, current, current + 1]
        where totp.compute(date: Date(timeIntervalSince1970: Double(step) * 30)) == value {
            return step
        }
        return nil
    }

    var throttle: ThrottleRule {
        ThrottleRule(window: settings.throttleWindow, perAccount: settings.failuresPerAccount, perAddress: settings.failuresPerAddress)
    }

    /// Records the attempt before checking anything; refused when the account or the address has failed too often.
    private func beginAttempt(key: String, address: String) async throws -> Int64 {
        let attempt = try await store.beginSignInAttempt(accountKey: key, address: address, rule: throttle, at: now)
        guard let id = attempt.id else { throw AccountError.throttled(until: attempt.throttledUntil ?? now) }
        return id
    }

    /// A new session (a new id at every step, replacing the session of the step before).
    func startSession(_ account: Account, stage: SessionStage, address: String?, userAgent: String?, replacing earlier: String?) async throws
        -> SignInStep
    {
        let id = Secrets.token()
        let start = now
        let end = stage == .complete ? settings.sessionLifetime : settings.secondFactorWindow
        let session = StoredSession(idHash: Secrets.hash(id), accountID: account.id, stage: stage, csrfToken: Secrets.token(),
                                    createdAt: start, lastSeenAt: start, expiresAt: start.addingTimeInterval(end),
                                    address: address, userAgent: userAgent.map { String($0.prefix(200)) })
        try await store.signIn(replacing: earlier, with: session, by: AuditActor(account, address: address), at: start)
        return SignInStep(sessionID: id, identity: Identity(account: account, session: session))
    }

    /// The session a cookie names, if it is still valid: not past its end, not idle too long, its account enabled.
    public func identity(sessionID: String) async throws -> Identity? {
        guard sessionID.count == 43 else { return nil }
        let hash = Secrets.hash(sessionID)
        guard let (session, stored) = try await store.session(idHash: hash) else { return nil }
        let now = self.now
        guard session.expiresAt > now, now.timeIntervalSince(session.lastSeenAt) < settings.sessionIdle, !stored.account.disabled else {
            try await store.endSession(idHash: hash, by: nil)
            return nil
        }
        // One write a minute at most, not one per request.
        if now.timeIntervalSince(session.lastSeenAt) > 60 {
            try await store.touchSession(idHash: hash, at: now)
        }
        // A role that needs a second factor, on an account without one (it was removed, or the role came with an
        // invitation): nothing but setting one up, whatever the session had reached.
        let account = stored.account
        guard session.stage == .complete, account.role.requiresSecondFactor, !account.secondFactorEnabled else {
            return Identity(account: account, session: session)
        }
        return Identity(account: account, session: StoredSession(
            idHash: session.idHash, accountID: session.accountID, stage: .enrol, csrfToken: session.csrfToken, createdAt: session.createdAt,
            lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt, address: session.address, userAgent: session.userAgent))
    }

    public func signOut(_ identity: Identity, address: String?) async throws {
        try await store.endSession(idHash: identity.session.idHash, by: AuditActor(identity.account, address: address), at: now)
    }

    public func signOutEverywhere(_ identity: Identity, address: String?) async throws {
        try await store.endSessions(accountID: identity.account.id, by: AuditActor(identity.account, address: address), at: now)
    }
}

/// Work a request starts and does not wait for, so that its answer takes as long whatever the work finds (a reset
/// request for an address with an account writes a link and a mail; one without writes nothing). Tests wait for it
/// with `settle()`.
final class BackgroundWork: Sendable {
    private let tasks = Mutex<[UUID: Task<Void, Never>]>([:])

    func run(_ body: @escaping @Sendable () async -> Void) {
        let id = UUID()
        // Made under the lock: a task that ends at once waits for its own entry before removing it.
        tasks.withLock { tasks in
            tasks[id] = Task { [self] in
                await body()
                _ = self.tasks.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    /// Returns when the work started so far is done.
    func settle() async {
        for task in tasks.withLock({ Array($0.values) }) { await task.value }
    }
}
