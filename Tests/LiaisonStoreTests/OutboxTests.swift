import Foundation
import LiaisonCore
import Testing
@testable import LiaisonServices
@testable import LiaisonStore

/// The mail outbox on both databases: queued mail survives a restart, failures are retried later and kept.
@Suite struct OutboxTests {
    func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("liaison-mail-\(UUID().uuidString)")
    }

    struct RefusingTransport: MailTransport {
        func deliver(_ rendered: String, to recipient: String, id: Int64) async throws {
            throw MailDeliveryError(reason: "connection refused")
        }
    }

    @Test(arguments: Backend.available)
    func queuedMailSurvivesARestartAndIsDeliveredOnce(backend: Backend) async throws {
        let mail = folder()
        defer { try? FileManager.default.removeItem(at: mail) }
        try await backend.withStore { store async throws in
            try await store.migrate()
            let message = try MailMessage(to: "focal.point@example.org", subject: "Invitation à Liaison",
                                          text: "Bonjour,\nSuivez ce lien : https://liaison.example/invitations/abc\n", language: .fr)
            let id = try await store.enqueue(message)
            // The process stops before sending: another store on the same database takes over.
            try await CatalogueStore.withOpened(store.configuration) { restarted async throws in
                let sender = try MailSender(store: restarted, transport: FileMailTransport(directory: mail), from: "liaison@example.org")
                let first = try await sender.deliverDue()
                #expect(first.sent == 1 && first.failed == 0)
                #expect(try await sender.deliverDue().sent == 0)  // delivered once
            }

            let file = mail.appendingPathComponent(String(format: "%08lld.eml", id))
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains("To: focal.point@example.org\r\n"))
            #expect(text.contains("Subject: =?UTF-8?B?" + Data("Invitation à Liaison".utf8).base64EncodedString() + "?=\r\n"))
            #expect(text.contains("Content-Type: text/plain; charset=utf-8\r\n") && text.contains("Content-Language: fr\r\n"))
            #expect(text.contains("\r\n\r\nBonjour,\r\nSuivez ce lien : https://liaison.example/invitations/abc\r\n"))
            let stored = try #require(try await store.outbox().first)
            #expect(stored.sentAt != nil && stored.attempts == 1 && stored.lastError == nil)
            // The text (its links) does not stay in the database once delivered.
            #expect(stored.body == CatalogueStore.removedBody)
        }
    }

    /// Records what it is given, a little slowly (as a real transport is), so that two senders overlap.
    actor CountingTransport: MailTransport {
        var delivered: [Int64] = []

        func deliver(_ rendered: String, to recipient: String, id: Int64) async throws {
            try await Task.sleep(for: .milliseconds(5))
            delivered.append(id)
        }
    }

    @Test(arguments: Backend.available)
    func twoInstancesSendEachMessageOnceAndAStoppedOnesMessagesGoLater(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            for i in 0..<30 {
                try await store.enqueue(try MailMessage(to: "p\(i)@example.org", subject: "Hello", text: "x", language: .en))
            }
            // Two instances on one database, each with its own connection, sending at the same time.
            let transport = CountingTransport()
            let a = try MailSender(store: store, transport: transport, from: "liaison@example.org")
            let (x, y) = try await CatalogueStore.withOpened(store.configuration) { other async throws in
                let b = try MailSender(store: other, transport: transport, from: "liaison@example.org")
                async let first = a.deliverDue()
                async let second = b.deliverDue()
                return try await (first, second)
            }
            #expect(x.sent + y.sent == 30)
            let delivered = await transport.delivered
            #expect(delivered.count == 30 && Set(delivered).count == 30, "each message once")

            // An instance that claimed a message and stopped before sending it: the message goes after the lease.
            let id = try await store.enqueue(try MailMessage(to: "late@example.org", subject: "Hello", text: "x", language: .en))
            let start = Date()
            #expect(try await store.claimDueMail(at: start)?.id == id)
            #expect(try await store.claimDueMail(at: start.addingTimeInterval(599)) == nil)
            #expect(try await a.deliverDue(at: start.addingTimeInterval(601)).sent == 1)
            #expect(await transport.delivered.last == id)
            #expect(try await store.outbox().last?.attempts == 2, "the stopped attempt counts")

            // A message whose sender stops every time is given up after its attempts, not tried for ever.
            let doomed = try await store.enqueue(try MailMessage(to: "doomed@example.org", subject: "Hello", text: "x", language: .en))
            var time = start.addingTimeInterval(1000)
            for _ in 0..<3 {
                #expect(try await store.claimDueMail(at: time, maximumAttempts: 3)?.id == doomed)
                time.addTimeInterval(601)
            }
            #expect(try await store.claimDueMail(at: time, maximumAttempts: 3) == nil, "its attempts are used up")
            try await store.giveUpExhaustedMail(at: time, maximumAttempts: 3)
            let given = try #require(try await store.outbox().last)
            #expect(given.failedAt != nil && given.attempts == 3 && given.body == CatalogueStore.removedBody)
        }
    }

    @Test(arguments: Backend.available)
    func failedDeliveryIsRetriedLaterAndFinallyKept(backend: Backend) async throws {
        try await backend.withStore { store async throws in
            try await store.migrate()
            try await store.enqueue(try MailMessage(to: "a@example.org", subject: "Test", text: "x", language: .en))
            var sender = try MailSender(store: store, transport: RefusingTransport(), from: "liaison@example.org")
            sender.maximumAttempts = 3
            let start = Date()
            #expect(try await sender.deliverDue(at: start).failed == 1)
            // Not due again before the back-off: 1 minute after the first failure, then 2.
            #expect(try await store.dueMail(at: start.addingTimeInterval(59)).isEmpty)
            #expect(try await sender.deliverDue(at: start.addingTimeInterval(61)).failed == 1)
            #expect(try await store.dueMail(at: start.addingTimeInterval(61 + 119)).isEmpty)
            #expect(try await sender.deliverDue(at: start.addingTimeInterval(61 + 121)).failed == 1)
            // After the last attempt the message is kept, marked failed, with the reason.
            let kept = try #require(try await store.outbox().first)
            #expect(kept.attempts == 3 && kept.failedAt != nil && kept.sentAt == nil)
            #expect(kept.lastError == "connection refused")
            #expect(try await store.dueMail(at: start.addingTimeInterval(86_400)).isEmpty)
        }
    }

    /// A list's message keeps its headers through the outbox, on both databases, and sends them as written.
    @Test(arguments: Backend.available)
    func aListsHeadersGoThroughTheOutbox(backend: Backend) async throws {
        let mail = folder()
        defer { try? FileManager.default.removeItem(at: mail) }
        try await backend.withStore { store async throws in
            try await store.migrate()
            let headers = try [MailMessage.ListHeader(.listID, "Liaison newsletter <newsletter.liaison.example>"),
                               MailMessage.ListHeader(.listUnsubscribe, "<https://liaison.example/lists/unsubscribe/abc>"),
                               MailMessage.ListHeader(.listUnsubscribePost, "List-Unsubscribe=One-Click")]
            let id = try await store.enqueue(try MailMessage(to: "reader@example.org", subject: "News", text: "Hello.", language: .en,
                                                             headers: headers))
            #expect(try await store.outbox().first?.headers == headers.map(\.line))
            let sender = try MailSender(store: store, transport: FileMailTransport(directory: mail), from: "liaison@example.org")
            #expect(try await sender.deliverDue().sent == 1)
            let text = try String(contentsOf: mail.appendingPathComponent(String(format: "%08lld.eml", id)), encoding: .utf8)
            #expect(text.contains("\r\nList-Id: Liaison newsletter <newsletter.liaison.example>\r\n"))
            #expect(text.contains("\r\nList-Unsubscribe: <https://liaison.example/lists/unsubscribe/abc>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        }
    }

    @Test func aListHeaderCarriesNothingButItsOwnLine() throws {
        for bad in ["<https://x>\r\nBcc: b@example.org", "<https://x>\nBcc: b@example.org", "é", "", String(repeating: "a", count: 901)] {
            #expect(throws: InputError.self, "\(bad)") { try MailMessage.ListHeader(.listUnsubscribe, bad) }
        }
        #expect(throws: InputError.self) { try MailMessage.ListHeader(line: "Bcc: b@example.org") }
        #expect(throws: InputError.self) { try MailMessage.ListHeader(line: "List-Id") }
        #expect(try MailMessage.ListHeader(line: "List-Id: a <b.c>") == MailMessage.ListHeader(.listID, "a <b.c>"))
    }

    @Test func aFromAddressWithALineBreakIsRefused() async throws {
        try await Backend.sqlite.withStore { store async throws in
            #expect(throws: InputError.self) {
                try MailSender(store: store, transport: RefusingTransport(), from: "a@example.org\r\nBcc: b@example.org")
            }
        }
    }

    @Test func headerInjectionIsRefused() {
        // The refused value is shown with its line break replaced (U+FFFD): the error itself cannot carry it on.
        #expect(throws: InputError.invalidValue(field: "to", value: "a@example.org\u{FFFD}\u{FFFD}Bcc: b@example.org",
                                                    rule: "must be one e-mail address, name@example.org")) {
            try MailMessage(to: "a@example.org\r\nBcc: b@example.org", subject: "Hi", text: "", language: .en)
        }
        #expect(throws: InputError.self) {
            try MailMessage(to: "a@example.org", subject: "Hi\nBcc: b@example.org", text: "", language: .en)
        }
        for bad in ["", "no-at-sign", "two@@example.org", "a@example", "a b@example.org", "<a@example.org>"] {
            #expect(throws: InputError.self) { try MailMessage(to: bad, subject: "Hi", text: "", language: .en) }
        }
    }
}

