import Foundation
import Hummingbird
import LiaisonCore
import LiaisonServices

/// `/contact`: a message to the platform's secretariat, sent by mail to the address the operator set.
struct ContactPages {
    let contact: Contact
    let pages: SignInPages

    func addRoutes(to routes: Routes) {
        routes.get("/contact", needs: .anyone, use: contactForm)
        routes.post("/contact", needs: .anyone, use: sendMessage)
    }

    /// GET /contact
    func contactForm(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        render(request, context, ContactPage(contact: contact.address, fields: nil, refused: nil, sent: false, t: Localizer.of(request)))
    }

    /// POST /contact
    func sendMessage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await Form.read(request, context)
        let t = Localizer.of(request)
        // A program that fills the hidden field is told what a person is told; nothing is sent.
        guard form.text(.homepage).isEmpty else { return render(request, context, ContactPage(contact: contact.address, fields: nil, refused: nil, sent: true, t: t)) }
        do {
            try await contact.send(name: form.raw(.name), email: form.text(.email), subject: form.raw(.subject), message: form.raw(.message),
                                   language: t.language, clientAddress: context.clientAddress)
            return render(request, context, ContactPage(contact: contact.address, fields: nil, refused: nil, sent: true, t: t))
        } catch let refused as ContactRefused {
            return render(request, context, ContactPage(contact: contact.address, fields: form, refused: refused, sent: false, t: t), status: .badRequest)
        } catch let error as AccountError {
            return render(request, context, ContactPage(contact: contact.address, fields: form, refused: nil, sent: false, t: t,
                                                        throttled: FormErrors.message(error, t: t)), status: .tooManyRequests)
        }
    }

    func render(_ request: Request, _ context: AppRequestContext, _ page: ContactPage, status: HTTPResponse.Status = .ok) -> Response {
        pages.render(request, context, "contact", page, forms: true, status: status) { $0["contact_title"] }
    }
}

struct ContactPage {
    let contact: String?
    let sent: Bool
    let showForm: Bool
    let problem: String?
    let name: String
    let email: String
    let subject: String
    let message: String
    let emailError: String?
    let subjectError: String?
    let messageError: String?
    let nameError: String?
    let honeypot = ProposalPages.honeypot

    init(contact: String?, fields: Form?, refused: ContactRefused?, sent: Bool, t: Localizer, throttled: String? = nil) {
        self.contact = contact
        self.sent = sent
        showForm = contact != nil && !sent
        problem = throttled ?? (refused == nil ? nil : t["contact_refused"])
        name = fields?.raw(.name) ?? ""
        email = fields?.raw(.email) ?? ""
        subject = fields?.raw(.subject) ?? ""
        message = fields?.raw(.message) ?? ""
        emailError = refused?.error(for: "email")?.description
        subjectError = refused?.error(for: "subject")?.description
        messageError = refused?.error(for: "message")?.description
        nameError = refused?.error(for: "name")?.description
    }
}
