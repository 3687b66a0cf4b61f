import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Discussions as the networks' people use them: a question in CARIN's space, a colleague's answer by replying to
/// the notification mail, nobody outside CARIN seeing any of it; a reply by mail that is forged, expired or from
/// another address posts nothing and tells only the account it concerns.
@Suite struct DiscussionTests {
    /// The reply address of a notification (its Reply-To).
    static func replyAddress(in message: String) throws -> String {
        let line = try #require(message.components(separatedBy: "\r\n").first { $0.hasPrefix("Reply-To: ") })
        return String(line.dropFirst("Reply-To: ".count))
    }

    /// A reply as a mail program writes it: the answer, the quoted notification, a signature.
    static func reply(from sender: String, to address: String, text: String, quoting original: String = "the question", headers: [String] = []) -> [UInt8] {
        Array("""
            \(headers.map { $0 + "\n" }.joined())From: Colleague <\(sender)>
            To: \(address)
            Subject: Re: [CARIN] Tracing a yacht
            Content-Type: multipart/alternative; boundary="b"

            --b
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            \(text)

            On Mon, 7 Dec 2026, Liaison <noreply@liaison.test> wrote:
            > \(original)

            --=20
            Ben Colleague, CARIN contact point
            --b
            Content-Type: text/html; charset=utf-8

            <p>ignored</p>
            --b--

            """.replacingOccurrences(of: "\n", with: "\r\n").utf8)
    }

