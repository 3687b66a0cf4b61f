import ArgumentParser
import Foundation
import LiaisonServices

/// `liaison surveys remind`: the surveys' reminders, now.
struct SurveysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "surveys",
        abstract: "Work on the surveys of the networks.",
        subcommands: [SurveysRemind.self])
}

struct SurveysRemind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remind",
        abstract: "Queue the reminders due now: a week and two days before a survey closes, to the focal points (and people named) of each network asked that has not sent its answer.",
        discussion: """
            `liaison serve` does the same every hour; each network is reminded once per stage, whoever runs it. The \
            mails go through the outbox, which `serve` delivers. Prints how many were queued, never to whom.
            """)

    @OptionGroup var options: DatabaseOptions
    @OptionGroup var site: SiteOptions

    func run() async throws {
        let queued = try await withServices(options, site: site, seed: false) { services in try await services.surveys.sendReminders() }
        say("\(queued) survey reminder\(queued == 1 ? "" : "s") queued")
    }
}
