import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices

/// `/lists`: the platform's mailing lists, subscribing to them (double opt-in), leaving them in one click (RFC 8058:
/// a POST without cookie or form token, the link's own token being the proof), their archives; editors make lists
/// and write to them (preview in both languages, a test to themselves, then the send).
struct ListPages {
    let lists: ListService
    let pages: SignInPages

    /// The path of the one-click unsubscribe: its POST carries no form token (`AccountMiddleware` lets it through).
    static let unsubscribePrefix = "/lists/unsubscribe/"

    func addRoutes(to routes: Routes) {
        routes.get("/lists", needs: .anyone, use: index)
        routes.get("/lists/new", needs: .permission(.manageMeetings), use: newForm)
        routes.post("/lists/new", needs: .permission(.manageMeetings), use: create)
        routes.get("/lists/confirm/:token", needs: .anyone, use: confirmPage)
        routes.post("/lists/confirm/:token", needs: .anyone, use: confirm)
        routes.get("/lists/unsubscribe/:token", needs: .anyone, use: unsubscribePage)
        routes.post("/lists/unsubscribe/:token", needs: .anyone, use: unsubscribe)
        routes.get("/lists/:slug", needs: .anyone, use: show)
        routes.post("/lists/:slug/subscribe", needs: .anyone, use: subscribe)
        routes.get("/lists/:slug/compose", needs: .permission(.manageMeetings), use: composeForm)
        routes.post("/lists/:slug/compose", needs: .permission(.manageMeetings), use: compose)
    }

    /// GET /lists — the lists one may subscribe to (editors: every list).
    func index(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let editor = Policy.allows(context.principal, .manageMeetings)
        let shown = try await lists.lists().filter { editor || lists.maySubscribe(context.principal, to: $0) }
        let model = ListIndexPage(lists: shown.map { ListItem($0, t: t) }, canManage: editor)
        return pages.render(request, context, "lists", model) { $0["lists_title"] }
    }

