import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import Metrics

/// Where delivered mail goes.
public protocol MailTransport: Sendable {
    /// Hands one rendered message over; throws when it was not taken.
    func deliver(_ rendered: String, to recipient: String, id: Int64) async throws
}

/// Writes each message as an `.eml` file in a folder: for development and tests (no mail leaves the machine).
public struct FileMailTransport: MailTransport {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func deliver(_ rendered: String, to recipient: String, id: Int64) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // Written whole or not at all: a reader never sees half a message.
        try Data(rendered.utf8).write(to: directory.appendingPathComponent(String(format: "%08lld.eml", id)), options: .atomic)
    }
}

/// Hands each message to the system's `sendmail -t -i` (Debian's msmtp-mta or postfix provide it).
public struct SendmailTransport: MailTransport {
    public let path: String

    public init(path: String = "/usr/sbin/sendmail") { self.path = path }

    public func deliver(_ rendered: String, to recipient: String, id: Int64) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-t", "-i"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(rendered.utf8))
        try input.fileHandleForWriting.close()
        // Its end asked of the system, as for every program Liaison runs (`Running.finish`: the pipe's closing and
        // Foundation's notice can both hang on descriptors another program inherited), on a thread of its own.
        let (said, status, _) = await Running(process: process, output: output.fileHandleForReading).finish(keeping: 500, stopPast: false)
        guard status == 0 else {
            throw MailDeliveryError(reason: "\(path) exited with status \(status): \(String(decoding: said, as: UTF8.self))")
        }
    }
}

public struct MailDeliveryError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}

/// Delivers the outbox: each due message is rendered, handed to the transport, then marked sent. A message
/// is marked only after the transport took it, so a stop in between sends it again rather than losing it.
/// A failed attempt is retried later, waiting twice as long each time (1 minute, 2, 4 … up to 6 hours);
/// after the last attempt the message stays in the outbox, marked failed. Several instances may run a sender on
/// one database: each message is claimed by one of them.
public struct MailSender: Sendable {
    public let store: CatalogueStore
    public let transport: any MailTransport
    /// The From address of every message.
    public let from: String
    public var maximumAttempts = 12
    let logger: Logger

    /// `from` goes into every message's header: it must be one address (no line break can add headers).
    public init(store: CatalogueStore, transport: any MailTransport, from: String, logger: Logger = Logger(label: "liaison.mail")) throws {
        try MailMessage.checkAddress(from, field: "from")
        self.store = store
        self.transport = transport
        self.from = from
        self.logger = logger
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failures.
    static func backoff(afterAttempts attempts: Int) -> TimeInterval {
        min(60 * pow(2, Double(max(0, attempts - 1))), 6 * 3600)
    }

    /// One pass over the due messages. Returns how many were delivered and how many failed.
    @discardableResult
    public func deliverDue(at date: Date = Date()) async throws -> (sent: Int, failed: Int) {
        var sent = 0, failed = 0
        let domain = from.split(separator: "@").last.map(String.init) ?? "liaison"
        try await store.giveUpExhaustedMail(at: date, maximumAttempts: maximumAttempts)
        // One message at a time: each is leased only for its own delivery. At most a batch a pass.
        for _ in 0..<50 {
            guard let mail = try await store.claimDueMail(at: date, maximumAttempts: maximumAttempts) else { break }
            let message: MailMessage
            do {
                message = try MailMessage(to: mail.recipient, subject: mail.subject, text: mail.body, language: mail.language, calendar: mail.calendar,
                                          headers: mail.headers.map(MailMessage.ListHeader.init(line:)))
            } catch {
                // A stored message that is not a valid message can never be sent: kept as failed, not retried,
                // so that it does not hold up the others.
                try await store.markFailed(mail.id, error: String(describing: error), retryAt: nil, at: date)
                failed += 1
                continue
            }
            let rendered = message.rendered(from: from, messageID: mail.messageID(domain: domain), date: date)
            do {
                try await transport.deliver(rendered, to: mail.recipient, id: mail.id)
            } catch {
                let attempts = mail.attempts
                let retryAt = attempts < maximumAttempts ? date.addingTimeInterval(Self.backoff(afterAttempts: attempts)) : nil
                // The reason is the transport's; the message itself (which may hold a link with a token) is not logged.
                logger.warning("mail \(mail.id) not delivered (attempt \(attempts)): \(String(describing: error))")
                try await store.markFailed(mail.id, error: String(describing: error), retryAt: retryAt, at: date)
                failed += 1
                continue
            }
            // Delivered: should the mark fail, the message goes again on a later pass (twice, never lost).
            try await store.markSent(mail.id, at: date)
            sent += 1
        }
        if failed > 0 { Counter(label: "liaison_outbox_failures_total").increment(by: failed) }
        if sent > 0 { Counter(label: "liaison_outbox_sent_total").increment(by: sent) }
        return (sent, failed)
    }
}
