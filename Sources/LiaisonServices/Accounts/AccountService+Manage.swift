import Foundation
import Logging
import HummingbirdOTP
import LiaisonCore
import LiaisonStore

/// What a signed-in person does with their own account, and what the command line does for administrators.
extension AccountService {
    /// The key of a second factor for the account to enter in an authenticator app, kept with this session until a
    /// code confirms it: a reload shows the same key, another session (another person with the password) another.
    public func beginSecondFactor(_ identity: Identity) async throws -> SecondFactorSetup {
        let session = identity.session.idHash
        if let key = try await store.secondFactorKey(session: session) {
            return SecondFactorSetup(secret: key, account: identity.account.email)
        }
        let key = Secrets.secondFactorKey()
        try await store.setSecondFactorKey(session: session, key: key)
        return SecondFactorSetup(secret: key, account: identity.account.email)
    }

    /// Confirms the second factor with a code from the app; returns ten recovery codes (shown once) and, for a
    /// session that had to set it up first, the fully signed-in session that replaces it.
    public func confirmSecondFactor(_ identity: Identity, code: String, address: String?, userAgent: String?) async throws
        -> (recoveryCodes: [String], step: SignInStep?)
    {
        let account = identity.account
        guard !account.secondFactorEnabled, let key = try await store.secondFactorKey(session: identity.session.idHash),
              let step = matchingStep(secret: key, code: code)
        else { throw AccountError.wrongCode }
        let codes = Self.newRecoveryCodes()
        try await store.enableSecondFactor(accountID: account.id, key: key, step: step, recoveryCodeHashes: Self.hashes(of: codes),
                                           by: AuditActor(account, address: address), at: now)
        var signedIn: SignInStep?
        if identity.session.stage == .enrol {
            let updated = try await store.storedAccount(id: account.id)?.account ?? account
            signedIn = try await startSession(updated, stage: .complete, address: address, userAgent: userAgent,
                                              replacing: identity.session.idHash)
        }
        return (codes, signedIn)
    }

    /// Ten new recovery codes in place of the old ones (used or not), after the password.
    public func replaceRecoveryCodes(_ account: Account, password: String, address: String?) async throws -> [String] {
        guard await verifyPassword(password, hash: try await store.storedAccount(id: account.id)?.passwordHash) else {
            throw InputError.invalidValue(field: "current_password", value: "(not shown)", rule: "must be your current password")
        }
        let codes = Self.newRecoveryCodes()
        guard try await store.replaceRecoveryCodes(accountID: account.id, hashes: Self.hashes(of: codes),
                                                   by: AuditActor(account, address: address), at: now)
        else { throw InputError.invalidValue(field: "second_factor", value: "off", rule: "recovery codes come with a second factor: set one up first") }
        return codes
    }

    static func newRecoveryCodes() -> [String] { (0..<10).map { _ in Secrets.recoveryCode() } }

    static func hashes(of recoveryCodes: [String]) -> [String] {
        recoveryCodes.map { Secrets.hash(Secrets.normalisedRecoveryCode($0)) }
    }

    /// Turns the second factor off, after the password; refused for roles that require it.
    public func removeSecondFactor(_ account: Account, password: String, address: String?) async throws {
        guard await verifyPassword(password, hash: try await store.storedAccount(id: account.id)?.passwordHash) else {
            throw InputError.invalidValue(field: "current_password", value: "(not shown)", rule: "must be your current password")
        }
        guard !account.role.requiresSecondFactor else {
            throw InputError.invalidValue(field: "second_factor", value: "on", rule: "an \(account.role.rawValue) must sign in with a second factor")
        }
        try await store.disableSecondFactor(accountID: account.id, by: AuditActor(account, address: address), at: now)
    }

    /// Changes the password after the current one; other sessions end.
    public func changePassword(_ identity: Identity, current: String, new: String, address: String?) async throws {
        let account = identity.account
        guard await verifyPassword(current, hash: try await store.storedAccount(id: account.id)?.passwordHash) else {
            throw InputError.invalidValue(field: "current_password", value: "(not shown)", rule: "must be your current password")
        }
        try PasswordPolicy.check(new, email: account.email, field: "new_password")
        try await store.setPassword(accountID: account.id, hash: await hashPassword(new), keeping: identity.session.idHash,
                                    event: .passwordChanged, by: AuditActor(account, address: address), at: now)
    }

    // MARK: Mailed links

    /// Takes a reset request: at most ten an hour from one client (whatever the addresses: a client cannot mail many
    /// people), counted before the address is looked up. The rest — looking the address up, and for an account a
    /// link and a mail — is done after the answer, so the answer takes as long whether or not the address has an
    /// account (no enumeration by timing).
    public func requestPasswordReset(email: String, address: String?, logger: Logger) async throws {
        try await store.recordRequest(kind: "password-reset", address: address ?? "-", limit: settings.resetRequestsPerClient, at: now)
        background.run { [self] in
            do {
                try await mailPasswordReset(email: email, address: address)
            } catch {
                logger.error("password reset: the link could not be made or mailed: \(String(describing: error))")
            }
        }
    }