    /// GET /lists/{slug} — what the list is, how to subscribe, its archive.
    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let found = try await lists.archive(try context.parameters.require("slug"), by: context.principal)
        var model = ListPage(found.list, messages: found.messages, email: context.identity?.account.email ?? "",
                             canManage: Policy.allows(context.principal, .manageMeetings), t: t)
        let fields = request.queryFields
        model.notice = fields["sent"].map { t.format("list_sent", ["count": String($0)]) } ?? (fields["tested"] != nil ? t["list_tested"] : nil)
        return pages.render(request, context, "list", model, forms: true) { _ in found.list.name.text(t.language) }
    }

    /// POST /lists/{slug}/subscribe — the same answer whether or not the address was subscribed.
    func subscribe(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let form = try await Form.read(request, context)
        let t = Localizer.of(request)
        let language = (try? Language.parse(form.text(.language), field: "language")) ?? t.language
        let list = try await lists.subscribe(slug, email: form.text(.email), accountEmail: context.identity?.account.email, language: language,
                                             by: context.principal, clientAddress: context.clientAddress)
        return pages.render(request, context, "notice", Notice(heading: list.name.text(t.language), message: t["list_check_mail"],
                                                               link: "/lists/\(slug)", linkLabel: t["list_back"])) { _ in list.name.text(t.language) }
    }

    /// GET /lists/confirm/{token} — one button (a mail program that opens links confirms nothing).
    func confirmPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        linkPage(request, context, action: "/lists/confirm/", heading: "list_confirm_heading", button: "list_confirm_button")
    }

    /// POST /lists/confirm/{token}
    func confirm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let done = try await lists.confirm(token: try context.parameters.require("token")) else {
            return pages.linkProblem(request, context, .linkUnknown, back: ("/lists", "lists_title"))
        }
        return finished(request, context, done.list, message: "list_confirmed")
    }

    /// GET /lists/unsubscribe/{token} — a page with one button, for a person who follows the link.
    func unsubscribePage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        linkPage(request, context, action: Self.unsubscribePrefix, heading: "list_leave_heading", button: "list_leave_button")
    }

    /// POST /lists/unsubscribe/{token} — from the page's button, or RFC 8058's one-click POST of a mail program.
    func unsubscribe(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let done = try await lists.unsubscribe(token: try context.parameters.require("token")) else {
            return pages.linkProblem(request, context, .linkUnknown, back: ("/lists", "lists_title"))
        }
        return finished(request, context, done.list, message: "list_left")
    }

    func linkPage(_ request: Request, _ context: AppRequestContext, action: String, heading: String, button: String) -> Response {
        let t = Localizer.of(request)
        let token = (try? context.parameters.require("token")) ?? ""
        return pages.render(request, context, "list-link", ListLinkPage(heading: t[heading], button: t[button], action: action + token),
                            forms: true) { $0[heading] }
    }

    func finished(_ request: Request, _ context: AppRequestContext, _ list: MailingList, message: String) -> Response {
        let t = Localizer.of(request)
        return pages.render(request, context, "notice", Notice(heading: list.name.text(t.language), message: t[message],
                                                               link: "/lists/\(list.slug)", linkLabel: t["list_back"])) { _ in list.name.text(t.language) }
    }

    /// GET /lists/new
    func newForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        listForm(request, context, fields: [:], problem: nil)
    }

    /// POST /lists/new
    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        do {
            let choice = form.text(.audience)
            let audience: ListAudience
            switch choice {
            case "anyone": audience = .anyone
            case "practitioners": audience = .practitioners
            default:
                guard let selection = try NetworkSelection(choice: choice, networks: form.list(.networks), countries: form.list(.countries)) else {
                    throw InputError.invalidValue(field: "audience", value: TextRules.preview(choice),
                                                  rule: "must be " + (["anyone", "practitioners"] + NetworkSelection.choices).joined(separator: ", "))
                }
                audience = .focalPoints(selection)
            }
            let list = MailingList(slug: form.text(.slug), name: Bilingual(en: form.text(.titleEn), fr: form.text(.titleFr)),
                                   summary: Bilingual(en: form.text(.summaryEn), fr: form.text(.summaryFr)), audience: audience,
                                   owner: context.identity?.account.email ?? "")
            let created = try await lists.create(list, by: context.principal, actor: EditPages.actor(context))
            return .redirect("/lists/\(created.slug)")
        } catch let error as InputError {
            return listForm(request, context, fields: form.fields, problem: error.description)
        }
    }

    func listForm(_ request: Request, _ context: AppRequestContext, fields: [String: String], problem: String?) -> Response {
        pages.render(request, context, "list-edit", ListEditPage(fields: fields, problem: problem), forms: true,
                     status: problem == nil ? .ok : .badRequest) { $0["list_new_title"] }
    }

    /// GET /lists/{slug}/compose
    func composeForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let list = try await lists.list(try context.parameters.require("slug"))
        return composePage(request, context, list, fields: [:], preview: false, problem: nil)
    }

    /// POST /lists/{slug}/compose — `step`: preview (both languages shown), test (to oneself), send.
    func compose(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let list = try await lists.list(try context.parameters.require("slug"))
        let form = try await Form.read(request, context)
        let subject = Bilingual(en: form.text(.subjectEn), fr: form.text(.subjectFr))
        let body = Bilingual(en: form.raw(.bodyEn).trimmingCharacters(in: .whitespacesAndNewlines),
                             fr: form.raw(.bodyFr).trimmingCharacters(in: .whitespacesAndNewlines))
        let actor = EditPages.actor(context)
        do {
            switch form.text(.step) {
            case "preview":
                return composePage(request, context, list, fields: form.fields, preview: true, problem: nil)
            case "test":
                try await lists.send(list.slug, subject: subject, body: body, by: context.principal, actor: actor,
                                     testTo: context.identity?.account.email ?? "")
                return .redirect("/lists/\(list.slug)?tested=1")
            case "send":
                let count = try await lists.send(list.slug, subject: subject, body: body, by: context.principal, actor: actor)
                return .redirect("/lists/\(list.slug)?sent=\(count)")
            default:
                throw InputError.invalidValue(field: "step", value: TextRules.preview(form.text(.step)), rule: "must be preview, test or send")
            }
        } catch let error as InputError {
            return composePage(request, context, list, fields: form.fields, preview: false, problem: error.description)
        }
    }

    func composePage(_ request: Request, _ context: AppRequestContext, _ list: MailingList, fields: [String: String], preview: Bool,
                     problem: String?) -> Response {
        let t = Localizer.of(request)
        let model = ComposePage(list, fields: fields, preview: preview, problem: problem, t: t)
        return pages.render(request, context, "list-compose", model, forms: true, status: problem == nil ? .ok : .badRequest) {
            $0["list_compose_title"]
        }
    }
}

