import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonStore
import Synchronization

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import networks from a file, all or nothing.",
        discussion: """
            FILE is the catalogue's own format (a .json file, see docs/catalogue-format.md) or JSON Lines \
            (one network a line: the benchmark's bulk format or the lines `liaison export --format jsonl` writes). \
            A network whose slug is stored is replaced; the others are added. When any line or field is invalid, \
            every problem is reported with its line or path and nothing is written.
            """)

    @Argument(help: "The file to import.")
    var file: String

    @Option(help: "Who is recorded in the revision log as having made the change.")
    var actor = "cli"

    @Option(help: "Why: recorded in the revision log.")
    var reason: String?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let started = Date()
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("\(file): cannot be read (does it exist?)")
        }
        let store = try await CatalogueStore.open(try options.database)
        do {
            try await store.migrate()
            let existing = try await store.networkSlugs()
            say("reading \(file) (\(ByteCountFormatter.string(fromByteCount: Int64(data.count), countStyle: .file)))")
            let networks: [Network]
            do {
                networks = try CatalogueInput.read(data, name: file, existingNetworks: existing) { lines in
                    say("  read \(lines) lines")
                }
            } catch let failure as ImportFailure {
                throw refuse(failure.description)
            } catch let error as CatalogueError {
                throw refuse("import refused, nothing was written: \(error)")
            }
            let total = networks.reduce(0) { $0 + $1.membershipCount }
            say("checked \(networks.count) networks and \(total) memberships; writing in one transaction")
            let progress = Progress(total: total, label: "memberships written")
            let summary = try await store.importNetworks(
                networks, actor: actor, reason: reason ?? "import of \(URL(fileURLWithPath: file).lastPathComponent)",
                progress: progress.report)
            let unresolved = networks.reduce(0) { $0 + $1.otherEntries.filter { $0.entry.partyID == nil }.count }
            say("""
                imported \(networks.count) networks in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: \
                \(summary.created) added, \(summary.replaced) replaced, \(summary.memberships) memberships, \
                \(unresolved) printed names resolving to no party (see `liaison check-data`); last revision \(summary.lastRevision)
                """)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// Prints a line each time another tenth of the work is done.
final class Progress: Sendable {
    let total: Int
    let label: String
    private let lastTenth = Mutex(-1)

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    @Sendable func report(_ done: Int) {
        let tenth = total == 0 ? 10 : done * 10 / total
        let changed = lastTenth.withLock { last in
            defer { last = max(last, tenth) }
            return tenth > last
        }
        if changed { say("  \(label): \(done) of \(total) (\(tenth * 10) %)") }
    }
}

/// Reads any of the import formats, chosen by the file's name and, failing that, its content.
enum CatalogueInput {
    static func read(_ data: Data, name: String, existingNetworks: Set<String>, progress: (Int) -> Void = { _ in }) throws -> [Network] {
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