    /// Mails a reset link when the address has an enabled account; nothing otherwise. At most three links an hour
    /// for one address.
    func mailPasswordReset(email: String, address: String?) async throws {
        guard let email = try? Account.normalisedEmail(email), let stored = try await store.storedAccount(email: email),
              !stored.account.disabled
        else { return }
        let recent = try await store.tokensIssued(email: email, purpose: .passwordReset, since: now.addingTimeInterval(-3600))
        guard recent < 3 else { return }
        let token = Secrets.token()
        let expires = now.addingTimeInterval(settings.passwordResetLifetime)
        try await store.createToken(StoredToken(hash: Secrets.hash(token), purpose: .passwordReset, accountID: stored.account.id,
                                                email: email, role: nil, networks: [], language: stored.account.language,
                                                createdBy: nil, createdAt: now, expiresAt: expires),
                                    by: AuditActor(accountID: nil, email: email, address: address))
        try await store.enqueue(try mail.passwordReset(to: email, language: stored.account.language,
                                                              link: link("/password-reset/\(token)"), expires: expires), at: now)
    }

    /// Sets a new password from a reset link (every session of the account ends).
    public func resetPassword(token: String, password: String, address: String?) async throws -> Account {
        let record = try await usableLink(token, purpose: .passwordReset)
        try PasswordPolicy.check(password, email: record.email)
        return try await store.resetPassword(hash: Secrets.hash(token), passwordHash: await hashPassword(password), address: address, at: now)
    }

    /// Mails a confirmation link to a new address, after the current password. At most `emailChangesPerAccount` an
    /// hour for one account (counted before the password is checked: the form must not serve to guess it, nor to
    /// mail strangers without end).
    public func requestEmailChange(_ account: Account, newEmail: String, password: String, address: String?) async throws {
        try await store.recordRequest(kind: "email-change", address: "account \(account.id)", limit: settings.emailChangesPerAccount, at: now)
        guard await verifyPassword(password, hash: try await store.storedAccount(id: account.id)?.passwordHash) else {
            throw InputError.invalidValue(field: "current_password", value: "(not shown)", rule: "must be your current password")
        }
        let email = try Account.normalisedEmail(newEmail, field: "new_email")
        guard email != account.email else {
            throw InputError.invalidValue(field: "new_email", value: email, rule: "must differ from the current address")
        }
        let token = Secrets.token()
        let expires = now.addingTimeInterval(settings.emailChangeLifetime)
        try await store.createToken(StoredToken(hash: Secrets.hash(token), purpose: .emailChange, accountID: account.id, email: email,
                                                role: nil, networks: [], language: account.language, createdBy: account.id,
                                                createdAt: now, expiresAt: expires),
                                    by: AuditActor(account, address: address))
        try await store.enqueue(try mail.confirmAddress(to: email, language: account.language,
                                                               link: link("/account/email/\(token)"), expires: expires), at: now)
    }

    /// Moves the account to the confirmed address and tells the old one.
    public func confirmEmailChange(token: String, address: String?) async throws -> Account {
        let (account, previous) = try await store.confirmEmailChange(hash: Secrets.hash(token), address: address, at: now)
        try await store.enqueue(try mail.addressChanged(to: previous, language: account.language, newAddress: account.email), at: now)
        return account
    }

    // MARK: Invitations

    /// Invites a person to a role for some networks: a single-use link by mail, valid for `invitationLifetime`.
    /// The caller has checked that the inviter may invite to this role; the networks must be among `networkNames`
    /// (slug → name as the mail shows it).
    public func invite(email: String, role: AccountRole, networks: [String], language: Language, networkNames: [String: String],
                       by inviter: Account?, address: String?) async throws {
        let email = try Account.normalisedEmail(email)
        _ = try AccountRole.parseAssignable(role.rawValue, field: "role")
        for slug in networks where networkNames[slug] == nil {
            throw InputError.invalidValue(field: "networks", value: slug, rule: "must be the slug of a network of the catalogue")
        }
        if role == .focalPoint, networks.isEmpty {
            throw InputError.missingField(field: "networks")
        }
        let token = Secrets.token()
        let expires = now.addingTimeInterval(settings.invitationLifetime)
        try await store.createToken(StoredToken(hash: Secrets.hash(token), purpose: .invitation, accountID: nil, email: email, role: role,
                                                networks: networks.sorted(), language: language, createdBy: inviter?.id, createdAt: now,
                                                expiresAt: expires),
                                    by: inviter.map { AuditActor($0, address: address) } ?? .commandLine)
        let names = networks.sorted().map { networkNames[$0] ?? $0 }
        try await store.enqueue(try mail.invitation(to: email, language: language, role: role, networks: names,
                                                           link: link("/invitations/\(token)"), expires: expires,
                                                           invitedBy: inviter?.displayName), at: now)
    }

