import Foundation
import Testing
@testable import LiaisonCore

/// Roles and permissions, the password rules, the invitation file and the account mails: plain Core.
@Suite struct AccountPolicyTests {
    static let focal = Principal(accountID: 2, role: .focalPoint, networks: ["carin"])

    @Test func eachRoleMayDoWhatTheIssueSaysAndNoMore() {
        let principals: [(Principal, String)] = [
            (.visitor, "visitor"), (Principal(accountID: 1, role: .practitioner), "practitioner"), (Self.focal, "focal point"),
            (Principal(accountID: 3, role: .editor), "editor"), (Principal(accountID: 4, role: .administrator), "administrator"),
        ]
        // Expected answers, role by role, in the order of `principals`.
        let table: [(Action, [Bool])] = [
            (.readCatalogue, [true, true, true, true, true]),
            (.signIn, [true, true, true, true, true]),
            (.manageOwnAccount, [false, true, true, true, true]),
            (.readRestricted, [false, true, true, true, true]),
            (.editNetwork(slug: "carin"), [false, false, true, true, true]),
            (.editNetwork(slug: "seepag"), [false, false, false, true, true]),
            (.invite(role: .focalPoint), [false, false, false, true, true]),
            (.invite(role: .editor), [false, false, false, true, true]),
            (.invite(role: .administrator), [false, false, false, false, true]),
            (.invite(role: .visitor), [false, false, false, false, false]),
            (.reviewProposals, [false, false, false, true, true]),
            (.manageMeetings, [false, false, false, true, true]),
            (.manageAccounts, [false, false, false, false, true]),
            (.readAuditLog, [false, false, false, false, true]),
        ]
        for (action, expected) in table {
            for ((principal, name), allowed) in zip(principals, expected) {
                #expect(Policy.allows(principal, action) == allowed, "\(name) → \(action)")
            }
        }
        // An administrator's role without an account (no session) is nothing: a role comes with a signed-in account.
        #expect(!Policy.allows(Principal(accountID: nil, role: .visitor), .manageOwnAccount))
        #expect(AccountRole.allCases.filter(\.requiresSecondFactor) == [.editor, .administrator])
    }

    @Test func weakPasswordsAreRefusedWithTheRuleAndWithoutThePassword() {
        let refused: [(String, String)] = [
            ("short-one", "at least 12"),
            ("Password2024!", "most often tried"),
            ("P@ssw0rd", "at least 12"),
            ("P@ssw0rd123456", "most often tried"),
            ("qwertyuiop1234", "most often tried"),
            ("123456789012345", "most often tried"),
            ("aaaaaaaaaaaaaaaa", "5 different"),
            ("abababababababab", "5 different"),
            ("abcdefghijklmnop", "most often tried"),
            ("jeanne.dupont-99!", "e-mail address"),
            (String(repeating: "é", count: 40), "72 bytes"),
            ("two\nlines-password", "line breaks"),
        ]
        for (password, rule) in refused {
            do {
                try PasswordPolicy.check(password, email: "jeanne.dupont@justice.example")
                Issue.record("“\(password)” was accepted")
            } catch let InputError.invalidValue(field, value, message) {
                #expect(field == "password")
                #expect(message.contains(rule), "\(password): \(message)")
                #expect(!value.contains(password) && !message.contains(password))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        for good in ["correct-horse-staple-liaison", "Mutual legal assistance 2026", "ǅ7#kL!pq2vZ9", "quatre mots sans rapport"] {
            #expect(throws: Never.self) { try PasswordPolicy.check(good, email: "jeanne.dupont@justice.example") }
        }
    }

    @Test func anInvitationFileIsMergedByAddressAndCheckedWhole() throws {
        let networks: Set<String> = ["carin", "seepag", "ejn"]
        let text = "network,email,language,role\r\ncarin,Ana@Example.org,fr,\r\nseepag,ana@example.org,fr,\r\n\"ejn\",\"b@example.org\",,editor\r\n"
        let list = try InvitationList.read(text, source: "people.csv", isNetwork: networks.contains)
        #expect(list.entries == [
            .init(email: "ana@example.org", role: .focalPoint, networks: ["carin", "seepag"], language: .fr),
            .init(email: "b@example.org", role: .editor, networks: ["ejn"], language: .en),
        ])

        let bad = "network,email\ncarin,ok@example.org\nnowhere,x@example.org\ncarin,not-an-address\n\"ejn, with comma\",c@example.org\n"
        do {
            _ = try InvitationList.read(bad, source: "people.csv", isNetwork: networks.contains)
            Issue.record("a wrong file was accepted")
        } catch let failure as ImportFailure {
            let lines = failure.errors.map(\.description)
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("people.csv:3: network: “nowhere”"))
            #expect(lines[1].hasPrefix("people.csv:4: email: “not-an-address”"))
            #expect(lines[2].hasPrefix("people.csv:5: network: “ejn, with comma”"))
        }
        #expect(throws: ImportFailure.self) { try InvitationList.read("network,mail\ncarin,a@b.org\n", source: "x", isNetwork: { _ in true }) }
        #expect(throws: ImportFailure.self) { try InvitationList.read("network,email\n", source: "x", isNetwork: { _ in true }) }
        #expect(throws: ImportFailure.self) { try InvitationList.read("network,email\n\"carin,a@b.org\n", source: "x", isNetwork: { _ in true }) }
    }
}
