import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices

/// `liaison mail bounce`: what mail servers send back to Liaison.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Take in mail that comes back to Liaison: bounces, and replies to the discussions' notifications.",
        subcommands: [MailBounce.self, MailReceive.self])
}

struct MailBounce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounce",
        abstract: "Read a delivery status notification (RFC 3464) from standard input and record the bounce.",
        discussion: """
            For the pipe of the mail server that receives Liaison's bounces. The report must carry the headers of the \
            message that failed (Postfix, Exim and most servers return them): its Message-ID names the message, and only \
            the address it went to can bounce. A hard bounce (status 5.x.x) of a list's message counts against the \
            address's subscription; after \(ListService.suspendAfter) the subscription is suspended and the list's owner \
            is told by mail. Soft bounces (4.x.x, delayed) are recorded, not counted. \
            Exit status: 0 recorded; 65 refused (not a report, or about no message Liaison sent), nothing written; \
            75 the database could not be used (the mail server tries again later).
            """)

    @OptionGroup var options: DatabaseOptions
    @OptionGroup var site: SiteOptions

    func run() async throws {
        let input: [UInt8]
        do {
            input = try readStandardInput(limit: MIMEEntity.maximumSize)
        } catch let error as InputError {
            say("refused, nothing was written: \(error)")
            throw ExitCode(65)
        }
        do {
            let outcome = try await withServices(options, site: site, seed: false) { services in
                do {
                    return try await services.lists.receiveBounce(input)
                } catch let error as InputError {
                    say("refused, nothing was written: \(error)")
                    throw ExitCode(65)
                }
            }
            say(outcome.summary)
        } catch let code as ExitCode {
            throw code
        } catch {
            say("the bounce could not be recorded (the mail server should try again): \(error)")
            throw ExitCode(75)
        }
    }
}

struct MailReceive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Read a reply to a discussion's notification (RFC 5322) from standard input and post it in its thread.",
        discussion: """
            For the pipe of the mail server that receives mail to reply+…@ the site's domain (each notification's \
            Reply-To, signed for one thread and one account, valid \(DiscussionService.replyDays) days). The text is \
            posted without what it quotes and without its signature, as the account, when it comes from the account's \
            address. A message that is refused (too large, unsigned or forged, expired, from another address, to a \
            locked thread) posts nothing. Only the account a genuine reply address names is told why, by mail to the \
            account's own address (five such mails an hour at most) — never an address the message merely claims. \
            An automatic reply (Auto-Submitted, X-Autoreply, Precedence: bulk, a delivery report) is dropped. \
            Exit status: 0 posted, refused and the account told, or an automatic reply dropped (said on standard \
            error, without any address); 67 refused and it names no account of Liaison (the mail server returns it, \
            as to an unknown mailbox); 75 the database could not be used (the mail server tries again).
            """)

    @Option(help: "The address the mail server delivered the message to (its envelope recipient); else read from the headers.")
    var recipient: String?
    @OptionGroup var options: DatabaseOptions
    @OptionGroup var site: SiteOptions

    func run() async throws {
        // Too large: read no further; the service refuses it by its size, and can still tell its sender.
        let input = try readStandardInput(limit: DiscussionService.maximumMessage, truncating: true)
        do {
            let received = try await withServices(options, site: site, seed: false) { services in
                try await services.discussions.receive(input, recipient: recipient)
            }
            say(received.summary)
            if received.unknown { throw ExitCode(67) }
        } catch let code as ExitCode {
            throw code
        } catch {
            say("the message could not be taken in (the mail server should try again): \(error)")
            throw ExitCode(75)
        }
    }
}

/// Standard input whole, refused when it is longer than `limit` bytes (read no further than that); with
/// `truncating`, its first `limit + 1` bytes then.
func readStandardInput(limit: Int, truncating: Bool = false) throws -> [UInt8] {
    var bytes: [UInt8] = []
    let handle = FileHandle.standardInput
    while true {
        guard let chunk = try handle.read(upToCount: 65_536), !chunk.isEmpty else { break }
        bytes.append(contentsOf: chunk)
        if bytes.count > limit {
            if truncating { return Array(bytes.prefix(limit + 1)) }
            throw InputError.invalidValue(field: "message", value: "more than \(limit) bytes", rule: "must be at most \(limit) bytes")
        }
    }
    return bytes
}