struct ListItem {
    let url: String
    let name: String
    let summary: String?
    let audience: String

    init(_ list: MailingList, t: Localizer) {
        url = "/lists/\(list.slug)"
        name = list.name.text(t.language)
        summary = list.summary.isEmpty ? nil : list.summary.text(t.language)
        audience = t["list_audience_\(list.audience.key)"]
    }
}

extension ListAudience {
    /// The key of its description in the locales.
    var key: String {
        switch self {
        case .anyone: "anyone"
        case .practitioners: "practitioners"
        case .focalPoints: "roles"
        }
    }
}

struct ListIndexPage {
    let lists: [ListItem]
    let hasLists: Bool
    let canManage: Bool

    init(lists: [ListItem], canManage: Bool) {
        self.lists = lists
        hasLists = !lists.isEmpty
        self.canManage = canManage
    }
}

/// `/lists/{slug}`: the list, its subscription form (lists of subscribers), its archive.
struct ListPage {
    struct Message {
        let subject: String
        let sent: String
        let body: MarkdownView
    }

    let slug: String
    let name: String
    let summary: MarkdownView
    let audience: String
    let subscribable: Bool
    let email: String
    let languages: [Choice]
    let messages: [Message]
    let hasMessages: Bool
    let canManage: Bool
    var notice: String?

    init(_ list: MailingList, messages: [ListMessage], email: String, canManage: Bool, t: Localizer) {
        slug = list.slug
        name = list.name.text(t.language)
        summary = MarkdownView(list.summary.text(t.language))
        audience = t["list_audience_\(list.audience.key)"]
        subscribable = list.audience.isSubscribed
        self.email = email
        languages = Language.allCases.map { Choice(value: $0.rawValue, label: $0.label(t.language), selected: $0 == t.language) }
        self.messages = messages.map { Message(subject: $0.subject.text(t.language), sent: t.dateTime($0.sentAt), body: MarkdownView($0.body.text(t.language))) }
        hasMessages = !messages.isEmpty
        self.canManage = canManage
    }
}

struct ListLinkPage {
    let heading: String
    let button: String
    let action: String
}

/// `/lists/new` (and `/discussions/new`, a topic: the same address, names and purpose): the form, as filled in, with its problem.
struct ListEditPage {
    let slug: String
    let nameEN: String
    let nameFR: String
    let summaryEN: String
    let summaryFR: String
    let networks: String
    let countries: String
    let problem: String?

    init(fields: [String: String], problem: String?) {
        slug = fields[FieldName.slug.rawValue] ?? ""
        nameEN = fields[FieldName.titleEn.rawValue] ?? ""
        nameFR = fields[FieldName.titleFr.rawValue] ?? ""
        summaryEN = fields[FieldName.summaryEn.rawValue] ?? ""
        summaryFR = fields[FieldName.summaryFr.rawValue] ?? ""
        networks = fields[FieldName.networks.rawValue] ?? ""
        countries = fields[FieldName.countries.rawValue] ?? ""
        self.problem = problem
    }
}

/// `/lists/{slug}/compose`: the message in both languages; its preview as recipients will read it.
struct ComposePage {
    let slug: String
    let name: String
    let subjectEN: String
    let subjectFR: String
    let bodyEN: String
    let bodyFR: String
    let preview: Bool
    let previewEN: MarkdownView
    let previewFR: MarkdownView
    let problem: String?

    init(_ list: MailingList, fields: [String: String], preview: Bool, problem: String?, t: Localizer) {
        slug = list.slug
        name = list.name.text(t.language)
        subjectEN = fields[FieldName.subjectEn.rawValue] ?? ""
        subjectFR = fields[FieldName.subjectFr.rawValue] ?? ""
        bodyEN = fields[FieldName.bodyEn.rawValue] ?? ""
        bodyFR = fields[FieldName.bodyFr.rawValue] ?? ""
        self.preview = preview
        previewEN = MarkdownView(bodyEN.isEmpty ? bodyFR : bodyEN)
        previewFR = MarkdownView(bodyFR.isEmpty ? bodyEN : bodyFR)
        self.problem = problem
    }
}
