import ArgumentParser
import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
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

    @Option(help: "The secretariat's address: /contact writes to it, and every page's footer shows it (or LIAISON_CONTACT_EMAIL).")
    var contactEmail: String?

    @Option(help: "The language of the mail /contact sends the secretariat: en or fr (default en, or LIAISON_CONTACT_LANGUAGE).")
    var contactLanguage: String?

    @Option(help: "Months after the last role of a directory entry ended before it is erased (default 24, or LIAISON_DIRECTORY_RETENTION).")
    var directoryRetention: Int?

    @Option(help: "Directory entries one account may open an hour (default 120, or LIAISON_DIRECTORY_VIEWS_PER_HOUR).")
    var directoryViewsPerHour: Int?

    @Option(help: "Pages of the directory's lists one account may be shown an hour (default 300, or LIAISON_DIRECTORY_LISTS_PER_HOUR).")
    var directoryListsPerHour: Int?

    @Option(help: "Messages of a mailing list handed to the mail server a minute (default 60, or LIAISON_LIST_MESSAGES_PER_MINUTE).")
    var listMessagesPerMinute: Int?

    @Flag(help: "Do not check the networks' links once a day (the first check runs ten minutes after start).")
    var noLinkChecks = false

    @Flag(help: "Take the client's address from X-Forwarded-For (only behind a proxy that sets it; or LIAISON_BEHIND_PROXY=1).")
    var behindProxy = false

    @Option(help: "The program the sendmail transport hands messages to, as `PROGRAM -t -i` (default /usr/sbin/sendmail, or LIAISON_SENDMAIL).")
    var sendmail: String?

    @Option(help: "Serve /metrics (Prometheus) on this port, never on the site's (default: not served, or LIAISON_METRICS_PORT).")
    var metricsPort: Int?

    @Option(help: "The address the metrics port listens on (default 127.0.0.1: this machine only, or LIAISON_METRICS_HOST).")
    var metricsHost: String?

    func run() async throws {
        var flags: [Setting: String] = [.host: host, .port: port.map(String.init), .mailTransport: mailTransport, .mailDirectory: mailDir,
                                        .mailFrom: mailFrom, .contactEmail: contactEmail, .contactLanguage: contactLanguage,
                                        .directoryRetention: directoryRetention.map(String.init),
                                        .directoryViewsPerHour: directoryViewsPerHour.map(String.init),
                                        .directoryListsPerHour: directoryListsPerHour.map(String.init),
                                        .listMessagesPerMinute: listMessagesPerMinute.map(String.init),
                                        .metricsPort: metricsPort.map(String.init), .metricsHost: metricsHost,
                                        .sendmail: sendmail].compactMapValues { $0 }
        if noSeed { flags[.seed] = "false" }
        if noLinkChecks { flags[.linkChecks] = "false" }
        if behindProxy { flags[.behindProxy] = "true" }
        let settings = try readSettings(flags.merging(options.flags) { flag, _ in flag }.merging(site.flags) { flag, _ in flag })
        let logger = Logger(label: "liaison")
        logger.info("database: \(settings.database)")
        if let warning = settings.publicURLWarning { logger.warning("\(warning)") }
        Telemetry.start()
        let services = try await Services.build(settings, logger: logger)
        do {
            try await buildApplication(services, settings: settings, logger: logger).runService()
        } catch {
            try? await services.close()
            throw error
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations not yet applied.")

    @OptionGroup var options: DatabaseOptions

    func run() async throws {
        do {
            let (applied, all) = try await Services.migrate(try readSettings(options.flags))
            say(applied.isEmpty
                ? "the schema is up to date (migrations \(all.map(String.init).joined(separator: ", ")))"
                : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // A migration that fails leaves the database as it was, and says why.
            throw refuse("the migrations could not be applied: \(String(describing: error))")
        }
    }
}
