import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices
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
        say("reading \(file) (\(ByteCountFormatter.string(fromByteCount: Int64(data.count), countStyle: .file)))")
        var read: CatalogueTransfer.Checked?
        let summary = try await withServices(options, seed: false) { services in
            do {
                return try await services.transfer.importFile(
                    data, name: file, actor: actor, reason: reason ?? "import of \(URL(fileURLWithPath: file).lastPathComponent)",
                    lines: { say("  read \($0) lines") },
                    checked: { checked in
                        read = checked
                        say("checked \(checked.networks) networks and \(checked.memberships) memberships; writing in one transaction")
                    },
                    progress: Progress(label: "memberships written").report)
            } catch let failure as ImportFailure {
                throw refuse(failure.description)
            } catch let error as InputError {
                throw refuse("import refused, nothing was written: \(error)")
            }
        }
        say("""
            imported \(read?.networks ?? 0) networks in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: \
            \(summary.created) added, \(summary.replaced) replaced, \(summary.memberships) memberships, \
            \(read?.unresolvedNames ?? 0) printed names resolving to no party (see `liaison check-data`); last revision \(summary.lastRevision)
            """)
    }
}

/// Prints a line each time another tenth of the work is done.
final class Progress: Sendable {
    let label: String
    private let lastTenth = Mutex(-1)

    init(label: String) {
        self.label = label
    }

    @Sendable func report(_ done: Int, of total: Int) {
        let tenth = total == 0 ? 10 : done * 10 / total
        let changed = lastTenth.withLock { last in
            defer { last = max(last, tenth) }
            return tenth > last
        }
        if changed { say("  \(label): \(done) of \(total) (\(tenth * 10) %)") }
    }
}
