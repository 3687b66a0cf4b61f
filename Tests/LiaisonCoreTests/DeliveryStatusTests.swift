import Foundation
import LiaisonCore
import Testing

/// Delivery status notifications (RFC 3464) as mail servers write them, read by `MIMEEntity` and `DeliveryStatusReport`.
@Suite struct DeliveryStatusTests {
    /// As Postfix writes one: the notice, the status (one recipient), the returned headers.
    static func postfix(recipient: String = "ann@example.org", action: String = "failed", status: String = "5.1.1",
                        messageID: String = "<outbox-7.0123456789abcdef0123456789abcdef@liaison.test>") -> String {
        """
        Return-Path: <>
        From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: secretariat@liaison.test
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        \tboundary="8F2B1C0A.1733500000/mx.example.org"

        This is a MIME-encapsulated message.

        --8F2B1C0A.1733500000/mx.example.org
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not
        be delivered to one or more recipients.

        --8F2B1C0A.1733500000/mx.example.org
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.org
        X-Postfix-Queue-ID: 8F2B1C0A
        Arrival-Date: Sun,  6 Dec 2026 10:00:00 +0000 (UTC)

        Final-Recipient: rfc822; \(recipient)
        Original-Recipient: rfc822;\(recipient)
        Action: \(action)
        Status: \(status)
        Remote-MTA: dns; mail.example.org
        Diagnostic-Code: smtp; 550 5.1.1 <\(recipient)>: Recipient address rejected:
            User unknown in virtual mailbox table

        --8F2B1C0A.1733500000/mx.example.org
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        From: secretariat@liaison.test
        To: \(recipient)
        Subject: The annual meeting
        Message-ID: \(messageID)

        --8F2B1C0A.1733500000/mx.example.org--

        """.replacingOccurrences(of: "\n", with: "\r\n")
    }

