import Foundation
import LiaisonCore
import Testing
@testable import LiaisonServices

/// The mails' texts come from the templates of `LiaisonServices/Resources/mail`, one per mail and language.
@Suite struct MailTemplatesTests {
    let mail: MailTemplates
    let expires = Date(timeIntervalSince1970: 1_800_000_000)
    let link = "https://liaison.example/invitations/abc"

    init() throws { mail = try MailTemplates.load() }

    @Test func anInvitationIsInTheRecipientsLanguageExactlyAsWritten() throws {
        let en = try mail.invitation(to: "a@example.org", language: .en, role: .focalPoint, networks: ["CARIN", "EJN"], link: link,
                                     expires: expires, invitedBy: "Ada")
        #expect(en.subject == "Invitation to Liaison, the platform of international judicial networks")
        #expect(en.text == """
            Hello,

            Ada invites you to join Liaison as focal point, for:

              - CARIN
              - EJN

            To accept, choose your password at this address (it works once, until 15 January 2027 at 08:00 UTC):

            https://liaison.example/invitations/abc

            If you did not expect this invitation, ignore this message: nothing happens without you.

            — Liaison, the platform of international judicial networks
            """)
        let fr = try mail.invitation(to: "a@example.org", language: .fr, role: .editor, networks: [], link: link, expires: expires, invitedBy: nil)
        #expect(fr.language == .fr && fr.subject.hasPrefix("Invitation à Liaison"))
        #expect(fr.text.hasPrefix("""
            Bonjour,

            Vous êtes invité à rejoindre Liaison en tant que éditeur.

            Pour accepter, choisissez votre mot de passe à cette adresse (valable une fois, jusqu’au 15 janvier 2027 à 08:00 UTC) :
            """), "\(fr.text)")
    }

    @Test func aDecisionSaysWhyOnlyWhenAReasonIsGiven() throws {
        let refused = try mail.proposalDecided(to: "p@example.org", language: .en, accepted: false, network: "CARIN", reason: "  Not in the sources.\n",
                                               link: "https://liaison.example/about")
        #expect(refused.subject == "Your proposal for CARIN")
        #expect(refused.text == """
            Hello,

            Thank you for your proposal about CARIN. The platform's secretariat did not accept it.

            Not in the sources.

            https://liaison.example/about

            — Liaison
            """)
        let accepted = try mail.proposalDecided(to: "p@example.org", language: .fr, accepted: true, network: "CARIN", reason: " ",
                                                link: "https://liaison.example/networks/carin")
        #expect(accepted.subject == "Votre proposition pour CARIN est acceptée")
        #expect(accepted.text.contains("en vous citant :\n\nhttps://liaison.example/networks/carin\n\n— Liaison"))
    }

    @Test func everyMailHasItsLinkAndValuesInBothLanguages() throws {
        let long = String(repeating: "Réseau ", count: 30)
        for language in Language.allCases {
            for message in [try mail.passwordReset(to: "a@example.org", language: language, link: link, expires: expires),
                            try mail.confirmAddress(to: "a@example.org", language: language, link: link, expires: expires)] {
                #expect(message.text.contains(link) && message.language == language)
                #expect(message.text.contains(MailText.date(expires, language)))
            }
            #expect(try mail.addressChanged(to: "old@example.org", language: language, newAddress: "new@example.org").text.contains("new@example.org"))
            let reminder = try mail.verificationReminder(to: "fp@example.org", language: language, network: long,
                                                         reasons: [VerificationReason.neverConfirmed.text(language)],
                                                         entry: "https://liaison.example/networks/x", link: link, expires: expires)
            #expect(reminder.text.contains("  - " + VerificationReason.neverConfirmed.text(language)))
            #expect(reminder.text.contains(long) && !reminder.subject.contains(long) && reminder.subject.contains("…"))
        }
    }

    @Test func aTemplateMissingOrWithoutItsSubjectStopsTheStart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-mail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = try #require(MailTemplates.directory)
        for file in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: directory.appendingPathComponent(file))
        }
        _ = try MailTemplates(directory: directory)
        try "Hello,\nno subject here".write(to: directory.appendingPathComponent("address-changed.fr.mustache"), atomically: true, encoding: .utf8)
        #expect(throws: TemplateError.self) { try MailTemplates(directory: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("address-changed.fr.mustache"))
        #expect(throws: TemplateError.self) { try MailTemplates(directory: directory) }
    }
}
