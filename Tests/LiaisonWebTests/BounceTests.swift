import Foundation
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Bounces as `liaison mail bounce` takes them: a report is matched to the message it names by the reference in its
/// Message-ID, counted against the address's subscription, and after repeated hard bounces the subscription is
/// suspended and the list's owner told in their language.
@Suite struct BounceTests {
    static let editor = ListTests.editor

    /// The report a mail server would send back for `message` (as delivered), naming `recipient`.
    static func report(for message: String, recipient: String, action: String = "failed", status: String = "5.1.1") throws -> [UInt8] {
        let line = try #require(message.components(separatedBy: "\r\n").first { $0.hasPrefix("Message-ID: ") })
        let report = [
            "From: MAILER-DAEMON@mx.example.org", "Subject: Delivery Status Notification (Failure)",
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"", "",
            "--dsn", "Content-Type: text/plain", "", "Your message could not be delivered.",
            "--dsn", "Content-Type: message/delivery-status", "", "Reporting-MTA: dns; mx.example.org", "",
            "Final-Recipient: rfc822; \(recipient)", "Action: \(action)", "Status: \(status)", "Diagnostic-Code: smtp; 550 No such user", "",
            "--dsn", "Content-Type: text/rfc822-headers", "", "To: \(recipient)", line, "",
            "--dsn--", "",
        ]
        return Array(report.joined(separator: "\r\n").utf8)
    }

    /// Sends a message to the list and returns what `address` received.
    static func send(_ subject: String, to address: String, list: String, _ bed: AccountBed) async throws -> String {
        _ = try await bed.lists.send(list, subject: Bilingual(en: subject), body: Bilingual(en: "Text."), by: editor, actor: "test")
        return try #require(try await InvitationTests.mails(to: address, bed).last { $0.contains("Subject: \(subject)\r\n") })
    }

