import Foundation

/// The survey Liaison ships ready: "Needs of the networks", from the questions of the 2017 report (section 3: "the
/// networks should be asked what further services and assistance they require", and the services of 3.1 and 3.2 —
/// the catalogue kept up to date, a knowledge-sharing platform, annual meetings, a mailing list, a secretariat).
/// An editor opens it as a new survey, adjusts it and sends it.
public enum NeedsOfTheNetworks {
    public static let title = Bilingual(en: "Needs of the networks", fr: "Besoins des réseaux")

    public static func survey(closesAt: Date, createdBy: String, createdAt: Date) -> Survey {
        Survey(title: title, introduction: introduction, questionnaire: questionnaire, closesAt: closesAt, resultsVisibility: .respondents,
               createdBy: createdBy, createdAt: createdAt)
    }

    static let introduction = Bilingual(
        en: "The networks fighting transnational organised crime were catalogued in 2017, and the report asked that they be asked what further services and assistance they require. One answer per network: any of its focal points may fill it in, save it and come back until the survey closes.",
        fr: "Les réseaux de lutte contre la criminalité organisée transnationale ont été recensés en 2017, et le rapport recommandait de leur demander de quels services et de quelle assistance supplémentaires ils ont besoin. Une réponse par réseau : chacun de ses points focaux peut la remplir, l’enregistrer et y revenir jusqu’à la clôture de l’enquête.")

    static let services: [SurveyChoice] = [
        SurveyChoice(key: "catalogue", label: Bilingual(en: "Keeping the catalogue of networks up to date",
                                                        fr: "La mise à jour du catalogue des réseaux")),
        SurveyChoice(key: "platform", label: Bilingual(en: "A knowledge-sharing platform open to all the networks",
                                                       fr: "Une plateforme de partage des connaissances ouverte à tous les réseaux")),
        SurveyChoice(key: "annual-meeting", label: Bilingual(en: "An annual meeting of the networks' leaders (in person or virtual)",
                                                             fr: "Une réunion annuelle des responsables des réseaux (en présentiel ou virtuelle)")),
        SurveyChoice(key: "mailing-list", label: Bilingual(en: "An electronic mailing list between the networks",
                                                           fr: "Une liste de diffusion électronique entre les réseaux")),
        SurveyChoice(key: "secretariat", label: Bilingual(en: "Secretarial support", fr: "Un soutien de secrétariat")),
        SurveyChoice(key: "funding", label: Bilingual(en: "Financial support", fr: "Un soutien financier")),
        SurveyChoice(key: "meetings", label: Bilingual(en: "Arranging meetings, virtual meetings and audio conferences",
                                                       fr: "L’organisation de réunions, de réunions virtuelles et de conférences téléphoniques")),
    ]

