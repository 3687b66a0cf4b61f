import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices
import Logging

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database while Liaison runs (SQLite: a compact copy of the file; PostgreSQL: pg_dump's custom format).")

    @Option(help: "The file to write; it must not exist yet.")
    var output: String

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let settings = try readSettings(options.flags)
        let started = ContinuousClock.now
        do {
            let report = try await Backups.backup(settings.database, to: output, logger: Logger(label: "liaison.backup"))
            say("backed up \(settings.database) at revision \(report.revision) (\(report.networks) networks, \(report.accounts) accounts) "
                + "to \(report.file): \(megabytes(report.bytes)) in \(seconds(since: started))")
        } catch let error as InputError {
            throw refuse(error.description)
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup made by `liaison backup` in place of the database (stop Liaison first on SQLite).")

    @Argument(help: "The backup file.")
    var file: String

    @Flag(help: "Replace a database that already holds revisions or accounts.")
    var force = false

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let settings = try readSettings(options.flags)
        let started = ContinuousClock.now
        do {
            let report = try await Backups.restore(file, into: settings.database, force: force, logger: Logger(label: "liaison.restore"))
            say("restored \(report.file) into \(settings.database): revision \(report.revision), \(report.networks) networks, "
                + "\(report.accounts) accounts, in \(seconds(since: started)); migrations newer than the backup run when Liaison next starts")
        } catch let error as InputError {
            throw refuse(error.description)
        }
    }
}

func megabytes(_ bytes: Int64) -> String {
    String(format: "%.1f MB", Double(bytes) / 1_000_000)
}

func seconds(since start: ContinuousClock.Instant) -> String {
    let elapsed = (ContinuousClock.now - start).components
    return String(format: "%.1f s", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
}
