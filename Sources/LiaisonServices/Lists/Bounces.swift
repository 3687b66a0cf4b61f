import Foundation
import LiaisonCore
import LiaisonStore

/// What `liaison mail bounce` made of a report. It names the message and the list, never the address: what the
/// command prints goes to the mail server's logs.
public struct BounceOutcome: Sendable, Equatable {
    /// `outbox-12`.
    public let message: String
    public let hard: Bool
    public let status: String
    /// The slug of the list the message was from.
    public let list: String?
    /// The address's hard bounces on that list so far.
    public let bounces: Int
    /// Whether this report suspended the subscription (and the owner was told).
    public let suspended: Bool
    /// False when this bounce had been recorded already.
    public let isNew: Bool

    public var summary: String {
        var text = "\(message): \(hard ? "hard" : "soft") bounce, status \(status)"
        if !isNew { return text + "; already recorded, nothing changed" }
        guard let list else { return text + "; recorded (a message of no list)" }
        text += " on the list \(list)"
        if suspended { return text + "; \(bounces) hard bounces: the subscription is suspended and the list's owner told" }
        return text + (hard ? "; \(bounces) of \(ListService.suspendAfter) hard bounces before the subscription is suspended" : "; recorded, not counted")
    }
}

extension ListService {
    /// Hard bounces of one address on one list (each of a different message) after which its subscription is suspended.
    public static let suspendAfter = 3

    /// Reads a delivery status notification (RFC 3464) and records the bounce of the message it names, for the address
    /// that message went to. The message is found by the reference in its returned `Message-ID`: a report that does
    /// not carry the Message-ID of a message Liaison sent, or names another address, is refused and nothing is written
    /// (so a forged report cannot suspend someone who never saw the message).
    public func receiveBounce(_ bytes: [UInt8]) async throws -> BounceOutcome {
        let report = try DeliveryStatusReport(parsing: bytes)
        let messageID = report.originalMessageID ?? ""
        let rule = "must be the Message-ID of a message Liaison sent (outbox-N.reference@…), returned with the report"
        guard let (id, reference) = Self.outboxReference(messageID),
              let mail = try await store.outboxMail(reference: reference), mail.id == id
        else { throw InputError.invalidValue(field: "Message-ID", value: TextRules.preview(messageID.isEmpty ? "(none)" : messageID), rule: rule) }
        let address = mail.recipient.lowercased()
        let bounces = report.recipients.filter { $0.address == address && $0.isBounce }
        // The hard one first: a report on the same address with a delay and a failure is a failure.
        guard let bounce = bounces.first(where: \.isHard) ?? bounces.first else {
            throw InputError.invalidValue(field: "Final-Recipient", value: "\(report.recipients.count) recipient(s)",
                                          rule: "must name the address the message went to, as failed or delayed")
        }
        let list = try await mail.listID.asyncMap { try await store.mailingList(id: $0) } ?? nil
        var ownerMail: MailMessage?
        if let list, bounce.isHard {
            let language = try await store.storedAccount(email: list.owner)?.account.language ?? .en
            ownerMail = try self.mail.listSuspended(to: list.owner, language: language, list: list.name.text(language), address: address,
                                                    bounces: Self.suspendAfter, status: bounce.status, diagnostic: bounce.diagnostic,
                                                    subscribed: list.audience.isSubscribed, link: "\(site)/lists/\(list.slug)?lang=\(language.rawValue)")
        }
        let recorded = try await store.recordBounce(of: mail, email: address, hard: bounce.isHard, status: bounce.status, diagnostic: bounce.diagnostic,
                                                    suspendAfter: Self.suspendAfter, ownerMail: ownerMail, at: now())
        return BounceOutcome(message: "outbox-\(mail.id)", hard: bounce.isHard, status: bounce.status, list: list?.slug, bounces: recorded.bounces,
                             suspended: recorded.suspended, isNew: recorded.isNew)
    }

    /// `outbox-12.3f9a…@example.org` → (12, "3f9a…").
    static func outboxReference(_ messageID: String) -> (Int64, String)? {
        guard messageID.hasPrefix("outbox-"), let at = messageID.firstIndex(of: "@") else { return nil }
        let local = messageID[messageID.index(messageID.startIndex, offsetBy: 7)..<at].split(separator: ".", maxSplits: 1)
        guard local.count == 2, let id = Int64(local[0]), local[1].count == 32, local[1].allSatisfy(\.isHexDigit) else { return nil }
        return (id, String(local[1]))
    }
}
