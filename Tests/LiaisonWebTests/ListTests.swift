import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Mailing lists as the secretariat writes to them: double opt-in, each recipient in their language with the list's
/// headers and their own link to leave, lists of roles resolved when the message goes.
@Suite struct ListTests {
    static let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)

    /// The unsubscribe token in a list's message (the last part of its List-Unsubscribe address).
    static func unsubscribeToken(in message: String) throws -> String {
        let line = try #require(message.components(separatedBy: "\r\n").first { $0.hasPrefix("List-Unsubscribe: <") })
        return String(try #require(line.split(separator: "/").last).dropLast())
    }

    @Test func theNewsletterTakesDoubleOptInAndEachReaderCanLeaveInOneClick() async throws {
        try await AccountBed.run { bed, _ in
            let lists = bed.lists
            _ = try await lists.create(MailingList(slug: "newsletter", name: Bilingual(en: "Liaison newsletter", fr: "Lettre de Liaison"),
                                                   summary: Bilingual(en: "News of the networks."), audience: .anyone, owner: "secretariat@example.org"),
                                       by: Self.editor, actor: "test")
            let visitor = Principal(accountID: nil, role: .visitor)
            _ = try await lists.subscribe("newsletter", email: "Ann@Example.org", accountEmail: nil, language: .en, by: visitor, clientAddress: "203.0.113.1")
            _ = try await lists.subscribe("newsletter", email: "ben@example.org", accountEmail: nil, language: .fr, by: visitor, clientAddress: "203.0.113.1")
            let confirmation = try #require(try await InvitationTests.mails(to: "ann@example.org", bed).last)
            #expect(confirmation.contains("Subject: Confirm your subscription: Liaison newsletter"))
            let link = try #require(confirmation.components(separatedBy: "\r\n").first { $0.contains("/lists/confirm/") })
            let token = String(try #require(link.split(separator: "/").last).prefix { $0 != "?" })
            #expect(try await lists.confirm(token: token)?.email == "ann@example.org")
            #expect(try await lists.confirm(token: token) == nil, "the link works once")

            // Only Ann (confirmed) receives it, in English, with the list's headers; Ben never confirmed.
            #expect(try await lists.send("newsletter", subject: Bilingual(en: "The annual meeting's agenda", fr: "L’ordre du jour"),
                                         body: Bilingual(en: "**Agenda**\n\n1. Opening", fr: "1. Ouverture"), by: Self.editor, actor: "test") == 1)
            let message = try #require(try await InvitationTests.mails(to: "ann@example.org", bed).last)
            #expect(message.contains("Subject: The annual meeting's agenda\r\n") && message.contains("Agenda\r\n\r\n1. Opening"))
            #expect(message.contains("List-Id: \"Liaison newsletter\" <newsletter.lists.liaison.test>\r\n"))
            #expect(message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") && message.contains("Precedence: list\r\n"))
            #expect(try await InvitationTests.mails(to: "ben@example.org", bed).count == 1, "only the confirmation")
            #expect(try await lists.archive("newsletter", by: visitor).messages.map(\.recipients) == [1])

            // Ann leaves by the link of the message: the next one does not go to her.
            #expect(try await lists.unsubscribe(token: try Self.unsubscribeToken(in: message))?.email == "ann@example.org")
            #expect(try await lists.send("newsletter", subject: Bilingual(en: "Again"), body: Bilingual(en: "Text."), by: Self.editor, actor: "test") == 0)
            // A test goes to the editor alone, in both languages, and is not archived.
            #expect(try await lists.send("newsletter", subject: Bilingual(en: "Try", fr: "Essai"), body: Bilingual(en: "Text.", fr: "Texte."),
                                         by: Self.editor, actor: "test", testTo: "editor@example.org") == 2)
            let tests = try await InvitationTests.mails(to: "editor@example.org", bed)
            #expect(tests.count == 2 && tests.contains { $0.contains("Subject: [test] Try") } && tests.contains { $0.contains("Content-Language: fr") })
            #expect(try await lists.archive("newsletter", by: visitor).messages.count == 2)
            // Only editors write to lists.
            await #expect(throws: ServiceDenied.self) {
                try await lists.send("newsletter", subject: Bilingual(en: "x"), body: Bilingual(en: "y"), by: visitor, actor: "x")
            }
        }
    }

    @Test func aListsNameInItsHeaderKeepsItsAccentsInEncodedWords() throws {
        #expect(ListService.headerText("Liaison newsletter") == "\"Liaison newsletter\"")
        #expect(ListService.headerText("Lettre \"spéciale\" <x>\u{0}") == "=?UTF-8?B?" + Data("Lettre spéciale x".utf8).base64EncodedString() + "?=")
        let long = ListService.headerText(String(repeating: "Réseau judiciaire européen ", count: 8))
        let words = long.split(separator: " ")
        #expect(words.count > 1 && words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        let decoded = words.map { String(decoding: Data(base64Encoded: String($0.dropFirst(10).dropLast(2))) ?? Data(), as: UTF8.self) }.joined()
        #expect(decoded == String(String(repeating: "Réseau judiciaire européen ", count: 8).unicodeScalars.prefix(100)).trimmingCharacters(in: .whitespaces),
                "split between scalars, nothing lost but what passes 100 scalars")
        #expect(ListService.headerText("\u{7}") == "\"Liaison list\"")
    }

    @Test func aListOfRolesIsResolvedWhenTheMessageGoes() async throws {
        try await AccountBed.run { bed, _ in
            let lists = bed.lists
            _ = try await lists.create(MailingList(slug: "west-africa", name: Bilingual(en: "Networks covering Ghana"), summary: Bilingual(),
                                                   audience: .focalPoints(.covering(["GH"])), owner: "secretariat@example.org"),
                                       by: Self.editor, actor: "test")
            let ghana = Set(bed.catalogue.snapshot.memberships(of: "GH").map(\.networkSlug))
            let inGhana = try #require(ghana.sorted().first)
            let elsewhere = try #require(bed.catalogue.snapshot.networks.map(\.slug).first { !ghana.contains($0) })
            try await bed.account("in@example.org", role: .focalPoint, networks: [inGhana])
            try await bed.account("out@example.org", role: .focalPoint, networks: [elsewhere])
            let list = try await lists.list("west-africa")
            #expect(try await lists.recipients(of: list).map(\.email) == ["in@example.org"])
            #expect(try await lists.send("west-africa", subject: Bilingual(en: "Hello"), body: Bilingual(en: "Text."), by: Self.editor, actor: "t") == 1)
            let message = try #require(try await InvitationTests.mails(to: "in@example.org", bed).last)
            _ = try await lists.unsubscribe(token: try Self.unsubscribeToken(in: message))
            #expect(try await lists.recipients(of: list).isEmpty, "who left is not written to again")
            // Its archive is for its networks' focal points and the editors, not for another network's.
            #expect(lists.maySubscribe(Principal(accountID: 9, role: .focalPoint, networks: [inGhana]), to: list))
            #expect(!lists.maySubscribe(Principal(accountID: 9, role: .focalPoint, networks: [elsewhere]), to: list))
            await #expect(throws: ServiceDenied.self) {
                _ = try await lists.archive("west-africa", by: Principal(accountID: 9, role: .focalPoint, networks: [elsewhere]))
            }
            // A practitioners' list takes the signed-in person's own address, whatever is typed, and writes only to
            // those who are still practitioners.
            _ = try await lists.create(MailingList(slug: "practice", name: Bilingual(en: "Practice"), summary: Bilingual(), audience: .practitioners,
                                                   owner: "s@example.org"), by: Self.editor, actor: "t")
            let practitioner = try await bed.account("pat@example.org", role: .practitioner)
            _ = try await lists.subscribe("practice", email: "outsider@example.org", accountEmail: practitioner.email, language: .en,
                                          by: Principal(accountID: practitioner.id, role: .practitioner), clientAddress: "203.0.113.2")
            #expect(try await InvitationTests.mails(to: "outsider@example.org", bed).isEmpty)
            let confirm = try #require(try await InvitationTests.mails(to: "pat@example.org", bed).last)
            let link = try #require(confirm.components(separatedBy: "\r\n").first { $0.contains("/lists/confirm/") })
            _ = try await lists.confirm(token: String(try #require(link.split(separator: "/").last).prefix { $0 != "?" }))
            let practice = try await lists.list("practice")
            #expect(try await lists.recipients(of: practice).map(\.email) == ["pat@example.org"])
            _ = try await bed.store.setDisabled(accountID: practitioner.id, true, by: .commandLine)
            #expect(try await lists.recipients(of: practice).isEmpty, "a disabled account receives nothing")
            // Addresses of the site are no list's.
            await #expect(throws: InputError.self) {
                _ = try await lists.create(MailingList(slug: "unsubscribe", name: Bilingual(en: "x"), summary: Bilingual(), audience: .anyone,
                                                       owner: "s@example.org"), by: Self.editor, actor: "t")
            }
            await #expect(throws: InputError.self) {
                _ = try await lists.create(MailingList(slug: "bad", name: Bilingual(en: "Bad"), summary: Bilingual(),
                                                       audience: .focalPoints(.chosen(["no-such-network"])), owner: "s@example.org"),
                                           by: Self.editor, actor: "t")
            }
        }
    }

    /// The pages: a visitor subscribes and confirms; an editor previews (both languages, HTML shown as written), tests
    /// and sends; the reader's mail program leaves the list with RFC 8058's POST, without cookie or form token.
    @Test func aVisitorSubscribesAndAMailProgramUnsubscribesInOneClick() async throws {
        try await AccountBed.run { bed, client in
            var editor = try await MeetingPagesTests.editor(bed, client)
            #expect(try await editor.post("/lists/new", ["slug": "newsletter", "title_en": "Liaison newsletter", "title_fr": "Lettre de Liaison",
                                                         "summary_en": "News.", "summary_fr": "", "audience": "anyone"]).location == "/lists/newsletter")
            #expect(try await editor.post("/lists/new", ["slug": "Bad Slug", "title_en": "x", "audience": "anyone"]).status == .badRequest)
            var visitor = Browser(client)
            let page = try await visitor.get("/lists/newsletter?lang=en")
            #expect(page.status == .ok && page.page.contains("Open to anyone"))
            let asked = try await visitor.post("/lists/newsletter/subscribe", ["email": "reader@example.org", "language": "fr"])
            #expect(asked.status == .ok && asked.page.contains("open its link to confirm"))
            let confirmation = try #require(try await InvitationTests.mails(to: "reader@example.org", bed).last)
            #expect(confirmation.contains("Content-Language: fr"))
            let link = try #require(confirmation.components(separatedBy: "\r\n").first { $0.contains("/lists/confirm/") })
            let path = String(link.dropFirst("http://liaison.test".count))
            #expect(try await visitor.get(path).page.contains("Confirmer"))
            #expect(try await visitor.post(String(path.prefix { $0 != "?" }), [:]).page.contains("Vous êtes abonné(e)"))

            // The editor previews: Markdown shown, HTML in it as written, both languages.
            let preview = try await editor.post("/lists/newsletter/compose", ["step": "preview", "subject_en": "Agenda", "subject_fr": "Ordre du jour",
                                                                              "body_en": "**Bold** <script>x</script>", "body_fr": "*Italique*"])
            #expect(preview.page.contains("<strong>Bold</strong> &lt;script&gt;x&lt;/script&gt;") && preview.page.contains("<em>Italique</em>"))
            #expect(try await editor.post("/lists/newsletter/compose", ["step": "send", "subject_en": "Agenda", "subject_fr": "Ordre du jour",
                                                                        "body_en": "Text.", "body_fr": "Texte."]).location == "/lists/newsletter?sent=1")
            let message = try #require(try await InvitationTests.mails(to: "reader@example.org", bed).last)
            #expect(message.contains("Subject: Ordre du jour\r\n") && message.contains("Texte."))
            #expect(try await visitor.get("/lists/newsletter?lang=en").page.contains("<h3>Agenda</h3>"), "the archive")
            // A signed-in person's account page lists their lists.
            try await bed.account("reader@example.org", role: .practitioner)
            var reader = Browser(client)
            _ = try await AccountFlowTests.signIn(&reader, bed, "reader@example.org")
            #expect(try await reader.get("/account?lang=en").page.contains(#"<li><a href="/lists/newsletter">Liaison newsletter</a></li>"#))

            // The mail program's one-click POST: no cookie, no form token, just RFC 8058's body.
            let token = try Self.unsubscribeToken(in: message)
            let response = try await client.execute(uri: "/lists/unsubscribe/\(token)", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(response.status == .ok)
            #expect(try await bed.lists.recipients(of: try await bed.lists.list("newsletter")).isEmpty)
            // Other forms still need their token.
            let forged = try await client.execute(uri: "/lists/newsletter/subscribe", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "email=x%40example.org"))
            #expect(forged.status == .forbidden)
        }
    }
}
