import Foundation
import Hummingbird
import HTTPTypes
import LiaisonCore
import LiaisonServices
import LiaisonStore
import Synchronization

/// The token a form carries against cross-site request forgery. Signed in, it is the session's own; a visitor's
/// forms (sign-in, reset, invitation) use a random value also set as a cookie (double submit), issued only
/// when a page with a form is shown.
final class FormToken: Sendable {
    let value: String
    /// The visitor's cookie must be set with the response.
    let needsCookie: Bool
    private let shown = Mutex(false)

    init(value: String, needsCookie: Bool) {
        self.value = value
        self.needsCookie = needsCookie
    }

    /// The token for a form on the page being built.
    func use() -> String {
        shown.withLock { $0 = true }
        return value
    }

    var wasShown: Bool { shown.withLock { $0 } }
}

/// Tells every later step whether the site is reached over HTTPS (`Secure`, `__Host-` cookies).
struct CookieSettingsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let secure: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.secureCookies = secure
        return try await next(request, context)
    }
}

/// A form that failed the forgery check (wrong or missing token, or posted from another site).
struct FormRejected: Error {}

/// Finds the request's session, gives its forms their token, and checks that token on every request that
/// changes something.
struct AccountMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let sessionCookie = "liaison_session"
    static let formCookie = "liaison_form"

    let accounts: AccountService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        context.clientAddress = clientAddress(request, context)
        let secure = context.secureCookies
        let sessionCookie = request.cookies[Self.cookieName(Self.sessionCookie, secure: secure)]?.value
        if let sessionCookie {
            context.identity = try await accounts.identity(sessionID: sessionCookie)
        }
        let visitorToken = request.cookies[Self.cookieName(Self.formCookie, secure: secure)].flatMap { $0.value.count == 43 ? $0.value : nil }
        let token = context.identity.map { FormToken(value: $0.session.csrfToken, needsCookie: false) }
            ?? FormToken(value: visitorToken ?? Secrets.token(), needsCookie: visitorToken == nil)
        context.csrf = token
        // RFC 8058's one-click unsubscribe is a POST from a mail program, without cookie or form token: the
        // unguessable token in its address is the proof, and it can only take someone off a list.
        let oneClick = request.method == .post && request.uri.path.hasPrefix(ListPages.unsubscribePrefix)
        if ![.get, .head, .options].contains(request.method) && !oneClick {
            context.formFields = try await checkForm(&request, context, expected: context.identity?.session.csrfToken ?? visitorToken)
        }
        var response = try await next(request, context)
        if token.needsCookie, token.wasShown {
            response.headers.append(HTTPField(name: .setCookie, value: Cookie(
                name: Self.cookieName(Self.formCookie, secure: secure), value: token.value, path: "/", secure: secure, httpOnly: true, sameSite: .strict).description))
        }
        if sessionCookie != nil, context.identity == nil, response.headers[.setCookie]?.contains(Self.sessionCookie) != true {
            // An ended session: forget its cookie.
            response.headers.append(HTTPField(name: .setCookie, value: Self.clearedSessionCookie(secure: secure).description))
        }
        return response
    }

    /// Refuses a state-changing request from another site, or whose form token is missing or wrong. Returns the form's
    /// fields, so that the handler does not read them again (nil for the API, whose bodies are JSON).
    private func checkForm(_ request: inout Request, _ context: Context, expected: String?) async throws -> FormData? {
        if let origin = request.headers[.origin] {
            // This site as the browser sees it: the request's own host, or the public address (a proxy may
            // pass on another Host).
            let own = [request.head.authority, Self.authority(accounts.settings.publicURL)].compactMap { $0?.lowercased() }
            guard let theirs = Self.authority(origin)?.lowercased(), own.contains(theirs) else { throw FormRejected() }
        }
        if context.audience == .api {
            // A page of another site cannot send JSON here without asking first (CORS), which nothing allows.
            let type = request.headers[.contentType] ?? ""
            guard type.lowercased().hasPrefix("application/json") else {
                throw Problem(status: .unsupportedMediaType, detail: "Content-Type: “\(type)” is not allowed: send the body as application/json",
                              field: "Content-Type", value: type)
            }
            return nil
        }
        let form = try await FormFields.read(&request, contributes: Policy.allows(context.principal, .contributeDocuments))
        guard let expected, let submitted = form.fields[FormFields.tokenField], Secrets.equal(expected, submitted) else { throw FormRejected() }
        return form
    }

    /// `host[:port]` of an address (`https://liaison.example:8443` → `liaison.example:8443`).
    static func authority(_ url: String) -> String? {
        guard let components = URL(string: url), let host = components.host, !host.isEmpty else { return nil }
        return host + (components.port.map { ":\($0)" } ?? "")
    }

    private func clientAddress(_ request: Request, _ context: Context) -> String {
        if accounts.settings.trustForwardedFor, let forwarded = request.headers[.xForwardedFor] {
            // The proxy appends the address it saw: the last entry is the one it vouches for.
            if let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty {
                return String(last.prefix(64))
            }
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }

    /// A cookie's name: over HTTPS with the `__Host-` prefix, so that a browser keeps it only when it is `Secure`,
    /// for the path `/` and without a domain; no other host (a sub-domain) can then set or shadow it.
    static func cookieName(_ name: String, secure: Bool) -> String {
        secure ? "__Host-" + name : name
    }

    static func sessionCookie(_ id: String, secure: Bool) -> Cookie {
        // No Max-Age: the cookie ends with the browser; the server ends the session on its own limits.
        Cookie(name: cookieName(sessionCookie, secure: secure), value: id, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    static func clearedSessionCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName(sessionCookie, secure: secure), value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

/// A file uploaded with a form, kept as bytes (a document of the library).
struct UploadedFile: Sendable, Equatable {
    /// The name the browser gave (never trusted for the type).
    let name: String
    let bytes: [UInt8]
}

/// What a submitted form holds: its fields as text, and the files of the fields that upload documents as bytes.
struct FormData: Sendable {
    var fields: [String: String]
    var files: [String: UploadedFile] = [:]
}

/// The fields of a submitted form (`application/x-www-form-urlencoded`, or `multipart/form-data` for a form that
/// uploads a file: a text file's content is the value of its field; a document's bytes are kept as a file), read
/// once; later reads see the same body. What every form shares is checked here, whatever its fields' own rules: at
/// most 512 KB (413 beyond; 21 MB for the library's uploads), at most `pairLimit` fields, each name and value
/// percent-encoded UTF-8, and no control or format character but tab and line breaks in any value (one-line fields
/// refuse those too, in their own rules).
enum FormFields {
    static let limit = 512 * 1024
    /// A document of the library (20 MB) and its form.
    static let uploadLimit = 21 * 1024 * 1024
    /// The members form has up to 5,000 rows of six fields.
    static let pairLimit = 40_000
    /// The name of the form token's field in every form.
    static let tokenField = "csrf_token"
    /// The fields whose files are documents, kept as bytes.
    static let documentFields: Set<String> = [FieldName.file.rawValue]

    /// The largest body a form at `path` may send: the library's uploads take a document — from someone who may add
    /// documents (`contributes`): anyone else's body there is held to the usual limit, so that nobody who may not
    /// upload makes the server read megabytes.
    static func limit(for path: String, contributes: Bool) -> Int {
        contributes && LibraryPages.takesDocument(path) ? uploadLimit : limit
    }

    static func read(_ request: inout Request, contributes: Bool) async throws -> FormData {
        let header = request.headers[.contentType] ?? ""
        let type = header.lowercased()
        let limit = Self.limit(for: request.uri.path, contributes: contributes)
        if type.hasPrefix("multipart/form-data") {
            let boundary = try Self.boundary(header)
            let buffer = try await request.collectBody(upTo: limit)
            return try parseMultipartForm(Array(buffer.readableBytesView), boundary: boundary)
        }
        guard type.hasPrefix("application/x-www-form-urlencoded") else { return FormData(fields: [:]) }
        let buffer = try await request.collectBody(upTo: limit)
        return FormData(fields: try parse(String(buffer: buffer)))
    }

    /// The boundary a multipart type names (RFC 2046: 1 to 70 characters, quoted or not).
    static func boundary(_ type: String) throws -> [UInt8] {
        let parameter = type.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.lowercased().hasPrefix("boundary=") }
        var value = parameter.map { String($0.dropFirst("boundary=".count)) } ?? ""
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        guard (1...70).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 && $0 != "\"" }) else {
            throw InputError.invalidValue(field: "Content-Type", value: type, rule: "a multipart form names a boundary of 1 to 70 characters")
        }
        return Array(value.utf8)
    }

    /// The text fields of a multipart body (a text file's content is its field's value).
    static func parseMultipart(_ body: [UInt8], boundary: [UInt8]) throws -> [String: String] {
        try parseMultipartForm(body, boundary: boundary).fields
    }

    /// The parts of a multipart body: each part's `name` and its content as UTF-8 text (a text file's too), checked
    /// as the fields of any form; a file of a `documentFields` field kept as its bytes. The body is scanned once for
    /// each delimiter, in time proportional to its length whatever it holds (Knuth–Morris–Pratt).
    static func parseMultipartForm(_ body: [UInt8], boundary: [UInt8]) throws -> FormData {
        let delimiter = Array("--".utf8) + boundary
        let malformed = InputError.invalidInput(source: "form", line: nil, field: nil, reason: "is not a well-formed multipart body")
        let crlf: [UInt8] = [13, 10]
        let headerEnd = Searcher(crlf + crlf)
        let nextPart = Searcher(crlf + delimiter)
        guard var position = Searcher(delimiter).find(in: body, from: 0) else { throw malformed }
        var lists: [String: [String]] = [:]
        var files: [String: UploadedFile] = [:]
        var parts = 0
        while true {
            position += delimiter.count
            // "--" after a delimiter ends the body.
            if body.count >= position + 2 && body[position] == 45 && body[position + 1] == 45 { break }
            guard body.count >= position + 2, Array(body[position..<(position + 2)]) == crlf,
                  let headersEnd = headerEnd.find(in: body, from: position + 2), let next = nextPart.find(in: body, from: headersEnd + 4)
            else { throw malformed }
            parts += 1
            guard parts <= pairLimit else {
                throw InputError.invalidInput(source: "form", line: nil, field: nil, reason: "has more than \(pairLimit) fields")
            }
            let headers = String(decoding: body[(position + 2)..<headersEnd], as: UTF8.self)
            guard let disposition = headers.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") })
            else { throw malformed }
            let parameters = MIMEEntity.ContentType(String(disposition.dropFirst("content-disposition:".count))).parameters
            guard let name = parameters["name"] else { throw malformed }
            try TextRules.checkLine(name, field: "form field name", limit: 200)
            let content = body[(headersEnd + 4)..<next]
            if documentFields.contains(name), let fileName = parameters["filename"] {
                // The browser's name of the file, kept as a name only: its last path component, one line.
                let last = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
                let cleaned = String(String.UnicodeScalarView(last.unicodeScalars.filter { TextRules.isAllowed($0, allowsLineBreaks: false) }.prefix(200)))
                files[name] = UploadedFile(name: cleaned, bytes: Array(content))
                position = next + 2
                continue
            }
            guard let value = String(bytes: content, encoding: .utf8) else {
                throw InputError.invalidValue(field: name, value: "(a file, not shown)", rule: "must be UTF-8 text")
            }
            if let scalar = TextRules.forbiddenScalar(in: value, allowsLineBreaks: true) {
                throw InputError.invalidValue(field: name, value: TextRules.preview(value),
                                              rule: "must not hold control or format characters (found \(TextRules.code(scalar)))")
            }
            lists[name, default: []].append(value)
            position = next + 2
        }
        return FormData(fields: lists.mapValues { $0.joined(separator: "\n") }, files: files)
    }

    /// Finds a pattern in bytes in time proportional to their length (Knuth–Morris–Pratt): a body built to make a
    /// naive search compare the whole delimiter at every byte costs no more than any other.
    struct Searcher {
        let pattern: [UInt8]
        let failure: [Int]

        init(_ pattern: [UInt8]) {
            self.pattern = pattern
            var failure = [Int](repeating: 0, count: pattern.count)
            var k = 0
            for i in 1..<max(1, pattern.count) {
                while k > 0 && pattern[i] != pattern[k] { k = failure[k - 1] }
                if pattern[i] == pattern[k] { k += 1 }
                failure[i] = k
            }
            self.failure = failure
        }

        func find(in bytes: [UInt8], from start: Int) -> Int? {
            guard !pattern.isEmpty, start <= bytes.count else { return nil }
            var k = 0
            var i = start
            while i < bytes.count {
                while k > 0 && bytes[i] != pattern[k] { k = failure[k - 1] }
                if bytes[i] == pattern[k] { k += 1 }
                if k == pattern.count { return i - pattern.count + 1 }
                i += 1
            }
            return nil
        }
    }

    static func parse(_ body: String) throws -> [String: String] {
        // Values of a repeated name are gathered and joined once (appending to a joined string each time would
        // copy it again for every repeat: quadratic in the body's size).
        var lists: [String: [String]] = [:]
        var pairs = 0
        for pair in body.split(separator: "&") {
            pairs += 1
            guard pairs <= pairLimit else {
                throw InputError.invalidInput(source: "form", line: nil, field: nil, reason: "has more than \(pairLimit) fields")
            }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], field: "form field name")
            try TextRules.checkLine(name, field: "form field name", limit: 200)
            let value = parts.count > 1 ? try decode(parts[1], field: name) : ""
            if let scalar = TextRules.forbiddenScalar(in: value, allowsLineBreaks: true) {
                throw InputError.invalidValue(field: name, value: TextRules.preview(value),
                                                  rule: "must not hold control or format characters (found \(TextRules.code(scalar)))")
            }
            lists[name, default: []].append(value)
        }
        // Repeated names (a list) are joined by newlines; none of the forms repeats a single-valued name.
        return lists.mapValues { $0.joined(separator: "\n") }
    }

    private static func decode(_ text: Substring, field: String) throws -> String {
        guard let decoded = String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
            throw InputError.invalidValue(field: field, value: TextRules.preview(String(text)), rule: "must be percent-encoded UTF-8")
        }
        return decoded
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let origin = Self("Origin")!
}
