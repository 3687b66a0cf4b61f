import ArgumentParser
import Hummingbird
import LiaisonStore
import LiaisonWeb
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the catalogue over HTTP (the 2017 catalogue is loaded on first start).")

    @Option(help: "Address to listen on (or LIAISON_HOST).")
    var host: String?

    @Option(help: "Port to listen on (or LIAISON_PORT).")
    var port: Int?

    @Flag(help: "Do not load the 2017 catalogue into an empty database.")
    var noSeed = false

    @OptionGroup var options: DatabaseOptions

    func validate() throws {
        if let port = port ?? environment("LIAISON_PORT").flatMap(Int.init), !(0...65535).contains(port) {
            throw ValidationError("--port: \(port) is not a port number (0–65535)")
        }
        if environment("LIAISON_PORT") != nil, port == nil, environment("LIAISON_PORT").flatMap(Int.init) == nil {
            throw ValidationError("LIAISON_PORT: “\(environment("LIAISON_PORT") ?? "")” is not a port number")
        }
    }

    func run() async throws {
        let logger = Logger(label: "liaison")
        let database = try options.database
        logger.info("database: \(database)")
        let app = try await buildApplication(
            AppConfiguration(
                host: host ?? environment("LIAISON_HOST") ?? "127.0.0.1",
                port: port ?? environment("LIAISON_PORT").flatMap(Int.init) ?? 8080,
                database: database, seed: !noSeed),
            logger: logger)
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations not yet applied.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await CatalogueStore.open(try options.database)
        let applied = try await store.migrate()
        let all = try await store.appliedMigrations()
        say(applied.isEmpty
            ? "the schema is up to date (migrations \(all.map(String.init).joined(separator: ", ")))"
            : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        try await store.close()
    }
}
