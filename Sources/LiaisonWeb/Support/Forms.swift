import Foundation
import Hummingbird
import LiaisonCore
import LiaisonStore

/// What the account pages share: reading a form, the errors shown next to its fields, redirects and cookies.
struct Form: Sendable {
    let fields: [String: String]
    /// The documents uploaded with it.
    var files: [String: UploadedFile] = [:]

    /// The request's form: as `AccountMiddleware` read it when it checked the token, else read now.
    static func read(_ request: Request, _ context: AppRequestContext) async throws -> Form {
        if let form = context.formFields { return Form(fields: form.fields, files: form.files) }
        var request = request
        let form = try await FormFields.read(&request, contributes: Policy.allows(context.principal, .contributeDocuments))
        return Form(fields: form.fields, files: form.files)
    }

    /// A field's text, trimmed of surrounding spaces ("" when absent).
    func text(_ name: FieldName) -> String {
        text(named: name.rawValue)
    }

    func text(named name: String) -> String {
        (fields[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A field as typed (passwords are not trimmed).
    func raw(_ name: FieldName) -> String {
        fields[name.rawValue] ?? ""
    }

    /// A list field: one value a line, or separated by commas or spaces.
    func list(_ name: FieldName) -> [String] {
        raw(name).split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
    }
}

/// The errors of a form: one message for the page and, when the error names a field, the same message beside it.
struct FormErrors {
    var summary: String?
    var email: String?
    var password: String?
    var passwordAgain: String?
    var currentPassword: String?
    var newPassword: String?
    var newEmail: String?
    var code: String?
    var displayName: String?
    var role: String?
    var networks: String?

    static let none = FormErrors()

    /// The message of an error, put beside the field it names.
    init(_ error: (any Error)? = nil, t: Localizer? = nil) {
        guard let error else { return }
        let message = Self.message(error, t: t)
        summary = message
        let field = (error as? InputError)?.field
        switch field == "to" ? .email : field.flatMap(FieldName.init(rawValue:)) {
        case .email: email = message
        case .password: password = message
        case .passwordAgain: passwordAgain = message
        case .currentPassword: currentPassword = message
        case .newPassword: newPassword = message
        case .newEmail: newEmail = message
        case .code: code = message
        case .displayName: displayName = message
        case .role: role = message
        case .networks: networks = message
        default: break
        }
    }

    static func message(_ error: any Error, t: Localizer?) -> String {
        switch error {
        case let error as AccountError:
            guard let t else { return error.description }
            return switch error {
            case .wrongCredentials: t["account_error.wrong_credentials"]
            case .wrongCode: t["account_error.wrong_code"]
            case let .throttled(until):
                t.count("account_error.throttled", AccountError.minutesLeft(until: until))
            case .linkUnknown: t["account_error.link_unknown"]
            case .linkUsed: t["account_error.link_used"]
            case .linkExpired: t["account_error.link_expired"]
            }
        case let error as InputError: return error.description
        default: return t?["error_500_message"] ?? "Something went wrong."
        }
    }

    /// Errors a person can act on are shown in the form; any other error goes up to the error page.
    static func isShown(_ error: any Error) -> Bool {
        error is AccountError || error is InputError
    }

    /// 429 for throttling, 400 for the rest.
    static func status(_ error: any Error) -> HTTPResponse.Status {
        if case .throttled = error as? AccountError { return .tooManyRequests }
        return .badRequest
    }
}

extension Response {
    static func redirect(_ location: String, cookie: Cookie? = nil) -> Response {
        var headers: HTTPFields = [.location: location]
        if let cookie { headers[.setCookie] = cookie.description }
        return Response(status: .seeOther, headers: headers)
    }
}

/// A page of this site to return to after signing in: a path of this site only — printable ASCII without spaces or
/// backslashes (a browser drops tabs and line breaks from a `Location`, which would turn `/\t/evil.example` into
/// `//evil.example`), not starting with `//`.
func localPath(_ text: String?) -> String? {
    guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), text.utf8.count <= 500,
          text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" })
    else { return nil }
    return text
}
