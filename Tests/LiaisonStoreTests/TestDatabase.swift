import Foundation
import Logging
import SQLKit
import Testing
@testable import LiaisonStore

/// A database for one test: a temporary SQLite file, or a fresh PostgreSQL database on the server
/// named by `LIAISON_TEST_POSTGRES_URL` (CI starts one), dropped afterwards.
enum Backend: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when the environment names a server.
    static var available: [Backend] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["LIAISON_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `body` with a store on a new, empty database of this backend.
    func withStore(_ body: (CatalogueStore) async throws -> Void) async throws {
        let logger = Logger(label: "test")
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            try await CatalogueStore.withOpened(.sqlite(dataDirectory: directory.path), logger: logger, body)
        case .postgres:
            let serverURL = try #require(Self.postgresURL)
            let name = "liaison_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
            let admin = try await SQLDriver.open(.postgres(url: serverURL), logger: logger)
            try await admin.withDatabase { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            var components = try #require(URLComponents(string: serverURL))
            components.path = "/" + name
            do {
                try await CatalogueStore.withOpened(.postgres(url: try #require(components.string)), logger: logger, body)
            } catch {
                try? await Self.drop(name, admin: admin)
                throw error
            }
            try await Self.drop(name, admin: admin)
        }
    }

    private static func drop(_ name: String, admin: SQLDriver) async throws {
        // The store's pool may still hold connections for a moment after closing.
        try await admin.withDatabase { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run() }
        try await admin.close()
    }
}

extension CatalogueStore {
    /// Opens a store and runs `body` with it, closing it whether `body` returns or throws: an SQLite connection dropped
    /// unclosed stops the whole test process, and one failing expectation must not hide every other test's result.
    static func withOpened<T>(_ configuration: DatabaseConfiguration, snapshotFile: String? = nil, logger: Logger = Logger(label: "test"),
                              _ body: (CatalogueStore) async throws -> T) async throws -> T {
        let store = try await open(configuration, snapshotFile: snapshotFile, logger: logger)
        do {
            let result = try await body(store)
            try await store.close()
            return result
        } catch {
            try? await store.close()
            throw error
        }
    }
}
