import Foundation

/// The parties every catalogue can name, and the variant names the 2017 report uses for them.
enum StandardParties {
    static let all: [Party] = countries + subdivisions + organisations

    /// ISO 3166-1 codes that `Locale` lists but that are no country or territory.
    private static let notCountries: Set<String> = ["EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"]

    /// Dependent territories, kept apart from states (the report lists Gibraltar, Guernsey, Jersey,
    /// the Isle of Man and Puerto Rico beside states).
    static let territoryCodes: Set<String> = [
        "AI", "AQ", "AS", "AW", "AX", "BL", "BM", "BQ", "BV", "CC", "CK", "CW", "CX", "EH", "FK", "FO", "GF", "GG",
        "GI", "GL", "GP", "GS", "GU", "HK", "HM", "IM", "IO", "JE", "KY", "MF", "MO", "MP", "MQ", "MS", "NC", "NF",
        "NU", "PF", "PM", "PN", "PR", "RE", "SH", "SJ", "SX", "TC", "TF", "TK", "UM", "VG", "VI", "WF", "YT",
    ]

    /// Names to use instead of Foundation's where its data gives a qualified form ("China mainland").
    static let nameOverrides: [String: (en: String, fr: String)] = ["CN": ("China", "Chine")]

    static let countries: [Party] = {
        let english = Locale(identifier: "en"), french = Locale(identifier: "fr")
        return Locale.Region.isoRegions
            .map(\.identifier)
            .filter { $0.count == 2 && $0.allSatisfy(\.isLetter) && !notCountries.contains($0) }
            .sorted()
            .compactMap { code in
                guard let en = nameOverrides[code]?.en ?? english.localizedString(forRegionCode: code),
                      let fr = nameOverrides[code]?.fr ?? french.localizedString(forRegionCode: code) else { return nil }
                return Party(id: code, kind: territoryCodes.contains(code) ? .territory : .state, nameEN: en, nameFR: fr)
            }
    }()

    /// ISO 3166-2 subdivisions that take part in networks on their own.
    static let subdivisions: [Party] = [
        Party(id: "DE-NW", kind: .subdivision, nameEN: "North Rhine-Westphalia", nameFR: "Rhénanie-du-Nord-Westphalie"),
        Party(id: "GB-EAW", kind: .subdivision, nameEN: "England and Wales", nameFR: "Angleterre et pays de Galles"),
        Party(id: "GB-SCT", kind: .subdivision, nameEN: "Scotland", nameFR: "Écosse"),
        Party(id: "GB-NIR", kind: .subdivision, nameEN: "Northern Ireland", nameFR: "Irlande du Nord"),
    ]

    static let organisations: [Party] = [
        ("eurojust", "Eurojust", "Eurojust"),
        ("europol", "Europol", "Europol"),
        ("olaf", "European Anti-Fraud Office (OLAF)", "Office européen de lutte antifraude (OLAF)"),
        ("unodc", "United Nations Office on Drugs and Crime (UNODC)", "Office des Nations unies contre la drogue et le crime (ONUDC)"),
        ("icc", "International Criminal Court", "Cour pénale internationale"),
        ("imf", "International Monetary Fund", "Fonds monétaire international"),
        ("world-bank", "World Bank", "Banque mondiale"),
        ("egmont-group", "Egmont Group", "Groupe Egmont"),
        ("european-commission", "European Commission", "Commission européenne"),
        ("european-union", "European Union", "Union européenne"),
        ("united-nations", "United Nations", "Organisation des Nations unies"),
        ("oecd", "Organisation for Economic Co-operation and Development (OECD)", "Organisation de coopération et de développement économiques (OCDE)"),
        ("council-of-europe", "Council of Europe", "Conseil de l’Europe"),
        ("selec", "Southeast European Law Enforcement Center (SELEC)", "Centre de l’Europe du Sud-Est pour l’application de la loi (SELEC)"),
        ("adb", "Asian Development Bank", "Banque asiatique de développement"),
        ("oas", "Organization of American States", "Organisation des États américains"),
        ("era", "Academy of European Law (ERA)", "Académie de droit européen (ERA)"),
        ("giz", "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)", "Deutsche Gesellschaft für Internationale Zusammenarbeit (GIZ)"),
        ("commonwealth-secretariat", "Commonwealth Secretariat", "Secrétariat du Commonwealth"),
        ("ecowas", "Economic Community of West African States (ECOWAS)", "Communauté économique des États de l’Afrique de l’Ouest (CEDEAO)"),
    ].map { Party(id: $0.0, kind: .organisation, nameEN: $0.1, nameFR: $0.2) } + [
        ("arin-ap", "Asset Recovery Interagency Network of Asia Pacific (ARIN-AP)", "Réseau interinstitutionnel de recouvrement d’avoirs d’Asie-Pacifique (ARIN-AP)"),
        ("arin-ea", "Asset Recovery Inter-Agency Network for Eastern Africa (ARINEA)", "Réseau interinstitutionnel de recouvrement d’avoirs d’Afrique de l’Est (ARINEA)"),
        ("arin-sa", "Asset Recovery Inter-Agency Network for Southern Africa (ARINSA)", "Réseau interinstitutionnel de recouvrement d’avoirs d’Afrique australe (ARINSA)"),
        ("arin-wa", "Asset Recovery Inter-Agency Network for West Africa (ARIN-WA)", "Réseau interinstitutionnel de recouvrement d’avoirs d’Afrique de l’Ouest (ARIN-WA)"),
        ("rrag", "Asset Recovery Network of GAFILAT (RRAG)", "Réseau de recouvrement d’avoirs du GAFILAT (RRAG)"),
    ].map { Party(id: $0.0, kind: .network, nameEN: $0.1, nameFR: $0.2) }