/// The sendmail transport, against a stand-in `sendmail` (a script) instead of the system's.
@Suite struct SendmailTransportTests {
    func script(_ body: String) throws -> (URL, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-sendmail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("sendmail")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        return (folder, path)
    }

    @Test func theMessageGoesToSendmailOnItsStandardInput() async throws {
        let (folder, path) = try script(#"echo "$@" > "$(dirname "$0")/arguments"; cat > "$(dirname "$0")/message""#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let message = try MailMessage(to: "a@example.org", subject: "Test", text: "Hello\n", language: .en)
        let rendered = message.rendered(from: "liaison@example.org", messageID: "1@example.org", date: Date())
        try await SendmailTransport(path: path.path).deliver(rendered, to: "a@example.org", id: 1)
        #expect(try String(contentsOf: folder.appendingPathComponent("arguments"), encoding: .utf8) == "-t -i\n")
        #expect(try String(contentsOf: folder.appendingPathComponent("message"), encoding: .utf8) == rendered)
    }

    @Test func aRefusalIsAnErrorWithWhatSendmailSaid() async throws {
        let (folder, path) = try script("cat > /dev/null; echo 'relay refused' >&2; exit 75")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try await SendmailTransport(path: path.path).deliver("To: a@example.org\r\n\r\nx\r\n", to: "a@example.org", id: 2)
            Issue.record("a sendmail that exits with status 75 must be an error")
        } catch let error as MailDeliveryError {
            #expect(error.reason.contains("status 75") && error.reason.contains("relay refused"))
        }
    }

