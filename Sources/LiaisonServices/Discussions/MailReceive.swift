import Foundation
import LiaisonCore
import LiaisonStore

extension DiscussionService {
    /// What `liaison mail receive` did with a message: posted (the thread and post), or refused and why — the account
    /// concerned told by a mail through the outbox (`told`), or, when the message names no account of Liaison at all,
    /// `unknown`: the mail server is to return it as it returns mail to any unknown mailbox.
    public struct Received: Sendable, Equatable {
        public let post: Int64?
        public let thread: Int64?
        public let refusal: String?
        public let told: Bool
        public let unknown: Bool

        init(post: Int64, thread: Int64) {
            (self.post, self.thread, refusal, told, unknown) = (post, thread, nil, false, false)
        }

        init(refusal: String, told: Bool, unknown: Bool) {
            (post, thread, self.refusal, self.told, self.unknown) = (nil, nil, refusal, told, unknown)
        }

        public var summary: String {
            if let post, let thread { return "posted as message \(post) of thread \(thread)" }
            let outcome = told ? "; the account's owner was told" : unknown ? "; it names no account of Liaison, the mail server returns it" : ""
            return "refused, nothing was posted: \(refusal ?? "")" + outcome
        }
    }

    /// The largest message taken (its text is at most a post's).
    public static let maximumMessage = 2 * 1024 * 1024

    /// Reads a reply to a notification (RFC 5322, from a mail server's pipe) and posts its text — stripped of what
    /// it quotes and of its signature — in the thread its reply address names, as the account the address was made
    /// for. Refused, with nothing posted: a message too large, sent to no reply address of Liaison (unsigned, forged
    /// or expired), from another address than the account's, to a thread that is locked or a space the account may
    /// no longer enter, or without plain text to post.
    ///
    /// An automatic reply (an out-of-office notice, a delivery report: RFC 3834's `Auto-Submitted`, the common
    /// `X-Autoreply` and `Precedence` headers, `multipart/report`) posts nothing and is told to nobody. A message the
    /// receiving mail server found to fail its sender domain's DMARC policy counts as from another sender.
    ///
    /// Who is told of a refusal (docs/decisions/0002): only the account a genuine reply address names (expired or
    /// not), at the account's own address — never an address a message claims to come from, so that forged mail
    /// makes Liaison write to no stranger and carries no one's words to a member. A refusal that names no account is
    /// `unknown`. `recipient`: the address the mail server delivered it to (its envelope), else read from its headers.
    public func receive(_ bytes: [UInt8], recipient: String?) async throws -> Received {
        let message: MIMEEntity
        do {
            message = try MIMEEntity(parsing: bytes.prefix(Self.maximumMessage + 1))
        } catch {
            return Received(refusal: "the message cannot be read as mail", told: false, unknown: true)
        }
        let sender = Self.address(in: message.header("From") ?? "")
        // One line of the site's allowed characters: a header may carry anything.
        let subject = TextRules.preview(message.header("Subject") ?? "")
        let key = try await replyKey()
        let candidates = ([recipient].compactMap { $0 } + ["Delivered-To", "X-Original-To", "To", "Cc"].compactMap { message.header($0) })
            .flatMap { $0.split(separator: ",").map(String.init) }.compactMap(Self.address)
        let signed = candidates.lazy.compactMap { Self.signedClaim($0, key: key) }.first
        let named = try await signed.asyncMap { try await store.storedAccount(id: $0.account)?.account } ?? nil

        func refuse(_ reason: String) async throws -> Received {
            guard let account = named, !account.disabled else { return Received(refusal: reason, told: false, unknown: true) }
            let language = account.language
            let bounce = try mail.discussionRefused(to: account.email, language: language, subject: subject.isEmpty ? "(no subject)" : subject,
                                                    reason: reason, link: "\(site)/discussions?lang=\(language.rawValue)")
            let told = try await store.enqueueLimited(bounce, kind: "mail-refused", key: Account.foldedEmail(account.email), perHour: 5, at: now())
            return Received(refusal: reason, told: told, unknown: false)
        }
        if Self.isAutomatic(message) {
            return Received(refusal: "it is an automatic reply (an absence notice or a delivery report)", told: false, unknown: false)
        }
        guard bytes.count <= Self.maximumMessage else { return try await refuse("the message is larger than \(Self.maximumMessage / 1024 / 1024) MB") }
        guard let signed else { return try await refuse("it was not sent to the reply address of a notification of Liaison") }
        guard Self.isCurrent(day: signed.day, today: Self.day(now())) else {
            return try await refuse("the reply address has expired (it is valid \(Self.replyDays) days): reply to a later notification, or write on the site")
        }
        guard let account = named, !account.disabled, Account.foldedEmail(account.email) == sender, !Self.failsDMARC(message) else {
            return try await refuse("it was sent from another address than the one the notification went to")
        }
        guard let text = Self.plainText(message, depth: 0) else { return try await refuse("it holds no plain text to post") }
        let body = MailReplyText.stripped(LibraryText.clean(text))
        guard !body.isEmpty else { return try await refuse("nothing was left to post once the quoted message and the signature were removed") }
        do {
            let post = try await reply(to: signed.thread, body: body, by: account.principal, account: account, via: .mail)
            return Received(post: post, thread: signed.thread)
        } catch let error as InputError {
            return try await refuse(error.description)
        } catch is ServiceDenied {
            return try await refuse("the account may no longer write in this discussion")
        } catch is CatalogueError {
            return try await refuse("the discussion is no longer there")
        } catch let error as AccountError {
            return try await refuse(error.description)
        }
    }

