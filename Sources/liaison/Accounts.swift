import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices
import Logging

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and change accounts.",
        subcommands: [Create.self, List.self, SetRole.self, Disable.self, Enable.self, ResetSecondFactor.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account (without --password-stdin the person chooses a password through “forgotten password”).")

        @Option(help: "The person's e-mail address.") var email: String
        @Option(help: "The person's name as shown to others.") var name: String
        @Option(help: "practitioner, focal_point, editor or administrator.") var role: String
        @Option(name: .customLong("network"), help: "A network the focal point maintains (repeat for several).") var networks: [String] = []
        @Option(help: "The language of the person's mail: en or fr.") var language = "en"
        @Flag(help: "Read the password from standard input (one line).") var passwordStdin = false
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var site: SiteOptions

        func run() async throws {
            let role = try checked { try AccountRole.parseAssignable(self.role, field: "--role") }
            let language = try checked { try Language.parse(self.language, field: "--language") }
            let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
            if let password {
                try checked { try PasswordPolicy.check(password, email: email, field: "password") }
            }
            let account = try await withServices(options, site: site) { services in
                try await services.accounts.createAccount(email: email, displayName: name, role: role, networks: networks, language: language,
                                                          password: password, knownNetworks: Set(services.catalogue.snapshot.networks.map(\.slug)))
            }
            say("created account \(account.id): \(account.email), \(account.role.rawValue)"
                + (account.networks.isEmpty ? "" : " of " + account.networks.joined(separator: ", "))
                + (role.requiresSecondFactor ? " (sets up a second factor at the first sign-in)" : ""))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts (tab-separated: id, address, role, networks, second factor, state, last sign-in).")
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var site: SiteOptions

        func run() async throws {
            let list = try await withServices(options, site: site) { services in try await services.administration.accounts() }
            print(["id", "email", "role", "networks", "second_factor", "state", "last_sign_in"].joined(separator: "\t"))
            for account in list {
                print([String(account.id), account.email, account.role.rawValue, account.networks.joined(separator: " "),
                       account.secondFactorEnabled ? "on" : "off", account.disabled ? "disabled" : "enabled",
                       account.lastSignInAt.map { $0.formatted(Date.ISO8601FormatStyle()) } ?? "-"].joined(separator: "\t"))
            }
            say("\(list.count) accounts")
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-role", abstract: "Give an account a role (its sessions end).")
        @Option(help: "The account's e-mail address.") var email: String
        @Option(help: "practitioner, focal_point, editor or administrator.") var role: String
        @Option(name: .customLong("network"), help: "A network the focal point maintains (repeat for several).") var networks: [String] = []
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var site: SiteOptions

        func run() async throws {
            let role = try checked { try AccountRole.parseAssignable(self.role, field: "--role") }
            let account = try await withServices(options, site: site) { services in
                let administration = services.administration
                return try await administration.setRole(of: try await administration.accountID(email: email, field: "--email"), to: role,
                                                        networks: networks, by: .commandLine, networksField: "--network")
            }
            say("\(account.email) is now \(account.role.rawValue)" + (account.networks.isEmpty ? "" : " of " + account.networks.joined(separator: ", ")))
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: its sessions end and it can no longer sign in.")
        @Option(help: "The account's e-mail address.") var email: String
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var site: SiteOptions

        func run() async throws {
            try await setDisabled(email, true, options: options, site: site)
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @Option(help: "The account's e-mail address.") var email: String
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var site: SiteOptions

        func run() async throws {
            try await setDisabled(email, false, options: options, site: site)
        }
    }

    static func setDisabled(_ email: String, _ disabled: Bool, options: DatabaseOptions, site: SiteOptions) async throws {
        let account = try await withServices(options, site: site) { services in
            let administration = services.administration
            return try await administration.setDisabled(try await administration.accountID(email: email, field: "--email"), disabled, by: .commandLine)
        }
        say("\(account.email) is \(disabled ? "disabled" : "enabled")")
    }

    struct ResetSecondFactor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-second-factor",
            abstract: "Remove an account's second factor (a lost device); editors and administrators set up a new one at their next sign-in.")
        @Option(help: "The account's e-mail address.") var email: String
        @OptionGroup var options: DatabaseOptions
        @OptionGroup var site: SiteOptions

        func run() async throws {
            try await withServices(options, site: site) { services in
                let administration = services.administration
                try await administration.removeSecondFactor(of: try await administration.accountID(email: email, field: "--email"), by: .commandLine)
            }
            say("the second factor of \(email) is removed")
        }
    }
}

struct Invite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Invite a person to a role by mail, or everyone of a CSV file (network,email[,language][,role]).",
        discussion: """
            The mail goes through the outbox: `liaison serve` delivers it. With --csv, the whole file is checked first; \
            nothing is sent when a line is wrong. Rows of one address become one invitation for all its networks.
            """)

    @Option(help: "The person's e-mail address.") var email: String?
    @Option(help: "practitioner, focal_point, editor or administrator (default focal_point).") var role = "focal_point"
    @Option(name: .customLong("network"), help: "A network the person maintains (repeat for several).") var networks: [String] = []
    @Option(help: "The language of the mail: en or fr.") var language = "en"
    @Option(help: "A CSV file with a header: network,email and optionally language and role.") var csv: String?
    @OptionGroup var options: DatabaseOptions
    @OptionGroup var site: SiteOptions

    func validate() throws {
        guard (email == nil) != (csv == nil) else { throw ValidationError("give either --email or --csv") }
    }

    func run() async throws {
        let (sent, people) = try await withServices(options, site: site) { services -> (Int, Int) in
            let names = Dictionary(services.catalogue.snapshot.networks.map { ($0.slug, $0.displayName) }, uniquingKeysWith: { first, _ in first })
            let list: InvitationList
            if let csv {
                guard let data = FileManager.default.contents(atPath: csv), let text = String(data: data, encoding: .utf8) else {
                    throw refuse("\(csv): cannot be read as UTF-8 text")
                }
                do {
                    list = try InvitationList.read(text, source: csv, isNetwork: { names[$0] != nil })
                } catch let failure as ImportFailure {
                    throw refuse((["invitations refused, nothing was sent (\(failure.errors.count) problem\(failure.errors.count == 1 ? "" : "s")):"]
                        + failure.errors.prefix(50).map { "  \($0)" }).joined(separator: "\n"))
                }
            } else {
                let role = try checked { try AccountRole.parseAssignable(self.role, field: "--role") }
                let language = try checked { try Language.parse(self.language, field: "--language") }
                list = InvitationList(single: .init(email: email ?? "", role: role, networks: networks, language: language))
            }
            var sent = 0
            for (index, entry) in list.entries.enumerated() {
                try await services.accounts.invite(email: entry.email, role: entry.role, networks: entry.networks, language: entry.language,
                                          networkNames: names, by: nil, address: "cli")
                sent += 1
                say("[\(index + 1)/\(list.entries.count)] invited \(entry.email) as \(entry.role.rawValue)"
                    + (entry.networks.isEmpty ? "" : " of " + entry.networks.joined(separator: ", ")))
            }
            return (sent, list.entries.count)
        }
        say("\(sent) of \(people) invitations queued; `liaison serve` delivers them")
    }
}

/// Runs a check and turns its error into the command's refusal.
func checked<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as InputError { throw refuse(error.description) }
}
