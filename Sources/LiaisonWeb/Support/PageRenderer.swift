import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices
import Mustache

/// Renders pages: the Mustache templates of `Resources/templates` around a page model.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    /// What every page's footer says of the site: the secretariat's address, when the operator set one.
    var site = SiteInfo(contact: nil)

    /// `contact`: the secretariat's address (`--contact-email`), shown in every page's footer, error pages included.
    static func load(contact: String? = nil) async throws -> PageRenderer {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("templates").path else {
            throw TemplateError(file: "templates", reason: "are missing from the build")
        }
        return PageRenderer(library: try loadLibrary(directory: directory), site: SiteInfo(contact: contact))
    }

    /// The content type every template is rendered with: the project's escaper (`Escaper.markup`), per Unicode
    /// scalar. swift-mustache's own HTML escaping compares `Character`s and lets `"` or `<` through when a
    /// combining or prepended character joins them into one (docs/decisions/0001-one-escaper-per-scalar.md).
    struct EscapedMarkup: MustacheContentType {
        static let name = "LIAISON_MARKUP"
        func escapeText(_ text: String) -> String { Escaper.markup(text) }
    }

    /// Each template, partials included, starts with the pragma that selects `EscapedMarkup`: swift-mustache
    /// starts every template and partial with its own HTML escaping, so the pragma is put at the head of each one
    /// here rather than trusted to be written in each file. Triple mustaches (unescaped output) are refused.
    static func loadLibrary(directory: String) throws -> MustacheLibrary {
        MustacheContentTypes.register(EscapedMarkup(), named: EscapedMarkup.name)
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }
        for file in files {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            if text.contains("{{{") || text.contains("{{&") {
                throw TemplateError(file: "templates/\(file)",
                                    reason: "writes a value unescaped ({{{ or {{&); every value goes through the escaper")
            }
            try library.register("{{% CONTENT_TYPE: \(EscapedMarkup.name) }}" + text, named: String(file.dropLast(".mustache".count)))
        }
        return library
    }

    /// An HTML response for a page model with its template; sets the language cookie when `?lang=` chose it.
    func render<Body>(_ template: String, _ body: Body, layout: Layout, status: HTTPResponse.Status = .ok) -> Response {
        let context = PageContext(t: layout.localizer.strings, layout: layout, site: site, body: body)
        var html = library.render(ReflectedModel(context), withTemplate: template) ?? "<!doctype html><title>Liaison</title><p>Page unavailable.</p>"
        // A page's linked data goes at the end of its head, made safe for a script element (no template writes it:
        // every value a template writes is markup-escaped, which JSON inside a script cannot be).
        if let linkedData = layout.linkedData, let end = html.range(of: "</head>") {
            html.replaceSubrange(end, with: "<script type=\"\(LinkedData.mediaType)\">\(Escaper.scriptJSON(linkedData))</script>\n</head>")
        }
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .contentLanguage: layout.lang]
        if layout.rememberLanguage {
            headers[.setCookie] = LanguageNegotiation.cookie(for: layout.language, secure: layout.secureCookies).description
        }
        headers[.vary] = "Accept-Language, Cookie"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// What every template sees: the strings (`t`), the layout and the page's own model (`body`).
struct PageContext<Body> {
    let t: [String: String]
    let layout: Layout
    let site: SiteInfo
    let body: Body
}

/// The site as every page's footer presents it.
struct SiteInfo: Sendable {
    /// The secretariat's address; nil when the operator set none.
    let contact: String?
}

/// The frame of every page: language, title, navigation and the language switch.
struct Layout {
    struct Link {
        let url: String
        let label: String
        let current: Bool
    }

    struct Alternate {
        let lang: String
        let url: String
    }

    let localizer: Localizer
    let language: Language
    let rememberLanguage: Bool
    let secureCookies: Bool
    let lang: String
    let title: String
    let nav: [Link]
    /// The same page in the other language.
    let switchURL: String
    let switchLabel: String
    let switchLang: String
    let alternates: [Alternate]
    /// The signed-in account's links (nil: a visitor, who sees "Sign in").
    let account: AccountNav?
    let signInURL: String
    /// The form token of this page's forms.
    let csrfToken: String
    /// The page's subject as JSON-LD, for its head (nil: none).
    var linkedData: String?

