import Foundation
import Hummingbird
import LiaisonCore

/// Which language a page is in: `?lang=` first (remembered), `?in=` (this page only: a preview in the other language),
/// then the cookie the switcher sets, then `Accept-Language`.
extension Localizer {
    /// The strings of the language a request's page is in (without building the page's whole frame).
    static func of(_ request: Request) -> Localizer {
        forLanguage(LanguageNegotiation.choose(request).language)
    }
}

enum LanguageNegotiation {
    static let cookieName = "lang"

    struct Choice {
        let language: Language
        /// Set when `?lang=` chose the language: the response sets the cookie so the choice sticks.
        let remember: Bool
    }

    static func choose(_ request: Request) -> Choice {
        if let asked = request.queryFields["lang"].flatMap({ Language(rawValue: String($0).lowercased()) }) {
            return Choice(language: asked, remember: true)
        }
        if let once = request.queryFields["in"].flatMap({ Language(rawValue: String($0).lowercased()) }) {
            return Choice(language: once, remember: false)
        }
        let cookie = request.cookies[AccountMiddleware.cookieName(cookieName, secure: true)] ?? request.cookies[cookieName]
        if let cookie = cookie.flatMap({ Language(rawValue: $0.value) }) {
            return Choice(language: cookie, remember: false)
        }
        return Choice(language: fromAcceptLanguage(request.headers[.acceptLanguage] ?? ""), remember: false)
    }

    /// The best of English and French for an `Accept-Language` header (RFC 9110 quality values); English when neither.
    static func fromAcceptLanguage(_ header: String) -> Language {
        var best: (Language, Double)?
        for (tag, quality) in QualityValues.parse(header) {
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary), quality > 0 else { continue }
            if best == nil || quality > best!.1 { best = (language, quality) }
        }
        return best?.0 ?? .en
    }

    static func cookie(for language: Language, secure: Bool) -> Cookie {
        Cookie(name: AccountMiddleware.cookieName(cookieName, secure: secure), value: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", secure: secure, httpOnly: true,
               sameSite: .lax)
    }
}