    @Test func aPostfixReportNamesTheRecipientTheFailureAndTheMessage() throws {
        let report = try DeliveryStatusReport(parsing: Array(Self.postfix().utf8))
        let recipient = try #require(report.recipients.first)
        #expect(report.recipients.count == 1)
        #expect(recipient.address == "ann@example.org" && recipient.action == .failed && recipient.status == "5.1.1")
        #expect(recipient.isHard && recipient.isBounce)
        #expect(recipient.diagnostic == "smtp; 550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
                "a folded field is unfolded")
        #expect(report.originalMessageID == "outbox-7.0123456789abcdef0123456789abcdef@liaison.test")
    }

    @Test func aDelayOrATransientFailureIsSoftAndADeliveryIsNoBounce() throws {
        let delayed = try #require(try DeliveryStatusReport(parsing: Array(Self.postfix(action: "delayed", status: "4.4.1").utf8)).recipients.first)
        #expect(delayed.isBounce && !delayed.isHard)
        let transient = try #require(try DeliveryStatusReport(parsing: Array(Self.postfix(status: "4.2.2").utf8)).recipients.first)
        #expect(transient.isBounce && !transient.isHard)
        let delivered = try #require(try DeliveryStatusReport(parsing: Array(Self.postfix(action: "delivered", status: "2.0.0").utf8)).recipients.first)
        #expect(!delivered.isBounce && !delivered.isHard)
    }

    /// As Exim or Exchange may: LF line ends, the report inside a multipart/mixed, its status in base64, the whole
    /// message returned (message/rfc822), two recipients.
    @Test func aWrappedEncodedReportWithTheWholeMessageIsRead() throws {
        let status = """
            Reporting-MTA: dns; exim.example.net

            Final-Recipient: rfc822;BEN@Example.net
            Action: failed
            Status: 5.2.2 (mailbox full)

            Final-Recipient: rfc822; carl@example.net
            Action: delayed
            Status: 4.4.7
            """
        let encoded = Data(status.utf8).base64EncodedString(options: .lineLength64Characters)
        let message = """
            From: Mail Delivery System <Mailer-Daemon@exim.example.net>
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/report; report-type="delivery-status"; boundary="inner"

            --inner
            Content-Type: text/plain

            This message was created automatically by mail delivery software.
            --inner
            Content-Type: message/delivery-status
            Content-Transfer-Encoding: base64

            \(encoded)
            --inner
            Content-Type: message/rfc822

            From: secretariat@liaison.test
            Message-ID:
             <outbox-9.ffffffffffffffffffffffffffffffff@liaison.test>
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Bonjour =C3=A0 tous
            --inner--
            --outer--
            """
        let report = try DeliveryStatusReport(parsing: Array(message.utf8))
        #expect(report.recipients.map(\.address) == ["ben@example.net", "carl@example.net"], "addresses in lower case")
        #expect(report.recipients.map(\.status) == ["5.2.2", "4.4.7"], "a comment after the status is not part of it")
        #expect(report.recipients.map(\.isHard) == [true, false])
        #expect(report.originalMessageID == "outbox-9.ffffffffffffffffffffffffffffffff@liaison.test")
    }

    @Test func whatIsNotAReportIsRefusedNamingTheRule() throws {
        let plain = "From: someone@example.org\r\nSubject: Re: the agenda\r\nContent-Type: text/plain\r\n\r\nThank you.\r\n"
        #expect { try DeliveryStatusReport(parsing: Array(plain.utf8)) } throws: { error in
            "\(error)".contains("message") && "\(error)".contains("text/plain") && "\(error)".contains("RFC 3464")
        }
        let noStatus = Self.postfix().replacingOccurrences(of: "Status: 5.1.1", with: "Status: five")
        #expect { try DeliveryStatusReport(parsing: Array(noStatus.utf8)) } throws: { error in "\(error)".contains("Status") && "\(error)".contains("5.1.1") }
        let badAction = Self.postfix(action: "vanished")
        #expect { try DeliveryStatusReport(parsing: Array(badAction.utf8)) } throws: { error in "\(error)".contains("Action") }
        let badAddress = Self.postfix(recipient: "not an address")
        #expect { try DeliveryStatusReport(parsing: Array(badAddress.utf8)) } throws: { error in "\(error)".contains("Final-Recipient") }
        #expect(throws: InputError.self) { try DeliveryStatusReport(parsing: []) }
    }

    @Test func hostileMessagesStayWithinTheirBounds() throws {
        // Too large: refused before anything is read.
        let huge = [UInt8](repeating: 0x41, count: MIMEEntity.maximumSize + 1)
        #expect { try MIMEEntity(parsing: huge) } throws: { error in "\(error)".contains("at most \(MIMEEntity.maximumSize) bytes") }
        // One header folded over 200,000 lines is read in one pass (it was copied per line before).
        let folded = "Subject: a" + String(repeating: "\r\n b", count: 200_000) + "\r\n\r\nbody"
        let entity = try MIMEEntity(parsing: Array(folded.utf8))
        #expect(entity.header("subject")?.count == 1 + 200_000 * 2)
        #expect(entity.text == "body")
        // A multipart of too many parts is refused.
        let many = "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + String(repeating: "--b\r\n\r\nx\r\n", count: MIMEEntity.maximumParts + 2) + "--b--\r\n"
        #expect { try MIMEEntity(parsing: Array(many.utf8)).parts() } throws: { error in "\(error)".contains("parts") }
        // Reports nested deeper than three levels are not looked for.
        var nested = Self.postfix()
        for level in 0..<4 { nested = "Content-Type: multipart/mixed; boundary=\"l\(level)\"\r\n\r\n--l\(level)\r\n" + nested + "\r\n--l\(level)--\r\n" }
        #expect(throws: InputError.self) { try DeliveryStatusReport(parsing: Array(nested.utf8)) }
        // A diagnostic is kept as one line of at most 300 characters, control characters replaced.
        let noisy = Self.postfix().replacingOccurrences(of: "smtp; 550", with: "smtp; \u{7}\u{202E}" + String(repeating: "x", count: 1_000))
        let diagnostic = try #require(try DeliveryStatusReport(parsing: Array(noisy.utf8)).recipients.first?.diagnostic)
        #expect(diagnostic.unicodeScalars.count == 300 && !diagnostic.unicodeScalars.contains("\u{7}") && !diagnostic.unicodeScalars.contains("\u{202E}"))
    }

    @Test func contentTypesAndTransferEncodingsAreRead() throws {
        let type = MIMEEntity.ContentType("Multipart/Report; REPORT-TYPE=delivery-status; boundary=\"a \\\"b\\\";c\"; x")
        #expect(type.type == "multipart/report")
        #expect(type.parameters == ["report-type": "delivery-status", "boundary": "a \"b\";c"])
        #expect(MIMEEntity.ContentType("nonsense").type == "text/plain")
        let quoted = try MIMEEntity(parsing: Array("Content-Transfer-Encoding: quoted-printable\r\n\r\nL=E2=80=99ordre=\r\n du jour =3D =ZZ".utf8))
        #expect(quoted.text == "L’ordre du jour = =ZZ")
        let base64 = try MIMEEntity(parsing: Array("Content-Transfer-Encoding: BASE64\r\n\r\nQm9u\r\nam91cg".utf8))
        #expect(base64.text == "Bonjour", "padding left out is put back")
    }
}