    /// The frame for a request; `title` words the page's title in the language chosen for it (empty: the site's name).
    /// `forms`: the page shows a form to a visitor, whose form token must then be set as a cookie.
    init(request: Request, context: AppRequestContext, section: String? = nil, forms: Bool = false,
         title: (Localizer) -> String = { _ in "" }) {
        let choice = LanguageNegotiation.choose(request)
        let t = Localizer.forLanguage(choice.language)
        localizer = t
        language = choice.language
        rememberLanguage = choice.remember
        secureCookies = context.secureCookies
        lang = choice.language.rawValue
        let pageTitle = title(t)
        self.title = pageTitle.isEmpty ? t["site_name"] : "\(pageTitle) · \(t["site_name"])"
        nav = [("/", "nav_home"), ("/networks", "nav_networks"), ("/finder", "nav_finder"), ("/countries", "nav_countries"),
               ("/statistics", "nav_statistics"), ("/meetings", "nav_meetings"), ("/lists", "nav_lists"), ("/library", "nav_library"), ("/discussions", "nav_discussions"), ("/surveys", "nav_surveys"), ("/about", "nav_about")].map {
            Link(url: $0.0, label: t[$0.1], current: $0.0 == (section ?? request.uri.path))
        }
        let other: Language = choice.language == .en ? .fr : .en
        switchURL = PageURL.with(request, language: other)
        switchLabel = Localizer.forLanguage(other)["switch_to_language"]
        switchLang = other.rawValue
        alternates = Language.allCases.map { Alternate(lang: $0.rawValue, url: PageURL.with(request, language: $0)) }
        let signedIn = context.identity.flatMap { $0.session.stage == .complete ? $0 : nil }
        account = signedIn.map { AccountNav($0, path: request.uri.path, t: t) }
        signInURL = PageURL.signInStep("/sign-in", next: request.uri.path)
        csrfToken = (forms || signedIn != nil) ? (context.csrf?.use() ?? "") : ""
    }
}

/// The account part of the header: whose session it is and the pages their role opens.
struct AccountNav {
    let name: String
    let links: [Layout.Link]

    init(_ identity: Identity, path: String, t: Localizer) {
        name = identity.account.displayName
        let principal = identity.principal
        var links: [(String, String)] = [("/account", "nav_account")]
        if !identity.account.networks.isEmpty { links.append(("/account/networks", "nav_your_networks")) }
        if Policy.allows(principal, .readDirectory) { links.append(("/directory", "nav_directory")) }
        if Policy.allows(principal, .reviewProposals) {
            links.append(("/admin", "nav_dashboard"))
            links.append(("/admin/proposals", "nav_proposals"))
        }
        if Policy.allows(principal, .invite(role: .practitioner)) { links.append(("/invitations", "nav_invite")) }
        if Policy.allows(principal, .manageAccounts) { links.append(("/admin/accounts", "nav_accounts")) }
        if Policy.allows(principal, .readAuditLog) { links.append(("/admin/audit", "nav_audit")) }
        if Policy.allows(principal, .readDirectoryAccessLog) { links.append(("/admin/directory-access", "nav_directory_access")) }
        self.links = links.map { Layout.Link(url: $0.0, label: t[$0.1], current: $0.0 == path) }
    }
}

/// Building links: query strings are percent-encoded here; templates escape them for HTML.
enum PageURL {
    /// The request's path and query with `lang` set to a language.
    static func with(_ request: Request, language: Language) -> String {
        var items = request.queryFields.filter { $0.key != "lang" }.map { (String($0.key), String($0.value)) }
        items.append(("lang", language.rawValue))
        return path(request.uri.path, items)
    }

    /// A step of signing in that comes back to `next` afterwards: `/sign-in?next=%2Faccount`.
    static func signInStep(_ step: String, next: String?) -> String {
        guard let next, let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return step }
        return step + "?next=" + encoded
    }

    static func path(_ path: String, _ items: [(String, String)]) -> String {
        // A request for `//elsewhere.example/x` must not become a link to another site (a browser reads `//…` as
        // "same scheme, that host", and `/\…` the same way): one slash leads, always.
        let path = "/" + path.drop { $0 == "/" || $0 == "\\" }
        guard !items.isEmpty else { return path }
        var components = URLComponents()
        components.queryItems = items.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves "+" alone, which a form decoder reads as a space.
        let query = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B") ?? ""
        return path + "?" + query
    }
}
