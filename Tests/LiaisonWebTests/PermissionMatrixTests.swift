import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Every route of the application, for every kind of person, allowed or denied as the roles say.
/// A route added without an entry here fails the test: nothing is reachable by accident.
@Suite struct PermissionMatrixTests {
    /// Who asks: the five roles, and two sessions half-way through signing in.
    enum Who: String, CaseIterable, CustomStringConvertible {
        case visitor, practitioner, focalPoint, editor, administrator
        /// A practitioner who signs in with a second factor (the directory needs one).
        case practitionerWithSecondFactor
        /// An editor who gave the password but has not yet set up the required second factor.
        case enrolling
        /// Someone who gave the password and owes the code.
        case owingCode

        var description: String { rawValue }
    }

    static let everyone = Set(Who.allCases)
    static let withSession = everyone.subtracting([.visitor])
    static let signedIn: Set<Who> = [.practitioner, .practitionerWithSecondFactor, .focalPoint, .editor, .administrator]
    /// Who reads the restricted directory: practitioners and above, with a second factor.
    static let directoryReaders: Set<Who> = [.practitionerWithSecondFactor, .editor, .administrator]
    static let editors: Set<Who> = [.editor, .administrator]
    static let administrators: Set<Who> = [.administrator]

    /// The expected answer for every route. Keep in step with the router: the test fails when they differ.
    static let matrix: [String: Set<Who>] = {
        var m: [String: Set<Who>] = [:]
        for route in ["GET /healthz", "GET /api/v1/networks", "GET /api/v1/networks/{slug}", "GET /api/v1/parties", "GET /api/v1/parties/{id}",
                      "GET /api/v1/vocabularies", "GET /api/v1/data-quality", "GET /api/v1/openapi.json", "GET /api/v1/finder",
                      "GET /api/v1/overlaps", "GET /api/v1/statistics", "POST /api/v1/proposals/check",
                      "GET /", "GET /networks", "GET /networks/{slug}", "GET /countries", "GET /countries/{code}", "GET /organisations/{slug}",
                      "GET /about", "GET /finder", "GET /overlaps", "GET /statistics",
                      "GET /data", "GET /data/{file}", "GET /api/v1/changes", "GET /networks/{slug}.jsonld",
                      "GET /sign-in", "POST /sign-in", "GET /password-reset", "POST /password-reset", "GET /password-reset/{token}",
                      "POST /password-reset/{token}", "GET /invitations/{token}", "POST /invitations/{token}", "GET /account/email/{token}",
                      "POST /account/email/{token}", "GET /networks/{slug}/confirm/{token}", "POST /networks/{slug}/confirm/{token}",
                      "GET /networks/{slug}/history", "GET /changes", "GET /changes.atom", "GET /networks/{slug}/changes.atom",
                      "GET /propose", "POST /propose", "GET /networks/{slug}/propose", "POST /networks/{slug}/propose",
                      "GET /networks/{slug}/report", "POST /networks/{slug}/report", "GET /proposals/{reference}",
                      "GET /contact", "POST /contact", "GET /meetings", "GET /meetings.ics", "GET /meetings/{id}",
                      "GET /meetings/answer/{token}", "POST /meetings/answer/{token}", "GET /lists", "GET /lists/confirm/{token}",
                      "POST /lists/confirm/{token}", "GET /lists/unsubscribe/{token}", "POST /lists/unsubscribe/{token}", "GET /lists/{slug}",
                      "POST /lists/{slug}/subscribe", "GET /library", "GET /library/{id}", "GET /library/{id}/file",
                      "GET /library/{id}/versions/{number}/file"] {
            m[route] = everyone
        }
        // Discussions: practitioners and above; CARIN's space (the `{slug}` of the requests) for CARIN's people and the editors.
        for route in ["GET /discussions", "GET /discussions/threads/{id}", "POST /discussions/threads/{id}/reply",
                      "POST /discussions/threads/{id}/follow", "POST /discussions/threads/{id}/moderate", "GET /discussions/posts/{id}/history",
                      "POST /discussions/posts/{id}/edit", "POST /discussions/posts/{id}/report"] {
            m[route] = signedIn
        }
        for route in ["GET /discussions/{slug}", "POST /discussions/{slug}/threads"] {
            m[route] = [.focalPoint, .editor, .administrator]
        }
        // Following a space is for those who may enter it; stopping (the request carries no mode) for anyone signed
        // in, who may have left the network since (DiscussionTests refuses them a follow).
        m["POST /discussions/{slug}/follow"] = signedIn
        // Surveys: the list and the results for anyone (the results as each survey says, else 404); answering for
        // whoever is signed in with a network (the survey then says whose network was asked); building for editors.
        m["GET /surveys"] = everyone
        m["GET /surveys/{id}/results"] = everyone
        for route in ["GET /surveys/{id}/answer/{network}", "POST /surveys/{id}/answer/{network}"] { m[route] = signedIn }
        for route in ["POST /surveys/new", "GET /surveys/{id}", "POST /surveys/{id}/settings", "POST /surveys/{id}/sections",
                      "GET /surveys/{id}/questions/new", "POST /surveys/{id}/questions/new", "GET /surveys/{id}/questions/{key}",
                      "POST /surveys/{id}/questions/{key}", "POST /surveys/{id}/questions/{key}/move", "GET /surveys/{id}/preview",
                      "POST /surveys/{id}/send", "POST /surveys/{id}/close"] {
            m[route] = editors
        }
        // The reported messages: the editors, and the focal points (of their networks' spaces).
        m["GET /discussions/reports"] = [.focalPoint, .editor, .administrator]
        m["GET /discussions/new"] = editors
        m["POST /discussions/announce"] = editors
        m["POST /discussions/new"] = editors
        // Editors and focal points add documents (the service then checks the document's networks).
        for route in ["GET /library/new", "POST /library/new", "POST /library/{id}/versions", "GET /library/{id}/edit", "POST /library/{id}/edit",
                      "POST /library/{id}/withdraw"] {
            m[route] = [.focalPoint, .editor, .administrator]
        }
        m["GET /sign-in/code"] = [.owingCode]
        m["POST /sign-in/code"] = [.owingCode]
        m["POST /sign-out"] = withSession
        for route in ["GET /account", "GET /account/networks", "POST /account/password", "POST /account/email", "POST /account/language", "POST /account/authority", "POST /account/sign-out-everywhere",
                      "POST /account/two-factor/remove", "POST /account/recovery-codes"] {
            m[route] = signedIn
        }
        m["GET /account/two-factor"] = signedIn.union([.enrolling])
        m["POST /account/two-factor"] = signedIn.union([.enrolling])
        // The focal point of the matrix maintains CARIN, the network the requests name.
        for route in ["POST /networks/{slug}/confirm", "GET /networks/{slug}/edit", "POST /networks/{slug}/edit",
                      "GET /networks/{slug}/members", "POST /networks/{slug}/members",
                      "POST /networks/{slug}/history/{seq}/undo", "GET /networks/{slug}/history/{seq}/restore",
                      "POST /networks/{slug}/history/{seq}/restore", "GET /networks/{slug}/proposals/{id}",
                      "POST /networks/{slug}/proposals/{id}/accept", "POST /networks/{slug}/proposals/{id}/reject"] {
            m[route] = [.focalPoint, .editor, .administrator]
        }
        for route in ["GET /admin", "GET /admin/proposals", "GET /admin/proposals/{id}", "POST /admin/proposals/{id}/accept",
                      "POST /admin/proposals/{id}/reject"] {
            m[route] = editors
        }
        for route in ["GET /directory", "GET /directory.vcf", "GET /directory/{id}", "GET /directory/{id}/vcard", "GET /directory/{id}/edit", "GET /directory/{id}/history",
                      "POST /directory/{id}/edit", "POST /directory/{id}/confirm"] {
            m[route] = directoryReaders
        }
        for route in ["GET /meetings/new", "POST /meetings/new", "GET /meetings/{id}/edit", "POST /meetings/{id}/edit", "POST /meetings/{id}/cancel",
                      "GET /meetings/{id}/invitations", "POST /meetings/{id}/invite", "GET /lists/new", "POST /lists/new",
                      "GET /lists/{slug}/compose", "POST /lists/{slug}/compose"] {
            m[route] = editors
        }
        m["GET /directory.csv"] = editors
        m["POST /directory/{id}/erase"] = editors
        m["POST /directory/{id}/invite"] = editors
        m["GET /directory/import"] = editors
        m["GET /admin/directory-access"] = administrators
        m["POST /directory/import"] = editors
        // What the directory holds about oneself: every signed-in person (found by their address).
        for route in ["GET /account/directory", "GET /account/directory.json", "POST /account/directory/{id}/correct",
                      "POST /account/directory/{id}/erase"] {
            m[route] = signedIn
        }
        m["GET /invitations"] = editors
        m["POST /invitations"] = editors
        for route in ["GET /admin/accounts", "GET /admin/audit", "POST /admin/accounts/{id}/role", "POST /admin/accounts/{id}/disable",
                      "POST /admin/accounts/{id}/enable", "POST /admin/accounts/{id}/second-factor/remove"] {
            m[route] = administrators
        }
        return m
    }()