    /// An invitation that can still be accepted, and whether its address has an account with a password already.
    public func invitation(token: String) async throws -> (StoredToken, hasPassword: Bool) {
        let record = try await usableLink(token, purpose: .invitation)
        return (record, try await store.storedAccount(email: record.email)?.passwordHash != nil)
    }

    /// Accepts an invitation: the account exists afterwards, with the role, and is signed in.
    public func acceptInvitation(token: String, displayName: String, password: String?, address: String, userAgent: String?) async throws
        -> SignInStep
    {
        let (record, hasPassword) = try await invitation(token: token)
        var hash: String?
        if !hasPassword || !(password ?? "").isEmpty {
            guard let password, !password.isEmpty else { throw InputError.missingField(field: "password") }
            try PasswordPolicy.check(password, email: record.email)
            hash = await hashPassword(password)
        }
        if !hasPassword { _ = try Account.checkedName(displayName) }
        let account = try await store.acceptInvitation(hash: Secrets.hash(token), displayName: displayName, passwordHash: hash,
                                                       address: address, at: now)
        let stage: SessionStage = account.secondFactorEnabled ? .secondFactor : account.role.requiresSecondFactor ? .enrol : .complete
        return try await startSession(account, stage: stage, address: address, userAgent: userAgent, replacing: nil)
    }

    // MARK: Command line

    /// Creates an account from the command line, with a password checked against the policy (or none: the person
    /// then uses "forgot password" to choose one).
    public func createAccount(email: String, displayName: String, role: AccountRole, networks: [String], language: Language,
                              password: String?, knownNetworks: Set<String>) async throws -> Account {
        for slug in networks where !knownNetworks.contains(slug) {
            throw InputError.invalidValue(field: "networks", value: slug, rule: "must be the slug of a network of the catalogue")
        }
        var hash: String?
        if let password {
            try PasswordPolicy.check(password, email: email)
            hash = await hashPassword(password)
        }
        return try await store.createAccount(email: email, displayName: displayName, role: role, networks: networks, language: language,
                                             passwordHash: hash, by: .commandLine, at: now)
    }

    func link(_ path: String) -> String {
        settings.publicURL + path
    }
}

/// A second factor being set up: the key to type, and the `otpauth://` address an app can read.
public struct SecondFactorSetup: Sendable {
    public let secret: String
    public let account: String

    /// The key as authenticator apps expect it (Base32, in groups of four).
    public var displayKey: String {
        let base32 = String(TOTP(secret: secret).createAuthenticatorURL(label: account).split(separator: "secret=").last?
            .prefix { $0 != "&" } ?? "")
        return stride(from: 0, to: base32.count, by: 4).map { i in
            let start = base32.index(base32.startIndex, offsetBy: i)
            return String(base32[start..<(base32.index(start, offsetBy: 4, limitedBy: base32.endIndex) ?? base32.endIndex)])
        }.joined(separator: " ")
    }

    public var authenticatorURL: String {
        TOTP(secret: secret).createAuthenticatorURL(label: "Liaison:" + account, issuer: "Liaison")
    }

    /// The address as a QR code for the app's camera (nil only for an address too long for one, which needs
    /// an account address of well over a thousand characters; the key is still shown).
    public var qrCode: QRCode? {
        try? QRCode(authenticatorURL, errorCorrection: .medium)
    }
}

// MARK: What the account pages show

extension AccountService {
    /// The address a mailed link of `purpose` was sent to, while it can still be used (`AccountError` otherwise).
    public func usableLink(_ token: String, purpose: TokenPurpose) async throws -> StoredToken {
        try await store.usableToken(hash: Secrets.hash(token), purpose: purpose, at: now)
    }

    /// The authority a person states they work for, shown to the people whose directory entry they open.
    public func setAuthority(_ account: Account, to text: String) async throws {
        let authority = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextRules.checkLine(authority, field: "authority", limit: 200)
        try await store.setAuthority(accountID: account.id, authority: authority.isEmpty ? nil : authority)
    }

    public func authority(of account: Account) async throws -> String? {
        try await store.authority(accountID: account.id)
    }

    /// The language a person's mail is written in.
    public func setLanguage(_ account: Account, to language: Language) async throws {
        try await store.setLanguage(accountID: account.id, language: language)
    }

    /// A person's open sessions and how many recovery codes they have left.
    public func sessionsAndRecoveryCodes(of account: Account) async throws -> (sessions: [StoredSession], recoveryCodesLeft: Int) {
        (try await store.sessions(accountID: account.id), try await store.unusedRecoveryCodes(accountID: account.id))
    }
}
