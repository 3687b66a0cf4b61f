import Foundation
import LiaisonCore
import LiaisonStore

/// The platform's mailing lists: editors make them and write to them once in English and French; each recipient
/// receives the message in their own language, with the list's headers (RFC 2369, and RFC 8058's one-click
/// unsubscribe) and a link to leave that needs no sign-in. Lists of subscribers take double opt-in; lists of roles
/// are resolved from the accounts when a message goes.
public struct ListService: Sendable {
    let store: CatalogueStore
    let catalogue: LiveCatalogue
    let mail: MailTemplates
    public let now: @Sendable () -> Date
    let site: String
    /// Messages of a list handed to the mail server a minute, at most (`--list-messages-per-minute`).
    public var perMinute = Settings.standardListMessagesPerMinute

    public func lists() async throws -> [MailingList] {
        try await store.mailingLists()
    }

    /// A list; `CatalogueError.listNotFound` when there is none.
    public func list(_ slug: String) async throws -> MailingList {
        guard slug.count <= 60, let list = try await store.mailingList(slug: slug) else { throw CatalogueError.listNotFound(slug: slug) }
        return list
    }

    /// Whether the principal may subscribe to (and read the archive of) a list: anyone to an open one; practitioners
    /// and above to a practitioners' list; a list of roles, its editors and the focal points of its networks.
    public func maySubscribe(_ principal: Principal, to list: MailingList) -> Bool {
        switch list.audience {
        case .anyone: true
        case .practitioners: Policy.allows(principal, .readRestricted)
        case let .focalPoints(selection):
            Policy.allows(principal, .manageMeetings)
                || (principal.role == .focalPoint && !networks(selection).isDisjoint(with: principal.networks))
        }
    }

    /// The networks a list of roles names, as the catalogue has them now.
    func networks(_ selection: NetworkSelection) -> Set<String> {
        Set(selection.networks(in: catalogue.snapshot).map(\.slug))
    }

    public func create(_ list: MailingList, by principal: Principal, actor: String) async throws -> MailingList {
        guard Policy.allows(principal, .manageMeetings) else { throw ServiceDenied() }
        try MailingList.checkSlug(list.slug)
        for (text, field) in [(list.name.en, "name_en"), (list.name.fr, "name_fr")] { try TextRules.checkLine(text, field: field, limit: 200) }
        guard !list.name.isEmpty else { throw InputError.missingField(field: "name_en") }
        for (text, field) in [(list.summary.en, "summary_en"), (list.summary.fr, "summary_fr")] { try TextRules.checkText(text, field: field, limit: 5_000) }
        if case let .focalPoints(selection) = list.audience { try selection.check(in: catalogue.snapshot) }
        return try await store.createList(list, actor: actor, at: now())
    }

    /// Asks to subscribe: a confirmation mail in the person's language (double opt-in). The answer is the same
    /// whether or not the address was subscribed.
    /// `accountEmail`: the signed-in person's address, the only one a practitioners' list takes (so that its messages
    /// reach no one outside).
    public func subscribe(_ slug: String, email: String, accountEmail: String?, language: Language, by principal: Principal,
                          clientAddress: String) async throws -> MailingList {
        let list = try await list(slug)
        guard list.audience.isSubscribed, maySubscribe(principal, to: list), let id = list.id else { throw ServiceDenied() }
        let typed = list.audience == .practitioners ? (accountEmail ?? "") : email
        let address = try Account.normalisedEmail(typed, field: "email")
        let token = Secrets.token()
        let message = try mail.listConfirm(to: address, language: language, list: list.name.text(language),
                                           link: "\(site)/lists/confirm/\(token)?lang=\(language.rawValue)")
        try await store.subscribe(listID: id, email: address, language: language, confirmHash: Secrets.hash(token), mail: message,
                                  address: clientAddress, at: now())
        return list
    }

    public func confirm(token: String) async throws -> (list: MailingList, email: String)? {
        guard token.count <= 100 else { return nil }
        return try await store.confirmSubscription(hash: Secrets.hash(token), at: now())
    }

    public func unsubscribe(token: String) async throws -> (list: MailingList, email: String)? {
        guard token.count <= 100 else { return nil }
        return try await store.unsubscribe(tokenHash: Secrets.hash(token), at: now())
    }

    /// Who a message to the list goes to now, each with their language: its subscribers, or the focal points its roles
    /// name as the accounts say today, less those who left it.
    public func recipients(of list: MailingList) async throws -> [(email: String, language: Language)] {
        guard let id = list.id else { return [] }
        switch list.audience {
        case .anyone:
            return try await store.subscriptions(listID: id, status: .active)
        case .practitioners:
            // Checked again when a message goes: an account disabled or no longer a practitioner receives nothing.
            let entitled = Set(try await store.accounts().filter { !$0.disabled && $0.role >= .practitioner }.map(\.email))
            return try await store.subscriptions(listID: id, status: .active).filter { entitled.contains($0.email) }
        case let .focalPoints(selection):
            let networks = networks(selection)
            // Less those who left it, and those whose mail kept bouncing.
            let left = Set(try await store.subscriptions(listID: id, status: .unsubscribed).map(\.email)
                + store.subscriptions(listID: id, status: .suspended).map(\.email))
            var seen = Set<String>()
            return try await store.accounts()
                .filter { $0.role == .focalPoint && !$0.disabled && !networks.isDisjoint(with: $0.networks) && !left.contains($0.email) }
                .filter { seen.insert($0.email).inserted }
                .map { ($0.email, $0.language) }
        }
    }