    /// Whether a message says it was sent by a program, not a person (RFC 3834 and the headers responders use).
    static func isAutomatic(_ message: MIMEEntity) -> Bool {
        if let auto = message.header("Auto-Submitted"), auto.trimmingCharacters(in: .whitespaces).lowercased() != "no" { return true }
        if message.header("X-Autoreply") != nil || message.header("X-Autorespond") != nil || message.header("X-Auto-Response-Suppress") != nil {
            return true
        }
        let precedence = (message.header("Precedence") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        return ["bulk", "junk", "list", "auto_reply"].contains(precedence) || message.contentType.type == "multipart/report"
    }

    /// Whether the receiving mail server's verdict (the topmost `Authentication-Results`, RFC 8601: the one it added)
    /// says the sender's domain's DMARC policy failed.
    static func failsDMARC(_ message: MIMEEntity) -> Bool {
        guard let results = message.header("Authentication-Results")?.lowercased() else { return false }
        return results.split(separator: ";").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("dmarc=fail") }
    }

    /// `Ann Example <Ann@Example.org>` → `ann@example.org`; nil for no valid address.
    static func address(in header: String) -> String? {
        var text = header.trimmingCharacters(in: .whitespaces)
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = String(text[text.index(after: open)..<close])
        }
        let folded = Account.foldedEmail(text)
        return (try? MailMessage.checkAddress(folded, field: "From")) == nil ? nil : folded
    }

    /// The message's plain text: itself, or the first `text/plain` part of its multiparts (three levels at most), in
    /// its charset.
    static func plainText(_ entity: MIMEEntity, depth: Int) -> String? {
        let type = entity.contentType
        if type.type == "text/plain" {
            let bytes = entity.decodedBody
            switch type.parameters["charset"]?.lowercased() {
            case "iso-8859-1", "latin1", "iso-8859-15": return String(data: Data(bytes), encoding: .isoLatin1)
            case "windows-1252", "cp1252": return String(data: Data(bytes), encoding: .windowsCP1252)
            default: return String(decoding: bytes, as: UTF8.self)
            }
        }
        guard depth < 3, type.type.hasPrefix("multipart/"), let parts = try? entity.parts() else { return nil }
        for part in parts where part.header("Content-Disposition")?.lowercased().hasPrefix("attachment") != true {
            if let text = plainText(part, depth: depth + 1) { return text }
        }
        return nil
    }
}
