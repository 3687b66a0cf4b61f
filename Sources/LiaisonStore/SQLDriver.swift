import Foundation
import LiaisonCore
import Logging
import NIOCore
import PostgresKit
import SQLiteKit
import SQLKit

/// The open connection(s) behind a store, and how to run one transaction on them.
enum SQLDriver: Sendable {
    /// The one SQLite connection, used by one caller at a time.
    case sqlite(SQLiteConnection, Turnstile)
    /// PostgresNIO's connection pool, with the task that runs it.
    case postgres(PostgresClient, Task<Void, Never>)

    static func open(_ configuration: DatabaseConfiguration, logger: Logger) async throws -> SQLDriver {
        switch configuration {
        case let .sqlite(path):
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger).get()
            let db = connection.sql(queryLogLevel: nil)
            // Foreign keys are off by default in SQLite; WAL lets readers work while one writer commits.
            try await db.raw("PRAGMA foreign_keys = ON").run()
            try await db.raw("PRAGMA journal_mode = WAL").run()
            try await db.raw("PRAGMA synchronous = NORMAL").run()
            try await db.raw("PRAGMA busy_timeout = 5000").run()
            // Statement journals (kept while a statement of a transaction runs, to undo just that statement)
            // in memory, not in temporary files: a bulk import wrote every such page to disk.
            try await db.raw("PRAGMA temp_store = MEMORY").run()
            // The file read through a memory map rather than a read call per page: a page of the directory's search
            // at 20,000 entries spent a quarter of its time in pread (bench/directory.sh, perf).
            try await db.raw("PRAGMA mmap_size = \(unsafeRaw: String(Self.memoryMapSize))").run()
            return .sqlite(connection, Turnstile(lanes: 1))
        case let .postgres(url):
            let client = PostgresClient(configuration: try postgresConfiguration(url), backgroundLogger: logger)
            let task = Task { await client.run() }
            do {
                // Fail at once, with the reason, when the server cannot be reached.
                _ = try await client.withConnection { try await $0.sql(queryLogLevel: nil).raw("SELECT 1").all() }
            } catch {
                task.cancel()
                throw error
            }
            return .postgres(client, task)
        }
    }

    /// Reads `postgres://user:password@host:port/database?sslmode=disable|prefer|require`.
    static func postgresConfiguration(_ url: String) throws -> PostgresClient.Configuration {
        let invalid = { (rule: String) in
            InputError.invalidValue(field: "database-url", value: DatabaseConfiguration.redacted(url), rule: rule)
        }
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw invalid("must be postgres://user:password@host:port/database")
        }
        guard let user = components.user, !user.isEmpty else { throw invalid("must name a user (postgres://user@host/database)") }
        let database = components.path.split(separator: "/").first.map(String.init)
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw invalid("sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
        }
        return PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password, database: database, tls: tls)
    }

    var dialect: SQLDialect {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgresql
        }
    }

    /// Runs `body` with a database session (one connection for the whole body, not shared meanwhile).
    func withDatabase<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            switch self {
            case let .sqlite(connection, access):
                return try await access.run { try await body(connection.sql(queryLogLevel: nil)) }
            case let .postgres(client, _):
                return try await client.withConnection { connection in try await body(connection.sql(queryLogLevel: nil)) }
            }
        } catch {
            throw Self.unavailable(error) ?? error
        }
    }

    /// The database could not be reached (or, on SQLite, stayed locked past the wait): said as such, so that the web
    /// answers 503 and a client tries again; nil for any other error (a refused write, a broken constraint, a bug).
    static func unavailable(_ error: any Error) -> DatabaseUnavailable? {
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
                return DatabaseUnavailable(reason: error.code.description)
            case .server:
                // Class 08 (connection exception) and 57P (the server shutting down, starting up, or cannot connect now).
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("08") || state.hasPrefix("57P") ? DatabaseUnavailable(reason: "server state \(state)") : nil
            default:
                return nil
            }
        }
        // PostgresNIO's pool refuses a lease when it cannot open connections (its circuit breaker) or is shut down: its
        // error type is in an underscored module of PostgresNIO, known here by its name rather than by importing it.
        if String(reflecting: type(of: error)) == "_ConnectionPoolModule.ConnectionPoolError" {
            return DatabaseUnavailable(reason: "no connection to PostgreSQL could be opened (\(error))")
        }
        if let error = error as? SQLiteError, error.reason == .busy || error.reason == .locked || error.reason == .busyTimeout {
            return DatabaseUnavailable(reason: "SQLite \(error.reason)")
        }
        return nil
    }

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled back when it throws.
    /// `bulk`: one large write, on SQLite with the connection prepared for it (`bulkSettings`) and set back afterwards,
    /// all in the one turn on the connection, so that no other write ever runs with those settings.
    func transaction<T: Sendable>(bulk: Bool = false, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let begin: SQLQueryString = dialect == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
        let bulk = bulk && dialect == .sqlite
        return try await withDatabase { db in
            // A setting SQLite declines is no failure (with another process holding the file in WAL mode, WAL stays).
            if bulk { for setting in Self.bulkSettings { try? await db.raw(SQLQueryString(setting.bulk)).run() } }
            do {
                try await db.raw(begin).run()
            } catch {
                if bulk { await Self.restoreSettings(db) }
                throw error
            }
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                if bulk { await Self.restoreSettings(db) }
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                if bulk { await Self.restoreSettings(db) }
                throw error
            }
        }
    }

    /// How SQLite is set for one large write, and the setting every connection runs with otherwise.
    ///
    /// - The page cache grows from SQLite's default 2 MB to 256 MB: a large import touches every page of the
    ///   membership indexes and reread them from disk over and over.
    /// - The journal becomes a rollback journal for the write: in WAL mode every page is written twice (to the
    ///   log, then back into the database), while a rollback journal only keeps the pages the database already
    ///   had. When another process holds the database open in WAL mode, SQLite keeps WAL; that is fine too.
    /// - Foreign keys are not looked up for each row (two lookups for each of 2.5 million memberships took 2.3 s of a
    ///   100,000-network import): the catalogue's writer checks by construction what they would refuse
    ///   (`CatalogueWriter.checkReferences`), and removes a replaced network's entries itself rather than by cascade.
    static let bulkSettings: [(bulk: String, usual: String)] = [
        ("PRAGMA cache_size = -262144", "PRAGMA cache_size = -2000"),
        ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = WAL"),
        ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON"),
    ]

    /// Every connection's settings again after a bulk write (each tried even when one fails: a failure here is a
    /// connection already lost).
    static func restoreSettings(_ db: any SQLDatabase) async {
        for setting in bulkSettings.reversed() { try? await db.raw(SQLQueryString(setting.usual)).run() }
    }

    /// How much of an SQLite file is read through a memory map (the directory's searches spent a quarter of their time
    /// in `pread` without one).
    static let memoryMapSize = 268_435_456

    /// Runs a read of the whole catalogue with SQLite's memory map closed: its pages would otherwise stay mapped after
    /// the load — up to 256 MB counted as the process's resident memory for data the snapshot already holds. The map
    /// opens again afterwards, for the queries that use it.
    func withoutMemoryMap<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        guard case let .sqlite(connection, access) = self else { return try await body() }
        await access.run { try? await connection.query("PRAGMA mmap_size = 0", []) { _ in } }
        do {
            let result = try await body()
            await access.run { try? await connection.query("PRAGMA mmap_size = \(Self.memoryMapSize)", []) { _ in } }
            return result
        } catch {
            await access.run { try? await connection.query("PRAGMA mmap_size = \(Self.memoryMapSize)", []) { _ in } }
            throw error
        }
    }

    /// Listens for the notice every transaction that appends revisions sends on PostgreSQL (migration 33), on a
    /// connection of its own: `listening` once the server listens, then `heard` for each notice, until the task is
    /// cancelled or the connection is lost (which throws). False at once on SQLite, which one process writes.
    func listenForRevisions(listening: @Sendable () async -> Void, heard: @Sendable () async -> Void) async throws -> Bool {
        guard case let .postgres(client, _) = self else { return false }
        try await client.withConnection { connection in
            try await connection.listen(on: "liaison_revisions") { notices in
                await listening()
                for try await _ in notices { await heard() }
            }
        }
        return true
    }

    func close() async throws {
        switch self {
        case let .sqlite(connection, _): try await connection.close().get()
        case let .postgres(_, task): task.cancel()
        }
    }
}

/// The SQL the store speaks: the two differ in a few places (sequences, locks, JSON, triggers).
enum SQLDialect: String, Sendable {
    case sqlite, postgresql
}