    /// Sends a message written once in English and French (Markdown; either may be left empty, the other is sent
    /// then): each recipient in their language, with the list's headers and their own link to leave. `testTo`: only
    /// to that address (the editor's own), not archived. Returns how many were queued.
    @discardableResult
    public func send(_ slug: String, subject: Bilingual, body: Bilingual, by principal: Principal, actor: String, testTo: String? = nil)
        async throws -> Int
    {
        guard Policy.allows(principal, .manageMeetings) else { throw ServiceDenied() }
        let list = try await list(slug)
        guard let id = list.id else { throw CatalogueError.listNotFound(slug: slug) }
        guard !subject.isEmpty else { throw InputError.missingField(field: "subject_en") }
        guard !body.isEmpty else { throw InputError.missingField(field: "body_en") }
        for (text, field) in [(subject.en, "subject_en"), (subject.fr, "subject_fr")] { try TextRules.checkLine(text, field: field, limit: 200) }
        for (text, field) in [(body.en, "body_en"), (body.fr, "body_fr")] { try TextRules.checkText(text, field: field, limit: 20_000) }
        // A test goes to the editor in both languages, so that both are seen as recipients will see them.
        let tester = try testTo.map { try Account.normalisedEmail($0, field: "test_to") }
        let targets: [(email: String, language: Language)] = if let tester { [(tester, .en), (tester, .fr)] } else { try await recipients(of: list) }
        let domain = MeetingService.domain(of: site)
        let deliveries = try targets.map { recipient -> CatalogueStore.ListDelivery in
            let token = Secrets.token()
            let unsubscribe = "\(site)/lists/unsubscribe/\(token)"
            let language = recipient.language
            let headers = try [MailMessage.ListHeader(.listID, "\(Self.headerText(list.name.text(language))) <\(list.slug).lists.\(domain)>"),
                               MailMessage.ListHeader(.listUnsubscribe, "<\(unsubscribe)>"),
                               MailMessage.ListHeader(.listUnsubscribePost, "List-Unsubscribe=One-Click"),
                               MailMessage.ListHeader(.listArchive, "<\(site)/lists/\(list.slug)>"),
                               MailMessage.ListHeader(.precedence, "list")]
            let text = Markdown.plainText(Markdown.parse(body.text(language)))
            let message = try mail.listMessage(to: recipient.email, language: language, list: list.name.text(language),
                                               subject: (testTo == nil ? "" : "[test] ") + subject.text(language), text: text,
                                               unsubscribe: unsubscribe + "?lang=\(language.rawValue)", archive: "\(site)/lists/\(list.slug)")
            return CatalogueStore.ListDelivery(email: recipient.email, tokenHash: Secrets.hash(token),
                                               mail: try MailMessage(to: message.to, subject: message.subject, text: message.text,
                                                                     language: language, headers: headers))
        }
        if testTo != nil {
            _ = try await store.sendTest(listID: id, deliveries: deliveries, at: now())
            return deliveries.count
        }
        _ = try await store.sendListMessage(listID: id, subject: subject, body: body, deliveries: deliveries, perMinute: perMinute,
                                            actor: actor, at: now())
        return deliveries.count
    }

    /// The lists a person is subscribed to, or has asked to be (their account page).
    public func subscriptions(of email: String) async throws -> [(list: MailingList, status: SubscriptionStatus)] {
        try await store.subscriptions(email: email)
    }

    /// A list's archive, for those who may subscribe to it.
    public func archive(_ slug: String, by principal: Principal) async throws -> (list: MailingList, messages: [ListMessage]) {
        let list = try await list(slug)
        guard maySubscribe(principal, to: list), let id = list.id else { throw ServiceDenied() }
        return (list, try await store.listMessages(listID: id))
    }

    /// A list's name as a header's phrase: in quotes when it is printable ASCII, else as RFC 2047 encoded words
    /// (`=?UTF-8?B?…?=`, each at most 75 characters, split between scalars), so that "Responsables des réseaux" keeps
    /// its accents; without control characters or those a phrase may not hold bare, at most 100 scalars.
    static func headerText(_ name: String) -> String {
        let kept = name.unicodeScalars.filter { TextRules.isAllowed($0, allowsLineBreaks: false)
            && !"<>\"\\()".unicodeScalars.contains($0) }
        let text = String(String.UnicodeScalarView(kept.prefix(100))).trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return "\"Liaison list\"" }
        if text.unicodeScalars.allSatisfy(\.isASCII), !text.contains("=?") { return "\"" + text + "\"" }
        // 45 bytes of UTF-8 make 60 characters of base64: with "=?UTF-8?B?" and "?=", 72.
        var words: [String] = [], chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 45 {
                words.append(chunk.isEmpty ? "" : "=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.filter { !$0.isEmpty }.joined(separator: " ")
    }
}
