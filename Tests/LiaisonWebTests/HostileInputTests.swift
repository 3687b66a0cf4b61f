import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LiaisonCore
import LiaisonStore
import Mustache
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// Input a hostile visitor sends, into every form field and every query parameter of every route, as every kind of
/// person: no answer is a server error, the process lives on, and nothing of the input comes out raw in a page, an
/// attribute, a feed or a mail header. The values are built to get past an escaper that compares `Character`s
/// (a quote or a bracket joined with an accent or a prepended mark is one `Character`), and past checks that look
/// for line breaks only (NUL, ESC, bidirectional controls, separators), and to cost work (very long words, brackets).
@Suite struct HostileInputTests {
    static let values: [String] = [
        // Printable, for the escapers: every special character hidden behind an accent or a prepended mark.
        "\"\u{301} autofocus x=\"l~p >\u{301}<l~p-a href=//evil.example>x</l~p-a> '\u{301}'l~p' &\u{301}amp;",
        "\u{600}<l~p-meta http-equiv=refresh content=0;url=//evil.example>\u{301}",
        // Control and format characters, for the checks of text coming in (and header injection).
        "a\u{0}b\u{1B}[31mc\u{7F}\r\nBcc: l~p@example.org\r\n",
        "\u{202E}l~p\u{200F}\u{2066}x\u{FEFF}\u{2028}y",
        // For the parsers: no number before the bar, brackets never closed, one very long word, an address with a tag.
        "|", " | ", String(repeating: "(", count: 3_000), String(repeating: "laundering", count: 3_000),
        "a@b.example\u{301}<l~p@evil.example>",
    ]

    /// What escaped output never holds and raw input always does: the probe's tags and quotes (`l~p`: no token,
    /// which is base64url, and no word of the site has it), and each special character followed by the mark that hid
    /// it from a per-`Character` escaper.
    static let rawSignatures: [[UInt8]] = ["<l~p", "\"l~p", "'l~p", "\"\u{301}", ">\u{301}", "\u{600}<", "<\u{301}", "'\u{301}", "&\u{301}"]
        .map { Array($0.utf8) }

    static func rawInput(in body: [UInt8]) -> String? {
        for signature in rawSignatures where body.count >= signature.count {
            for start in 0...(body.count - signature.count) where body[start] == signature[0] {
                if body[start..<(start + signature.count)].elementsEqual(signature) {
                    let from = max(0, start - 60), to = min(body.count, start + signature.count + 60)
                    return String(decoding: body[from..<to], as: UTF8.self)
                }
            }
        }
        return nil
    }

    /// Checks one answer; returns a description of what is wrong, or nil.
    static func fault(_ response: TestResponse, _ what: String) -> String? {
        if response.status.code >= 500 { return "\(what): \(response.status.code)" }
        let type = response.headers[.contentType] ?? ""
        guard type.contains("html") || type.contains("xml") else { return nil }
        if let raw = rawInput(in: Array(response.body.readableBytesView)) { return "\(what): raw input in the \(type) answer: …\(raw)…" }
        return nil
    }

