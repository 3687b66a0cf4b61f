import Foundation
import LiaisonCore
import Mustache

/// The mails Liaison writes, one Mustache template per mail and language in `Resources/mail` (`invitation.en.mustache`):
/// the first line is the subject, then an empty line, then the body, as plain text (nothing is escaped: a mail is
/// not markup; its subject is folded and encoded by `MailMessage`). Every template is loaded and checked at start.
public struct MailTemplates: Sendable {
    /// Every mail; each has a template in each language.
    public enum Mail: String, CaseIterable, Sendable {
        case invitation
        case passwordReset = "password-reset"
        case confirmAddress = "confirm-address"
        case addressChanged = "address-changed"
        case verificationReminder = "verification-reminder"
        case proposalDecided = "proposal-decided"
        case proposalReceived = "proposal-received"
        case contactMessage = "contact-message"
        case directoryReminder = "directory-reminder"
        case meetingInvitation = "meeting-invitation"
        case meetingPlace = "meeting-place"
        case meetingChanged = "meeting-changed"
        case listConfirm = "list-confirm"
        case listMessage = "list-message"
        case listSuspended = "list-suspended"
        case discussionPost = "discussion-post"
        case discussionRefused = "discussion-refused"
        case discussionDigest = "discussion-digest"
        case surveyInvitation = "survey-invitation"
        case surveyReminder = "survey-reminder"
    }

    private let templates: [String: MustacheTemplate]

    /// The folder of the templates in the build.
    static var directory: URL? { Bundle.module.resourceURL?.appendingPathComponent("mail") }

    /// The templates of the build.
    public static func load() throws -> MailTemplates {
        guard let directory else { throw TemplateError(file: "mail", reason: "the mail templates are missing from the build") }
        return try MailTemplates(directory: directory)
    }

    init(directory: URL) throws {
        var templates: [String: MustacheTemplate] = [:]
        for mail in Mail.allCases {
            for language in Language.allCases {
                let name = "\(mail.rawValue).\(language.rawValue)"
                let file = directory.appendingPathComponent(name + ".mustache")
                guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                    throw TemplateError(file: "mail/\(name).mustache", reason: "is missing: every mail has a template in each language")
                }
                guard let blank = text.range(of: "\n\n"), !text[..<blank.lowerBound].contains("\n"), blank.lowerBound > text.startIndex else {
                    throw TemplateError(file: "mail/\(name).mustache", reason: "must start with the subject line, then an empty line, then the body")
                }
                do {
                    templates[name] = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT }}" + text)
                } catch {
                    throw TemplateError(file: "mail/\(name).mustache", reason: "is not a valid template: \(error)")
                }
            }
        }
        self.templates = templates
    }

    /// The mail rendered in `language` with `values`, addressed to `to`.
    func message(_ mail: Mail, to: String, language: Language, _ values: [String: Any]) throws -> MailMessage {
        let name = "\(mail.rawValue).\(language.rawValue)"
        guard let template = templates[name] else { throw TemplateError(file: "mail/\(name).mustache", reason: "is not loaded") }
        let rendered = template.render(values)
        guard let blank = rendered.range(of: "\n\n") else {
            throw TemplateError(file: "mail/\(name).mustache", reason: "rendered without a subject line")
        }
        let body = rendered[blank.upperBound...]
        return try MailMessage(to: to, subject: String(rendered[..<blank.lowerBound]),
                               text: String(body.hasSuffix("\n") ? body.dropLast() : body), language: language)
    }
}

extension MailTemplates {
    /// An invitation to join the platform in a role, for some networks.
    public func invitation(to: String, language: Language, role: AccountRole, networks: [String], link: String,
                           expires: Date, invitedBy: String?) throws -> MailMessage {
        var values: [String: Any] = ["role": role.label(language), "networks": networks, "hasNetworks": !networks.isEmpty, "link": link,
                                     "expires": MailText.date(expires, language)]
        values["invitedBy"] = invitedBy
        return try message(.invitation, to: to, language: language, values)
    }

