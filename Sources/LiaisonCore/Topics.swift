import Foundation

/// The geographic reach of a network.
public enum Scope: String, Vocabulary {
    case global, europe
    case europeanUnion = "european-union"
    case councilOfEurope = "council-of-europe"
    case crossBorderRegion = "cross-border-region"
    case southEastEurope = "south-east-europe"
    case westernBalkans = "western-balkans"
    case euroMediterranean = "euro-mediterranean"
    case easternEuropeCentralAsia = "eastern-europe-central-asia"
    case africa
    case westAfrica = "west-africa"
    case greatLakes = "great-lakes"
    case indianOcean = "indian-ocean"
    case sahel, americas
    case iberoAmerica = "ibero-america"
    case asia
    case asiaPacific = "asia-pacific"
    case centralAsia = "central-asia"
    case eurasia
    case middleEastNorthAfrica = "middle-east-north-africa"
    case commonwealth
    case portugueseSpeaking = "portuguese-speaking"
    case g7, g8, g20

    public static let vocabularyName = "scope"

    public func label(_ language: Language) -> String {
        let labels: (String, String) = switch self {
        case .global: ("Global", "Mondial")
        case .europe: ("Europe", "Europe")
        case .europeanUnion: ("European Union", "Union européenne")
        case .councilOfEurope: ("Council of Europe", "Conseil de l’Europe")
        case .crossBorderRegion: ("Cross-border region", "Région transfrontalière")
        case .southEastEurope: ("South-East Europe", "Europe du Sud-Est")
        case .westernBalkans: ("Western Balkans", "Balkans occidentaux")
        case .euroMediterranean: ("Euro-Mediterranean", "Euro-méditerranéen")
        case .easternEuropeCentralAsia: ("Eastern Europe and Central Asia", "Europe orientale et Asie centrale")
        case .africa: ("Africa", "Afrique")
        case .westAfrica: ("West Africa", "Afrique de l’Ouest")
        case .greatLakes: ("Great Lakes region", "Région des Grands Lacs")
        case .indianOcean: ("Indian Ocean", "Océan Indien")
        case .sahel: ("Sahel", "Sahel")
        case .americas: ("Americas", "Amériques")
        case .iberoAmerica: ("Ibero-America", "Ibéro-Amérique")
        case .asia: ("Asia", "Asie")
        case .asiaPacific: ("Asia and the Pacific", "Asie et Pacifique")
        case .centralAsia: ("Central Asia", "Asie centrale")
        case .eurasia: ("Eurasia", "Eurasie")
        case .middleEastNorthAfrica: ("Middle East and North Africa", "Moyen-Orient et Afrique du Nord")
        case .commonwealth: ("Commonwealth", "Commonwealth")
        case .portugueseSpeaking: ("Portuguese-speaking countries", "Pays lusophones")
        case .g7: ("G7", "G7")
        case .g8: ("G8", "G8")
        case .g20: ("G20", "G20")
        }
        return language == .en ? labels.0 : labels.1
    }
}

/// Who the members of a network are.
public enum MemberType: String, Vocabulary {
    case judges, prosecutors
    case lawEnforcement = "law-enforcement"
    case centralAuthorities = "central-authorities"
    case ministriesOfJustice = "ministries-of-justice"
    case judicialCouncils = "judicial-councils"
    case judicialTrainingInstitutions = "judicial-training-institutions"
    case antiCorruptionAuthorities = "anti-corruption-authorities"
    case governments
    case internationalOrganisations = "international-organisations"
    case experts, lawyers

    public static let vocabularyName = "member_type"

    public func label(_ language: Language) -> String {
        let labels: (String, String) = switch self {
        case .judges: ("judges", "juges")
        case .prosecutors: ("prosecutors", "procureurs")
        case .lawEnforcement: ("law enforcement", "services répressifs")
        case .centralAuthorities: ("central authorities", "autorités centrales")
        case .ministriesOfJustice: ("ministries of justice", "ministères de la Justice")
        case .judicialCouncils: ("councils for the judiciary", "conseils de la justice")
        case .judicialTrainingInstitutions: ("judicial training institutions", "instituts de formation judiciaire")
        case .antiCorruptionAuthorities: ("anti-corruption authorities", "autorités de lutte contre la corruption")
        case .governments: ("governments", "gouvernements")
        case .internationalOrganisations: ("international organisations", "organisations internationales")
        case .experts: ("experts", "experts")
        case .lawyers: ("lawyers", "avocats")
        }
        return language == .en ? labels.0 : labels.1
    }
}