    /// The query parameters each kind of page or operation reads (every route also gets the ones of every page).
    static func parameters(of path: String) -> [String] {
        var names = ["lang", "next", "q", "page"]
        if path.hasSuffix("/networks") { names += ["party", "role", "crime_area", "instrument", "section", "scope", "status", "member_type",
                                                   "per_page", "facets"] }
        if path.hasSuffix("/finder") { names += ["from", "to", "crime_area", "instrument"] }
        if path.hasSuffix("/overlaps") { names += ["full_members_only", "limit"] }
        if path.hasSuffix("/parties") { names += ["kind", "per_page"] }
        if path.hasSuffix("/countries") { names += ["code"] }
        if path == "/admin/audit" { names += ["before"] }
        if path == "/api/v1/changes" { names += ["since", "limit"] }
        if path == "/account" { names += ["done"] }
        if path == "/meetings" { names += ["upcoming_page"] }
        if path == "/library" { names += DocumentFacet.allCases.map(\.rawValue) + ["withdrawn"] }
        if path == "/library/new" { names += ["translation_of"] }
        if path.hasPrefix("/library/") { names += ["saved", "version"] }
        if path.hasPrefix("/surveys/") { names += ["done", "group", "format", "networks", "mails", "without", "section"] }
        if path.hasPrefix("/discussions/threads/") { names += ["quote", "edit"] }
        if path == "/discussions" { names += ["announced"] }
        if path == "/directory" || path == "/directory.vcf" { names += ["country", "network", "kind", "language", "from", "to"] }
        return names
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// The suite's check would catch the flaw it guards against: output escaped per `Character` (swift-mustache's
    /// own HTML escaping) holds raw input for it; the pages' renderer does not.
    @Test func theCheckCatchesEscapingPerCharacterAndThePagesEscapePerScalar() async throws {
        let template = try MustacheTemplate(string: #"<p title="{{value}}">{{value}}</p>"#)
        for value in Self.values.prefix(2) {
            let perCharacter = template.render(["value": value])
            #expect(Self.rawInput(in: Array(perCharacter.utf8)) != nil, "\(perCharacter)")
            #expect(Self.rawInput(in: Array(Escaper.markup(value).utf8)) == nil)
        }
        // Every template, partials included, renders through the project's escaper.
        let renderer = try await PageRenderer.load()
        let page = renderer.library.render(["hasProblems": true, "problems": [Self.values[0]], "t": ["edit_problems": "Problems"]] as [String: Any],
                                           withTemplate: "field-problems") ?? ""
        #expect(page.contains("Problems") && page.contains("l~p"), "the partial rendered the value: \(page)")
        #expect(Self.rawInput(in: Array(page.utf8)) == nil)
    }

    @Test func everyQueryParameterOfEveryPageAndOperationTakesHostileInput() async throws {
        try await AccountBed.run(contact: ContactSettings(address: "secretariat@example.org")) { bed, client in
            let people = try await HostileBed.people(bed)
            var faults: [String] = []
            var sent = 0
            for route in bed.routes.sorted() where route.hasPrefix("GET ") {
                let path = HostileBed.concrete(String(route.dropFirst(4)))
                for who in [HostileBed.Who.visitor, .administrator] {
                    for name in Self.parameters(of: path) {
                        // Every value percent-encoded, and one that is not UTF-8 at all.
                        for query in Self.values.map({ "\(name)=\(Self.percentEncoded($0))" }) + ["\(name)=%FF%FE%C0%AF"] {
                            let response = try await HostileBed.send(client, bed, .get, path + "?" + query, as: people[who], n: sent)
                            sent += 1
                            if let fault = Self.fault(response, "\(route)?\(name) as \(who)") { faults.append(fault) }
                        }
                    }
                }
            }
            #expect(faults.isEmpty, "\(faults.count) faults, the first: \(faults.prefix(5))")
            #expect(sent > 2_000)
        }
    }

    @Test func everyFormFieldOfEveryRouteTakesHostileInputAsEveryone() async throws {
        try await AccountBed.run(contact: ContactSettings(address: "secretariat@example.org")) { bed, client in
            let people = try await HostileBed.people(bed)
            var faults: [String] = []
            var sent = 0
            var fieldsSeen = Set<String>()
            // The fields read off the pages themselves (not filled in from the defaults): proof the forms were found.
            var fieldsOnPages = Set<String>()
            // A proposal for the review routes to act on.
            let proposal = try await HostileBed.send(client, bed, .post, "/propose", as: nil,
                                                     form: HostileBed.defaults.filter { !HostileBed.onlyWhereShown.contains($0.key) }, n: 0)
            #expect(proposal.status == .seeOther || proposal.status == .ok, "\(proposal.status)")
            // And a report on CARIN, for its focal point's own review routes (`/networks/carin/proposals/2`).
            let report = try await HostileBed.send(client, bed, .post, "/networks/carin/report", as: nil,
                                                   form: ["report": "Italy left the network.", "source": "https://example.org/probe"], n: 0)
            #expect(report.status == .seeOther, "\(report.status)")
            #expect(try await bed.store.proposals(pendingOnly: true).count == 2)
            // Statuses CARIN's focal point got on its own review routes: the form was read, not refused unseen.
            var focalPointAnswers: [Int] = []
            for route in bed.routes.sorted() where route.hasPrefix("POST ") {
                let path = HostileBed.concrete(String(route.dropFirst(5)))
                for who in HostileBed.Who.allCases {
                    // The page that shows the route's form, read as this person: its fields and their values.
                    let form = try await HostileBed.send(client, bed, .get, HostileBed.formPage(of: path), as: people[who], n: sent)
                    sent += 1
                    var baseline = path.hasPrefix("/api/") ? ["name": "", "acronym": ""] : HostileBed.fields(in: form.page)
                    fieldsOnPages.formUnion(baseline.keys)
                    for (name, value) in HostileBed.defaults where (baseline[name] ?? "").isEmpty
                        && (baseline[name] != nil || !HostileBed.onlyWhereShown.contains(name)) { baseline[name] = value }
                    fieldsSeen.formUnion(baseline.keys)
                    // Of the fields of a list (the members form's rows), the first row's: the others are read alike.
                    let names = baseline.keys.sorted().filter { $0 != "csrf_token" && HostileBed.isFirstOfList($0) }
                    for name in names {
                        // Roles the route refuses get one of the values (the form is read before the refusal); the
                        // administrator, who may do everything, and the visitor, who may do least, get them all.
                        // So does CARIN's focal point on the surveys' routes: the only one whose answer is read whole.
                        let values = (who == .visitor || who == .administrator || (who == .focalPoint && path.hasPrefix("/surveys/")))
                            ? Self.values : Array(Self.values.prefix(1))
                        for value in values {
                            var fields = baseline
                            fields[name] = value
                            let response = try await HostileBed.send(client, bed, .post, path, as: people[who], form: fields, n: sent)
                            sent += 1
                            if let fault = Self.fault(response, "\(route) \(name) as \(who)") { faults.append(fault) }
                            if who == .focalPoint && route.hasPrefix("POST /networks/{slug}/proposals/") {
                                focalPointAnswers.append(Int(response.status.code))
                            }
                        }
                    }
                }
            }
            #expect(faults.isEmpty, "\(faults.count) faults, the first: \(faults.prefix(5))")
            #expect(!focalPointAnswers.isEmpty && !focalPointAnswers.contains(404) && !focalPointAnswers.contains(403),
                    "the focal point reached its own review routes: \(Set(focalPointAnswers))")
            // The forms were reached: the fields of the edit, members, proposal, account and invitation forms were all sent.
            for field in ["name", "stated_member_count", "purpose_en", "references", "party_0", "members", "proposer_email", "new_email",
                          "display_name", "decision_reason", "email", "reason"] {
                #expect(fieldsSeen.contains(field), "\(field) was never sent")
            }
            // The newer forms were found on their pages: the one-box report, the contact form, the edit form's new fields, the
            // correction of one's own directory entry.
            for field in ["report", "subject", "message", "function", "open_membership", "proposer_email", "stated_member_count", "phones",
                          "urgent_phone", "languages", "answer-q13", "revision", "choices", "people", "results_visibility", "introduction_en",
                          "answer-q5", "answer-q7", "closes", "audience", "condition", "name_fr", "name_fr_translated", "purpose_fr_translated"] {
                #expect(fieldsOnPages.contains(field), "\(field) was on no form page")
            }

            // What the accepted input became: the feeds and the mail.
            for feed in ["/changes.atom", "/networks/carin/changes.atom"] {
                let response = try await HostileBed.send(client, bed, .get, feed, as: nil, n: sent)
                #expect(Self.fault(response, feed) == nil)
                let parser = XMLParser(data: Data(response.body.readableBytesView))
                #expect(parser.parse(), "\(feed) is well-formed XML: \(String(describing: parser.parserError))")
            }
            let messages = try await bed.mail()
            #expect(!messages.isEmpty, "some of the input was mailed (proposals, invitations, address changes)")
            for message in messages {
                let head = message.components(separatedBy: "\r\n\r\n").first ?? ""
                let lines = head.components(separatedBy: "\r\n")
                #expect(Self.rawInput(in: Array(head.utf8)) == nil, "a mail header holds raw input: \(head)")
                #expect(lines.allSatisfy { $0.range(of: #"^[A-Za-z-]+: "#, options: .regularExpression) != nil }, "\(head)")
                #expect(Set(lines.map { $0.prefix { $0 != ":" } }) == ["From", "To", "Subject", "Date", "Message-ID", "Content-Language",
                                                                        "MIME-Version", "Content-Type", "Content-Transfer-Encoding"], "\(head)")
            }
        }
    }
}

