import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices

struct CheckData: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-data",
        abstract: "List every data-quality problem of the catalogue (duplicates, count mismatches, truncated or empty lists, …).")

    @Flag(help: "Print JSON for machines instead of text.")
    var json = false

    @Option(help: "Check a data file instead of the database.")
    var file: String?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let catalogue: Catalogue
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("\(file): cannot be read") }
            do {
                catalogue = Catalogue(networks: try CatalogueTransfer.read(data, name: file, existingNetworks: []))
            } catch let failure as ImportFailure {
                throw refuse(failure.description)
            }
        } else {
            catalogue = try await withServices(options) { $0.catalogue.snapshot }
        }
        let report = DataQualityReport(catalogue: catalogue)
        if json {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(DataQualityOutput(report: report, networks: catalogue.networks.count)))
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            print(DataQualityOutput.text(report, networks: catalogue.networks.count))
        }
    }
}

struct DataQualityOutput: Encodable {
    let networks: Int
    let problemCount: Int
    let counts: [String: Int]
    let problems: [DataProblem]

    init(report: DataQualityReport, networks: Int) {
        self.networks = networks
        self.problemCount = report.problems.count
        self.counts = Dictionary(grouping: report.problems, by: \.kind.rawValue).mapValues(\.count)
        self.problems = report.problems
    }

    static func text(_ report: DataQualityReport, networks: Int) -> String {
        var lines: [String] = []
        for kind in DataProblem.Kind.allCases {
            let problems = report.problems(of: kind)
            guard !problems.isEmpty else { continue }
            lines.append("\(kind.rawValue) (\(problems.count))")
            for problem in problems {
                let where_ = problem.otherNetwork.map { "\(problem.network) ≈ \($0)" } ?? problem.network
                lines.append("  \(where_): \(problem.evidence)")
            }
            lines.append("")
        }
        lines.append("\(report.problems.count) problems in \(networks) networks")
        return lines.joined(separator: "\n")
    }
}