    /// A link to choose a new password, after someone asked for it with this address.
    public func passwordReset(to: String, language: Language, link: String, expires: Date) throws -> MailMessage {
        try message(.passwordReset, to: to, language: language, ["link": link, "expires": MailText.date(expires, language)])
    }

    /// To the new address: confirm that it is yours.
    public func confirmAddress(to: String, language: Language, link: String, expires: Date) throws -> MailMessage {
        try message(.confirmAddress, to: to, language: language, ["link": link, "expires": MailText.date(expires, language)])
    }

    /// To the old address, once the change is done: so that a stolen session cannot change it unseen.
    public func addressChanged(to: String, language: Language, newAddress: String) throws -> MailMessage {
        try message(.addressChanged, to: to, language: language, ["newAddress": newAddress])
    }

    /// To a focal point: the entry of their network needs a look; one click says it is still correct.
    public func verificationReminder(to: String, language: Language, network: String, reasons: [String], entry: String,
                                     link: String, expires: Date) throws -> MailMessage {
        try message(.verificationReminder, to: to, language: language, [
            "network": network, "shortNetwork": MailText.short(network), "reasons": reasons, "entry": entry, "link": link,
            "expires": MailText.date(expires, language),
        ])
    }

    /// To a focal point: an entry of their network's contact points is due for confirmation. The mail names the
    /// entry by its number only: nothing of the person travels in it.
    public func directoryReminder(to: String, language: Language, network: String, number: Int64, months: Int, link: String) throws -> MailMessage {
        try message(.directoryReminder, to: to, language: language, ["network": network, "number": number, "months": months, "link": link])
    }

    /// An invitation to a meeting: what, when, where, and the two one-click answers (`reminder`: again, to someone who
    /// has not answered).
    public func meetingInvitation(to: String, language: Language, name: String, network: String?, title: String, when: String, place: String,
                                  accept: String, decline: String, page: String, reminder: Bool = false) throws -> MailMessage {
        var values: [String: Any] = ["name": name, "title": title, "shortTitle": MailText.short(title), "when": when, "place": place,
                                     "accept": accept, "decline": decline, "page": page, "reminder": reminder]
        values["network"] = network
        return try message(.meetingInvitation, to: to, language: language, values)
    }

    /// After an answer of yes, or on moving up from the waiting list: a place (with the videoconference link, if
    /// any), or a place on the waiting list; with the link to withdraw. `soon`: a reminder before the meeting, saying when.
    public func meetingPlace(to: String, language: Language, name: String, title: String, when: String, place: String, registered: Bool,
                             movedUp: Bool, conference: String?, withdraw: String, page: String, soon: String? = nil) throws -> MailMessage {
        var values: [String: Any] = ["name": name, "title": title, "shortTitle": MailText.short(title), "when": when, "place": place,
                                     "registered": registered, "movedUp": movedUp, "withdraw": withdraw, "page": page]
        values["conference"] = conference
        values["soon"] = soon
        return try message(.meetingPlace, to: to, language: language, values)
    }

    /// To those invited to a meeting that moved or was cancelled: the meeting as it is now.
    public func meetingChanged(to: String, language: Language, name: String, title: String, when: String, place: String, cancelled: Bool,
                               page: String) throws -> MailMessage {
        try message(.meetingChanged, to: to, language: language, ["name": name, "title": title, "shortTitle": MailText.short(title), "when": when,
                                                                  "place": place, "cancelled": cancelled, "page": page])
    }

    /// Double opt-in: the link that confirms a subscription.
    public func listConfirm(to: String, language: Language, list: String, link: String) throws -> MailMessage {
        try message(.listConfirm, to: to, language: language, ["list": list, "shortList": MailText.short(list), "link": link])
    }

    /// A list's message: its text, then how to leave the list and where its archive is.
    public func listMessage(to: String, language: Language, list: String, subject: String, text: String, unsubscribe: String,
                            archive: String) throws -> MailMessage {
        try message(.listMessage, to: to, language: language, ["list": list, "subject": subject, "text": text, "unsubscribe": unsubscribe,
                                                               "archive": archive])
    }