/// Requests as each kind of person, each with a session of its own (a request that ends sessions spoils no other).
enum HostileBed {
    enum Who: String, CaseIterable, CustomStringConvertible {
        case visitor, practitioner, focalPoint, editor, administrator
        var description: String { rawValue }
    }

    static func people(_ bed: AccountBed) async throws -> [Who: Account] {
        var people: [Who: Account] = [:]
        for (who, role) in [(Who.practitioner, AccountRole.practitioner), (.focalPoint, .focalPoint), (.editor, .editor),
                            (.administrator, .administrator)] {
            people[who] = try await bed.account("hostile-\(who.rawValue.lowercased())@example.org", role: role,
                                                networks: role == .focalPoint ? ["carin"] : [],
                                                secondFactor: role.requiresSecondFactor ? "HostileKey0123456789" : nil)
        }
        // Account and proposal routes act on these: a target account, a pending proposal; and the administrator's own
        // entry in the directory (number 1), for the forms of `/account/directory`.
        _ = try await bed.account("hostile-target@example.org", role: .practitioner)
        _ = try await bed.directory.importFile("""
            kind,name,country,email,phone,networks,consent_basis
            contact-point,Hostile Administrator,ES,hostile-administrator@example.org,+34910000000,carin,public task
            """, source: "hostile.csv", actor: "test")
        // A meeting (number 1), for the forms of `/meetings/1`.
        var meeting = MeetingDraft()
        meeting.titleEN = "Hostile probe meeting"
        meeting.starts = "2027-03-18T09:30"
        meeting.ends = "2027-03-18T17:00"
        _ = try await bed.meetings.create(meeting, by: Principal(accountID: people[.editor]?.id, role: .editor, usesSecondFactor: true), actor: "test")
        // A list whose address is what the routes' `{slug}` becomes, for the forms of `/lists/carin`.
        _ = try await bed.lists.create(MailingList(slug: "carin", name: Bilingual(en: "Probe list"), summary: Bilingual(), audience: .anyone,
                                                   owner: "probe@example.org"),
                                       by: Principal(accountID: people[.editor]?.id, role: .editor, usesSecondFactor: true), actor: "test")
        // A document of the library (number 1) about CARIN, for the forms of `/library/1`.
        var document = DocumentDraft()
        document.titleEN = "Hostile probe document"
        document.networks = ["carin"]
        document.link = "https://example.org/probe.pdf"
        _ = try await bed.library.add(document, file: nil, translationOf: nil,
                                      by: Principal(accountID: people[.editor]?.id, role: .editor, usesSecondFactor: true), actor: "test")
        // A thread (number 1) in CARIN's space, for the forms of `/discussions/threads/1`.
        if let focal = people[.focalPoint] {
            _ = try await bed.discussions.startThread(in: "carin", title: "Hostile probe thread", body: "Probe.", by: focal.principal, account: focal)
        }
        // A survey (number 1), "Needs of the networks" sent to CARIN, for the forms of `/surveys/1` and CARIN's answer;
        // and another (number 2) to be closed, so that closing leaves the forms of the first open.
        let editor = Principal(accountID: people[.editor]?.id, role: .editor, usesSecondFactor: true)
        for _ in 1...2 {
            let survey = try await bed.surveys.create(.needsOfTheNetworks, by: editor, actor: "test")
            _ = try await bed.surveys.send(survey.id ?? 0, networks: .chosen(["carin"]), people: [], by: editor)
        }
        return people
    }

