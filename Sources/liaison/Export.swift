import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the catalogue as JSON (the data-file format), JSON Lines or CSV (one membership a row).")

    @Option(help: "json, jsonl or csv.")
    var format: CatalogueTransfer.Format = .json

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let (data, networks, memberships) = try await withServices(options) { services in
            (try services.transfer.export(format), services.catalogue.snapshot.networks.count, services.catalogue.snapshot.membershipCount)
        }
        if let output {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            say("wrote \(networks) networks (\(memberships) memberships) to \(output)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

extension CatalogueTransfer.Format: ExpressibleByArgument {}
