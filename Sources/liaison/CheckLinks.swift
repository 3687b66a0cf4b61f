import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices

struct CheckLinks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-links",
        abstract: "Check every network's website and reference addresses now, keep the results, and remind the focal points of entries that need verification.",
        discussion: "`liaison serve` runs the same check once a day. The reminders go through the outbox, which `serve` delivers.")

    @Option(help: "How many addresses are checked at once.") var concurrency = 8
    @Option(help: "Seconds an address has to answer.") var timeout = 15
    @OptionGroup var options: DatabaseOptions
    @OptionGroup var site: SiteOptions

    func validate() throws {
        guard (1...64).contains(concurrency) else { throw ValidationError("--concurrency: \(concurrency) is not allowed: must be 1 to 64") }
        guard (1...120).contains(timeout) else { throw ValidationError("--timeout: \(timeout) is not allowed: must be 1 to 120 seconds") }
    }

    func run() async throws {
        try await withServices(options, site: site) { services in
            var monitor = services.liveness
            monitor.checker.concurrency = concurrency
            monitor.checker.timeout = .seconds(Int64(timeout))
            let done = try await monitor.run { count, total, check in
                if check.outcome.isFailure || count % 25 == 0 || count == total {
                    say("[\(count)/\(total)] \(check.outcome.rawValue)\(check.status.map { " \($0)" } ?? "") \(check.url)")
                }
            }
            say("""
                \(done.checked) addresses checked: \(done.checked - done.failed.count) answered, \(done.failed.count) failed; \
                \(done.needingVerification.count) networks need verification; \(done.reminders) reminders queued
                """)
        }
    }
}