    /// A route's pattern with real values in place of its parameters.
    static func concrete(_ pattern: String) -> String {
        pattern.replacingOccurrences(of: "/admin/accounts/{id}", with: "/admin/accounts/5")
            // The second proposal is the report on CARIN (the first, a new network, is no focal point's).
            .replacingOccurrences(of: "/networks/{slug}/proposals/{id}", with: "/networks/carin/proposals/2")
            .replacingOccurrences(of: "/surveys/{id}/close", with: "/surveys/2/close")
            .replacingOccurrences(of: "{slug}", with: "carin").replacingOccurrences(of: "{code}", with: "ES")
            .replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{token}", with: "no-such-token")
            .replacingOccurrences(of: "{seq}", with: "1").replacingOccurrences(of: "{reference}", with: "no-such-reference")
            .replacingOccurrences(of: "{network}", with: "carin").replacingOccurrences(of: "{key}", with: "q5")
            .replacingOccurrences(of: "{file}", with: "networks.csv")
    }

    /// Whether a field is not a row of a list beyond the first (`party_3`; `party_0` is the first).
    static func isFirstOfList(_ name: String) -> Bool {
        guard let underscore = name.lastIndex(of: "_") else { return true }
        let number = name[name.index(after: underscore)...]
        return number.isEmpty || !number.allSatisfy(\.isNumber) || number == "0"
    }

