import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonStore
import Logging

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the catalogue as JSON (the data-file format), JSON Lines or CSV (one membership a row).")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, jsonl, csv
    }

    @Option(help: "json, jsonl or csv.")
    var format: Format = .json

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await CatalogueStore.open(try options.database)
        let catalogue: Catalogue
        do {
            catalogue = try await LiveCatalogue.start(store: store, seed: true, logger: Logger(label: "liaison")).snapshot
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
        let data = try CatalogueExport.data(catalogue, format: format)
        if let output {
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
            say("wrote \(catalogue.networks.count) networks (\(catalogue.membershipCount) memberships) to \(output)")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

enum CatalogueExport {
    static func data(_ catalogue: Catalogue, format: Export.Format) throws -> Data {
        switch format {
        case .json:
            var data = try CatalogueFile.encoder().encode(CatalogueFile(networks: catalogue.networks))
            data.append(UInt8(ascii: "\n"))
            return data
        case .jsonl:
            return try JSONLines.encode(catalogue.networks)
        case .csv:
            return Data(MembershipTable.csv(catalogue).utf8)
        }
    }
}