    @Test func repeatedHardBouncesSuspendTheSubscriptionAndTellTheOwner() async throws {
        try await AccountBed.run { bed, _ in
            let lists = bed.lists
            _ = try await bed.accounts.createAccount(email: "owner@example.org", displayName: "Owner", role: .editor, networks: [], language: .fr,
                                                     password: AccountBed.password, knownNetworks: [])
            _ = try await lists.create(MailingList(slug: "newsletter", name: Bilingual(en: "Liaison newsletter", fr: "Lettre de Liaison"),
                                                   summary: Bilingual(), audience: .anyone, owner: "owner@example.org"),
                                       by: Self.editor, actor: "test")
            let visitor = Principal(accountID: nil, role: .visitor)
            for address in ["ann@example.org", "ben@example.org"] {
                _ = try await lists.subscribe("newsletter", email: address, accountEmail: nil, language: .en, by: visitor, clientAddress: "203.0.113.1")
                let link = try #require(try await InvitationTests.mails(to: address, bed).last?.components(separatedBy: "\r\n")
                    .first { $0.contains("/lists/confirm/") })
                _ = try await lists.confirm(token: String(try #require(link.split(separator: "/").last).prefix { $0 != "?" }))
            }
            let list = try await lists.list("newsletter")

            // The first hard bounce counts once, however often it is reported.
            let first = try await Self.send("One", to: "ann@example.org", list: "newsletter", bed)
            #expect(first.contains("Message-ID: <outbox-"), "the Message-ID carries the message's reference")
            let outcome = try await lists.receiveBounce(try Self.report(for: first, recipient: "ann@example.org"))
            #expect(outcome.hard && outcome.bounces == 1 && !outcome.suspended && outcome.isNew && outcome.list == "newsletter")
            #expect(!outcome.summary.contains("ann@"), "what the command prints names no address")
            #expect(try await lists.receiveBounce(try Self.report(for: first, recipient: "ann@example.org")).isNew == false)

            // A delay is recorded, not counted; the failure that follows for the same message counts.
            let second = try await Self.send("Two", to: "ann@example.org", list: "newsletter", bed)
            let delayed = try await lists.receiveBounce(try Self.report(for: second, recipient: "ann@example.org", action: "delayed", status: "4.4.1"))
            #expect(!delayed.hard && delayed.bounces == 1)
            #expect(try await lists.receiveBounce(try Self.report(for: second, recipient: "ann@example.org")).bounces == 2)
            #expect(try await lists.recipients(of: list).map(\.email) == ["ann@example.org", "ben@example.org"], "not suspended yet")

            // A forged report is refused and writes nothing: a Message-ID Liaison never sent, or another address.
            let before = try await bed.store.bounces(of: "ann@example.org").count
            let forged = try Self.report(for: "Message-ID: <outbox-1.00000000000000000000000000000000@liaison.test>\r\n", recipient: "ann@example.org")
            await #expect { try await lists.receiveBounce(forged) } throws: { "\($0)".contains("Message-ID") }
            let third = try await Self.send("Three", to: "ann@example.org", list: "newsletter", bed)
            await #expect { try await lists.receiveBounce(try Self.report(for: third, recipient: "ben@example.org")) } throws: {
                "\($0)".contains("Final-Recipient")
            }
            #expect(try await bed.store.bounces(of: "ann@example.org").count == before)
            #expect(try await bed.store.bounces(of: "ben@example.org").isEmpty)

            // The third hard bounce suspends Ann's subscription; the owner is told, in French.
            let suspended = try await lists.receiveBounce(try Self.report(for: third, recipient: "ann@example.org", status: "5.2.1"))
            #expect(suspended.suspended && suspended.bounces == 3)
            let told = try #require(try await InvitationTests.mails(to: "owner@example.org", bed).last)
            let subject = try #require(told.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: =?UTF-8?B?") })
            let decoded = try #require(Data(base64Encoded: String(subject.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2))))
            #expect(String(decoding: decoded, as: UTF8.self) == "Abonnement suspendu après des retours : Lettre de Liaison")
            #expect(told.contains("Content-Language: fr") && told.contains("ann@example.org") && told.contains("5.2.1"))
            #expect(told.contains("http://liaison.test/lists/newsletter?lang=fr"))
            #expect(try await lists.recipients(of: list).map(\.email) == ["ben@example.org"], "the list no longer writes to Ann")
            #expect(try await lists.subscriptions(of: "ann@example.org").map(\.status) == [.suspended])
            #expect(try await lists.send("newsletter", subject: Bilingual(en: "Four"), body: Bilingual(en: "Text."), by: Self.editor, actor: "test") == 1)

            // Her address works again: she subscribes again, confirms, and receives the list.
            _ = try await lists.subscribe("newsletter", email: "ann@example.org", accountEmail: nil, language: .en, by: visitor, clientAddress: "203.0.113.2")
            let link = try #require(try await InvitationTests.mails(to: "ann@example.org", bed).last?.components(separatedBy: "\r\n")
                .first { $0.contains("/lists/confirm/") })
            _ = try await lists.confirm(token: String(try #require(link.split(separator: "/").last).prefix { $0 != "?" }))
            #expect(try await lists.recipients(of: list).map(\.email) == ["ann@example.org", "ben@example.org"])

            // Once delivered, no message keeps its unsubscribe link in the outbox.
            #expect(try await bed.store.outbox().allSatisfy { $0.sentAt == nil || $0.headers.isEmpty })
        }
    }

    @Test func aListOfRolesStopsWritingToAFocalPointWhoseMailBounces() async throws {
        try await AccountBed.run { bed, _ in
            let lists = bed.lists
            let network = try #require(bed.catalogue.snapshot.networks.first?.slug)
            _ = try await lists.create(MailingList(slug: "focal-points", name: Bilingual(en: "Focal points"), summary: Bilingual(),
                                                   audience: .focalPoints(.every), owner: "owner@example.org"),
                                       by: Self.editor, actor: "test")
            try await bed.account("fp@example.org", role: .focalPoint, networks: [network])
            let list = try await lists.list("focal-points")
            for (index, subject) in ["One", "Two", "Three"].enumerated() {
                let message = try await Self.send(subject, to: "fp@example.org", list: "focal-points", bed)
                let outcome = try await lists.receiveBounce(try Self.report(for: message, recipient: "fp@example.org"))
                #expect(outcome.bounces == index + 1 && outcome.suspended == (index == 2))
            }
            #expect(try await lists.recipients(of: list).isEmpty)
            let told = try #require(try await InvitationTests.mails(to: "owner@example.org", bed).last)
            #expect(told.contains("Content-Language: en") && told.contains("once its account's address is corrected"))
        }
    }

    @Test func aBounceOfAMessageOfNoListIsRecordedOnly() async throws {
        try await AccountBed.run { bed, _ in
            _ = try await bed.store.enqueue(try MailMessage(to: "dan@example.org", subject: "Hello", text: "Text.", language: .en), at: bed.clock.now)
            let message = try #require(try await InvitationTests.mails(to: "dan@example.org", bed).last)
            let outcome = try await bed.lists.receiveBounce(try Self.report(for: message, recipient: "DAN@example.org"))
            #expect(outcome.list == nil && outcome.isNew && outcome.summary.hasSuffix("recorded (a message of no list)"))
            #expect(try await bed.store.bounces(of: "dan@example.org").map(\.status) == ["5.1.1"])
        }
    }
}