    @Test func everyRouteForEveryoneIsAllowedOrDeniedAsTheRolesSay() async throws {
        try await AccountBed.run { bed, client in
            // Setup: the router's routes are exactly those of the matrix.
            #expect(Set(bed.routes).subtracting(Self.matrix.keys).sorted() == [], "routes without an entry in the permission matrix")
            #expect(Set(Self.matrix.keys).subtracting(bed.routes).sorted() == [], "entries for routes the router does not have")
            let target = try await bed.account("target@example.org", role: .practitioner)
            var people: [Who: Account] = [:]
            for (who, role) in [(Who.practitioner, AccountRole.practitioner), (.practitionerWithSecondFactor, .practitioner), (.focalPoint, .focalPoint),
                                (.editor, .editor), (.administrator, .administrator), (.enrolling, .editor), (.owingCode, .editor)] {
                // Editors and administrators have their second factor, except the one still setting it up.
                let secondFactor = (role.requiresSecondFactor && who != .enrolling) || who == .practitionerWithSecondFactor
                people[who] = try await bed.account("\(who.rawValue.lowercased())@example.org", role: role,
                                                    networks: role == .focalPoint ? ["carin"] : [],
                                                    secondFactor: secondFactor ? "MatrixKey0123456789a" : nil)
            }

            // A thread of CARIN's space and its message: the discussion routes reach them (CARIN's focal point may
            // enter; the practitioner of no network is answered 404, not 403: the thread is not there for them).
            let author = try await bed.account("author@example.org", role: .practitioner, networks: ["carin"])
            let thread = try await bed.discussions.startThread(in: "carin", title: "Matrix", body: "A question.", by: author.principal, account: author)
            let post = try #require(try await bed.store.posts(threadID: thread).first?.id)

            var checked = 0
            for route in bed.routes.sorted() {
                let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                let method = HTTPRequest.Method(rawValue: parts[0])!
                let path = Self.concrete(parts[1].replacingOccurrences(of: "/discussions/threads/{id}", with: "/discussions/threads/\(thread)")
                    .replacingOccurrences(of: "/discussions/posts/{id}", with: "/discussions/posts/\(post)"), account: target.id)
                for who in Who.allCases {
                    // The thing under test: one request, with a session of its own (requests that end sessions do not spoil others).
                    let response = try await Self.request(client, bed, method: method, path: path, as: who, account: people[who], n: checked)
                    checked += 1
                    let allowed = Self.matrix[route]?.contains(who) ?? false
                    let status = response.status.code
                    let location = response.headers[.location] ?? ""
                    #expect(status < 500, "\(route) as \(who): \(status)")
                    if allowed {
                        let refused = [401, 403].contains(status)
                            || (status == 303 && ["/sign-in?next=", "/sign-in/code?next=", "/account/two-factor"].contains { location.hasPrefix($0) }
                                && !(route == "GET /sign-in" || route.hasSuffix("/sign-in/code")))
                        #expect(!refused, "\(route) as \(who) should be allowed: \(status) \(location)")
                    } else if parts[1].hasPrefix("/api/") {
                        #expect(status == 401 || status == 403, "\(route) as \(who) should be denied: \(status)")
                    } else {
                        switch who {
                        case .visitor: #expect(status == 303 && location.hasPrefix("/sign-in?next="), "\(route) as visitor: \(status) \(location)")
                        case .owingCode: #expect(status == 303 && location.hasPrefix("/sign-in/code"), "\(route) as owingCode: \(status) \(location)")
                        case .enrolling: #expect(status == 303 && location == "/account/two-factor", "\(route) as enrolling: \(status) \(location)")
                        default: #expect(status == 403, "\(route) as \(who) should be denied: \(status) \(location)")
                        }
                    }
                }
            }
            #expect(checked == bed.routes.count * Who.allCases.count && checked >= 50 * 7)
        }
    }

