import Foundation
import LiaisonCore
import SQLiteNIO
import SQLKit

/// One row of a load query, read by column name.
///
/// On SQLite the values are read straight from SQLiteNIO's row; SQLKit's `decode(column:as:)` goes through a
/// `Decoder` for every value, which was a third of the start-up time of a large catalogue.
struct LoadRow {
    private enum Storage {
        case sqlite(SQLiteRow)
        case other(any SQLRow)
    }

    private let storage: Storage

    init(sqlite row: SQLiteRow) { storage = .sqlite(row) }
    init(_ row: any SQLRow) { storage = .other(row) }

    func text(_ column: String) throws -> String {
        guard let value = try optionalText(column) else { throw missing(column) }
        return value
    }

    func optionalText(_ column: String) throws -> String? {
        switch storage {
        case let .sqlite(row):
            guard let data = row.column(column) else { throw missing(column) }
            return data.string
        case let .other(row): return try row.decode(column: column, as: String?.self)
        }
    }

    func integer(_ column: String) throws -> Int {
        guard let value = try optionalInteger(column) else { throw missing(column) }
        return value
    }

    func optionalInteger(_ column: String) throws -> Int? {
        switch storage {
        case let .sqlite(row):
            guard let data = row.column(column) else { throw missing(column) }
            return data.integer.map { Int($0) }
        case let .other(row): return try row.decode(column: column, as: Int?.self)
        }
    }

    private func missing(_ column: String) -> StoredDataError {
        StoredDataError(column: column, value: "NULL", rule: "must be present in the stored catalogue")
    }
}

/// Streams the rows of a query, one at a time, without collecting them first.
struct RowSource: Sendable {
    let stream: @Sendable (String, [String], @escaping @Sendable (LoadRow) -> Void) async throws -> Void

    /// Calls `body` for every row of `sql` (a constant of the loader; no user text reaches it), whose `{list}`, if any,
    /// stands for the bound text values `values`, separated by commas (for `IN ({list})`).
    /// Rows arrive one after another; after the first error `body` throws, the remaining rows are skipped
    /// (not handed to `body`) and the error is rethrown when the query ends.
    /// Rows read through a database session (a transaction's, or PostgreSQL's connection), `{list}` bound as values.
    init(_ db: any SQLDatabase) {
        stream = { sql, values, handler in try await db.raw(SQLDriver.query(sql, values)).run { handler(LoadRow($0)) } }
    }

    init(stream: @escaping @Sendable (String, [String], @escaping @Sendable (LoadRow) -> Void) async throws -> Void) {
        self.stream = stream
    }

    func forEach(_ sql: String, values: [String] = [], _ body: @escaping (LoadRow) throws -> Void) async throws {
        let state = StreamState(body)
        try await stream(sql, values) { row in state.take(row) }
        if let failure = state.failure { throw failure }
    }
}

/// The handler and first failure of one streamed query. Rows are handed over one at a time, by one thread,
/// and the caller reads `failure` only after the query has finished: no two threads touch it at once.
private final class StreamState: @unchecked Sendable {
    let body: (LoadRow) throws -> Void
    var failure: (any Error)?

    init(_ body: @escaping (LoadRow) throws -> Void) { self.body = body }

    func take(_ row: LoadRow) {
        guard failure == nil else { return }
        do { try body(row) } catch { failure = error }
    }
}

extension SQLDriver {
    /// Runs `body` with a row source on one connection (on PostgreSQL, inside one read-only transaction
    /// with repeatable reads, so that every query sees the same state of the catalogue).
    func withRows<T: Sendable>(_ body: @Sendable (RowSource) async throws -> T) async throws -> T {
        do {
            return try await rows(body)
        } catch {
            throw Self.unavailable(error) ?? error
        }
    }

    private func rows<T: Sendable>(_ body: @Sendable (RowSource) async throws -> T) async throws -> T {
        switch self {
        case let .sqlite(connection, access):
            return try await access.run {
                try await body(RowSource { sql, values, handler in
                    let placeholders = values.map { _ in "?" }.joined(separator: ", ")
                    try await connection.query(sql.replacingOccurrences(of: "{list}", with: placeholders), values.map { SQLiteData.text($0) }) {
                        handler(LoadRow(sqlite: $0))
                    }
                })
            }
        case let .postgres(client, _):
            return try await client.withConnection { connection in
                let db = connection.sql(queryLogLevel: nil)
                try await db.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
                do {
                    let result = try await body(RowSource(db))
                    try await db.raw("COMMIT").run()
                    return result
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    /// `sql` with its `{list}` made of bound values.
    static func query(_ sql: String, _ values: [String]) -> SQLQueryString {
        let parts = sql.components(separatedBy: "{list}")
        var query = SQLQueryString(parts[0])
        for part in parts.dropFirst() {
            for (i, value) in values.enumerated() {
                if i > 0 { query.appendLiteral(", ") }
                query.appendInterpolation(bind: value)
            }
            query.appendLiteral(part)
        }
        return query
    }
}
