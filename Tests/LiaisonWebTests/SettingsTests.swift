import Configuration
import Foundation
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices

/// The one configuration: flags over the environment over the defaults, each value checked, each refusal naming the
/// flag and the variable.
@Suite struct SettingsTests {
    func read(flags: [Setting: String] = [:], _ environment: [String: String] = [:]) throws -> Settings {
        try Settings(reader: Settings.reader(flags: flags, environment: environment))
    }

    @Test func nothingGivenIsTheDefaults() throws {
        let settings = try read()
        #expect(settings.host == "127.0.0.1")
        #expect(settings.port == 8080)
        #expect(settings.database == .sqlite(dataDirectory: "./data"))
        #expect(settings.seed)
        #expect(settings.accounts.publicURL == "http://127.0.0.1:8080")
        #expect(!settings.accounts.trustForwardedFor)
        #expect(settings.linkChecksAfter == .seconds(600))
        #expect(settings.logLevel == .info)
        #expect(settings.directoryRetentionMonths == 24)
        #expect(settings.directoryViewsPerHour == 120 && settings.directoryListsPerHour == 300)
        #expect(settings.listMessagesPerMinute == 60)
        let mail = try #require(settings.mail)
        #expect(mail.from == "noreply@liaison.invalid")
        #expect((mail.transport as? FileMailTransport)?.directory.path == URL(fileURLWithPath: "./data/mail").path)
    }

    @Test func theEnvironmentIsReadAndTheFlagsWin() throws {
        let environment = [
            "LIAISON_HOST": "0.0.0.0", "LIAISON_PORT": "9000", "LIAISON_DATA_DIR": "/srv/liaison", "LIAISON_BEHIND_PROXY": "1",
            "LIAISON_MAIL_TRANSPORT": "sendmail", "LIAISON_MAIL_FROM": "liaison@example.org", "LIAISON_PUBLIC_URL": "https://liaison.example",
            "LIAISON_LOG_LEVEL": "debug", "LIAISON_LINK_CHECKS": "no", "LIAISON_SEED": "false", "UNRELATED": "x",
        ]
        let settings = try read(environment)
        #expect(settings.host == "0.0.0.0")
        #expect(settings.port == 9000)
        #expect(settings.database == .sqlite(dataDirectory: "/srv/liaison"))
        #expect(settings.accounts.trustForwardedFor)
        #expect(settings.accounts.publicURL == "https://liaison.example")
        #expect(settings.mail?.transport is SendmailTransport)
        #expect(settings.mail?.from == "liaison@example.org")
        #expect(settings.logLevel == .debug)
        #expect(settings.linkChecksAfter == nil)
        #expect(!settings.seed)

        let flagged = try read(flags: [.port: "9001", .databaseURL: "postgres://u:secret@db/liaison", .mailTransport: "file",
                                       .mailDirectory: "/tmp/outbox"], environment)
        #expect(flagged.port == 9001)
        #expect(try read(["LIAISON_DIRECTORY_VIEWS_PER_HOUR": "500"]).directoryViewsPerHour == 500)
        #expect(flagged.database == .postgres(url: "postgres://u:secret@db/liaison"))
        #expect((flagged.mail?.transport as? FileMailTransport)?.directory.path == "/tmp/outbox")
        // An empty variable is as if unset.
        #expect(try read(["LIAISON_PORT": ""]).port == 8080)
    }

    @Test(arguments: [
        ([Setting.port: "abc"], [String: String](), "--port (LIAISON_PORT): “abc” is not allowed: must be a port number (0–65535)"),
        ([:], ["LIAISON_DIRECTORY_RETENTION": "0"],
         "--directory-retention (LIAISON_DIRECTORY_RETENTION): “0” is not allowed: must be a number of months (1–600)"),
        ([:], ["LIAISON_DIRECTORY_LISTS_PER_HOUR": "-5"],
         "--directory-lists-per-hour (LIAISON_DIRECTORY_LISTS_PER_HOUR): “-5” is not allowed: must be a number of pages (1–1000000)"),
        ([:], ["LIAISON_LIST_MESSAGES_PER_MINUTE": "0"],
         "--list-messages-per-minute (LIAISON_LIST_MESSAGES_PER_MINUTE): “0” is not allowed: must be a number of messages (1–100000)"),
        ([:], ["LIAISON_PORT": "70000"], "--port (LIAISON_PORT): “70000” is not allowed: must be a port number (0–65535)"),
        ([:], ["LIAISON_DATABASE_URL": "mysql://u:secret@db/x"],
         "--database-url (LIAISON_DATABASE_URL): “mysql://u:***@db/x” is not allowed: must start with postgres://, postgresql:// or sqlite:"),
        ([:], ["LIAISON_MAIL_TRANSPORT": "smtp"], "--mail-transport (LIAISON_MAIL_TRANSPORT): “smtp” is not allowed: must be file or sendmail"),
        ([:], ["LIAISON_BEHIND_PROXY": "maybe"], "--behind-proxy (LIAISON_BEHIND_PROXY): “maybe” is not allowed: must be 1, 0, yes, no, true or false"),
        ([.publicURL: "https://liaison.example/?a=b"], [:],
         "--public-url (LIAISON_PUBLIC_URL): “https://liaison.example/?a=b” is not allowed: must be an http:// or https:// address without a query"),
        ([:], ["LIAISON_LOG_LEVEL": "loud"], "LIAISON_LOG_LEVEL: “loud” is not allowed: must be one of: trace, debug, info, notice, warning, error, critical"),
    ] as [([Setting: String], [String: String], String)])
    func aValueAgainstItsRuleIsRefusedNamingIt(flags: [Setting: String], environment: [String: String], message: String) throws {
        #expect { try read(flags: flags, environment) } throws: { ($0 as? InputError)?.description == message }
    }