    /// A route's pattern (`/networks/{slug}`) with real values in place of its parameters.
    static func concrete(_ pattern: String, account: Int64) -> String {
        pattern.replacingOccurrences(of: "/admin/accounts/{id}", with: "/admin/accounts/\(account)")
            .replacingOccurrences(of: "{slug}", with: "carin").replacingOccurrences(of: "{code}", with: "ES")
            .replacingOccurrences(of: "{file}", with: "networks.csv").replacingOccurrences(of: "{id}", with: "ES").replacingOccurrences(of: "{token}", with: "no-such-token")
            .replacingOccurrences(of: "{seq}", with: "1").replacingOccurrences(of: "{reference}", with: "no-such-reference")
            .replacingOccurrences(of: "{network}", with: "carin").replacingOccurrences(of: "{key}", with: "q1")
    }

    static func request(_ client: any TestClientProtocol, _ bed: AccountBed, method: HTTPRequest.Method, path: String, as who: Who,
                        account: Account?, n: Int) async throws -> TestResponse {
        let stage: SessionStage = switch who {
        case .enrolling: .enrol
        case .owingCode: .secondFactor
        default: .complete
        }
        let (cookie, token) = try await bed.ownSession(account, stage: stage)
        let cookies = [cookie]
        // Each request from its own address, so that sign-in throttling does not colour the answers.
        var headers: HTTPFields = [.cookie: cookies.joined(separator: "; "),
                                   HTTPField.Name("X-Forwarded-For")!: "10.\(n / 65536 % 256).\(n / 256 % 256).\(n % 256)"]
        var body: ByteBuffer?
        if method == .post {
            if path.hasPrefix("/api/") {
                headers[.contentType] = "application/json"
                body = ByteBuffer(string: #"{"name":"Matrix Network"}"#)
            } else {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: "csrf_token=\(token)")
            }
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: body)
    }
}
