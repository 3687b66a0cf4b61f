import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// Accounts, sessions, single-use tokens, throttling counts and the audit log, on SQLite and PostgreSQL.
@Suite struct AccountStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func session(_ id: String, account: Int64, stage: SessionStage = .complete, at date: Date = t0) -> StoredSession {
        StoredSession(idHash: id, accountID: account, stage: stage, csrfToken: "csrf-\(id)", createdAt: date, lastSeenAt: date,
                      expiresAt: date.addingTimeInterval(3600), address: "192.0.2.1", userAgent: "test")
    }

    static func token(_ hash: String, _ purpose: TokenPurpose, email: String, account: Int64? = nil, role: AccountRole? = nil,
                      networks: [String] = [], expires: Date = t0.addingTimeInterval(3600)) -> StoredToken {
        StoredToken(hash: hash, purpose: purpose, accountID: account, email: email, role: role, networks: networks, language: .fr,
                    createdBy: nil, createdAt: t0, expiresAt: expires)
    }

    @Test(arguments: Backend.available)
    func accountsAreUniqueByAddressAndRolesEndSessions(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let ana = try await store.createAccount(email: " Ana@Example.ORG ", displayName: "Ana", role: .focalPoint, networks: ["seepag", "carin"],
                                                    language: .fr, passwordHash: "$2b$hash", by: .commandLine, at: Self.t0)
            #expect(ana.email == "ana@example.org" && ana.networks == ["carin", "seepag"] && ana.language == .fr)
            await #expect(throws: InputError.duplicate(field: "email", value: "ana@example.org")) {
                _ = try await store.createAccount(email: "ANA@example.org", displayName: "Other", role: .editor, language: .en,
                                                  passwordHash: nil, by: .commandLine)
            }
            await #expect(throws: InputError.self) {
                _ = try await store.createAccount(email: "v@example.org", displayName: "V", role: .visitor, language: .en, passwordHash: nil,
                                                  by: .commandLine)
            }
            #expect(try await store.storedAccount(email: "ANA@example.org")?.passwordHash == "$2b$hash")

            try await store.signIn(replacing: nil, with: Self.session("s1", account: ana.id), by: AuditActor(ana, address: "192.0.2.1"), at: Self.t0)
            try await store.signIn(replacing: nil, with: Self.session("s2", account: ana.id), by: AuditActor(ana, address: "192.0.2.1"), at: Self.t0)
            #expect(try await store.sessions(accountID: ana.id).count == 2)
            // A new step replaces the session of the step before.
            try await store.signIn(replacing: "s2", with: Self.session("s3", account: ana.id), by: AuditActor(ana, address: nil), at: Self.t0)
            #expect(try await store.session(idHash: "s2") == nil)
            #expect(try await store.session(idHash: "s3")?.1.account.email == "ana@example.org")

            let editor = try await store.setRole(accountID: ana.id, role: .editor, networks: [], by: .commandLine, at: Self.t0)
            #expect(editor.role == .editor && editor.networks.isEmpty)
            #expect(try await store.sessions(accountID: ana.id).isEmpty, "a new role ends the sessions")

            try await store.signIn(replacing: nil, with: Self.session("s4", account: ana.id), by: AuditActor(ana, address: nil), at: Self.t0)
            let disabled = try await store.setDisabled(accountID: ana.id, true, by: .commandLine, at: Self.t0)
            let remaining = try await store.sessions(accountID: ana.id)
            #expect(disabled.disabled && remaining.isEmpty)

            // Two creations of one address at once: one account, and the other told why (on PostgreSQL the unique
            // constraint decides).
            async let one = outcome { try await store.createAccount(email: "twin@example.org", displayName: "A", role: .practitioner,
                                                                    language: .en, passwordHash: nil, by: .commandLine) }
            async let two = outcome { try await store.createAccount(email: "twin@example.org", displayName: "B", role: .practitioner,
                                                                    language: .en, passwordHash: nil, by: .commandLine) }
            let twins = await [one, two]
            #expect(twins.filter { (try? $0.get()) != nil }.count == 1)
            #expect(twins.contains { if case let .failure(error) = $0 { (error as? InputError) == .duplicate(field: "email", value: "twin@example.org") } else { false } })

            let log = try await store.auditLog().filter { $0.subject != "twin@example.org" }
            #expect(log.map(\.event) == [.accountDisabled, .signIn, .roleChanged, .signIn, .signIn, .signIn, .accountCreated])
            #expect(log.first { $0.event == .roleChanged }?.detail == "focal_point (carin, seepag) → editor")
            #expect(log.last?.address == "cli")
        }
    }

    @Test(arguments: Backend.available)
    func aLinkWorksOnceAndNotAfterItsTime(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            try await store.createToken(Self.token("inv", .invitation, email: "new@example.org", role: .focalPoint, networks: ["carin"]),
                                        by: .commandLine)
            try await store.createToken(Self.token("old", .invitation, email: "late@example.org", expires: Self.t0.addingTimeInterval(60)),
                                        by: .commandLine)

            await #expect(throws: AccountError.linkUnknown) { _ = try await store.usableToken(hash: "nope", purpose: .invitation, at: Self.t0) }
            await #expect(throws: AccountError.linkUnknown) { _ = try await store.usableToken(hash: "inv", purpose: .passwordReset, at: Self.t0) }
            await #expect(throws: AccountError.linkExpired) {
                _ = try await store.acceptInvitation(hash: "old", displayName: "Late", passwordHash: "h", address: nil,
                                                     at: Self.t0.addingTimeInterval(61))
            }
            // Two acceptances at once: exactly one wins, the other finds the link used.
            async let first = outcome { try await store.acceptInvitation(hash: "inv", displayName: "New", passwordHash: "h1", address: nil, at: Self.t0) }
            async let second = outcome { try await store.acceptInvitation(hash: "inv", displayName: "New", passwordHash: "h2", address: nil, at: Self.t0) }
            let results = await [first, second]
            #expect(results.filter { (try? $0.get()) != nil }.count == 1)
            #expect(results.contains { if case let .failure(error) = $0 { (error as? AccountError) == .linkUsed } else { false } })
            let account = try #require(try await store.storedAccount(email: "new@example.org"))
            #expect(account.account.role == .focalPoint && account.account.networks == ["carin"] && account.account.language == .fr)
            await #expect(throws: AccountError.linkUsed) { _ = try await store.usableToken(hash: "inv", purpose: .invitation, at: Self.t0) }
            #expect(try await store.accounts().count == 1, "the expired link created nothing")

            // A reset ends every session and uses up its link.
            try await store.signIn(replacing: nil, with: Self.session("s", account: account.account.id), by: .commandLine, at: Self.t0)
            try await store.createToken(Self.token("reset", .passwordReset, email: "new@example.org", account: account.account.id), by: .commandLine)
            _ = try await store.resetPassword(hash: "reset", passwordHash: "h3", address: nil, at: Self.t0)
            #expect(try await store.storedAccount(email: "new@example.org")?.passwordHash == "h3")
            #expect(try await store.sessions(accountID: account.account.id).isEmpty)
            await #expect(throws: AccountError.linkUsed) { _ = try await store.resetPassword(hash: "reset", passwordHash: "h4", address: nil, at: Self.t0) }
            #expect(try await store.tokensIssued(email: "new@example.org", purpose: .passwordReset, since: Self.t0.addingTimeInterval(-1)) == 1)

            // An address change to an address in use is refused and changes nothing.
            _ = try await store.createAccount(email: "taken@example.org", displayName: "T", role: .practitioner, language: .en, passwordHash: nil,
                                              by: .commandLine)
            try await store.createToken(Self.token("move", .emailChange, email: "taken@example.org", account: account.account.id), by: .commandLine)
            await #expect(throws: InputError.duplicate(field: "email", value: "taken@example.org")) {
                _ = try await store.confirmEmailChange(hash: "move", address: nil, at: Self.t0)
            }
            #expect(try await store.storedAccount(id: account.account.id)?.account.email == "new@example.org")
            _ = try await store.usableToken(hash: "move", purpose: .emailChange, at: Self.t0)
        }
    }

    @Test(arguments: Backend.available)
    func secondFactorStepsAndRecoveryCodesAreUsedOnce(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let ed = try await store.createAccount(email: "ed@example.org", displayName: "Ed", role: .editor, language: .en, passwordHash: "h",
                                                   by: .commandLine)
            try await store.signIn(replacing: nil, with: Self.session("setting-up", account: ed.id, stage: .enrol), by: .commandLine, at: Self.t0)
            try await store.setSecondFactorKey(session: "setting-up", key: "secret")
            #expect(try await store.secondFactorKey(session: "setting-up") == "secret")
            #expect(try await store.storedAccount(id: ed.id)?.totpSecret == nil, "the account has no key before it is confirmed")
            try await store.enableSecondFactor(accountID: ed.id, key: "secret", step: 100, recoveryCodeHashes: ["r1", "r2"], by: .commandLine)
            #expect(try await store.storedAccount(id: ed.id)?.totpSecret == "secret")
            #expect(try await store.secondFactorKey(session: "setting-up") == nil)
            #expect(try await store.storedAccount(id: ed.id)?.account.secondFactorEnabled == true)
            #expect(try await store.claimSecondFactorStep(accountID: ed.id, step: 100) == false, "the enrolling code")
            #expect(try await store.claimSecondFactorStep(accountID: ed.id, step: 101) == true)
            #expect(try await store.claimSecondFactorStep(accountID: ed.id, step: 101) == false, "the same code again")
            #expect(try await store.claimSecondFactorStep(accountID: ed.id, step: 99) == false, "an older code")
            #expect(try await store.useRecoveryCode(accountID: ed.id, hash: "r1") == true)
            #expect(try await store.useRecoveryCode(accountID: ed.id, hash: "r1") == false)
            #expect(try await store.unusedRecoveryCodes(accountID: ed.id) == 1)
            // Confirmed once: a second confirmation (two at once) stores no second set of codes.
            await #expect(throws: AccountError.wrongCode) {
                try await store.enableSecondFactor(accountID: ed.id, key: "other", step: 102, recoveryCodeHashes: ["r3"], by: .commandLine)
            }
            #expect(try await store.useRecoveryCode(accountID: ed.id, hash: "r3") == false)
            try await store.disableSecondFactor(accountID: ed.id, by: .commandLine)
            let after = try #require(try await store.storedAccount(id: ed.id))
            #expect(!after.account.secondFactorEnabled && after.totpSecret == nil)
            #expect(try await store.unusedRecoveryCodes(accountID: ed.id) == 0)
        }
    }

    @Test(arguments: Backend.available)
    func attemptsAreCountedBeforeTheyAreCheckedAndSessionsExpire(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let rule = ThrottleRule(window: 900, perAccount: 3, perAddress: 5)
            // Ten attempts at once for one account from one client: only as many as the limit get through to be checked.
            let results = await withTaskGroup(of: SignInAttempt?.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try? await store.beginSignInAttempt(accountKey: "a@example.org", address: "192.0.2.1", rule: rule, at: Self.t0)
                    }
                }
                return await group.reduce(into: [SignInAttempt?]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 != nil }, "every attempt answered, none thrown")
            let admitted = results.compactMap { $0?.id }
            #expect(admitted.count == 3)
            let refused = results.compactMap { $0 }.filter { $0.id == nil }
            #expect(refused.count == 7 && refused.allSatisfy { $0.throttledUntil == Self.t0.addingTimeInterval(900) })
            for _ in admitted {
                try await store.failSignInAttempt(accountKey: "a@example.org", address: "192.0.2.0", event: .signInFailed, at: Self.t0)
            }
            // One line per failure, and one for the seven refused attempts.
            let log = try await store.auditLog()
            #expect(log.filter { $0.event == .signInFailed }.count == 3)
            #expect(log.filter { $0.event == .signInThrottled }.count == 1)
            #expect(log.filter { $0.event == .signInFailuresMounting }.isEmpty)
            // The owner, from another client, is not locked out by those failures; the account's count over every
            // client is noted once for the administrators.
            #expect(try await store.beginSignInAttempt(accountKey: "a@example.org", address: "203.0.113.7", rule: rule, at: Self.t0).id != nil)
            #expect(try await store.beginSignInAttempt(accountKey: "a@example.org", address: "203.0.113.8", rule: rule, at: Self.t0).id != nil)
            #expect(try await store.auditLog().filter { $0.event == .signInFailuresMounting }.count == 1)

            // Per address: other accounts from one address, up to its limit.
            for i in 0..<2 {
                #expect(try await store.beginSignInAttempt(accountKey: "x\(i)@example.org", address: "198.51.100.1", rule: rule, at: Self.t0).id != nil)
            }
            // A success no longer counts.
            let ok = try #require(try await store.beginSignInAttempt(accountKey: "b@example.org", address: "198.51.100.1", rule: rule, at: Self.t0).id)
            try await store.clearSignInAttempt(ok)
            for i in 2..<5 {
                #expect(try await store.beginSignInAttempt(accountKey: "x\(i)@example.org", address: "198.51.100.1", rule: rule, at: Self.t0).id != nil)
            }
            #expect(try await store.beginSignInAttempt(accountKey: "y@example.org", address: "198.51.100.1", rule: rule, at: Self.t0).id == nil)
            // After the window, the account is let through again.
            #expect(try await store.beginSignInAttempt(accountKey: "a@example.org", address: "192.0.2.1", rule: rule,
                                                       at: Self.t0.addingTimeInterval(901)).id != nil)

            let p = try await store.createAccount(email: "p@example.org", displayName: "P", role: .practitioner, language: .en,
                                                  passwordHash: "h", by: .commandLine)
            try await store.signIn(replacing: nil, with: Self.session("fresh", account: p.id, at: Self.t0), by: .commandLine, at: Self.t0)
            try await store.signIn(replacing: nil, with: Self.session("idle", account: p.id, at: Self.t0.addingTimeInterval(-7200)),
                                   by: .commandLine, at: Self.t0)
            let ended = try await store.purgeSessions(now: Self.t0, idleBefore: Self.t0.addingTimeInterval(-3600),
                                                      failuresBefore: Self.t0.addingTimeInterval(1))
            #expect(ended == 1)
            #expect(try await store.sessions(accountID: p.id).map(\.idHash) == ["fresh"])
            // The attempts older than the window are gone: the account's limit is free again at t0.
            #expect(try await store.beginSignInAttempt(accountKey: "a@example.org", address: "192.0.2.1", rule: rule, at: Self.t0).id != nil)
        }
    }

    @Test(arguments: Backend.available)
    func proposalsSentAtOnceFromOneAddressStayWithinTheLimit(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let draft = ProposalDraft(kind: .change, slug: "carin", source: "https://carin.example")
            let stored = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        (try? await store.submitProposal(draft, language: .en, address: "203.0.113.7", accountID: nil, perHour: 5, at: Self.t0)) != nil
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(stored == 5)
            #expect(try await store.proposals().count == 5)
        }
    }

    @Test(arguments: Backend.available)
    func requestsFromOneClientAreCountedTogetherEvenAtOnce(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let admitted = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 {
                    group.addTask { (try? await store.recordRequest(kind: "password-reset", address: "203.0.113.5", limit: 3, at: Self.t0)) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(admitted == 3)
            await #expect(throws: AccountError.throttled(until: Self.t0.addingTimeInterval(3_600))) {
                try await store.recordRequest(kind: "password-reset", address: "203.0.113.5", limit: 3, at: Self.t0)
            }
            // Another kind or another client has its own count; after the hour, the client is let through again.
            try await store.recordRequest(kind: "other", address: "203.0.113.5", limit: 3, at: Self.t0)
            try await store.recordRequest(kind: "password-reset", address: "203.0.113.6", limit: 3, at: Self.t0)
            try await store.recordRequest(kind: "password-reset", address: "203.0.113.5", limit: 3, at: Self.t0.addingTimeInterval(3_601))
        }
    }
}

/// The result of an async throwing call, to compare calls made at once.
func outcome<T: Sendable>(_ body: @Sendable () async throws -> T) async -> Result<T, any Error> {
    do { return .success(try await body()) } catch { return .failure(error) }
}
