import Foundation
import LiaisonCore
import Logging
import SQLiteKit
import SQLKit

/// What a database or a copy of one holds, as a backup or a restore reports it.
public struct DatabaseHoldings: Sendable, Equatable {
    /// The last revision of the catalogue (0: none).
    public let revision: Int64
    public let networks: Int
    public let accounts: Int
    /// The last migration applied (0: none, not a Liaison database yet).
    public let migration: Int

    /// Whether anything was ever written: a revision or an account.
    public var isEmpty: Bool { revision == 0 && accounts == 0 }
}

/// Copies of an SQLite database taken while it is in use, and what a database holds.
public enum DatabaseCopies {
    /// Writes a consistent copy of the SQLite database at `path` to `output` while others read and write it:
    /// `VACUUM INTO` reads the whole database in one read transaction (WAL lets writers go on meanwhile), so the copy is
    /// the database as of one moment, every committed transaction in it or none of it, and compact.
    public static func copySQLite(_ path: String, to output: String, logger: Logger) async throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError.invalidValue(field: "data-dir", value: path, rule: "must hold a Liaison database: there is no file there")
        }
        try await withSQLite(path, logger: logger) { db in
            try await db.raw("PRAGMA busy_timeout = 30000").run()
            try await db.raw("VACUUM INTO \(bind: output)").run()
        }
    }

    /// What the SQLite file at `path` holds, after checking that it is an undamaged Liaison database no newer than this
    /// program: the error names the file and what is wrong.
    public static func inspectSQLite(_ path: String, logger: Logger) async throws -> DatabaseHoldings {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InputError.invalidValue(field: "file", value: path, rule: "must be a backup: there is no file there")
        }
        return try await withSQLite(path, logger: logger) { db in
            let check: String
            do {
                check = try await db.raw("PRAGMA quick_check").first().map { try $0.decode(column: "quick_check", as: String.self) } ?? ""
            } catch {
                throw InputError.invalidValue(field: "file", value: path, rule: "must be an SQLite database (\(error))")
            }
            guard check == "ok" else {
                throw InputError.invalidValue(field: "file", value: path, rule: "must be an undamaged database: SQLite's check says \(check.prefix(200))")
            }
            let holdings = try await Self.holdings(db, dialect: .sqlite)
            try Self.checkMigration(holdings, file: path)
            return holdings
        }
    }

    /// What the database at `configuration` holds (zeros for a database Liaison has never written to).
    public static func holdings(_ configuration: DatabaseConfiguration, logger: Logger) async throws -> DatabaseHoldings {
        if case let .sqlite(path) = configuration, !FileManager.default.fileExists(atPath: path) {
            return DatabaseHoldings(revision: 0, networks: 0, accounts: 0, migration: 0)
        }
        let driver = try await SQLDriver.open(configuration, logger: logger)
        do {
            let found = try await driver.withDatabase { db in try await Self.holdings(db, dialect: driver.dialect) }
            try await driver.close()
            return found
        } catch {
            try? await driver.close()
            throw error
        }
    }

    /// Runs `body` with the name of an exported PostgreSQL snapshot (for `pg_dump --snapshot`), held open until it
    /// returns, and gives what the database held in that snapshot: the dump and the figures are of the same moment.
    public static func withPostgresSnapshot(_ configuration: DatabaseConfiguration, logger: Logger,
                                            _ body: @Sendable (String) async throws -> Void) async throws -> DatabaseHoldings {
        let driver = try await SQLDriver.open(configuration, logger: logger)
        do {
            let found = try await driver.withDatabase { db in
                try await db.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
                do {
                    let snapshot = try await db.raw("SELECT pg_export_snapshot() AS id").first().map { try $0.decode(column: "id", as: String.self) } ?? ""
                    let holdings = try await Self.holdings(db, dialect: .postgresql)
                    try await body(snapshot)
                    try await db.raw("COMMIT").run()
                    return holdings
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            }
            try await driver.close()
            return found
        } catch {
            try? await driver.close()
            throw error
        }
    }

    /// Refuses a copy made by a newer Liaison (its tables may hold what this program does not know).
    public static func checkMigration(_ holdings: DatabaseHoldings, file: String) throws {
        guard holdings.migration > 0 else {
            throw InputError.invalidValue(field: "file", value: file, rule: "must be a Liaison database: it has no migrations")
        }
        let known = Migrations.all.last?.version ?? 0
        guard holdings.migration <= known else {
            throw InputError.invalidValue(field: "file", value: file,
                                          rule: "was made by a newer Liaison (migration \(holdings.migration); this program knows up to \(known))")
        }
    }

    static func holdings(_ db: any SQLDatabase, dialect: SQLDialect) async throws -> DatabaseHoldings {
        let tables: Set<String>
        switch dialect {
        case .sqlite:
            tables = Set(try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all().map { try $0.decode(column: "name", as: String.self) })
        case .postgresql:
            tables = Set(try await db.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()").all()
                .map { try $0.decode(column: "name", as: String.self) })
        }
        func count(_ sql: String, in table: String) async throws -> Int64 {
            guard tables.contains(table) else { return 0 }
            return try await db.raw(SQLQueryString(stringLiteral: sql)).first().map { try $0.decode(column: "n", as: Int64?.self) ?? 0 } ?? 0
        }
        return DatabaseHoldings(
            revision: try await count("SELECT MAX(seq) AS n FROM revisions", in: "revisions"),
            networks: Int(try await count("SELECT COUNT(*) AS n FROM networks", in: "networks")),
            accounts: Int(try await count("SELECT COUNT(*) AS n FROM accounts", in: "accounts")),
            migration: Int(try await count("SELECT MAX(version) AS n FROM schema_migrations", in: "schema_migrations")))
    }

    /// Puts the SQLite file `copy` in place of the database at `path`: the old database's log is written into it and
    /// its files removed, then the copy is moved in whole (a rename), so that no log of the old database is ever read
    /// with the new one.
    public static func replaceSQLite(at path: String, with copy: String, logger: Logger) async throws {
        let manager = FileManager.default
        let staged = path + ".restoring"
        try? manager.removeItem(atPath: staged)
        try manager.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        try manager.copyItem(atPath: copy, toPath: staged)
        if manager.fileExists(atPath: path) {
            try await withSQLite(path, logger: logger) { db in
                try await db.raw("PRAGMA busy_timeout = 30000").run()
                try await db.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
            }
        }
        for suffix in ["-wal", "-shm", "-journal"] where manager.fileExists(atPath: path + suffix) {
            try manager.removeItem(atPath: path + suffix)
        }
        guard rename(staged, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// Runs `body` on a connection of its own to the SQLite file, closed afterwards.
    static func withSQLite<T: Sendable>(_ path: String, logger: Logger, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger).get()
        do {
            let result = try await body(connection.sql(queryLogLevel: nil))
            try await connection.close().get()
            return result
        } catch {
            try? await connection.close().get()
            throw error
        }
    }
}
