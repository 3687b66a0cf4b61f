import ArgumentParser
import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
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

    @Option(help: "How mail leaves: `file` (each message an .eml file in --mail-dir, for development) or `sendmail` (the system's sendmail -t) (or LIAISON_MAIL_TRANSPORT).")
    var mailTransport: String?

    @Option(help: "Folder of the file transport (default: mail/ in the data directory, or LIAISON_MAIL_DIR).")
    var mailDir: String?

    @Option(help: "The From address of Liaison's mail (default noreply@liaison.invalid, or LIAISON_MAIL_FROM).")
    var mailFrom: String?

    @OptionGroup var site: SiteOptions

    @Flag(help: "Do not check the networks' links once a day (the first check runs ten minutes after start).")
    var noLinkChecks = false

    @Flag(help: "Take the client's address from X-Forwarded-For (only behind a proxy that sets it; or LIAISON_BEHIND_PROXY=1).")
    var behindProxy = false

    func validate() throws {
        if let port = port ?? environment("LIAISON_PORT").flatMap(Int.init), !(0...65535).contains(port) {
            throw ValidationError("--port: \(port) is not a port number (0–65535)")
        }
        if environment("LIAISON_PORT") != nil, port == nil, environment("LIAISON_PORT").flatMap(Int.init) == nil {
            throw ValidationError("LIAISON_PORT: “\(environment("LIAISON_PORT") ?? "")” is not a port number")
        }
    }

    var mail: MailSettings {
        get throws {
            let from = mailFrom ?? environment("LIAISON_MAIL_FROM") ?? "noreply@liaison.invalid"
            do { try MailMessage.checkAddress(from, field: "--mail-from") } catch let error as CatalogueError {
                throw ValidationError(error.description)
            }
            switch mailTransport ?? environment("LIAISON_MAIL_TRANSPORT") ?? "file" {
            case "file":
                let folder = mailDir ?? environment("LIAISON_MAIL_DIR")
                    ?? URL(fileURLWithPath: options.resolvedDataDirectory).appendingPathComponent("mail").path
                return MailSettings(transport: FileMailTransport(directory: URL(fileURLWithPath: folder)), from: from)
            case "sendmail":
                return MailSettings(transport: SendmailTransport(), from: from)
            case let other:
                throw ValidationError("--mail-transport: “\(other)” is not a transport (file or sendmail)")
            }
        }
    }

    func run() async throws {
        let logger = Logger(label: "liaison")
        let database = try options.database
        let mail = try mail
        logger.info("database: \(database)")
        var accounts = AccountSettings(publicURL: site.resolved)
        accounts.trustForwardedFor = behindProxy || environment("LIAISON_BEHIND_PROXY") == "1"
        let app = try await buildApplication(
            AppConfiguration(
                host: host ?? environment("LIAISON_HOST") ?? "127.0.0.1",
                port: port ?? environment("LIAISON_PORT").flatMap(Int.init) ?? 8080,
                database: database, seed: !noSeed, mail: mail, accounts: accounts, linkChecksAfter: noLinkChecks ? nil : .seconds(600)),
            logger: logger)
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations not yet applied.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        let store = try await CatalogueStore.open(try options.database)
        do {
            let applied = try await store.migrate()
            let all = try await store.appliedMigrations()
            say(applied.isEmpty
                ? "the schema is up to date (migrations \(all.map(String.init).joined(separator: ", ")))"
                : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
            try await store.close()
        } catch {
            // Closed on every path: a migration that fails leaves the database as it was, and says why.
            try? await store.close()
            throw refuse("the migrations could not be applied: \(String(describing: error))")
        }
    }
}