    @Test func aQuestionInCARINsSpaceIsAnsweredByReplyingToTheMailAndSeenByCARINAlone() async throws {
        try await AccountBed.run { bed, client in
            try await bed.account("ann@example.org", role: .practitioner, networks: ["carin"])
            let ben = try await bed.account("ben@example.org", role: .focalPoint, networks: ["carin"])
            try await bed.store.setLanguage(accountID: ben.id, language: .fr)
            try await bed.account("ejn@example.org", role: .practitioner, networks: ["ejn"])
            var ann = Browser(client), benBrowser = Browser(client), ejn = Browser(client), visitor = Browser(client)
            _ = try await AccountFlowTests.signIn(&ann, bed, "ann@example.org")
            _ = try await AccountFlowTests.signIn(&benBrowser, bed, "ben@example.org")
            _ = try await AccountFlowTests.signIn(&ejn, bed, "ejn@example.org")

            // Ben follows CARIN's space, each message by mail.
            _ = try await benBrowser.get("/discussions/carin?lang=fr")
            #expect(try await benBrowser.post("/discussions/carin/follow", ["mode": "each"]).location == "/discussions/carin")
            // Ann asks in CARIN's space; the question is Markdown, its HTML shown as written.
            let space = try await ann.get("/discussions/carin?lang=en")
            #expect(space.status == .ok && space.page.contains(#"action="/discussions/carin/threads""#))
            let started = try await ann.post("/discussions/carin/threads", ["title": "Tracing a yacht",
                                                                            "body": "Who knows the **registry** of Malta? <script>alert(1)</script>"])
            let threadPath = try #require(started.location)
            let thread = try await ann.get(threadPath + "?lang=en")
            #expect(thread.page.contains("<strong>registry</strong>") && thread.page.contains("&lt;script&gt;") && !thread.page.contains("<script>alert"))
            #expect(thread.headers[.cacheControl] == "no-store")

            // Ben's mail, in French, with the question and a reply address of his own.
            let mail = try #require(try await InvitationTests.mails(to: "ben@example.org", bed).last)
            #expect(mail.contains("Content-Language: fr") && mail.contains("Who knows the registry of Malta?"))
            let address = try Self.replyAddress(in: mail)
            #expect(address.hasPrefix("reply+") && address.hasSuffix("@liaison.test"))
            // He answers by replying: what he quotes and his signature are left out; Ann, who follows her thread, is told.
            let received = try await bed.discussions.receive(Self.reply(from: "Ben@Example.org", to: address, text: "Ask Malta's ship registry =\nfirst."),
                                                             recipient: nil)
            #expect(received.post != nil, "\(received.summary)")
            let posts = try await bed.store.posts(threadID: try #require(received.thread))
            #expect(posts.map(\.body) == ["Who knows the **registry** of Malta? <script>alert(1)</script>", "Ask Malta's ship registry first."])
            #expect(posts.last?.via == .mail && posts.last?.authorName == "ben")
            let toAnn = try #require(try await InvitationTests.mails(to: "ann@example.org", bed).last)
            #expect(toAnn.contains("Ask Malta's ship registry first.") && toAnn.contains("Content-Language: en"))
            #expect((try await ann.get(threadPath + "?lang=en")).page.contains("by mail"))

            // Quoting a message fills the reply with it.
            let postID = try #require(posts.first?.id)
            #expect(try await ann.get(threadPath + "?quote=\(postID)&lang=en").page.contains("&gt; ann wrote:"))

            // Nobody outside CARIN sees any of it.
            #expect(try await ejn.get(threadPath).status == .notFound, "another network's thread is not there for them")
            #expect(try await ejn.get("/discussions/carin").status == .forbidden)
            #expect(!(try await ejn.get("/discussions?lang=en").page.contains("Tracing a yacht")))
            #expect(try await visitor.get(threadPath).status == .seeOther)
            #expect(try await ejn.post(threadPath + "/reply", ["body": "Intruding."]).status == .notFound)
            #expect(try await bed.store.posts(threadID: try #require(received.thread)).count == 2)
        }
    }

    @Test func aReplyByMailThatIsForgedExpiredOrFromAnotherAddressPostsNothing() async throws {
        try await AccountBed.run { bed, client in
            let ann = try await bed.account("ann@example.org", role: .practitioner, networks: ["carin"])
            let ben = try await bed.account("ben@example.org", role: .practitioner, networks: ["carin"])
            let threadID = try await bed.discussions.startThread(in: "carin", title: "Question", body: "First.", by: ann.principal, account: ann)
            try await bed.discussions.follow(thread: threadID, space: nil, mode: "each", by: ben.principal)
            _ = try await bed.discussions.reply(to: threadID, body: "Second.", by: ann.principal, account: ann)
            let address = try Self.replyAddress(in: try #require(try await InvitationTests.mails(to: "ben@example.org", bed).last))
            func count() async throws -> Int { try await bed.store.posts(threadID: threadID).count }

            // Another sender; a changed signature; another thread under the same signature; no address at all.
            // Another sender: the account the address was made for is told, at its own address; the sender is not.
            let other = try await bed.discussions.receive(Self.reply(from: "mallory@example.org", to: address, text: "Forged."), recipient: nil)
            #expect(other.post == nil && other.refusal?.contains("another address") == true && other.told && !other.unknown)
            #expect(try await InvitationTests.mails(to: "ben@example.org", bed).last?.contains("another address") == true)
            // Ben's own address, but the receiving server found the domain's DMARC policy failed: another sender too.
            let spoofed = Self.reply(from: "ben@example.org", to: address, text: "Spoofed.",
                                     headers: ["Authentication-Results: mx.example.org; spf=fail smtp.mailfrom=example.org; dmarc=fail header.from=example.org"])
            #expect(try await bed.discussions.receive(spoofed, recipient: nil).refusal?.contains("another address") == true)
            // A message to no reply address, unsigned, or whose signature does not hold, names no account: nobody is
            // told (not even the account of the address it claims to come from), and the mail server is to return it.
            let forged = address.replacingOccurrences(of: ".\(address.split(separator: ".")[3].prefix(4))", with: ".0000")
            let moved = address.replacingOccurrences(of: "reply+\(threadID).", with: "reply+\(threadID + 1).")
            for (to, from) in [(forged, "ben@example.org"), (moved, "ben@example.org"), ("someone@example.org", "ben@example.org"),
                               ("reply+1.2.3.x@example.org", "mallory@example.org")] {
                let refused = try await bed.discussions.receive(Self.reply(from: from, to: to, text: "x"), recipient: nil)
                #expect(refused.post == nil && !refused.told && refused.unknown && refused.refusal?.contains("reply address") == true)
            }
            let unreadable = try await bed.discussions.receive(Array("no header at all".utf8), recipient: nil)
            #expect(unreadable.post == nil && unreadable.unknown)
            // An absence notice posts nothing and tells nobody (else two responders would answer each other).
            for header in ["Auto-Submitted: auto-replied", "X-Autoreply: yes", "Precedence: auto_reply"] {
                let away = try await bed.discussions.receive(Self.reply(from: "ben@example.org", to: address, text: "I am away.", headers: [header]),
                                                             recipient: nil)
                #expect(away.post == nil && !away.told && !away.unknown && away.refusal?.contains("automatic") == true)
            }
            // Only quoted text: nothing to post.
            let empty = try await bed.discussions.receive(Self.reply(from: "ben@example.org", to: address, text: ""), recipient: nil)
            #expect(empty.post == nil && empty.refusal?.contains("nothing was left") == true && empty.told)
            // Too large.
            var huge = Self.reply(from: "ben@example.org", to: address, text: "x")
            huge += [UInt8](repeating: 0x61, count: DiscussionService.maximumMessage)
            #expect(try await bed.discussions.receive(huge, recipient: nil).refusal?.contains("larger") == true)
            #expect(try await count() == 2, "nothing was posted")
            // The account is told, in its language, why: at most five such mails an hour.
            for _ in 0..<3 { _ = try await bed.discussions.receive(Self.reply(from: "ben@example.org", to: address, text: ""), recipient: nil) }
            let told = try await InvitationTests.mails(to: "ben@example.org", bed).filter { $0.contains("Subject: Not posted:") }
            #expect(told.count == 5 && told.contains { $0.contains("larger than") })
            #expect(try await InvitationTests.mails(to: "mallory@example.org", bed).isEmpty)

            // The envelope recipient the mail server passes counts as the address; the genuine reply posts.
            let genuine = try await bed.discussions.receive(Self.reply(from: "ben@example.org", to: "list@example.org", text: "Genuine."), recipient: address)
            #expect(genuine.post != nil)
            #expect(try await count() == 3)
            // Six months later the address no longer works.
            bed.clock.advance(Double(DiscussionService.replyDays + 1) * 86_400)
            let late = try await bed.discussions.receive(Self.reply(from: "ben@example.org", to: address, text: "Late."), recipient: nil)
            #expect(late.post == nil && late.told && late.refusal?.contains("expired") == true)
            #expect(try await InvitationTests.mails(to: "ben@example.org", bed).last?.contains("has expired") == true)
            #expect(try await count() == 3)
            #expect(try await InvitationTests.mails(to: "mallory@example.org", bed).isEmpty, "never a mail to a stranger")
            _ = client
        }
    }

    @Test func reportsHidingLockingMovingAndEditsKeepTheirHistory() async throws {
        try await AccountBed.run { bed, client in
            let ann = try await bed.account("ann@example.org", role: .practitioner, networks: ["carin"])
            try await bed.account("carin-fp@example.org", role: .focalPoint, networks: ["carin"])
            try await bed.account("ejn-fp@example.org", role: .focalPoint, networks: ["ejn"])
            let threadID = try await bed.discussions.startThread(in: "carin", title: "Assets abroad", body: "A first text.", by: ann.principal, account: ann)
            let postID = try #require(try await bed.store.posts(threadID: threadID).first?.id)
            var annBrowser = Browser(client), moderator = Browser(client), other = Browser(client)
            _ = try await AccountFlowTests.signIn(&annBrowser, bed, "ann@example.org")
            _ = try await AccountFlowTests.signIn(&moderator, bed, "carin-fp@example.org")
            _ = try await AccountFlowTests.signIn(&other, bed, "ejn-fp@example.org")
            let path = "/discussions/threads/\(threadID)"

            // Ann edits her message: the earlier text is kept and shown in its history.
            _ = try await annBrowser.get(path + "?edit=\(postID)&lang=en")
            #expect(try await annBrowser.post("/discussions/posts/\(postID)/edit", ["body": "A better text."]).status == .seeOther)
            let history = try await annBrowser.get("/discussions/posts/\(postID)/history?lang=en")
            #expect(history.page.contains("A better text.") && history.page.contains("A first text."))
            #expect(try await moderator.get("/discussions/posts/\(postID)/history?lang=en").page.contains("A first text."),
                    "the moderators see the earlier texts")
            var reader = Browser(client)
            try await bed.account("cy@example.org", role: .practitioner, networks: ["carin"])
            _ = try await AccountFlowTests.signIn(&reader, bed, "cy@example.org")
            let others = try await reader.get("/discussions/posts/\(postID)/history?lang=en")
            #expect(others.page.contains("A better text.") && !others.page.contains("A first text."), "other readers see only the text as it is")
            // She reports nothing of hers, but a reader may report; the moderators see it.
            _ = try await annBrowser.get(path + "?lang=en")
            #expect(try await annBrowser.post("/discussions/posts/\(postID)/report", ["reason": "Names a suspect"]).status == .seeOther)
            let reports = try await moderator.get("/discussions/reports?lang=en")
            #expect(reports.page.contains("Assets abroad") && reports.page.contains("Names a suspect"))
            #expect(try await other.get("/discussions/reports?lang=en").page.contains("No message is reported."), "EJN's focal point sees CARIN's none")
            #expect(try await annBrowser.get("/discussions/reports").status == .forbidden)

            // CARIN's focal point hides it, with a reason: Ann no longer sees it, nor may edit it; the log keeps why.
            _ = try await moderator.get(path + "?lang=en")
            #expect(try await moderator.post(path + "/moderate", ["action": "hide-post", "post": "\(postID)", "reason": "Personal data"]).status == .seeOther)
            #expect(!(try await annBrowser.get(path + "?lang=en").page.contains("A better text.")))
            #expect(try await annBrowser.post("/discussions/posts/\(postID)/edit", ["body": "Again."]).status == .notFound)
            let moderated = try await moderator.get(path + "?lang=en")
            #expect(moderated.page.contains("A better text.") && moderated.page.contains("Hidden by a moderator: Personal data"))
            #expect(moderated.page.contains("carin-fp") && moderated.page.contains("Personal data"))
            // EJN's focal point may not moderate CARIN's space; a reason is required.
            #expect(try await other.post(path + "/moderate", ["action": "lock", "reason": "x"]).status == .notFound)
            #expect(try await moderator.post(path + "/moderate", ["action": "lock", "reason": ""]).status == .badRequest)

            // Locked: no reply, by the site or by mail.
            #expect(try await moderator.post(path + "/moderate", ["action": "lock", "reason": "Answered"]).status == .seeOther)
            await #expect { try await bed.discussions.reply(to: threadID, body: "More?", by: ann.principal, account: ann) } throws: {
                "\($0)".contains("locked")
            }
            // Moved to a topic: it is there, and its log says so.
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            _ = try await bed.discussions.createTopic(DiscussionSpace(slug: "asset-recovery", kind: .topic, name: Bilingual(en: "Asset recovery")), by: editor)
            // A focal point may not open CARIN's thread to every practitioner; an editor may.
            #expect(try await moderator.post(path + "/moderate", ["action": "move", "space": "asset-recovery", "reason": "Wider"]).status == .forbidden)
            try await bed.discussions.moderate(thread: threadID, post: nil, action: .move, reason: "Of wider interest", moveTo: "asset-recovery",
                                               by: editor, actor: "editor")
            #expect(try await bed.store.thread(id: threadID)?.spaceID == (try await bed.store.discussionSpace(slug: "asset-recovery", network: nil, at: Date()))?.id)
            #expect(try await bed.store.moderationLog(threadID: threadID).map(\.action) == [.move, .lock, .hidePost])
        }
    }

