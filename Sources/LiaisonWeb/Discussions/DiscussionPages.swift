import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices

/// `/discussions`: the networks' spaces and the topics across networks, their threads, replies (Markdown, quotes),
/// and following by mail. Practitioners and above; a network's space for its own people (and the editors).
struct DiscussionPages {
    let discussions: DiscussionService
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        let reader = Need.permission(.discuss(network: nil))
        routes.get("/discussions", needs: reader, use: index)
        routes.get("/discussions/new", needs: .permission(.moderate(network: nil)), use: topicForm)
        routes.post("/discussions/new", needs: .permission(.moderate(network: nil)), use: createTopic)
        routes.get("/discussions/threads/:id", needs: reader, use: thread)
        routes.post("/discussions/threads/:id/reply", needs: reader, use: reply)
        routes.post("/discussions/threads/:id/follow", needs: reader, use: followThread)
        routes.get("/discussions/:slug", needs: reader, use: space)
        routes.post("/discussions/:slug/threads", needs: reader, use: startThread)
        routes.post("/discussions/:slug/follow", needs: reader, use: followSpace)
    }

    /// GET /discussions
    func index(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let spaces = try await discussions.spaces(by: context.principal)
        let model = DiscussionIndexPage(spaces: spaces, canCreate: Policy.allows(context.principal, .moderate(network: nil)), t: t)
        return pages.render(request, context, "discussions", model) { $0["discussions_title"] }
    }

    /// GET /discussions/{slug} — `page`.
    func space(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await spacePage(request, context, title: "", body: "", problem: nil)
    }

    func spacePage(_ request: Request, _ context: AppRequestContext, title: String, body: String, problem: String?) async throws -> Response {
        let t = Localizer.of(request)
        let page = try MeetingPages.page(request.queryFields["page"].map(String.init))
        let found = try await discussions.spacePage(try context.parameters.require("slug"), page: page, by: context.principal)
        let model = DiscussionSpacePage(found, page: page, title: title, body: body, problem: problem, t: t)
        return noStore(pages.render(request, context, "discussion-space", model, forms: true, status: problem == nil ? .ok : .badRequest) { _ in
            model.name
        })
    }

    /// POST /discussions/{slug}/threads — a title and a first message.
    func startThread(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let account = try signedIn(context)
        do {
            let id = try await discussions.startThread(in: try context.parameters.require("slug"), title: form.text(.title), body: form.raw(.body),
                                                       by: context.principal, account: account)
            return .redirect("/discussions/threads/\(id)")
        } catch let error as InputError {
            return try await spacePage(request, context, title: form.raw(.title), body: form.raw(.body), problem: error.description)
        }
    }

    /// GET /discussions/threads/{id} — `quote`: a post to quote in the reply.
    func thread(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await threadPage(request, context, body: nil, problem: nil)
    }

    func threadPage(_ request: Request, _ context: AppRequestContext, body: String?, problem: String?) async throws -> Response {
        let t = Localizer.of(request)
        let id = try Self.id(try context.parameters.require("id"))
        let found = try await discussions.thread(id, by: context.principal)
        let quote = request.queryFields["quote"].flatMap { Int64($0) }.flatMap { number in found.posts.first { $0.id == number } }
        let model = DiscussionThreadPage(found, reply: body ?? quote.map { $0.quoted(t.language) } ?? "", problem: problem, t: t)
        return noStore(pages.render(request, context, "discussion-thread", model, forms: true, status: problem == nil ? .ok : .badRequest) { _ in
            model.title
        })
    }

    /// POST /discussions/threads/{id}/reply
    func reply(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        let account = try signedIn(context)
        do {
            let post = try await discussions.reply(to: id, body: form.raw(.body), by: context.principal, account: account)
            return .redirect("/discussions/threads/\(id)#post-\(post)")
        } catch let error as InputError {
            return try await threadPage(request, context, body: form.raw(.body), problem: error.description)
        }
    }

    /// POST /discussions/threads/{id}/follow — `mode`: each, digest or none.
    func followThread(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        try await discussions.follow(thread: id, space: nil, mode: Self.mode(form), by: context.principal)
        return .redirect("/discussions/threads/\(id)")
    }

    /// POST /discussions/{slug}/follow
    func followSpace(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let slug = try context.parameters.require("slug")
        let form = try await Form.read(request, context)
        try await discussions.follow(thread: nil, space: slug, mode: Self.mode(form), by: context.principal)
        return .redirect("/discussions/\(slug)")
    }

    /// GET /discussions/new — a topic across networks (editors).
    func topicForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        pages.render(request, context, "discussion-topic", DiscussionTopicPage(fields: [:], problem: nil), forms: true) { $0["discussions_new_topic"] }
    }

    /// POST /discussions/new
    func createTopic(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        do {
            let space = try await discussions.createTopic(
                DiscussionSpace(slug: form.text(.slug), kind: .topic, name: Bilingual(en: form.text(.titleEn), fr: form.text(.titleFr)),
                                summary: Bilingual(en: form.text(.summaryEn), fr: form.text(.summaryFr))), by: context.principal)
            return .redirect("/discussions/\(space.slug)")
        } catch let error as InputError {
            return pages.render(request, context, "discussion-topic", DiscussionTopicPage(fields: form.fields, problem: error.description), forms: true,
                                status: .badRequest) { $0["discussions_new_topic"] }
        }
    }

    // MARK: Helpers

    /// What only its space's people may read is kept by no cache.
    func noStore(_ response: Response) -> Response {
        var response = response
        response.headers[.cacheControl] = "private, no-store"
        return response
    }

    func signedIn(_ context: AppRequestContext) throws -> Account {
        guard let account = context.identity?.account else { throw AccessDenied(stage: context.identity?.session.stage) }
        return account
    }

    static func mode(_ form: Form) -> String? {
        let mode = form.text(.mode)
        return mode == "none" || mode.isEmpty ? nil : mode
    }

    static func id(_ text: String) throws -> Int64 {
        guard text.count <= 18, let id = Int64(text), id > 0 else { throw CatalogueError.threadNotFound(id: 0) }
        return id
    }
}

