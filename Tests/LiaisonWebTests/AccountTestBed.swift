import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Logging
import Synchronization
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The application with accounts, built by the same `Services.build` and `buildApplication` that `serve` uses, on a temporary SQLite
/// database with the 2017 catalogue: quick bcrypt, a clock the test moves, client addresses from
/// X-Forwarded-For, and mail delivered on demand as `.eml` files that the test reads to follow links.
struct AccountBed: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    let accounts: AccountService
    let sender: MailSender
    let mailDirectory: URL
    let clock: TestClock
    /// The liveness monitor the pages use (a test's runs show on them).
    let liveness: LivenessMonitor
    /// The restricted directory (a test imports its entries).
    let directory: DirectoryService
    /// The meetings (a test reads what was saved).
    let meetings: MeetingService
    /// The mailing lists.
    let lists: ListService
    /// The library.
    let library: LibraryService
    /// The discussions.
    let discussions: DiscussionService
    /// The surveys.
    let surveys: SurveyService
    /// Every route of the router: method and path pattern (`GET /networks/{slug}`).
    let routes: [String]

    /// `seed`: with the 2017 catalogue (else an empty one the test fills).
    /// `contact`: the secretariat's address the operator set, if any.
    /// `logs`: where every line the services and the application log goes (else the console).
    static func run(https: Bool = false, seed: Bool = true, contact: ContactSettings? = nil, logs: LogCapture? = nil,
                    _ test: @Sendable (AccountBed, any TestClientProtocol) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-accounts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = TestClock()
        var settings = AccountSettings(publicURL: https ? "https://liaison.example" : "http://liaison.test")
        settings.bcryptCost = 4
        settings.trustForwardedFor = true
        settings.now = { clock.now }
        // The services and the application as `serve` builds them, on this bed's database, clock and settings; the
        // test delivers the mail itself, at its clock's time.
        var configuration = Settings(database: .sqlite(dataDirectory: directory.path), seed: seed, accounts: settings, contact: contact)
        configuration.openDataDirectory = directory.appendingPathComponent("open-data").path
        let logger = logs.map { capture in Logger(label: "test", factory: { _ in CapturingLogHandler(capture: capture) }) } ?? Logger(label: "test")
        try await Services.with(configuration, logger: logger) { services in
            let store = services.store
            let mail = directory.appendingPathComponent("mail")
            let (app, routes) = try await composeApplication(services, settings: configuration, logger: logger)
            let bed = AccountBed(store: store, catalogue: services.catalogue, accounts: services.accounts,
                                 sender: try MailSender(store: store, transport: FileMailTransport(directory: mail), from: "liaison@example.org"),
                                 mailDirectory: mail, clock: clock, liveness: services.liveness, directory: services.directory, meetings: services.meetings, lists: services.lists,
                                 library: services.library, discussions: services.discussions, surveys: services.surveys,
                                 routes: routes.map { "\($0.method.rawValue) \($0.path.description)" })
            try await app.test(.router) { client in try await test(bed, client) }
        }
    }

    /// An account as the command line creates it; with `secondFactor`, one already set up with that key.
    @discardableResult
    func account(_ email: String, role: AccountRole, password: String = Self.password, networks: [String] = [],
                 secondFactor: String? = nil) async throws -> Account {
        let account = try await accounts.createAccount(email: email, displayName: email.components(separatedBy: "@")[0], role: role,
                                                       networks: networks, language: .en, password: password,
                                                       knownNetworks: try await store.networkSlugs())
        if let secondFactor {
            try await store.enableSecondFactor(accountID: account.id, key: secondFactor, step: 0, recoveryCodeHashes: [], by: .commandLine)
        }
        return account
    }

    static let password = "correct-horse-staple-liaison"

    /// The six-digit code an authenticator app shows for a key at the bed's time, `steps` periods later.
    func code(_ secret: String, steps: Int = 0) -> String {
        String(format: "%06d", TOTP(secret: secret).compute(date: clock.now.addingTimeInterval(Double(steps * 30))))
    }

    /// Delivers the outbox and returns every message written so far, oldest first.
    func mail() async throws -> [String] {
        await accounts.background.settle()
        _ = try await sender.deliverDue(at: clock.now)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: mailDirectory.path))?.filter { $0.hasSuffix(".eml") }.sorted() ?? []
        return try files.map { try String(contentsOf: mailDirectory.appendingPathComponent($0), encoding: .utf8) }
    }

    /// The path of the site's link in a message (`/invitations/…`).
    func link(in message: String) throws -> String {
        let base = accounts.settings.publicURL
        let line = try #require(message.components(separatedBy: "\r\n").first { $0.hasPrefix(base + "/") })
        return String(line.dropFirst(base.count))
    }
}