    @Test func topicsAddressesRepliesToHiddenThreadsEditsAndStoppingAfterLeaving() async throws {
        try await AccountBed.run { bed, client in
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            for slug in ["reports", "posts", "announce", "threads", "new", "carin"] {
                await #expect(throws: InputError.self, "\(slug) is the site's or a network's") {
                    _ = try await bed.discussions.createTopic(DiscussionSpace(slug: slug, kind: .topic, name: Bilingual(en: "x")), by: editor)
                }
            }
            await #expect { _ = try await bed.discussions.createTopic(DiscussionSpace(slug: "no-title", kind: .topic, name: Bilingual()), by: editor) } throws: {
                ($0 as? InputError)?.field == "title_en"
            }
            let ann = try await bed.account("ann@example.org", role: .practitioner, networks: ["carin"])
            let threadID = try await bed.discussions.startThread(in: "carin", title: "Assets", body: "First.", by: ann.principal, account: ann)
            let postID = try #require(try await bed.store.posts(threadID: threadID).first?.id)
            // A refused edit opens the form again with what was typed.
            var browser = Browser(client)
            _ = try await AccountFlowTests.signIn(&browser, bed, "ann@example.org")
            _ = try await browser.get("/discussions/threads/\(threadID)?edit=\(postID)")
            let refused = try await browser.post("/discussions/posts/\(postID)/edit", ["body": "Typed again \u{7}"])
            #expect(refused.status == .badRequest && refused.page.contains("Typed again"))
            // A hidden thread takes no reply, and says why.
            try await bed.discussions.moderate(thread: threadID, post: nil, action: .hideThread, reason: "Off topic", moveTo: "", by: editor, actor: "editor")
            await #expect { try await bed.discussions.reply(to: threadID, body: "More", by: editor, account: try #require(try await bed.store.storedAccount(id: 1)?.account)) } throws: {
                "\($0)".contains("is hidden")
            }
            // One who leaves CARIN may still stop following its space and thread (nothing would go to them anyway).
            try await bed.discussions.follow(thread: nil, space: "carin", mode: "each", by: ann.principal)
            let outside = Principal(accountID: ann.id, role: .practitioner, networks: [])
            try await bed.discussions.follow(thread: nil, space: "carin", mode: nil, by: outside)
            try await bed.discussions.follow(thread: threadID, space: nil, mode: nil, by: outside)
            let spaceID = try #require(try await bed.store.discussionSpace(slug: "carin", network: nil, at: Date())?.id)
            #expect(try await bed.store.following(accountID: ann.id, spaceID: spaceID, threadID: nil) == nil)
            #expect(try await bed.store.following(accountID: ann.id, spaceID: nil, threadID: threadID) == nil)
            await #expect(throws: (any Error).self, "but not follow it") {
                try await bed.discussions.follow(thread: nil, space: "carin", mode: "each", by: outside)
            }
        }
    }

    @Test func aDailyDigestGathersTheDaysMessagesOfWhatOneFollows() async throws {
        try await AccountBed.run { bed, _ in
            let ann = try await bed.account("ann@example.org", role: .practitioner, networks: ["carin"])
            let ben = try await bed.account("ben@example.org", role: .practitioner, networks: ["carin"])
            try await bed.discussions.follow(thread: nil, space: "carin", mode: "digest", by: ben.principal)
            #expect(try await bed.discussions.sendDigests() == 0, "not a day yet")
            bed.clock.advance(3_600)
            let thread = try await bed.discussions.startThread(in: "carin", title: "Frozen accounts", body: "How long may a freeze last?",
                                                               by: ann.principal, account: ann)
            // Six hours later Ben follows a topic's thread by digest too: still one digest a day, not one per clock.
            bed.clock.advance(6 * 3_600)
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            _ = try await bed.discussions.createTopic(DiscussionSpace(slug: "e-evidence", kind: .topic, name: Bilingual(en: "E-evidence")), by: editor)
            let topic = try await bed.discussions.startThread(in: "e-evidence", title: "Cloud orders", body: "Who answers first?", by: ann.principal, account: ann)
            try await bed.discussions.follow(thread: topic, space: nil, mode: "digest", by: ben.principal)
            bed.clock.advance(60)
            _ = try await bed.discussions.reply(to: thread, body: "Ninety days, *renewable*.", by: ann.principal, account: ann)
            _ = try await bed.discussions.reply(to: topic, body: "The provider.", by: ann.principal, account: ann)
            #expect(try await InvitationTests.mails(to: "ben@example.org", bed).isEmpty, "a digest reader gets no mail per message")
            bed.clock.advance(86_400 - 6 * 3_600 - 60)
            // Two instances asking at once: the digest is claimed by one.
            let due = try await bed.store.dueDigests(at: bed.clock.now)
            #expect(due.count == 2, "both of Ben's subscriptions go together")
            #expect(try await bed.discussions.sendDigests() == 1)
            #expect(try await bed.store.markDigested(due.map { ($0, bed.clock.now) }, mail: nil, at: bed.clock.now) == false, "already claimed")
            let digests = try await InvitationTests.mails(to: "ben@example.org", bed)
            #expect(digests.count == 1)
            let digest = try #require(digests.last)
            #expect(digest.contains("Subject: The day's messages in your discussions (3)") && digest.contains("Auto-Submitted: auto-generated"))
            #expect(digest.contains("Frozen accounts") && digest.contains("How long may a freeze last?") && digest.contains("Ninety days, renewable."))
            #expect(digest.contains("Cloud orders") && digest.contains("The provider.") && !digest.contains("Who answers first?"),
                    "what was written before Ben followed the thread is not in it")
            bed.clock.advance(6 * 3_600)
            #expect(try await bed.discussions.sendDigests() == 0, "once a day")
            bed.clock.advance(86_400)
            #expect(try await bed.discussions.sendDigests() == 0, "nothing new: nothing sent")
        }
    }

    @Test func theSecretariatAnnouncesInEverySpace() async throws {
        try await AccountBed.run { bed, _ in
            let editorAccount = try await bed.account("secretariat@example.org", role: .editor, secondFactor: "AnnounceKey0123456789")
            let editor = Principal(accountID: editorAccount.id, role: .editor, usesSecondFactor: true)
            let ann = try await bed.account("ann@example.org", role: .practitioner, networks: ["carin"])
            try await bed.discussions.follow(thread: nil, space: "carin", mode: "each", by: ann.principal)
            _ = try await bed.discussions.createTopic(DiscussionSpace(slug: "e-evidence", kind: .topic, name: Bilingual(en: "E-evidence")), by: editor)
            let active = bed.catalogue.snapshot.networks.filter { $0.status.value == .active }.count
            #expect(try await bed.discussions.announce(title: "Annual meeting", body: "See you in March.", by: editor, account: editorAccount) == active + 1)
            let carin = try await bed.discussions.spacePage("carin", page: 1, by: ann.principal)
            #expect(carin.threads.first?.announcement == true && carin.threads.first?.title == "Annual meeting")
            let mail = try #require(try await InvitationTests.mails(to: "ann@example.org", bed).last)
            #expect(mail.contains("See you in March.") && mail.contains("Auto-Submitted: auto-generated"))
            #expect(mail.contains("you follow the space \"Camden") && mail.contains("page and choose \"Stop following\": http://liaison.test/discussions/carin?lang=en"),
                    "she is told where to stop")
            // One announcement is not as many posts of the editor's hour: a reply of theirs still goes.
            let thread = try #require(carin.threads.first?.id)
            _ = try await bed.discussions.reply(to: thread, body: "The agenda follows.", by: editor, account: editorAccount)
            #expect(try await bed.store.following(accountID: editorAccount.id, spaceID: nil, threadID: try #require(
                (try await bed.discussions.spacePage("e-evidence", page: 1, by: editor)).threads.first?.id)) == nil,
                    "an announcement's author does not follow each space's thread")
            await #expect(throws: ServiceDenied.self) {
                try await bed.discussions.announce(title: "x", body: "y", by: ann.principal, account: ann)
            }
        }
    }

    @Test func aPostPointsToLibraryDocumentsEachReaderSeeingOnlyThoseTheyMay() async throws {
        try await AccountBed.run { bed, client in
            let editor = Principal(accountID: 1, role: .editor, usesSecondFactor: true)
            _ = try await bed.discussions.createTopic(DiscussionSpace(slug: "asset-recovery", kind: .topic, name: Bilingual(en: "Asset recovery")), by: editor)
            var draft = DocumentDraft()
            draft.link = "https://example.org/guide.pdf"
            draft.titleEN = "CARIN's restricted guide"
            draft.networks = ["carin"]
            draft.visibility = "networks"
            draft.visibleNetworks = ["carin"]
            let restricted = try #require(try await bed.library.add(draft, file: nil, translationOf: nil, by: editor, actor: "editor").id)
            draft.titleEN = "A public model form"
            draft.visibility = "public"
            let open = try #require(try await bed.library.add(draft, file: nil, translationOf: nil, by: editor, actor: "editor").id)
            try await bed.account("carin@example.org", role: .practitioner, networks: ["carin"])
            try await bed.account("ejn@example.org", role: .practitioner, networks: ["ejn"])
            var carin = Browser(client), ejn = Browser(client)
            _ = try await AccountFlowTests.signIn(&carin, bed, "carin@example.org")
            _ = try await AccountFlowTests.signIn(&ejn, bed, "ejn@example.org")
            _ = try await carin.get("/discussions/asset-recovery?lang=en")
            let started = try await carin.post("/discussions/asset-recovery/threads", ["title": "Guides", "body": "See these.",
                                                                                       "attachments": "\(restricted), /library/\(open)"])
            let path = try #require(started.location)
            let carinView = try await carin.get(path + "?lang=en").page
            #expect(carinView.contains("CARIN&#39;s restricted guide") && carinView.contains("A public model form"))
            let ejnView = try await ejn.get(path + "?lang=en").page
            #expect(ejnView.contains("See these.") && ejnView.contains("A public model form") && !ejnView.contains("restricted guide"))
            // One may point only to what one may see.
            _ = try await ejn.get(path + "?lang=en")
            let refused = try await ejn.post(path + "/reply", ["body": "And this?", "attachments": "\(restricted)"])
            #expect(refused.status == .badRequest && refused.page.contains("attachments: “\(restricted)” is not allowed"))
            #expect(throws: InputError.self) { try DiscussionPost.attachments("../etc/passwd") }
        }
    }

    @Test func mailRepliesAreStrippedOfQuotesAndSignatures() {
        #expect(MailReplyText.stripped("Yes.\n\nLe lun. 7 déc. 2026, Ann a écrit :\n> Question?") == "Yes.")
        #expect(MailReplyText.stripped("Yes.\nOn Mon, 7 Dec 2026 at 10:00, Ann Example\n<ann@example.org> wrote:\n> Q") == "Yes.")
        #expect(MailReplyText.stripped("Line one\nline two\n-- \nBen") == "Line one\nline two")
        #expect(MailReplyText.stripped("Top.\n-----Original Message-----\nFrom: x") == "Top.")
        #expect(MailReplyText.stripped("\n\n> only quoted") == "")
    }
}