/// `/discussions`: the spaces one may enter.
struct DiscussionIndexPage {
    struct Space {
        let url: String
        let name: String
        let summary: String
        let kind: String
    }

    let networks: [Space]
    let topics: [Space]
    let hasNetworks: Bool
    let hasTopics: Bool
    let canCreate: Bool

    init(spaces: [DiscussionSpace], canCreate: Bool, t: Localizer) {
        let items = spaces.map { space in
            (space.kind, Space(url: "/discussions/\(space.slug)", name: space.name.text(t.language), summary: space.summary.text(t.language),
                               kind: t[space.kind == .network ? "discussions_network_space" : "discussions_topic_space"]))
        }
        networks = items.filter { $0.0 == .network }.map(\.1)
        topics = items.filter { $0.0 == .topic }.map(\.1)
        hasNetworks = !networks.isEmpty
        hasTopics = !topics.isEmpty
        self.canCreate = canCreate
    }
}

/// `/discussions/{slug}`: its threads, a form to start one, following it.
struct DiscussionSpacePage {
    struct Thread {
        let url: String
        let title: String
        let meta: String
        let locked: Bool
        let hidden: Bool
    }

    let slug: String
    let name: String
    let summary: String
    let threads: [Thread]
    let hasThreads: Bool
    let previousURL: String?
    let nextURL: String?
    let pageText: String
    let paged: Bool
    let title: String
    let body: String
    let problem: String?
    let follow: FollowForm

    init(_ found: DiscussionService.SpacePage, page: Int, title: String, body: String, problem: String?, t: Localizer) {
        slug = found.space.slug
        name = found.space.name.text(t.language)
        summary = found.space.summary.text(t.language)
        threads = found.threads.map { thread in
            Thread(url: "/discussions/threads/\(thread.id ?? 0)", title: thread.title,
                   meta: t.format("discussions_thread_meta", ["author": thread.authorName, "posts": thread.posts, "when": t.dateTime(thread.lastPostAt)]),
                   locked: thread.locked, hidden: thread.hidden)
        }
        hasThreads = !threads.isEmpty
        let pages = max(1, (found.total + DiscussionService.perPage - 1) / DiscussionService.perPage)
        previousURL = page > 1 ? "/discussions/\(found.space.slug)?page=\(page - 1)" : nil
        nextURL = page < pages ? "/discussions/\(found.space.slug)?page=\(page + 1)" : nil
        pageText = t.format("page_of", ["page": page, "pages": pages])
        paged = pages > 1
        self.title = title
        self.body = body
        self.problem = problem
        follow = FollowForm(action: "/discussions/\(found.space.slug)/follow", mode: found.following, t: t)
    }
}

/// The form to follow a thread or space by mail: each message, a daily digest, or not.
struct FollowForm {
    let action: String
    let current: String
    let each: Bool
    let digest: Bool
    let none: Bool

    init(action: String, mode: String?, t: Localizer) {
        self.action = action
        current = t["discussions_following_\(mode ?? "none")"]
        each = mode == "each"
        digest = mode == "digest"
        none = mode == nil
    }
}

/// `/discussions/threads/{id}`: its messages, and the reply form.
struct DiscussionThreadPage {
    struct Post {
        let anchor: String
        let author: String
        let when: String
        let viaMail: Bool
        let hidden: Bool
        let body: MarkdownView
        let quoteURL: String
    }

    let id: Int64
    let title: String
    let spaceURL: String
    let spaceName: String
    let posts: [Post]
    let locked: Bool
    let reply: String
    let problem: String?
    let follow: FollowForm

    init(_ found: (space: DiscussionSpace, thread: DiscussionThread, posts: [DiscussionPost], following: String?), reply: String, problem: String?,
         t: Localizer) {
        let id = found.thread.id ?? 0
        self.id = id
        title = found.thread.title
        spaceURL = "/discussions/\(found.space.slug)"
        spaceName = found.space.name.text(t.language)
        posts = found.posts.map { post in
            Post(anchor: "post-\(post.id ?? 0)", author: post.authorName, when: t.dateTime(post.createdAt), viaMail: post.via == .mail, hidden: post.hidden,
                 body: MarkdownView(post.body, headingOffset: 3), quoteURL: "/discussions/threads/\(id)?quote=\(post.id ?? 0)#reply")
        }
        locked = found.thread.locked
        self.reply = reply
        self.problem = problem
        follow = FollowForm(action: "/discussions/threads/\(id)/follow", mode: found.following, t: t)
    }
}

/// `/discussions/new`: a topic's address, name and purpose.
struct DiscussionTopicPage {
    let slug: String
    let nameEN: String
    let nameFR: String
    let summaryEN: String
    let summaryFR: String
    let problem: String?

    init(fields: [String: String], problem: String?) {
        slug = fields[FieldName.slug.rawValue] ?? ""
        nameEN = fields[FieldName.titleEn.rawValue] ?? ""
        nameFR = fields[FieldName.titleFr.rawValue] ?? ""
        summaryEN = fields[FieldName.summaryEn.rawValue] ?? ""
        summaryFR = fields[FieldName.summaryFr.rawValue] ?? ""
        self.problem = problem
    }
}
