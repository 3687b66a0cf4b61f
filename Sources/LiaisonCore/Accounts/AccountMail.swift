import Foundation

/// The mails about accounts, in the recipient's language (English or French), as plain text.
public enum AccountMail {
    /// An invitation to join the platform in a role, for some networks.
    public static func invitation(to: String, language: Language, role: AccountRole, networks: [String], link: String,
                                  expires: Date, invitedBy: String?) throws -> MailMessage {
        let when = date(expires, language)
        let roleName = role.label(language)
        let list = networks.isEmpty ? "" : networks.map { "  - \($0)" }.joined(separator: "\n") + "\n\n"
        switch language {
        case .en:
            return try MailMessage(to: to, subject: "Invitation to Liaison, the platform of international judicial networks", text: """
                Hello,

                \(invitedBy.map { "\($0) invites you" } ?? "You are invited") to join Liaison as \(roleName)\(networks.isEmpty ? "." : ", for:")
                \(networks.isEmpty ? "\n" : "\n" + list)To accept, choose your password at this address (it works once, until \(when)):

                \(link)

                If you did not expect this invitation, ignore this message: nothing happens without you.

                — Liaison, the platform of international judicial networks
                """, language: language)
        case .fr:
            return try MailMessage(to: to, subject: "Invitation à Liaison, la plateforme des réseaux judiciaires internationaux", text: """
                Bonjour,

                \(invitedBy.map { "\($0) vous invite" } ?? "Vous êtes invité") à rejoindre Liaison en tant que \(roleName)\(networks.isEmpty ? "." : ", pour :")
                \(networks.isEmpty ? "\n" : "\n" + list)Pour accepter, choisissez votre mot de passe à cette adresse (valable une fois, jusqu’au \(when)) :

                \(link)

                Si vous n’attendiez pas cette invitation, ignorez ce message : rien ne se fait sans vous.

                — Liaison, la plateforme des réseaux judiciaires internationaux
                """, language: language)
        }
    }

    /// A link to choose a new password, after someone asked for it with this address.
    public static func passwordReset(to: String, language: Language, link: String, expires: Date) throws -> MailMessage {
        let when = date(expires, language)
        switch language {
        case .en:
            return try MailMessage(to: to, subject: "Choose a new Liaison password", text: """
                Hello,

                Someone asked to reset the password of the Liaison account of this address. To choose a new password,
                open this address (it works once, until \(when)):

                \(link)

                If it was not you, ignore this message: your password stays as it is.

                — Liaison
                """, language: language)
        case .fr:
            return try MailMessage(to: to, subject: "Choisir un nouveau mot de passe Liaison", text: """
                Bonjour,

                Quelqu’un a demandé à réinitialiser le mot de passe du compte Liaison de cette adresse. Pour choisir un
                nouveau mot de passe, ouvrez cette adresse (valable une fois, jusqu’au \(when)) :

                \(link)

                Si ce n’était pas vous, ignorez ce message : votre mot de passe reste inchangé.

                — Liaison
                """, language: language)
        }
    }

    /// To the new address: confirm that it is yours.
    public static func confirmAddress(to: String, language: Language, link: String, expires: Date) throws -> MailMessage {
        let when = date(expires, language)
        switch language {
        case .en:
            return try MailMessage(to: to, subject: "Confirm your new Liaison address", text: """
                Hello,

                To use this address for your Liaison account, open this address (it works once, until \(when)):

                \(link)

                If you did not ask for this, ignore this message.

                — Liaison
                """, language: language)
        case .fr:
            return try MailMessage(to: to, subject: "Confirmez votre nouvelle adresse Liaison", text: """
                Bonjour,

                Pour utiliser cette adresse pour votre compte Liaison, ouvrez cette adresse (valable une fois, jusqu’au \(when)) :

                \(link)

                Si vous n’avez rien demandé, ignorez ce message.

                — Liaison
                """, language: language)
        }
    }

    /// To the old address, once the change is done: so that a stolen session cannot change it unseen.
    public static func addressChanged(to: String, language: Language, newAddress: String) throws -> MailMessage {
        switch language {
        case .en:
            return try MailMessage(to: to, subject: "Your Liaison address was changed", text: """
                Hello,

                The Liaison account of this address now uses \(newAddress). If you did not do this, write to the
                platform's secretariat at once.

                — Liaison
                """, language: language)
        case .fr:
            return try MailMessage(to: to, subject: "Votre adresse Liaison a été modifiée", text: """
                Bonjour,

                Le compte Liaison de cette adresse utilise désormais \(newAddress). Si ce n’est pas vous, écrivez tout de
                suite au secrétariat de la plateforme.

                — Liaison
                """, language: language)
        }
    }

