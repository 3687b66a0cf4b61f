import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonServices
import Logging

@main
struct Liaison: AsyncParsableCommand {
    /// Logs go to standard error, so that `export` can write data to standard output.
    static func main() async {
        do {
            // Before any command runs, so its logs have the level asked for; the other settings are read by the command.
            let level = try Settings.logLevel(reader: Settings.reader(flags: [:]))
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "liaison",
        abstract: "The catalogue of international judicial networks, and the platform around it.",
        subcommands: [Serve.self, Migrate.self, Import.self, Export.self, CheckData.self, CheckLinks.self, User.self, Invite.self,
                      DirectoryCommand.self, MailCommand.self, SurveysCommand.self, AddFrench.self, BackupCommand.self,
                      RestoreCommand.self])
}

/// Where the data is: shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the embedded SQLite database (default ./data, or LIAISON_DATA_DIR).")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"),
            help: "postgres://user:password@host:port/database to use PostgreSQL instead of SQLite (or LIAISON_DATABASE_URL).")
    var databaseURL: String?

    var flags: [Setting: String] {
        [.dataDirectory: dataDirectory, .databaseURL: databaseURL].compactMapValues { $0 }
    }
}

/// The address people reach the site at, for links in mail: shared by `serve`, `invite`, `user` and `check-links`.
struct SiteOptions: ParsableArguments {
    @Option(name: .customLong("public-url"), help: "The site's address as people reach it, for links in mail (default http://127.0.0.1:8080, or LIAISON_PUBLIC_URL).")
    var publicURL: String?

    var flags: [Setting: String] {
        [.publicURL: publicURL].compactMapValues { $0 }
    }
}

/// The command's settings, read once: its flags, else the environment (`LIAISON_*`), else the defaults. A value
/// that breaks its rule stops the command with the rule and the flag and variable that could have given it.
func readSettings(_ flags: [Setting: String]) throws -> Settings {
    do {
        return try Settings(reader: Settings.reader(flags: flags))
    } catch let error as InputError {
        throw refuse(error.description)
    }
}

/// Builds the services as `serve` does (the database migrated, the 2017 catalogue loaded when it has never held data
/// unless `seed` is false), runs `body` with them, closes the database; a refused value becomes the command's refusal.
func withServices<T>(_ options: DatabaseOptions, site: SiteOptions? = nil, seed: Bool = true,
                     _ body: (Services) async throws -> T) async throws -> T {
    var settings = try readSettings(options.flags.merging(site?.flags ?? [:]) { flag, _ in flag })
    settings.seed = seed
    do {
        return try await Services.with(settings, body)
    } catch let error as InputError {
        throw refuse(error.description)
    } catch let error as CatalogueError {
        throw refuse(error.description)
    }
}

/// Messages for people go to standard error, so that standard output stays clean for data.
func say(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Prints why a command refused its input and returns the exit code to throw.
func refuse(_ message: String) -> ExitCode {
    say(message)
    return ExitCode(1)
}
