import Foundation
import LiaisonCore
import LiaisonStore
import Logging

/// Everything the application does, built once from one configuration: by `liaison serve`, by the commands that
/// work on accounts and links, and by the tests, so that what is tested is what runs.
public struct Services: Sendable {
    public struct Configuration: Sendable {
        public var database: DatabaseConfiguration
        /// Load the 2017 catalogue into a database that has never held data.
        public var seed: Bool
        /// Sessions, links and sign-in rules; links in mail start with its `publicURL`.
        public var accounts: AccountSettings

        public init(database: DatabaseConfiguration, seed: Bool = true, accounts: AccountSettings) {
            self.database = database
            self.seed = seed
            self.accounts = accounts
        }
    }

    /// For composing the application's background work (mail, clean-up); pages and commands use the services.
    package let store: CatalogueStore
    public let catalogue: LiveCatalogue
    public let accounts: AccountService
    public let administration: AccountAdministration
    public let curation: Curation
    public let proposals: Proposals
    /// One monitor for the daily run and the pages: a run's results show on the pages at once.
    public let liveness: LivenessMonitor

    /// Opens the database, migrates it, loads the catalogue (seeding it on first start when asked) and makes the
    /// services over it.
    public static func build(_ configuration: Configuration, logger: Logger = Logger(label: "liaison")) async throws -> Services {
        let store = try await CatalogueStore.open(configuration.database, logger: logger)
        do {
            let catalogue = try await LiveCatalogue.start(store: store, seed: configuration.seed, logger: logger)
            return Services(store: store, catalogue: catalogue, settings: configuration.accounts)
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Runs `body` with the services and closes the database afterwards, whether `body` succeeded or not.
    public static func with<T>(_ configuration: Configuration, logger: Logger = Logger(label: "liaison"),
                               _ body: (Services) async throws -> T) async throws -> T {
        let services = try await build(configuration, logger: logger)
        do {
            let result = try await body(services)
            try await services.close()
            return result
        } catch {
            try? await services.close()
            throw error
        }
    }

    init(store: CatalogueStore, catalogue: LiveCatalogue, settings: AccountSettings) {
        self.store = store
        self.catalogue = catalogue
        accounts = AccountService(store: store, settings: settings)
        administration = AccountAdministration(accounts: accounts)
        curation = Curation(catalogue: catalogue)
        proposals = Proposals(catalogue: catalogue, settings: settings)
        liveness = LivenessMonitor(catalogue: catalogue, accounts: accounts)
    }

    public func close() async throws {
        try await store.close()
    }
}