    /// A network's name short enough for a subject line (names run to 300 characters; a subject to 200).
    static func short(_ name: String) -> String {
        name.count <= 100 ? name : String(name.prefix(99)) + "…"
    }

    static func date(_ date: Date, _ language: Language) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = language == .fr ? "d MMMM yyyy 'à' HH:mm 'UTC'" : "d MMMM yyyy 'at' HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}

extension AccountMail {
    /// To a focal point: the entry of their network needs a look; one click says it is still correct.
    public static func verificationReminder(to: String, language: Language, network: String, reasons: [String], entry: String,
                                            link: String, expires: Date) throws -> MailMessage {
        let when = date(expires, language)
        let list = reasons.map { "  - \($0)" }.joined(separator: "\n")
        switch language {
        case .en:
            return try MailMessage(to: to, subject: "Is the entry of \(short(network)) still correct?", text: """
                Hello,

                You maintain the entry of \(network) in Liaison. It needs a look:

                \(list)

                The entry: \(entry)

                If it is still correct, say so with one click at this address (it works once, until \(when)):

                \(link)

                If something has changed, sign in and correct the entry, or write to the platform's secretariat.

                — Liaison
                """, language: language)
        case .fr:
            return try MailMessage(to: to, subject: "La fiche de \(short(network)) est-elle toujours exacte ?", text: """
                Bonjour,

                Vous tenez à jour la fiche de \(network) dans Liaison. Elle demande une vérification :

                \(list)

                La fiche : \(entry)

                Si elle est toujours exacte, indiquez-le d’un clic à cette adresse (valable une fois, jusqu’au \(when)) :

                \(link)

                Si quelque chose a changé, connectez-vous et corrigez la fiche, ou écrivez au secrétariat de la plateforme.

                — Liaison
                """, language: language)
        }
    }
}

extension VerificationReason {
    /// The reason in words, in a language.
    public func text(_ language: Language) -> String {
        switch (self, language) {
        case let (.linkFailing(url), .en): "the address \(url) has not answered properly for several checks in a row"
        case let (.linkFailing(url), .fr): "l’adresse \(url) ne répond plus correctement depuis plusieurs vérifications"
        case let (.notConfirmedSince(date), .en): "nobody has confirmed the entry since \(AccountMail.date(date, .en))"
        case let (.notConfirmedSince(date), .fr): "personne n’a confirmé la fiche depuis le \(AccountMail.date(date, .fr))"
        case (.neverConfirmed, .en): "nobody has confirmed the entry since it was taken from its source"
        case (.neverConfirmed, .fr): "personne n’a confirmé la fiche depuis sa reprise de la source"
        }
    }
}

extension AccountMail {
    /// To whoever proposed something: what the secretariat decided, and why.
    public static func proposalDecided(to: String, language: Language, accepted: Bool, network: String, reason: String?, link: String) throws
        -> MailMessage
    {
        let why = reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        switch language {
        case .en:
            return try MailMessage(to: to, subject: accepted ? "Your proposal for \(short(network)) is accepted" : "Your proposal for \(short(network))", text: """
                Hello,

                Thank you for your proposal about \(network). \(accepted ? "The platform's secretariat accepted it; the catalogue shows it now, crediting you:" : "The platform's secretariat did not accept it.")
                \(why.map { "\n\($0)\n" } ?? "")
                \(link)

                — Liaison
                """, language: language)
        case .fr:
            return try MailMessage(to: to, subject: accepted ? "Votre proposition pour \(short(network)) est acceptée" : "Votre proposition pour \(short(network))", text: """
                Bonjour,

                Merci de votre proposition concernant \(network). \(accepted ? "Le secrétariat de la plateforme l’a acceptée ; le catalogue la montre désormais, en vous citant :" : "Le secrétariat de la plateforme ne l’a pas retenue.")
                \(why.map { "\n\($0)\n" } ?? "")
                \(link)

                — Liaison
                """, language: language)
        }
    }
}
