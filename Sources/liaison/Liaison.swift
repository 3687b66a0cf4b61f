import ArgumentParser
import Foundation
import LiaisonCore
import LiaisonStore
import Logging

@main
struct Liaison: AsyncParsableCommand {
    /// Logs go to standard error, so that `export` can write data to standard output.
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = environment("LIAISON_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        do {
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
        subcommands: [Serve.self, Migrate.self, Import.self, Export.self, CheckData.self, CheckLinks.self, User.self, Invite.self])
}

/// Where the data is: shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the embedded SQLite database (default ./data, or LIAISON_DATA_DIR).")
    var dataDirectory: String?

    @Option(name: .customLong("database-url"),
            help: "postgres://user:password@host:port/database to use PostgreSQL instead of SQLite (or LIAISON_DATABASE_URL).")
    var databaseURL: String?

    func validate() throws {
        if let url = databaseURL ?? environment("LIAISON_DATABASE_URL") {
            do { _ = try DatabaseConfiguration(url: url) } catch let error as CatalogueError {
                throw ValidationError(error.description)
            }
        }
    }

    /// The SQLite data directory: the option, else LIAISON_DATA_DIR, else ./data.
    var resolvedDataDirectory: String {
        dataDirectory ?? environment("LIAISON_DATA_DIR") ?? "./data"
    }

    var database: DatabaseConfiguration {
        get throws {
            if let url = databaseURL ?? environment("LIAISON_DATABASE_URL") { return try DatabaseConfiguration(url: url) }
            return .sqlite(dataDirectory: resolvedDataDirectory)
        }
    }
}

func environment(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
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
