import Foundation
import LiaisonCore
import LiaisonStore
import Logging

/// Bringing whole catalogues in and out: the import of a file (all or nothing) and the export in each format.
public struct CatalogueTransfer: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue

    /// `csv`: one membership a row (`memberships.csv`); `networks-csv`: one network a row; `jsonld`: linked data.
    public enum Format: String, CaseIterable, Sendable {
        case json, jsonl, csv
        case networksCSV = "networks-csv"
        case jsonld

        /// The open-data file this format writes (`/data` serves the same).
        public var file: OpenDataFile {
            switch self {
            case .json: .json
            case .jsonl: .jsonl
            case .csv: .membershipsCSV
            case .networksCSV: .networksCSV
            case .jsonld: .jsonld
            }
        }
    }

    /// What an import read, before it writes.
    public struct Checked: Sendable {
        public let networks: Int
        public let memberships: Int
        /// Printed names that resolve to no party (`liaison check-data` lists them).
        public let unresolvedNames: Int
    }

    /// Reads `data` in any import format (chosen by `name`'s ending, failing that by the content), checks every
    /// network and writes them all in one transaction: a network whose slug is stored is replaced, the others are
    /// added. Any problem refuses the whole file (`ImportFailure` or `InputError`) and nothing is written.
    /// `lines` is told how far the reading got, `checked` what will be written, `progress` how many of the memberships are written.
    public func importFile(_ data: Data, name: String, actor: String, reason: String,
                           lines: (Int) -> Void = { _ in }, checked: (Checked) -> Void = { _ in },
                           progress: @escaping @Sendable (_ done: Int, _ of: Int) -> Void = { _, _ in }) async throws -> ImportSummary {
        let networks = try Self.read(data, name: name, existingNetworks: try await store.networkSlugs(), progress: lines)
        let memberships = networks.reduce(0) { $0 + $1.membershipCount }
        checked(Checked(networks: networks.count, memberships: memberships,
                        unresolvedNames: networks.reduce(0) { $0 + $1.otherEntries.filter { $0.entry.partyID == nil }.count }))
        return try await store.importNetworks(networks, actor: actor, reason: reason) { progress($0, memberships) }
    }

    /// The catalogue as it is now, in `format`, given a piece at a time to `emit` (a network at a time: a large
    /// catalogue is never held whole as text); the same bytes as `/data` serves. `site`: the address linked data
    /// names things by.
    public func export(_ format: Format, site: String, emit: (Data) throws -> Void) throws {
        try format.file.write(catalogue.snapshot, site: site, emit: emit)
    }

    /// Reads any of the import formats, chosen by the file's name and, failing that, its content.
    public static func read(_ data: Data, name: String, existingNetworks: Set<String>, progress: (Int) -> Void = { _ in }) throws -> [Network] {
        let lower = name.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            return try JSONLines.networks(data, source: name, existingNetworks: existingNetworks, progress: progress)
        }
        if lower.hasSuffix(".json") || isCatalogueDocument(data) {
            return try CatalogueFile.decode(data, source: name).networks(existingNetworks: existingNetworks)
        }
        return try JSONLines.networks(data, source: name, existingNetworks: existingNetworks, progress: progress)
    }

    /// A catalogue document is one JSON object with a `format` member.
    static func isCatalogueDocument(_ data: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["format"] != nil
    }
}

extension Services {
    /// Opens the database, applies the migrations not yet applied and closes it: the numbers applied now, and all.
    public static func migrate(_ settings: Settings, logger: Logger = Logger(label: "liaison")) async throws -> (applied: [Int], all: [Int]) {
        let store = try await CatalogueStore.open(settings.database, logger: logger)
        do {
            let applied = try await store.migrate()
            let all = try await store.appliedMigrations()
            try await store.close()
            return (applied, all)
        } catch {
            try? await store.close()
            throw error
        }
    }
}