    /// A sendmail that leaves a child holding its output open (a queue runner started in the background) is done when
    /// it ends: its refusal is said at once, not when the child ends (reading to the pipe's end waited five minutes).
    @Test(.timeLimit(.minutes(1)))
    func aSendmailsBackgroundChildDoesNotHoldTheDelivery() async throws {
        let (folder, path) = try script(#"cat > /dev/null; echo 'deferred' >&2; sleep 300 & echo $! > "$(dirname "$0")/child"; exit 75"#)
        defer {
            if let child = try? String(contentsOf: folder.appendingPathComponent("child"), encoding: .utf8), let pid = Int32(child.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGKILL)
            }
            try? FileManager.default.removeItem(at: folder)
        }
        await #expect {
            try await SendmailTransport(path: path.path).deliver("To: a@example.org\r\n\r\nx\r\n", to: "a@example.org", id: 3)
        } throws: { error in
            "\(error)".contains("status 75") && "\(error)".contains("deferred")
        }
    }
}

extension OutboxTests {
    @Test(arguments: Backend.available)
    func aStoredMessageThatIsNotValidDoesNotHoldUpTheOthers(backend: Backend) async throws {
        let mail = folder()
        defer { try? FileManager.default.removeItem(at: mail) }
        try await backend.withStore { store async throws in
            try await store.migrate()
            // Written past the checks, as an older version or a hand edit might have.
            try await store.driver.withDatabase { db in
                try await db.raw("""
                    INSERT INTO outbox (recipient, subject, body, language, queued_at, next_attempt_at)
                    VALUES ('not an address', 'Bad', 'x', 'en', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')
                    """).run()
            }
            let good = try await store.enqueue(try MailMessage(to: "a@example.org", subject: "Good", text: "x", language: .en))
            let sender = try MailSender(store: store, transport: FileMailTransport(directory: mail), from: "liaison@example.org")
            let done = try await sender.deliverDue()
            #expect(done.sent == 1 && done.failed == 1)
            #expect(FileManager.default.fileExists(atPath: mail.appendingPathComponent(String(format: "%08lld.eml", good)).path))
            let bad = try #require(try await store.outbox().first { $0.subject == "Bad" })
            #expect(bad.failedAt != nil && bad.lastError?.contains("must be one e-mail address") == true)
        }
    }
}