/// The kinds of crime a network works on.
public enum CrimeArea: String, Vocabulary {
    case organisedCrime = "organised-crime"
    case seriousCrime = "serious-crime"
    case corruption
    case moneyLaundering = "money-laundering"
    case terrorismFinancing = "terrorism-financing"
    case assetRecovery = "asset-recovery"
    case cybercrime, terrorism
    case drugTrafficking = "drug-trafficking"
    case traffickingInHumanBeings = "trafficking-in-human-beings"
    case migrantSmuggling = "migrant-smuggling"
    case coreInternationalCrimes = "core-international-crimes"
    case environmentalCrime = "environmental-crime"
    case wildlifeTrafficking = "wildlife-trafficking"
    case fraud, counterfeiting
    case firearmsTrafficking = "firearms-trafficking"
    case financialCrime = "financial-crime"
    case allCrime = "all-crime"

    public static let vocabularyName = "crime_area"

    public func label(_ language: Language) -> String {
        let labels: (String, String) = switch self {
        case .organisedCrime: ("organised crime", "criminalité organisée")
        case .seriousCrime: ("serious crime", "criminalité grave")
        case .corruption: ("corruption", "corruption")
        case .moneyLaundering: ("money laundering", "blanchiment de capitaux")
        case .terrorismFinancing: ("financing of terrorism", "financement du terrorisme")
        case .assetRecovery: ("asset recovery", "recouvrement d’avoirs")
        case .cybercrime: ("cybercrime", "cybercriminalité")
        case .terrorism: ("terrorism", "terrorisme")
        case .drugTrafficking: ("drug trafficking", "trafic de stupéfiants")
        case .traffickingInHumanBeings: ("trafficking in human beings", "traite des êtres humains")
        case .migrantSmuggling: ("migrant smuggling", "trafic de migrants")
        case .coreInternationalCrimes: ("genocide, crimes against humanity and war crimes",
                                        "génocide, crimes contre l’humanité et crimes de guerre")
        case .environmentalCrime: ("environmental crime", "criminalité environnementale")
        case .wildlifeTrafficking: ("wildlife trafficking", "trafic d’espèces sauvages")
        case .fraud: ("fraud", "fraude")
        case .counterfeiting: ("counterfeiting", "contrefaçon")
        case .firearmsTrafficking: ("firearms trafficking", "trafic d’armes à feu")
        case .financialCrime: ("financial crime", "criminalité financière")
        case .allCrime: ("all crime", "toutes formes de criminalité")
        }
        return language == .en ? labels.0 : labels.1
    }
}

/// The means of cooperation a network supports.
public enum Instrument: String, Vocabulary {
    case mutualLegalAssistance = "mutual-legal-assistance"
    case extradition
    case transferOfProceedings = "transfer-of-proceedings"
    case transferOfSentencedPersons = "transfer-of-sentenced-persons"
    case supervisionOfOffenders = "supervision-of-offenders"
    case recognitionOfJudgments = "recognition-of-judgments"
    case seizureAndConfiscation = "seizure-and-confiscation"
    case jointInvestigationTeams = "joint-investigation-teams"
    case expeditedMeasures = "expedited-measures"
    case informationExchange = "information-exchange"
    case electronicEvidence = "electronic-evidence"
    case training
    case conflictsOfJurisdiction = "conflicts-of-jurisdiction"

    public static let vocabularyName = "instrument"

    public func label(_ language: Language) -> String {
        let labels: (String, String) = switch self {
        case .mutualLegalAssistance: ("mutual legal assistance", "entraide judiciaire")
        case .extradition: ("extradition", "extradition")
        case .transferOfProceedings: ("transfer of proceedings", "transmission des procédures")
        case .transferOfSentencedPersons: ("transfer of sentenced persons", "transfèrement des personnes condamnées")
        case .supervisionOfOffenders: ("supervision of offenders", "surveillance des délinquants")
        case .recognitionOfJudgments: ("recognition of judgments", "reconnaissance des jugements")
        case .seizureAndConfiscation: ("seizure and confiscation", "saisie et confiscation")
        case .jointInvestigationTeams: ("joint investigation teams", "équipes communes d’enquête")
        case .expeditedMeasures: ("expedited and provisional measures", "mesures urgentes et provisoires")
        case .informationExchange: ("exchange of information", "échange d’informations")
        case .electronicEvidence: ("electronic evidence", "preuve électronique")
        case .training: ("training", "formation")
        case .conflictsOfJurisdiction: ("conflicts of jurisdiction", "conflits de compétence")
        }
        return language == .en ? labels.0 : labels.1
    }
}