    @Test func linksLeadToWhereTheServerListensUnlessAPublicAddressIsGiven() throws {
        #expect(try read(flags: [.port: "9090"]).accounts.publicURL == "http://127.0.0.1:9090")
        #expect(try read(flags: [.host: "0.0.0.0", .port: "8081"]).accounts.publicURL == "http://127.0.0.1:8081")
        #expect(try read(flags: [.host: "10.0.0.5"]).accounts.publicURL == "http://10.0.0.5:8080")
        #expect(try read(flags: [.port: "9090"]).publicURLWarning == nil)
        // Told a local address on another port: the start warns; a proxy's address is not compared.
        let wrong = try read(flags: [.port: "9090", .publicURL: "http://127.0.0.1:8080"])
        #expect(wrong.publicURLWarning?.contains("listens on port 9090") == true)
        #expect(try read(flags: [.host: "0.0.0.0", .publicURL: "http://localhost"]).publicURLWarning != nil)
        #expect(try read(flags: [.publicURL: "https://liaison.example"]).publicURLWarning == nil)
        #expect(try read(flags: [.port: "443", .publicURL: "https://localhost"]).publicURLWarning == nil)
    }

    @Test func theSecretariatsAddressAndLanguage() throws {
        #expect(try read().contact == nil)
        #expect(try read(["LIAISON_CONTACT_EMAIL": "sec@example.org"]).contact == ContactSettings(address: "sec@example.org", language: .en))
        #expect(try read(flags: [.contactEmail: "sec@example.org", .contactLanguage: "fr"]).contact?.language == .fr)
        #expect(throws: InputError.self) { try read(["LIAISON_CONTACT_EMAIL": "sec@example.org\r\nBcc: x@example.org"]) }
        #expect(throws: InputError.self) { try read(["LIAISON_CONTACT_EMAIL": "sec@example.org", "LIAISON_CONTACT_LANGUAGE": "de"]) }
    }

    @Test func aFromAddressThatWouldAddAHeaderIsRefused() throws {
        #expect(throws: InputError.self) { try read(["LIAISON_MAIL_FROM": "a@example.org\r\nBcc: b@example.org"]) }
    }

    @Test(arguments: [true, false])
    func theDatabaseAddressIsASecretOfTheReader(fromFlag: Bool) throws {
        // Given by a flag or by the environment, the password of a database address never appears in an access log.
        let url = "postgres://u:hunter2@db/x"
        let reporter = RecordingReporter()
        let settings = try Settings(reader: Settings.reader(flags: fromFlag ? [.databaseURL: url] : [:],
                                                            environment: fromFlag ? [:] : ["LIAISON_DATABASE_URL": url],
                                                            accessReporter: reporter))
        #expect(settings.database == .postgres(url: url))
        #expect(reporter.events.contains { $0.contains("liaison.database.url") })
        #expect(!reporter.events.joined().contains("hunter2"))
        // The same log shows values that are not secrets: the check above is not vacuous.
        let plain = RecordingReporter()
        _ = try Settings(reader: Settings.reader(flags: [.host: "10.1.2.3"], environment: [:], accessReporter: plain))
        #expect(plain.events.joined().contains("10.1.2.3"))
    }
}

final class RecordingReporter: AccessReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [String] = []
    var events: [String] { lock.withLock { recorded } }
    func report(_ event: AccessEvent) {
        lock.withLock { recorded.append(String(describing: event)) }
    }
}
