import Configuration
import Foundation
import LiaisonCore
import LiaisonStore
import Logging

/// Liaison's one configuration: read once, by `Settings(reader:)`, from the command's flags, the environment
/// (`LIAISON_*`) and the defaults written here; `Services.build` and the web application take it whole.
/// Tests and embedders make one with `init(database:…)`.
public struct Settings: Sendable {
    /// Where the server listens.
    public var host: String
    public var port: Int
    public var database: DatabaseConfiguration
    /// Load the 2017 catalogue into a database that has never held data.
    public var seed: Bool
    /// Sessions, links and sign-in rules; links in mail start with its `publicURL`.
    public var accounts: AccountSettings
    /// How the outbox is delivered; nil: mail stays queued (tests that do not send mail, commands that only queue).
    public var mail: MailSettings?
    /// When the daily link check first runs after start (nil: no daily check; `liaison check-links` runs one).
    public var linkChecksAfter: Duration?
    public var logLevel: Logger.Level
    /// The secretariat's address, which `/contact` writes to and the pages show; nil: not set (no contact form).
    public var contact: ContactSettings?
    /// Retention of the directory: an entry whose every role ended this many months ago is erased (daily, by `serve`).
    public var directoryRetentionMonths = 24
    /// Directory entries one account may open an hour, and pages of the directory's lists it may be shown.
    public var directoryViewsPerHour = Settings.standardDirectoryViewsPerHour
    public var directoryListsPerHour = Settings.standardDirectoryListsPerHour
    public static let standardDirectoryViewsPerHour = 120
    public static let standardDirectoryListsPerHour = 300
    /// Messages of a mailing list handed to the mail server a minute (a large list is spread out, as mail servers ask).
    public var listMessagesPerMinute = Settings.standardListMessagesPerMinute
    public static let standardListMessagesPerMinute = 60
    /// Where the open-data files are written (`/data`): `open-data/` in the data directory; a folder of its own in
    /// the temporary directory when settings are made without one (tests, embedders).
    public var openDataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-open-data-\(UUID().uuidString)").path
    /// Where the catalogue's snapshot file is kept, read at start instead of the database when it holds a state of it:
    /// beside an SQLite database (`liaison.sqlite.snapshot`), in the data directory for PostgreSQL; nil (settings made
    /// without a reader: tests, embedders): none.
    public var snapshotFile: String?
    /// Where `/metrics` (Prometheus) is served: a port of its own, never the public site's; nil: not served.
    public var metricsPort: Int?
    /// The address the metrics port listens on: this machine only, unless told otherwise (a private network).
    public var metricsHost = "127.0.0.1"

    public init(host: String = "127.0.0.1", port: Int = 8080, database: DatabaseConfiguration, seed: Bool = true,
                accounts: AccountSettings? = nil, mail: MailSettings? = nil, linkChecksAfter: Duration? = nil,
                logLevel: Logger.Level = .info, contact: ContactSettings? = nil) {
        self.host = host
        self.port = port
        self.database = database
        self.seed = seed
        self.accounts = accounts ?? AccountSettings(publicURL: "http://\(host):\(port)")
        self.mail = mail
        self.linkChecksAfter = linkChecksAfter
        self.logLevel = logLevel
        self.contact = contact
    }
}

/// Where messages to the secretariat go, and the language its mail is written in.
public struct ContactSettings: Sendable, Equatable {
    public var address: String
    public var language: Language

    public init(address: String, language: Language = .en) {
        self.address = address
        self.language = language
    }
}

/// Where mail goes and whom it comes from.
public struct MailSettings: Sendable {
    public var transport: any MailTransport
    public var from: String
    /// How often the outbox is looked at.
    public var interval: Duration

    public init(transport: any MailTransport, from: String, interval: Duration = .seconds(5)) {
        self.transport = transport
        self.from = from
        self.interval = interval
    }
}

/// Every setting: its key, the flag that sets it and the environment variable (`LIAISON_` and the key in capitals).
public enum Setting: String, CaseIterable, Sendable {
    case host, port, seed
    case dataDirectory = "data.dir"
    case databaseURL = "database.url"
    case publicURL = "public.url"
    case mailTransport = "mail.transport"
    case mailDirectory = "mail.dir"
    case mailFrom = "mail.from"
    case behindProxy = "behind.proxy"
    case linkChecks = "link.checks"
    case logLevel = "log.level"
    case contactEmail = "contact.email"
    case contactLanguage = "contact.language"
    case directoryRetention = "directory.retention"
    case directoryViewsPerHour = "directory.views.per.hour"
    case directoryListsPerHour = "directory.lists.per.hour"
    case listMessagesPerMinute = "list.messages.per.minute"
    case sendmail
    case metricsPort = "metrics.port"
    case metricsHost = "metrics.host"

