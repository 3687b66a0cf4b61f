import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices

/// `liaison directory import|export`: the restricted directory from and to files, on the server.
struct DirectoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "directory",
        abstract: "Import or export the restricted directory of contact points, liaison magistrates and central authorities.",
        subcommands: [DirectoryImport.self, DirectoryExport.self, DirectoryEraseLapsed.self])
}

struct DirectoryImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import directory entries from a CSV file, all or nothing.",
        discussion: """
            FILE has a header row naming its columns: \(DirectoryFile.columns.joined(separator: ", ")) \
            (kind, name, country and consent_basis are required). Several values in one cell are separated by `;`. \
            Rows of one person (the same first e-mail address) make one entry with all its roles; an entry already \
            stored for that person is updated. The whole file is checked first: when any line is wrong, every mistake \
            is named by line and column and nothing is written. docs/data/directory-sample.csv is a synthetic example.
            """)

    @Argument(help: "The CSV file to import.")
    var file: String

    @Option(help: "Who is recorded in the directory's revisions as having made the change.")
    var actor = "cli"

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("\(file): cannot be read (does it exist?)")
        }
        let text = String(decoding: data, as: UTF8.self)
        say("reading \(file) (\(text.split(whereSeparator: \.isNewline).count) lines); checking every line before writing")
        let result = try await withServices(options, seed: true) { services in
            do {
                return try await services.directory.importFile(text, source: URL(fileURLWithPath: file).lastPathComponent, actor: actor)
            } catch let failure as ImportFailure {
                throw refuse(failure.description)
            } catch let error as InputError {
                throw refuse("import refused, nothing was written: \(error)")
            }
        }
        say("imported the directory: \(result.added) \(result.added == 1 ? "entry" : "entries") added, \(result.updated) updated")
    }
}

struct DirectoryExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the directory as CSV (the import's columns) or vCard 4.0. It is personal data: keep the file as restricted as the directory.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, vcard }

    @Option(help: "csv or vcard.")
    var format: Format = .csv

    @Option(help: "The file to write (default: standard output).")
    var output: String?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let (text, count) = try await withServices(options, seed: true) { services in
            let entries = try await services.directory.exportForOperator()
            return (format == .csv ? DirectoryFile.csv(entries) : services.directory.vCards(entries), entries.count)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("\(output): cannot be written")
            }
            say("wrote \(count) \(count == 1 ? "entry" : "entries") to \(output) (readable by its owner only)")
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
            say("wrote \(count) \(count == 1 ? "entry" : "entries")")
        }
    }
}

struct DirectoryEraseLapsed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase-lapsed",
        abstract: "Erase the entries whose every role ended more than the retention period ago (serve does it daily).")

    @Option(help: "Months after the last role ended (default: --directory-retention of serve, 24, or LIAISON_DIRECTORY_RETENTION).")
    var olderThan: Int?

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let settings = try readSettings(options.flags)
        let months = olderThan ?? settings.directoryRetentionMonths
        guard (1...600).contains(months) else { throw ValidationError("--older-than: \(months) is not allowed: must be a number of months (1–600)") }
        let erased = try await withServices(options, seed: true) { try await $0.directory.eraseLapsed(olderThan: months) }
        say("erased \(erased) \(erased == 1 ? "entry" : "entries") whose every role ended more than \(months) months ago")
    }
}