    /// To a list's owner: an address bounced so often that its subscription is suspended. `subscribed`: the list is one
    /// people subscribe to (else its roles define it).
    public func listSuspended(to: String, language: Language, list: String, address: String, bounces: Int, status: String,
                              diagnostic: String?, subscribed: Bool, link: String) throws -> MailMessage {
        var values: [String: Any] = ["list": list, "shortList": MailText.short(list), "address": address, "bounces": bounces, "status": status,
                                     "subscribed": subscribed, "link": link]
        values["diagnostic"] = diagnostic
        return try message(.listSuspended, to: to, language: language, values)
    }

    /// To a follower of a thread or space: a new message, its text, how to answer by mail or on the site, and how to
    /// stop (`followsSpace`: on the space's page, `spaceLink`).
    public func discussionPost(to: String, language: Language, space: String, thread: String, author: String, text: String, link: String,
                               followsSpace: Bool, spaceLink: String) throws -> MailMessage {
        try message(.discussionPost, to: to, language: language, ["space": space, "shortSpace": MailText.short(space), "thread": thread, "shortThread": MailText.short(thread),
                                                                   "author": author, "text": text, "link": link, "followsSpace": followsSpace,
                                                                   "spaceLink": spaceLink])
    }

    /// A follower's daily digest: the new messages of what they follow, thread by thread.
    public func discussionDigest(to: String, language: Language, name: String, count: Int, threads: [[String: Any]]) throws -> MailMessage {
        try message(.discussionDigest, to: to, language: language, ["name": name, "count": count, "threads": threads])
    }

    /// To a focal point (or a person named): their network is asked to answer a survey, by when, and where.
    public func surveyInvitation(to: String, language: Language, name: String, network: String, title: String, introduction: String,
                                 closes: String, link: String) throws -> MailMessage {
        try message(.surveyInvitation, to: to, language: language, ["name": name, "network": network, "title": title, "shortTitle": MailText.short(title),
                                                                   "introduction": introduction, "closes": closes, "link": link])
    }

    /// To the same, before the survey closes, when their network has not sent its answer (`draft`: one is saved).
    public func surveyReminder(to: String, language: Language, name: String, network: String, title: String, closes: String, draft: Bool,
                               link: String) throws -> MailMessage {
        try message(.surveyReminder, to: to, language: language, ["name": name, "network": network, "title": title, "shortTitle": MailText.short(title),
                                                                 "closes": closes, "draft": draft, "link": link])
    }

    /// To the sender of a message `liaison mail receive` did not post: why.
    public func discussionRefused(to: String, language: Language, subject: String, reason: String, link: String) throws -> MailMessage {
        try message(.discussionRefused, to: to, language: language, ["subject": subject, "reason": reason, "link": link])
    }

    /// To whoever proposed something: what the secretariat decided, and why.
    /// `byNetwork`: a focal point of the network decided, not the platform's secretariat.
    public func proposalDecided(to: String, language: Language, accepted: Bool, network: String, reason: String?, link: String,
                                byNetwork: Bool = false) throws -> MailMessage {
        var values: [String: Any] = ["accepted": accepted, "network": network, "shortNetwork": MailText.short(network), "link": link,
                                     "byNetwork": byNetwork]
        values["reason"] = reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        return try message(.proposalDecided, to: to, language: language, values)
    }

    /// To a focal point of the network and to the editors: a proposal awaits review.
    public func proposalReceived(to: String, language: Language, network: String, isNew: Bool, report: String?, link: String) throws
        -> MailMessage
    {
        var values: [String: Any] = ["network": network, "shortNetwork": MailText.short(network), "isNew": isNew, "link": link]
        values["report"] = report.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        return try message(.proposalReceived, to: to, language: language, values)
    }

    /// To the secretariat: a message sent through `/contact`, in the secretariat's language.
    public func contactMessage(to: String, language: Language, name: String, email: String, subject: String, text: String,
                               writtenIn: Language) throws -> MailMessage {
        var values: [String: Any] = ["email": email, "subject": subject, "message": text, "writtenIn": writtenIn.label(language)]
        values["name"] = name.isEmpty ? nil : name
        return try message(.contactMessage, to: to, language: language, values)
    }
}
