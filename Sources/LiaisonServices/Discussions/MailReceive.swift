import Foundation
import LiaisonCore
import LiaisonStore

extension DiscussionService {
    /// What `liaison mail receive` did with a message: posted (the thread and post), or refused and why (the sender
    /// told by a mail through the outbox, when there is a sender to tell).
    public struct Received: Sendable, Equatable {
        public let post: Int64?
        public let thread: Int64?
        public let refusal: String?
        public let bounced: Bool

        public var summary: String {
            if let post, let thread { return "posted as message \(post) of thread \(thread)" }
            return "refused, nothing was posted: \(refusal ?? "")" + (bounced ? "; the sender was told" : "")
        }
    }

    /// The largest message taken (its text is at most a post's).
    public static let maximumMessage = 2 * 1024 * 1024

    /// Reads a reply to a notification (RFC 5322, from a mail server's pipe) and posts its text — stripped of what
    /// it quotes and of its signature — in the thread its reply address names, as the account the address was made
    /// for. Refused, with nothing posted and the sender told: a message too large, sent to no reply address of
    /// Liaison (unsigned, forged or expired), from another address than the account's, to a thread that is locked
    /// or a space the account may no longer enter, or without plain text to post.
    /// `recipient`: the address the mail server delivered it to (its envelope), else read from its headers.
    public func receive(_ bytes: [UInt8], recipient: String?) async throws -> Received {
        let message: MIMEEntity
        do {
            message = try MIMEEntity(parsing: bytes.prefix(Self.maximumMessage + 1))
        } catch {
            return Received(post: nil, thread: nil, refusal: "the message cannot be read as mail", bounced: false)
        }
        let sender = Self.address(in: message.header("From") ?? "")
        // One line of the site's allowed characters: a header may carry anything.
        let subject = TextRules.preview(message.header("Subject") ?? "")
        func refuse(_ reason: String) async throws -> Received {
            // Only a member is told: a forged sender (anyone's address) gets no mail from the site.
            guard let sender, let account = try await store.storedAccount(email: sender)?.account, !account.disabled else {
                return Received(post: nil, thread: nil, refusal: reason, bounced: false)
            }
            let language = account.language
            let bounce = try mail.discussionRefused(to: sender, language: language, subject: subject.isEmpty ? "(no subject)" : subject, reason: reason,
                                                    link: "\(site)/discussions?lang=\(language.rawValue)")
            let told = try await store.enqueueLimited(bounce, kind: "mail-refused", key: sender, perHour: 5, at: now())
            return Received(post: nil, thread: nil, refusal: reason, bounced: told)
        }
        guard bytes.count <= Self.maximumMessage else { return try await refuse("the message is larger than \(Self.maximumMessage / 1024 / 1024) MB") }
        let key = try await replyKey()
        let candidates = ([recipient].compactMap { $0 } + ["Delivered-To", "X-Original-To", "To", "Cc"].compactMap { message.header($0) })
            .flatMap { $0.split(separator: ",").map(String.init) }.compactMap(Self.address)
        guard let target = candidates.lazy.compactMap({ Self.verify($0, key: key, today: Self.day(now())) }).first else {
            return try await refuse("it was not sent to the reply address of a notification of Liaison, or that address has expired")
        }
        guard let account = try await store.storedAccount(id: target.account)?.account, !account.disabled,
              Account.foldedEmail(account.email) == sender else {
            return try await refuse("it was sent from another address than the one the notification went to")
        }
        guard let text = Self.plainText(message, depth: 0) else { return try await refuse("it holds no plain text to post") }
        let body = MailReplyText.stripped(LibraryText.clean(text))
        guard !body.isEmpty else { return try await refuse("nothing was left to post once the quoted message and the signature were removed") }
        do {
            let post = try await reply(to: target.thread, body: body, by: account.principal, account: account, via: .mail)
            return Received(post: post, thread: target.thread, refusal: nil, bounced: false)
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