    /// The page that shows the form a POST route takes.
    static func formPage(of path: String) -> String {
        if path.hasPrefix("/account/directory/") { return "/account/directory" }
        if path.hasPrefix("/account/") && !path.hasPrefix("/account/email/") && path != "/account/two-factor" { return "/account" }
        if path.hasPrefix("/admin/accounts/") { return "/admin/accounts" }
        if path.hasPrefix("/admin/proposals/") { return "/admin/proposals/1" }
        if path.hasPrefix("/networks/carin/proposals/") { return "/networks/carin/proposals/2" }
        if path.hasSuffix("/undo") || path.hasSuffix("/confirm") { return "/networks/carin/history" }
        for action in ["/erase", "/confirm", "/invite"] where path.hasPrefix("/directory/") && path.hasSuffix(action) {
            return String(path.dropLast(action.count))
        }
        if path.hasPrefix("/meetings/") && path.hasSuffix("/cancel") { return String(path.dropLast("/cancel".count)) }
        for action in ["/versions", "/withdraw"] where path.hasPrefix("/library/") && path.hasSuffix(action) { return String(path.dropLast(action.count)) }
        for action in ["/reply", "/follow", "/threads", "/moderate"] where path.hasPrefix("/discussions/") && path.hasSuffix(action) {
            return String(path.dropLast(action.count))
        }
        if path.hasPrefix("/discussions/posts/") { return "/discussions/threads/1" }
        if path == "/discussions/announce" { return "/discussions" }
        if path == "/surveys/new" { return "/surveys" }
        for action in ["/settings", "/sections", "/send", "/close"] where path.hasPrefix("/surveys/") && path.hasSuffix(action) {
            return String(path.dropLast(action.count))
        }
        if path.hasPrefix("/surveys/") && path.hasSuffix("/move") { return "/" + path.split(separator: "/").prefix(2).joined(separator: "/") }
        if path.hasPrefix("/lists/") && path.hasSuffix("/subscribe") { return String(path.dropLast("/subscribe".count)) }
        if path.hasPrefix("/meetings/") && path.hasSuffix("/invite") { return String(path.dropLast("/invite".count)) + "/invitations" }
        if path == "/sign-out" || path.hasPrefix("/api/") { return "/" }
        return path
    }

    /// Values for fields a form shows empty, so that the rest of the form is valid and the hostile field is read
    /// as far as it goes.
    /// Defaults given only to a form that shows the field (a report sent with a new network's proposal is refused).
    static let onlyWhereShown: Set<String> = ["report"]