    static let questionnaire = Questionnaire(sections: [
        SurveySection(key: "s1", title: Bilingual(en: "Your network's entry in the catalogue", fr: "La fiche de votre réseau dans le catalogue"), questions: [
            SurveyQuestion(key: "q1", kind: .shortText, text: Bilingual(en: "What is your network's web site?", fr: "Quel est le site web de votre réseau ?"),
                           help: Bilingual(en: "Filled in from the catalogue: correct it if it has changed.",
                                           fr: "Repris du catalogue : corrigez-le s’il a changé."), fact: .website),
            SurveyQuestion(key: "q2", kind: .shortText, text: Bilingual(en: "Who hosts your network's secretariat?", fr: "Qui accueille le secrétariat de votre réseau ?"),
                           help: Bilingual(en: "Filled in from the catalogue: correct it if it has changed.",
                                           fr: "Repris du catalogue : corrigez-le s’il a changé."), fact: .secretariat),
            SurveyQuestion(key: "q3", kind: .countries, text: Bilingual(en: "Which states and organisations are members of your network?",
                                                                        fr: "Quels États et organisations sont membres de votre réseau ?"),
                           help: Bilingual(en: "Filled in from the catalogue: add or remove members if they have changed.",
                                           fr: "Repris du catalogue : ajoutez ou retirez des membres s’ils ont changé."), fact: .members),
            SurveyQuestion(key: "q4", kind: .scale, text: Bilingual(en: "How useful is the catalogue of international judicial networks to your network?",
                                                                    fr: "Quelle est l’utilité du catalogue des réseaux judiciaires internationaux pour votre réseau ?"),
                           required: true, scaleLabels: [Bilingual(en: "Not useful", fr: "Pas utile"), Bilingual(), Bilingual(), Bilingual(),
                                                         Bilingual(en: "Very useful", fr: "Très utile")]),
        ]),
        SurveySection(key: "s2", title: Bilingual(en: "Services your network needs", fr: "Les services dont votre réseau a besoin"), questions: [
            SurveyQuestion(key: "q5", kind: .multiple, text: Bilingual(en: "Which of these services would help your network?",
                                                                       fr: "Lesquels de ces services aideraient votre réseau ?"),
                           required: true, choices: services, other: true),
            SurveyQuestion(key: "q6", kind: .single, text: Bilingual(en: "Which one matters most to your network?",
                                                                     fr: "Lequel compte le plus pour votre réseau ?"),
                           choices: services, other: true),
            SurveyQuestion(key: "q7", kind: .single, text: Bilingual(en: "Would your network take part in an annual meeting of the networks' leaders?",
                                                                     fr: "Votre réseau participerait-il à une réunion annuelle des responsables des réseaux ?"),
                           required: true, choices: [
                               SurveyChoice(key: "in-person", label: Bilingual(en: "Yes, in person", fr: "Oui, en présentiel")),
                               SurveyChoice(key: "virtual", label: Bilingual(en: "Yes, if it is virtual", fr: "Oui, si elle est virtuelle")),
                               SurveyChoice(key: "no", label: Bilingual(en: "No", fr: "Non")),
                               SurveyChoice(key: "unsure", label: Bilingual(en: "We do not know yet", fr: "Nous ne savons pas encore")),
                           ]),
            SurveyQuestion(key: "q8", kind: .longText, text: Bilingual(en: "What would make it possible for your network to take part?",
                                                                       fr: "Qu’est-ce qui permettrait à votre réseau d’y participer ?"),
                           condition: SurveyCondition(question: "q7", values: ["no", "unsure"])),
            SurveyQuestion(key: "q9", kind: .number, text: Bilingual(en: "How many people work for your network's secretariat?",
                                                                     fr: "Combien de personnes travaillent pour le secrétariat de votre réseau ?")),
        ]),
        SurveySection(key: "s3", title: Bilingual(en: "Working with other networks", fr: "Travailler avec les autres réseaux"), questions: [
            SurveyQuestion(key: "q10", kind: .single, text: Bilingual(en: "Has your network a memorandum of understanding or another agreement with other networks?",
                                                                      fr: "Votre réseau a-t-il un protocole d’accord ou un autre accord avec d’autres réseaux ?"),
                           choices: [SurveyChoice(key: "yes", label: Bilingual(en: "Yes", fr: "Oui")),
                                     SurveyChoice(key: "no", label: Bilingual(en: "No", fr: "Non"))]),
            SurveyQuestion(key: "q11", kind: .networks, text: Bilingual(en: "With which networks?", fr: "Avec quels réseaux ?"),
                           condition: SurveyCondition(question: "q10", values: ["yes"])),
            SurveyQuestion(key: "q12", kind: .date, text: Bilingual(en: "When did your network last meet its members?",
                                                                    fr: "Quand votre réseau a-t-il réuni ses membres pour la dernière fois ?")),
            SurveyQuestion(key: "q13", kind: .longText, text: Bilingual(en: "What further services and assistance does your network require?",
                                                                        fr: "De quels services et de quelle assistance supplémentaires votre réseau a-t-il besoin ?"),
                           help: Bilingual(en: "The report's own question: the possibilities of assistance are endless.",
                                           fr: "La question du rapport lui-même : les possibilités d’assistance sont infinies.")),
        ]),
    ])
}