    /// The key under the `liaison` scope.
    public var key: AbsoluteConfigKey { AbsoluteConfigKey(["liaison"] + rawValue.split(separator: ".").map(String.init)) }
    public var environmentVariable: String { "LIAISON_" + rawValue.uppercased().replacingOccurrences(of: ".", with: "_") }
    /// The flag of the commands that take one (the log level is set before a command is read: only by its variable).
    public var flag: String? {
        switch self {
        case .seed: "--no-seed"
        case .linkChecks: "--no-link-checks"
        case .logLevel: nil
        default: "--" + rawValue.replacingOccurrences(of: ".", with: "-")
        }
    }
    /// How an error names it: the flag and the variable, since either may have given the value.
    public var field: String { flag.map { "\($0) (\(environmentVariable))" } ?? environmentVariable }
    var isSecret: Bool { self == .databaseURL }
}

extension Settings {
    /// The reader of a command: its flags first, then the environment. Every value is text, parsed and checked by
    /// `Settings(reader:)`. The database address is a secret: an access log (`accessReporter`, or the file that
    /// swift-configuration's `CONFIG_ACCESS_LOG_FILE` names) never shows it.
    public static func reader(flags: [Setting: String], environment: [String: String] = ProcessInfo.processInfo.environment,
                              accessReporter: (any AccessReporter)? = nil) -> ConfigReader {
        let values = Dictionary(uniqueKeysWithValues: flags.map { ($0.key.key, ConfigValue(.string($0.value), isSecret: $0.key.isSecret)) })
        let secrets = Set(Setting.allCases.filter(\.isSecret).map(\.environmentVariable))
        return ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: values),
            EnvironmentVariablesProvider(environmentVariables: environment.filter { $0.key.hasPrefix("LIAISON_") && !$0.value.isEmpty },
                                         secretsSpecifier: .specific(secrets)),
        ], accessReporter: accessReporter)
    }

    /// Reads every setting, each with its default; a value that breaks its rule is refused, naming the setting.
    public init(reader: ConfigReader) throws {
        let read = SettingReader(reader: reader)
        let host = read.text(.host) ?? "127.0.0.1"
        let port = try read.value(.port, rule: "must be a port number (0–65535)") { Int($0).flatMap { (0...65535).contains($0) ? $0 : nil } } ?? 8080
        let dataDirectory = read.text(.dataDirectory) ?? "./data"
        let database = try read.value(.databaseURL, rule: "must start with postgres://, postgresql:// or sqlite:") {
            try? DatabaseConfiguration(url: $0)
        } ?? .sqlite(dataDirectory: dataDirectory)
        // Unless told otherwise, links in mail and feeds lead to where the server listens.
        let publicURL = try read.value(.publicURL, rule: "must be an http:// or https:// address without a query") { text in
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, url.query == nil else { return nil }
            return text
        } ?? Self.listeningURL(host: host, port: port)
        var accounts = AccountSettings(publicURL: publicURL)
        accounts.trustForwardedFor = try read.flag(.behindProxy) ?? false
        self.init(host: host, port: port, database: database, seed: try read.flag(.seed) ?? true, accounts: accounts,
                  mail: try Self.mail(read, dataDirectory: dataDirectory),
                  linkChecksAfter: (try read.flag(.linkChecks) ?? true) ? .seconds(600) : nil,
                  logLevel: try Self.logLevel(reader: reader), contact: try Self.contact(read))
        openDataDirectory = (dataDirectory as NSString).appendingPathComponent("open-data")
        snapshotFile = switch database {
        case let .sqlite(path): path + ".snapshot"
        case .postgres: (dataDirectory as NSString).appendingPathComponent("catalogue.snapshot")
        }
        directoryRetentionMonths = try read.value(.directoryRetention, rule: "must be a number of months (1–600)") {
            Int($0).flatMap { (1...600).contains($0) ? $0 : nil }
        } ?? 24
        directoryViewsPerHour = try read.value(.directoryViewsPerHour, rule: "must be a number of entries (1–1000000)") {
            Int($0).flatMap { (1...1_000_000).contains($0) ? $0 : nil }
        } ?? Self.standardDirectoryViewsPerHour
        directoryListsPerHour = try read.value(.directoryListsPerHour, rule: "must be a number of pages (1–1000000)") {
            Int($0).flatMap { (1...1_000_000).contains($0) ? $0 : nil }
        } ?? Self.standardDirectoryListsPerHour
        listMessagesPerMinute = try read.value(.listMessagesPerMinute, rule: "must be a number of messages (1–100000)") {
            Int($0).flatMap { (1...100_000).contains($0) ? $0 : nil }
        } ?? Self.standardListMessagesPerMinute
        metricsPort = try read.value(.metricsPort, rule: "must be a port number (1–65535) other than the site's") {
            Int($0).flatMap { (1...65535).contains($0) && $0 != port ? $0 : nil }
        }
        metricsHost = read.text(.metricsHost) ?? "127.0.0.1"
    }

    /// The address of the server as it listens, for links when no public address is given (a server listening on
    /// every interface is reached on this machine at 127.0.0.1).
    static func listeningURL(host: String, port: Int) -> String {
        let shown = ["0.0.0.0", "::", "[::]", ""].contains(host) ? "127.0.0.1" : (host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host)
        return "http://\(shown):\(port)"
    }

    /// Why links in mail and feeds may not reach this server: the public address names this machine (or the
    /// listening host) on another port than the one listened on. Nil when they agree, or when the public address is
    /// another host (a proxy in front: nothing to compare).
    public var publicURLWarning: String? {
        guard let url = URL(string: accounts.publicURL), let publicHost = url.host?.lowercased() else { return nil }
        let local = ["localhost", "127.0.0.1", "::1", host.lowercased()]
        guard local.contains(publicHost) || (["0.0.0.0", "::"].contains(host) && publicHost.hasPrefix("127.")) else { return nil }
        let publicPort = url.port ?? (url.scheme == "https" ? 443 : 80)
        guard publicPort != port else { return nil }
        return "the public address \(accounts.publicURL) (\(Setting.publicURL.field)) names this machine on port \(publicPort), "
            + "but the server listens on port \(port): links in mail and feeds will not reach it"
    }

    /// The log level alone (`LIAISON_LOG_LEVEL`), for the logging set up before a command is parsed.
    public static func logLevel(reader: ConfigReader) throws -> Logger.Level {
        try SettingReader(reader: reader).value(.logLevel, rule: "must be one of: " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "),
                                                 Logger.Level.init(rawValue:)) ?? .info
    }

    private static func contact(_ read: SettingReader) throws -> ContactSettings? {
        guard let address = read.text(.contactEmail) else { return nil }
        try MailMessage.checkAddress(address, field: Setting.contactEmail.field)
        let language = try read.value(.contactLanguage, rule: "must be en or fr") { Language(rawValue: $0) } ?? .en
        return ContactSettings(address: address, language: language)
    }

    private static func mail(_ read: SettingReader, dataDirectory: String) throws -> MailSettings {
        let from = read.text(.mailFrom) ?? "noreply@liaison.invalid"
        try MailMessage.checkAddress(from, field: Setting.mailFrom.field)
        let folder = URL(fileURLWithPath: read.text(.mailDirectory) ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("mail").path)
        let sendmail = try read.value(.sendmail, rule: "must be the absolute path of a program (sendmail -t -i)") { path in
            path.hasPrefix("/") && FileManager.default.isExecutableFile(atPath: path) ? path : nil
        } ?? "/usr/sbin/sendmail"
        let transport = try read.value(.mailTransport, rule: "must be file or sendmail") { name -> (any MailTransport)? in
            switch name {
            case "file": FileMailTransport(directory: folder)
            case "sendmail": SendmailTransport(path: sendmail)
            default: nil
            }
        }
        return MailSettings(transport: transport ?? FileMailTransport(directory: folder), from: from)
    }
}

/// Reads one setting's text and parses it, refusing with the setting's flag and variable named.
private struct SettingReader {
    let reader: ConfigReader

    func text(_ setting: Setting) -> String? {
        reader.string(forKey: ConfigKey(setting.key.components), isSecret: setting.isSecret).flatMap { $0.isEmpty ? nil : $0 }
    }

    func value<T>(_ setting: Setting, rule: String, _ parse: (String) throws -> T?) throws -> T? {
        guard let text = text(setting) else { return nil }
        guard let value = try parse(text) else {
            throw InputError.invalidValue(field: setting.field, value: setting.isSecret ? DatabaseConfiguration.redacted(text) : text, rule: rule)
        }
        return value
    }

    func flag(_ setting: Setting) throws -> Bool? {
        try value(setting, rule: "must be 1, 0, yes, no, true or false") {
            switch $0.lowercased() {
            case "1", "yes", "true": true
            case "0", "no", "false": false
            default: nil
            }
        }
    }
}
