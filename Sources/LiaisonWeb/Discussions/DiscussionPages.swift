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
        routes.post("/discussions/announce", needs: .permission(.moderate(network: nil)), use: announce)
        routes.post("/discussions/new", needs: .permission(.moderate(network: nil)), use: createTopic)
        routes.get("/discussions/threads/:id", needs: reader, use: thread)
        routes.post("/discussions/threads/:id/reply", needs: reader, use: reply)
        routes.post("/discussions/threads/:id/follow", needs: reader, use: followThread)
        routes.post("/discussions/threads/:id/moderate", needs: reader, use: moderate)
        routes.get("/discussions/reports", needs: reader, use: reports)
        routes.post("/discussions/posts/:id/report", needs: reader, use: report)
        routes.post("/discussions/posts/:id/edit", needs: reader, use: edit)
        routes.get("/discussions/posts/:id/history", needs: reader, use: history)
        routes.get("/discussions/:slug", needs: reader, use: space)
        routes.post("/discussions/:slug/threads", needs: reader, use: startThread)
        routes.post("/discussions/:slug/follow", needs: reader, use: followSpace)
    }

    /// GET /discussions
    func index(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let spaces = try await discussions.spaces(by: context.principal)
        var model = DiscussionIndexPage(spaces: spaces, canCreate: Policy.allows(context.principal, .moderate(network: nil)), t: t)
        model.announced = request.queryFields["announced"].flatMap { Int($0) }.map { t.format("discussions_announced", ["count": $0]) }
        return pages.render(request, context, "discussions", model, forms: model.canCreate) { $0["discussions_title"] }
    }

    /// GET /discussions/{slug} — `page`.
    func space(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await spacePage(request, context, title: "", body: "", problem: nil)
    }

    func spacePage(_ request: Request, _ context: AppRequestContext, title: String, body: String, problem: String?) async throws -> Response {
        let t = Localizer.of(request)
        let page = try Paging.number(request.queryFields["page"].map(String.init))
        let found = try await discussions.spacePage(try context.parameters.require("slug"), page: page, by: context.principal)
        try Paging.check(page, of: Paging.count(found.total, perPage: DiscussionService.perPage))
        let model = DiscussionSpacePage(found, page: page, title: title, body: body, problem: problem, t: t)
        return pages.render(request, context, "discussion-space", model, forms: true, status: problem == nil ? .ok : .badRequest) { _ in model.name }
    }

    /// POST /discussions/{slug}/threads — a title and a first message.
    func startThread(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let account = try signedIn(context)
        do {
            let id = try await discussions.startThread(in: try context.parameters.require("slug"), title: form.text(.title), body: form.raw(.body),
                                                       attachments: try DiscussionPost.attachments(form.text(.attachments)), by: context.principal,
                                                       account: account)
            return .redirect("/discussions/threads/\(id)")
        } catch let error as InputError {
            return try await spacePage(request, context, title: form.raw(.title), body: form.raw(.body), problem: error.description)
        }
    }

    /// GET /discussions/threads/{id} — `quote`: a post to quote in the reply.
    func thread(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await threadPage(request, context, body: nil, problem: nil)
    }

    /// `editing`: a message whose edit was refused, with the text as typed (the form opens again with it).
    func threadPage(_ request: Request, _ context: AppRequestContext, body: String?, problem: String?, threadID: Int64? = nil,
                    editing: (post: Int64, text: String)? = nil) async throws -> Response {
        let t = Localizer.of(request)
        let id = try threadID ?? Self.id(try context.parameters.require("id"))
        let found = try await discussions.thread(id, by: context.principal)
        let fields = request.queryFields
        let quote = fields["quote"].flatMap { Int64($0) }.flatMap { number in found.posts.first { $0.id == number } }
        let moderator = found.space.mayModerate(context.principal)
        let model = DiscussionThreadPage(found, reply: body ?? quote.map { $0.quoted(t.language) } ?? "", problem: problem,
                                         editing: editing ?? fields["edit"].flatMap { Int64($0) }.map { ($0, nil) }, principal: context.principal,
                                         spaces: moderator ? try await discussions.spaces(by: context.principal) : [],
                                         log: try await discussions.moderationLog(thread: id, by: context.principal),
                                         attachments: try await discussions.attachments(of: found.posts, by: context.principal), t: t)
        return pages.render(request, context, "discussion-thread", model, forms: true, status: problem == nil ? .ok : .badRequest) { _ in model.title }
    }

    /// POST /discussions/threads/{id}/reply
    func reply(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        let account = try signedIn(context)
        do {
            let post = try await discussions.reply(to: id, body: form.raw(.body), attachments: try DiscussionPost.attachments(form.text(.attachments)),
                                                   by: context.principal, account: account)
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

    /// POST /discussions/threads/{id}/moderate — `action` (hide-post, restore-post, lock, unlock, hide-thread,
    /// restore-thread, move), `reason`, `post`, `space` (where to move it).
    func moderate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        do {
            guard let action = ModerationAction(rawValue: form.text(.action)) else {
                throw InputError.invalidValue(field: "action", value: TextRules.preview(form.text(.action)),
                                              rule: "must be " + ModerationAction.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let post = form.text(.post).isEmpty ? nil : try Self.id(form.text(.post))
            try await discussions.moderate(thread: id, post: post, action: action, reason: form.text(.reason), moveTo: form.text(.space),
                                           by: context.principal, actor: EditPages.actor(context))
            return .redirect("/discussions/threads/\(id)")
        } catch let error as InputError {
            return try await threadPage(request, context, body: nil, problem: error.description, threadID: id)
        }
    }

    /// POST /discussions/posts/{id}/report — `reason`.
    func report(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        let post = try await discussions.post(id, by: context.principal)
        do {
            try await discussions.report(post: id, reason: form.text(.reason), by: context.principal)
            return .redirect("/discussions/threads/\(post.threadID)?reported=1#post-\(id)")
        } catch let error as InputError {
            return try await threadPage(request, context, body: nil, problem: error.description, threadID: post.threadID)
        }
    }

    /// POST /discussions/posts/{id}/edit — `body`: the new text (the old is kept).
    func edit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try Self.id(try context.parameters.require("id"))
        let form = try await Form.read(request, context)
        let post = try await discussions.post(id, by: context.principal)
        do {
            let thread = try await discussions.edit(post: id, body: form.raw(.body), by: context.principal, actor: EditPages.actor(context))
            return .redirect("/discussions/threads/\(thread)#post-\(id)")
        } catch let error as InputError {
            return try await threadPage(request, context, body: nil, problem: error.description, threadID: post.threadID,
                                        editing: (id, form.raw(.body)))
        }
    }

    /// GET /discussions/posts/{id}/history — a message's earlier texts.
    func history(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let found = try await discussions.history(post: try Self.id(try context.parameters.require("id")), by: context.principal)
        let model = PostHistoryPage(found, t: t)
        return pages.render(request, context, "discussion-history", model) { _ in found.thread.title }
    }

    /// GET /discussions/reports — the reported messages one moderates.
    func reports(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Localizer.of(request)
        let reports = try await discussions.reports(by: context.principal)
        return pages.render(request, context, "discussion-reports", ReportsPage(reports)) { _ in t["discussions_reports"] }
    }

    /// POST /discussions/announce — the secretariat's announcement to every space: `title`, `body`.
    func announce(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let account = try signedIn(context)
        do {
            let count = try await discussions.announce(title: form.text(.title), body: form.raw(.body), by: context.principal, account: account)
            return .redirect("/discussions?announced=\(count)")
        } catch let error as InputError {
            let t = Localizer.of(request)
            let model = DiscussionIndexPage(spaces: try await discussions.spaces(by: context.principal), canCreate: true, t: t, problem: error.description,
                                            title: form.raw(.title), body: form.raw(.body))
            return pages.render(request, context, "discussions", model, forms: true, status: .badRequest) { $0["discussions_title"] }
        }
    }

    /// GET /discussions/new — a topic across networks (editors): an address, a name and a purpose, as a list's.
    func topicForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        pages.render(request, context, "discussion-topic", ListEditPage(fields: [:], problem: nil), forms: true) { $0["discussions_new_topic"] }
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
            return pages.render(request, context, "discussion-topic", ListEditPage(fields: form.fields, problem: error.description), forms: true,
                                status: .badRequest) { $0["discussions_new_topic"] }
        }
    }

    // MARK: Helpers

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
    var announced: String?
    let problem: String?
    let title: String
    let body: String

    init(spaces: [DiscussionSpace], canCreate: Bool, t: Localizer, problem: String? = nil, title: String = "", body: String = "") {
        self.problem = problem
        self.title = title
        self.body = body
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
        let announcement: Bool
        let meta: String
        let locked: Bool
        let hidden: Bool
    }

    let slug: String
    let name: String
    let summary: String
    let threads: [Thread]
    let hasThreads: Bool
    let paging: Paging
    let title: String
    let body: String
    let problem: String?
    let follow: FollowForm

    init(_ found: DiscussionService.SpacePage, page: Int, title: String, body: String, problem: String?, t: Localizer) {
        slug = found.space.slug
        name = found.space.name.text(t.language)
        summary = found.space.summary.text(t.language)
        threads = found.threads.map { thread in
            Thread(url: "/discussions/threads/\(thread.id ?? 0)", title: thread.title, announcement: thread.announcement,
                   meta: t.format("discussions_thread_meta", ["author": thread.authorName, "posts": thread.posts, "when": t.dateTime(thread.lastPostAt)]),
                   locked: thread.locked, hidden: thread.hidden)
        }
        hasThreads = !threads.isEmpty
        let slug = found.space.slug
        paging = Paging(page: page, pages: Paging.count(found.total, perPage: DiscussionService.perPage), label: t["discussions_paging"], t: t) {
            $0 == 1 ? "/discussions/\(slug)" : "/discussions/\(slug)?page=\($0)"
        }
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

/// `/discussions/threads/{id}`: its messages, the reply form; for moderators, what they may do and the log.
struct DiscussionThreadPage {
    struct Post {
        let id: Int64
        let anchor: String
        let author: String
        let when: String
        let viaMail: Bool
        let hidden: Bool
        let hiddenReason: String
        let edited: Bool
        let historyURL: String
        let body: MarkdownView
        let source: String
        let quoteURL: String
        let editURL: String
        let canEdit: Bool
        let editing: Bool
        let attachments: [Choice]
        let hasAttachments: Bool
    }

    struct LogEntry {
        let text: String
    }

    let id: Int64
    /// The thread's number, for the forms inside each post.
    let threadID: Int64
    let title: String
    let spaceURL: String
    let spaceName: String
    let posts: [Post]
    let locked: Bool
    let hidden: Bool
    /// Neither locked nor hidden, and not at its limit of messages.
    let canReply: Bool
    /// At its limit of messages: a new thread goes on.
    let full: Bool
    let reply: String
    let problem: String?
    let follow: FollowForm
    let canModerate: Bool
    let spaces: [Choice]
    let log: [LogEntry]
    let hasLog: Bool

    init(_ found: (space: DiscussionSpace, thread: DiscussionThread, posts: [DiscussionPost], following: String?), reply: String, problem: String?,
         editing: (post: Int64, text: String?)?, principal: Principal, spaces: [DiscussionSpace], log: [ModerationEntry], attachments: [Int64: LibraryDocument],
         t: Localizer) {
        let id = found.thread.id ?? 0
        self.id = id
        threadID = id
        title = found.thread.title
        spaceURL = "/discussions/\(found.space.slug)"
        spaceName = found.space.name.text(t.language)
        let moderator = found.space.mayModerate(principal)
        posts = found.posts.map { post in
            let postID = post.id ?? 0
            let canEdit = moderator || (post.authorID == principal.accountID && !post.hidden && !found.thread.locked)
            // Only the documents this reader may see.
            let documents = post.attachments.compactMap { attachments[$0] }.map {
                Choice(value: "/library/\($0.id ?? 0)", label: $0.title.text(t.language), selected: false)
            }
            return Post(id: postID, anchor: "post-\(postID)", author: post.authorName, when: t.dateTime(post.createdAt), viaMail: post.via == .mail,
                        hidden: post.hidden, hiddenReason: post.hiddenReason ?? "", edited: post.editedAt != nil,
                        historyURL: "/discussions/posts/\(postID)/history", body: MarkdownView(post.body, headingOffset: 3),
                        source: editing?.post == postID ? editing?.text ?? post.body : post.body,
                        quoteURL: "/discussions/threads/\(id)?quote=\(postID)#reply", editURL: "/discussions/threads/\(id)?edit=\(postID)#post-\(postID)",
                        canEdit: canEdit, editing: canEdit && editing?.post == postID, attachments: documents, hasAttachments: !documents.isEmpty)
        }
        locked = found.thread.locked
        hidden = found.thread.hidden
        full = found.thread.posts >= DiscussionThread.postLimit
        canReply = !locked && !hidden && !full
        self.reply = reply
        self.problem = problem
        follow = FollowForm(action: "/discussions/threads/\(id)/follow", mode: found.following, t: t)
        canModerate = moderator
        self.spaces = spaces.filter { $0.slug != found.space.slug }.map { Choice(value: $0.slug, label: $0.name.text(t.language), selected: false) }
        self.log = log.map { entry in
            LogEntry(text: t.format("discussions_log_entry", ["when": t.dateTime(entry.at), "action": t["discussions_action_\(entry.action.rawValue.replacingOccurrences(of: "-", with: "_"))"],
                                                              "actor": entry.actor, "reason": entry.reason]))
        }
        hasLog = !self.log.isEmpty
    }
}

/// `/discussions/posts/{id}/history`: a message as it is and as it was.
struct PostHistoryPage {
    struct Revision {
        let body: MarkdownView
        let when: String
        let by: String
    }

    let threadURL: String
    let title: String
    let current: MarkdownView
    let revisions: [Revision]
    let hasRevisions: Bool

    init(_ found: (post: DiscussionPost, thread: DiscussionThread, revisions: [(body: String, replacedAt: Date, replacedBy: String)]), t: Localizer) {
        threadURL = "/discussions/threads/\(found.thread.id ?? 0)#post-\(found.post.id ?? 0)"
        title = found.thread.title
        current = MarkdownView(found.post.body, headingOffset: 3)
        revisions = found.revisions.map { Revision(body: MarkdownView($0.body, headingOffset: 3), when: t.dateTime($0.replacedAt), by: $0.replacedBy) }
        hasRevisions = !revisions.isEmpty
    }
}

/// `/discussions/reports`: the reported messages, the most reported first.
struct ReportsPage {
    struct Report {
        let url: String
        let thread: String
        let space: String
        let reasons: [String]
        let hidden: Bool
    }

    let reports: [Report]
    let hasReports: Bool

    init(_ reports: [PostReport]) {
        self.reports = reports.map { Report(url: "/discussions/threads/\($0.threadID)#post-\($0.postID)", thread: $0.threadTitle, space: $0.spaceSlug,
                                           reasons: $0.reasons, hidden: $0.hidden) }
        hasReports = !self.reports.isEmpty
    }
}

