import Foundation
import LiaisonCore
import LiaisonStore
import Logging

/// Backups taken while Liaison runs, and restoring one.
///
/// SQLite: a compact copy of the database as of one moment (`VACUUM INTO`, one read transaction: writers go on),
/// checked (SQLite's `quick_check`, a Liaison database no newer than this program) before it is moved into place.
/// PostgreSQL: `pg_dump --format=custom` of a snapshot exported for it (whose figures the report gives), checked by
/// `pg_restore --list`;
/// restored by `pg_restore --clean --if-exists --single-transaction`. The password is handed to the PostgreSQL
/// programs in their environment, never on their command line.
public enum Backups {
    /// What a backup or a restore did.
    public struct Report: Sendable {
        public let file: String
        public let bytes: Int64
        /// The copy's last revision, networks and accounts.
        public let revision: Int64
        public let networks: Int
        public let accounts: Int
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes a consistent copy of the database to `output`, which must not exist yet (the copy is written beside it
    /// and renamed into place once checked).
    public static func backup(_ database: DatabaseConfiguration, to output: String, logger: Logger) async throws -> Report {
        guard !FileManager.default.fileExists(atPath: output) else {
            throw InputError.invalidValue(field: "output", value: output, rule: "must not exist yet: a backup never replaces a file")
        }
        let partial = output + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let holdings: DatabaseHoldings
            switch database {
            case let .sqlite(path):
                try await DatabaseCopies.copySQLite(path, to: partial, logger: logger)
                holdings = try await DatabaseCopies.inspectSQLite(partial, logger: logger)
            case let .postgres(url):
                let (address, password) = try connection(url)
                holdings = try await DatabaseCopies.withPostgresSnapshot(database, logger: logger) { snapshot in
                    try await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshot)", "--file=\(partial)",
                                              "--dbname=\(address)"], password: password)
                }
                try await run("pg_restore", ["--list", partial], password: nil)
            }
            guard rename(partial, output) == 0 else { throw Failure(description: "could not move the backup to \(output)") }
            return Report(file: output, bytes: size(output), revision: holdings.revision, networks: holdings.networks, accounts: holdings.accounts)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Puts the backup `file` in place of the database. Refuses a database that holds anything (a revision or an
    /// account) unless `force`; refuses a file that is not an undamaged Liaison backup. Liaison must not be running on
    /// an SQLite database being restored (stop it first; start it after: migrations newer than the backup run then).
    public static func restore(_ file: String, into database: DatabaseConfiguration, force: Bool, logger: Logger) async throws -> Report {
        guard FileManager.default.fileExists(atPath: file) else {
            throw InputError.invalidValue(field: "file", value: file, rule: "must be a backup: there is no file there")
        }
        let present = try await DatabaseCopies.holdings(database, logger: logger)
        func checkEmpty() throws {
            guard present.isEmpty || force else {
                throw InputError.invalidValue(field: "database", value: database.description, rule: """
                    must be empty to restore into: it holds revision \(present.revision), \(present.networks) networks and \
                    \(present.accounts) accounts (add --force to replace them)
                    """)
            }
        }
        switch database {
        case let .sqlite(path):
            _ = try await DatabaseCopies.inspectSQLite(file, logger: logger)
            try checkEmpty()
            try await DatabaseCopies.replaceSQLite(at: path, with: file, logger: logger)
        case let .postgres(url):
            do {
                try await run("pg_restore", ["--list", file], password: nil)
            } catch let failure as Failure {
                throw InputError.invalidValue(field: "file", value: file, rule: "must be a backup pg_dump made (\(failure.description))")
            }
            try checkEmpty()
            let (address, password) = try connection(url)
            try await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error",
                                         "--dbname=\(address)", file], password: password)
        }
        let restored = try await DatabaseCopies.holdings(database, logger: logger)
        try DatabaseCopies.checkMigration(restored, file: file)
        return Report(file: file, bytes: size(file), revision: restored.revision, networks: restored.networks, accounts: restored.accounts)
    }

    /// The address without its password, and the password.
    static func connection(_ url: String) throws -> (String, String?) {
        guard var components = URLComponents(string: url) else {
            throw InputError.invalidValue(field: "database-url", value: DatabaseConfiguration.redacted(url), rule: "must be a postgres:// address")
        }
        let password = components.password
        components.password = nil
        return (components.string ?? url, password)
    }

    static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// The PostgreSQL program `name`: the newest installed server version's (pg_dump must be at least the server's),
    /// else the one in /usr/local/bin, /usr/bin or /bin.
    static func program(_ name: String) throws -> String {
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        let candidates = versions.map { "/usr/lib/postgresql/\($0)/bin/\(name)" } + ["/usr/local/bin", "/usr/bin", "/bin"].map { "\($0)/\(name)" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Failure(description: "\(name) is not installed (Debian: apt-get install postgresql-client)")
        }
        return found
    }

    /// Runs a PostgreSQL program to its end; its error output (the first 4,000 bytes) is the failure's message.
    static func run(_ name: String, _ arguments: [String], password: String?) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try program(name))
        process.arguments = arguments
        // The password in the program's environment (never on its command line, which every user of the machine can
        // read); without one, the program inherits Liaison's environment (a .pgpass file, PGSSLROOTCERT…).
        if let password { process.environment = ["PGPASSWORD": password] }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let (said, status, _) = await Running(process: process, output: errors.fileHandleForReading).finish(keeping: 4_000, stopPast: false)
        let message = String(decoding: said, as: UTF8.self)
        guard status == 0 else {
            throw Failure(description: "\(name) failed (exit \(status)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
