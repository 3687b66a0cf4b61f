import Foundation
import LiaisonCore
import LiaisonStore
import Logging

/// Everything the application does, built once from one configuration (`Settings`): by `liaison serve`, by the commands that
/// work on accounts and links, and by the tests, so that what is tested is what runs.
public struct Services: Sendable {
    /// For the background work (`background(_:logger:)`); pages and commands use the services.
    let store: CatalogueStore
    public let catalogue: LiveCatalogue
    public let accounts: AccountService
    public let administration: AccountAdministration
    public let curation: Curation
    public let proposals: Proposals
    /// One monitor for the daily run and the pages: a run's results show on the pages at once.
    public let liveness: LivenessMonitor
    public let transfer: CatalogueTransfer
    public let changes: CatalogueChanges
    public let frenchTexts: FrenchTexts
    /// The open-data files `/data` serves, written once per revision.
    public let openData: OpenDataFiles
    public let contact: Contact
    public let directory: DirectoryService
    public let meetings: MeetingService
    public let surveys: SurveyService
    public let lists: ListService
    public let library: LibraryService
    public let discussions: DiscussionService

    /// Opens the database, migrates it, loads the catalogue (seeding it on first start when asked) and makes the
    /// services over it.
    public static func build(_ settings: Settings, logger: Logger = Logger(label: "liaison")) async throws -> Services {
        // The mail templates first: one that is missing or wrong stops the start before the database is touched.
        let mail = try MailTemplates.load()
        let store = try await CatalogueStore.open(settings.database, snapshotFile: settings.snapshotFile, logger: logger)
        do {
            let catalogue = try await LiveCatalogue.start(store: store, seed: settings.seed, logger: logger)
            return Services(store: store, catalogue: catalogue, settings: settings, mail: mail)
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// Runs `body` with the services and closes the database afterwards, whether `body` succeeded or not.
    public static func with<T>(_ settings: Settings, logger: Logger = Logger(label: "liaison"),
                               _ body: (Services) async throws -> T) async throws -> T {
        let services = try await build(settings, logger: logger)
        do {
            let result = try await body(services)
            try await services.close()
            return result
        } catch {
            try? await services.close()
            throw error
        }
    }

    init(store: CatalogueStore, catalogue: LiveCatalogue, settings all: Settings, mail: MailTemplates) {
        let settings = all.accounts
        self.store = store
        self.catalogue = catalogue
        accounts = AccountService(store: store, settings: settings, mail: mail)
        administration = AccountAdministration(accounts: accounts)
        curation = Curation(catalogue: catalogue)
        proposals = Proposals(catalogue: catalogue, settings: settings, mail: mail)
        liveness = LivenessMonitor(catalogue: catalogue, accounts: accounts)
        transfer = CatalogueTransfer(store: store, catalogue: catalogue)
        changes = CatalogueChanges(catalogue: catalogue)
        frenchTexts = FrenchTexts(curation: curation)
        openData = OpenDataFiles(directory: URL(fileURLWithPath: all.openDataDirectory, isDirectory: true), catalogue: catalogue,
                                 site: settings.publicURL)
        self.contact = Contact(store: store, settings: all.contact, mail: mail, now: settings.now)
        var directory = DirectoryService(store: store, catalogue: catalogue, now: settings.now, mail: mail, site: settings.publicURL)
        directory.viewsPerHour = all.directoryViewsPerHour
        directory.lookupsPerHour = all.directoryListsPerHour
        self.directory = directory
        var lists = ListService(store: store, catalogue: catalogue, mail: mail, now: settings.now, site: settings.publicURL)
        lists.perMinute = all.listMessagesPerMinute
        self.lists = lists
        library = LibraryService(store: store, catalogue: catalogue, now: settings.now)
        discussions = DiscussionService(store: store, catalogue: catalogue, mail: mail, now: settings.now, site: settings.publicURL)
        meetings = MeetingService(store: store, catalogue: catalogue, mail: mail, now: settings.now, site: settings.publicURL,
                                  organizer: all.contact?.address)
        surveys = SurveyService(store: store, catalogue: catalogue, mail: mail, proposals: proposals, now: settings.now, site: settings.publicURL)
    }

    public func close() async throws {
        await catalogue.stopWritingSnapshotFile()
        try await store.close()
    }
}
