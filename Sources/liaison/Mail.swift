import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices

/// `liaison mail bounce`: what mail servers send back to Liaison.
struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Take in mail that comes back to Liaison.",
        subcommands: [MailBounce.self])
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

/// Standard input whole, refused when it is longer than `limit` bytes (read no further than that).
func readStandardInput(limit: Int) throws -> [UInt8] {
    var bytes: [UInt8] = []
    let handle = FileHandle.standardInput
    while true {
        guard let chunk = try handle.read(upToCount: 65_536), !chunk.isEmpty else { break }
        bytes.append(contentsOf: chunk)
        if bytes.count > limit {
            throw InputError.invalidValue(field: "message", value: "more than \(limit) bytes", rule: "must be at most \(limit) bytes")
        }
    }
    return bytes
}