    static let defaults: [String: String] = [
        "name": "Hostile Probe Network", "slug": "hostile-probe-network", "section": "european", "scope": "global", "status": "active",
        "source": "https://example.org/probe", "reason": "probe", "proposer_name": "Probe", "proposer_email": "probe@example.org",
        "email": "probe@example.org", "new_email": "probe2@example.org", "display_name": "Probe", "password": AccountBed.password,
        "password_again": AccountBed.password, "current_password": AccountBed.password, "new_password": "another-long-passphrase-1",
        "decision_reason": "probe", "members": "observer: Italy", "role": "practitioner", "language": "fr", "step": "send",
        "party_0": "Italy", "role_0": "observer", "available_24_7": "yes", "confirm": "yes", "report": "Italy left the network.", "subject": "Probe", "message": "A probe message.",
        "title_en": "Probe meeting", "starts": "2027-03-18T09:30", "ends": "2027-03-18T17:00", "people": "Probe <probe@example.org>", "subject_en": "Probe", "body_en": "Probe.",
        "link": "https://example.org/probe.pdf", "title": "Probe thread", "body": "Probe.", "mode": "each", "action": "lock", "space": "",
    ]

    /// The fields of the forms of a page, with the values they show.
    static func fields(in page: String) -> [String: String] {
        var fields: [String: String] = [:]
        func unescape(_ text: String) -> String {
            text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
        func attribute(_ name: String, in tag: String) -> String? {
            guard let range = tag.range(of: " \(name)=\"[^\"]*\"", options: .regularExpression) else { return nil }
            return unescape(String(tag[range].dropFirst(name.count + 3).dropLast()))
        }
        func tags(_ pattern: String) -> [String] {
            var found: [String] = []
            var rest = page[...]
            while let range = rest.range(of: pattern, options: .regularExpression) {
                found.append(String(rest[range]))
                rest = rest[range.upperBound...]
            }
            return found
        }
        for tag in tags("<input [^>]*>") {
            guard let name = attribute("name", in: tag) else { continue }
            let type = attribute("type", in: tag) ?? "text"
            // A choice not ticked still names a field to probe (empty, unless another of its choices is ticked).
            if (type == "checkbox" || type == "radio") && !tag.contains(" checked") {
                if fields[name] == nil { fields[name] = "" }
                continue
            }
            fields[name] = attribute("value", in: tag) ?? ""
        }
        for block in tags("<textarea [^>]*>[^<]*</textarea>") {
            guard let name = attribute("name", in: block), let open = block.firstIndex(of: ">"), let close = block.range(of: "</textarea>") else { continue }
            fields[name] = unescape(String(block[block.index(after: open)..<close.lowerBound]))
        }
        for block in tags("<select [^>]*>(<option[^>]*>[^<]*</option>)*</select>") {
            guard let name = attribute("name", in: block) else { continue }
            let selected = block.range(of: "<option value=\"[^\"]*\" selected", options: .regularExpression).map { String(block[$0]) }
            fields[name] = selected.flatMap { attribute("value", in: $0) } ?? ""
        }
        return fields
    }

    static func send(_ client: any TestClientProtocol, _ bed: AccountBed, _ method: HTTPRequest.Method, _ uri: String, as account: Account?,
                     form: [String: String]? = nil, n: Int) async throws -> TestResponse {
        let (cookie, token) = try await bed.ownSession(account)
        let cookies = [cookie]
        // Each request from its own address: throttling answers 429, which is fine, but would hide the deeper paths.
        var headers: HTTPFields = [.cookie: cookies.joined(separator: "; "),
                                   HTTPField.Name("X-Forwarded-For")!: "10.\(n / 65536 % 256).\(n / 256 % 256).\(n % 256)"]
        var body: ByteBuffer?
        if method == .post {
            var fields = form ?? [:]
            fields["csrf_token"] = token
            if uri.hasPrefix("/api/") {
                headers[.contentType] = "application/json"
                let json = try JSONSerialization.data(withJSONObject: ["name": fields["name"] ?? "x", "acronym": fields["acronym"] ?? "x"])
                body = ByteBuffer(bytes: json)
            } else {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: fields.map { "\(HostileInputTests.percentEncoded($0.key))=\(HostileInputTests.percentEncoded($0.value))" }
                    .joined(separator: "&"))
            }
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body)
    }
}
