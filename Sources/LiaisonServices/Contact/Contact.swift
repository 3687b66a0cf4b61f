import Foundation
import LiaisonCore
import LiaisonStore

/// Writing to the platform's secretariat: a message from anyone, queued by mail to the address the operator set
/// (`--contact-email`), at most five an hour from one client address. The message is not kept anywhere else.
public struct Contact: Sendable {
    let store: CatalogueStore
    /// Nil when the operator set no address: there is no form then.
    public let settings: ContactSettings?
    let mail: MailTemplates
    let now: @Sendable () -> Date

    /// The secretariat's address, shown on `/about`, `/contact` and error pages.
    public var address: String? { settings?.address }

    /// Checks and queues a message; `ContactRefused` names every field that breaks a rule, `AccountError.throttled`
    /// says when the client may write again.
    public func send(name: String, email: String, subject: String, message: String, language: Language, clientAddress: String) async throws {
        guard let settings else { throw InputError.invalidValue(field: "contact", value: "", rule: "no address of the secretariat is set") }
        var problems = ProblemList()
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let subject = subject.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        problems.check { try TextRules.checkLine(name, field: "name", limit: 120) }
        let replyTo = problems.check { try Account.normalisedEmail(email, field: "email") }
        problems.require(!subject.isEmpty, .missingField(field: "subject"))
        problems.check { try TextRules.checkLine(subject, field: "subject", limit: 200) }
        problems.require(!text.isEmpty, .missingField(field: "message"))
        problems.check { try TextRules.checkText(text, field: "message", limit: 5_000) }
        guard problems.errors.isEmpty, let replyTo else { throw ContactRefused(errors: problems.errors) }
        let queued = try mail.contactMessage(to: settings.address, language: settings.language, name: name, email: replyTo, subject: subject,
                                             text: text, writtenIn: language)
        try await store.queueContactMessage(queued, address: clientAddress, at: now())
    }
}

/// Every field of a contact message that breaks a rule.
public struct ContactRefused: Error, Sendable {
    public let errors: [InputError]

    public func error(for field: String) -> InputError? { errors.first { $0.field == field } }
}