    /// Historical and variant names the report prints, by party id.
    static let aliases: [String: String] = [
        "Former Yugoslav Republic of Macedonia": "MK", "FYR of Macedonia": "MK", "Macedonia": "MK",
        "Swaziland": "SZ", "Burma": "MM", "Myanmar": "MM", "East Timor": "TL", "Timor Leste": "TL",
        "Green Cape": "CV", "Cape Verde": "CV", "Cabo Verde": "CV",
        "Russia": "RU", "Russian Federation": "RU", "Korea": "KR", "Republic of Korea": "KR", "South Korea": "KR",
        "North Korea": "KP", "Czech Republic": "CZ", "Slovak Republic": "SK", "Slovakia": "SK",
        "Bosnia Herzegovina": "BA", "Bosnia and Herzegovina": "BA", "Bosnia-Herzegovina": "BA",
        "Moldova": "MD", "Republic of Moldova": "MD", "Turkey": "TR",
        "United States of America": "US", "United States": "US", "USA": "US", "US": "US",
        "UK": "GB", "United Kingdom": "GB", "Great Britain": "GB",
        "Cote d'Ivoire": "CI", "Ivory Coast": "CI", "St Kitts and Nevis": "KN", "Saint Kitts and Nevis": "KN",
        "St Lucia": "LC", "Saint Lucia": "LC", "St Vincent and the Grenadines": "VC",
        "Saint Vincent and the Grenadines": "VC", "Brunei Darussalam": "BN", "Brunei": "BN",
        "United Republic of Tanzania": "TZ", "Tanzania": "TZ", "Palestine": "PS", "State of Palestine": "PS",
        "Syria": "SY", "Laos": "LA", "Lao PDR": "LA", "Vietnam": "VN", "Viet Nam": "VN", "Gambia": "GM",
        "Sao Tome and Principe": "ST", "Trinidad and Tobago": "TT", "Antigua and Barbuda": "AG",
        "Congo": "CG", "Republic of the Congo": "CG", "Democratic Republic of the Congo": "CD",
        "England & Wales": "GB-EAW", "England and Wales": "GB-EAW", "Scotland": "GB-SCT",
        "Northern Ireland": "GB-NIR", "North Rhine-Westphalia": "DE-NW",
        "EUROJUST": "eurojust", "Europol": "europol", "OLAF": "olaf", "European Anti-Fraud Office": "olaf",
        "UNODC": "unodc", "United Nations Office on Drugs and Crime": "unodc",
        "International Criminal Court": "icc", "ICC": "icc", "IMF": "imf", "International Monetary Fund": "imf",
        "World Bank": "world-bank", "Egmont Group": "egmont-group", "European Union": "european-union",
        "EU": "european-union", "United Nations": "united-nations", "UN": "united-nations", "OECD": "oecd",
        "Council of Europe": "council-of-europe", "SELEC": "selec", "Asian Development Bank": "adb",
        "Organisation of American States": "oas", "Organization of American States": "oas", "OAS": "oas",
        "Academy of European Law": "era", "ERA": "era", "GIZ": "giz", "ECOWAS": "ecowas",
        "ARIN-AP": "arin-ap", "ARIN-EA": "arin-ea", "ARINEA": "arin-ea", "ARIN-SA": "arin-sa", "ARINSA": "arin-sa",
        "ARIN-WA": "arin-wa", "RRAG": "rrag", "RRAG Secretariat": "rrag",
    ]
}