extension AccountBed {
    /// A request's own cookie: a new session of the account at a stage, or a visitor's form cookie; with the form
    /// token that goes with it. (A request that ends sessions then spoils no other.)
    func ownSession(_ account: Account?, stage: SessionStage = .complete) async throws -> (cookie: String, token: String) {
        let token = Secrets.token()
        guard let account else { return ("\(AccountMiddleware.formCookie)=\(token)", token) }
        let id = Secrets.token()
        let now = clock.now
        try await store.signIn(replacing: nil, with: StoredSession(idHash: Secrets.hash(id), accountID: account.id, stage: stage,
                                                                   csrfToken: token, createdAt: now, lastSeenAt: now,
                                                                   expiresAt: now.addingTimeInterval(3600), address: nil, userAgent: nil),
                               by: AuditActor(account, address: nil), at: now)
        return ("\(AccountMiddleware.sessionCookie)=\(id)", token)
    }
}

/// A clock that a test moves forward.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)
    private let start = Date()

    var now: Date { start.addingTimeInterval(offset.withLock { $0 }) }

    func advance(_ seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }

    /// Moves the clock to `date` (forward or back).
    func set(_ date: Date) {
        offset.withLock { $0 = date.timeIntervalSince(start) }
    }
}

/// A browser: keeps cookies, and the form token of the last page it showed, as a person's browser would.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var formToken: String?
    /// The address the requests come from (X-Forwarded-For, which the bed trusts).
    var address = "192.0.2.10"

    init(_ client: any TestClientProtocol, address: String = "192.0.2.10") {
        self.client = client
        self.address = address
    }

    /// The session cookie's value (named with `__Host-` when the site is reached over HTTPS).
    var session: String? { cookies[AccountMiddleware.sessionCookie] ?? cookies["__Host-" + AccountMiddleware.sessionCookie] }

    @discardableResult
    mutating func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: headers(), body: nil)
        remember(response)
        return response
    }

    /// Sends a form as the page's own form would: with the token of the last page shown (unless `token` is given).
    @discardableResult
    mutating func post(_ uri: String, _ fields: [String: String], token: String? = nil, extra: HTTPFields = [:]) async throws -> TestResponse {
        var all = fields
        if all["csrf_token"] == nil, let token = token ?? formToken { all["csrf_token"] = token }
        var components = URLComponents()
        components.queryItems = all.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var headers = headers()
        headers[.contentType] = "application/x-www-form-urlencoded"
        for field in extra { headers[field.name] = field.value }
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        // A browser shows the page a form leads to (and so holds that page's form token).
        if response.status == .seeOther, let location = response.location, location.hasPrefix("/") {
            try await get(location)
        }
        return response
    }

    /// Sends a body of its own (an upload: `multipart/form-data`) with the browser's cookies.
    @discardableResult
    mutating func send(_ uri: String, body: [UInt8], contentType: String) async throws -> TestResponse {
        var headers = headers()
        headers[.contentType] = contentType
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: body))
        remember(response)
        return response
    }

    func headers() -> HTTPFields {
        var headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: address]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        return headers
    }

    private mutating func remember(_ response: TestResponse) {
        for field in response.headers where field.name == .setCookie {
            guard let pair = field.value.split(separator: ";").first else { continue }
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts.count > 1 ? parts[1] : ""
            if value.isEmpty || field.value.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let page = String(buffer: response.body)
        if let range = page.range(of: #"name="csrf_token" value="([^"]*)""#, options: .regularExpression) {
            formToken = String(page[range].split(separator: "\"")[3])
        }
    }
}

/// A new browser's first request.
struct FreshBrowser {
    let client: any TestClientProtocol

    func get(_ uri: String) async throws -> TestResponse {
        var browser = Browser(client)
        return try await browser.get(uri)
    }
}

func fresh(_ client: any TestClientProtocol) -> FreshBrowser {
    FreshBrowser(client: client)
}

extension TestResponse {
    var location: String? { headers[.location] }
    var page: String { String(buffer: body) }
}

/// Every line logged, with its metadata, kept for a test to read.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String,
             line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        capture.append("\(level) \(message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
    }
}
