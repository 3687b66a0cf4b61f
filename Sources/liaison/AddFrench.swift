import ArgumentParser
import Foundation
import LiaisonServices

/// `liaison add-french`: the French texts of the 2017 catalogue, into a database seeded before they existed.
struct AddFrench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-french",
        abstract: "Add the French names and purposes of the 2017 catalogue to the networks that have none.",
        discussion: """
            For a database seeded before Liaison shipped the catalogue in French. Each network gets a French name and a \
            French purpose only where it has none (nothing an editor wrote is changed), as an edit of its own in its \
            history, by "liaison"; the official names keep their sources, Liaison's translations are marked as such. \
            Running it again changes nothing. Prints its progress and what it did.
            """)

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let progress = Progress(label: "networks")
        let summary = try await withServices(options, seed: false) { services in
            try await services.frenchTexts.add { progress.report($0, of: $1) }
        }
        say("French texts added to \(summary.added) networks; \(summary.had) left as they were (French texts there, or English ones changed since); \(summary.absent) not in this database")
    }
}
