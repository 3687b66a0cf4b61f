import Foundation

/// Pieces of the text of mails that are not the templates' (those are `LiaisonServices/Resources/mail`).
public enum MailText {
    /// A date and time as a mail says it, in UTC: “15 January 2027 at 08:00 UTC”, « 15 janvier 2027 à 08:00 UTC ».
    public static func date(_ date: Date, _ language: Language) -> String {
        DateText.dateTime(date, language)
    }

    /// A network's name short enough for a subject line (names run to 300 characters; a subject to 200).
    public static func short(_ name: String) -> String {
        name.count <= 100 ? name : String(name.prefix(99)) + "…"
    }

    /// A text cut to at most `limit` characters, at a space where one is near, with "…" when it was cut.
    public static func excerpt(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit - 1)
        let atSpace = cut.lastIndex(where: \.isWhitespace).map { cut[..<$0] } ?? cut
        return String(atSpace.count >= limit / 2 ? atSpace : cut) + "…"
    }
}

extension VerificationReason {
    /// The reason in words, in a language.
    public func text(_ language: Language) -> String {
        switch (self, language) {
        case let (.linkFailing(url), .en): "the address \(url) has not answered properly for several checks in a row"
        case let (.linkFailing(url), .fr): "l’adresse \(url) ne répond plus correctement depuis plusieurs vérifications"
        case let (.notConfirmedSince(date), .en): "nobody has confirmed the entry since \(MailText.date(date, .en))"
        case let (.notConfirmedSince(date), .fr): "personne n’a confirmé la fiche depuis le \(MailText.date(date, .fr))"
        case (.neverConfirmed, .en): "nobody has confirmed the entry since it was taken from its source"
        case (.neverConfirmed, .fr): "personne n’a confirmé la fiche depuis sa reprise de la source"
        }
    }
}
