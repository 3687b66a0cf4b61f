import Foundation
import Testing
@testable import LiaisonCore

@Suite struct PartyDirectoryTests {
    let directory = PartyDirectory.standard

    @Test(arguments: [
        ("Former Yugoslav Republic of Macedonia", "MK"), ("FYR of Macedonia", "MK"), ("Macedonia", "MK"),
        ("the former Yugoslav Republic of Macedonia", "MK"), ("Swaziland", "SZ"), ("Burma", "MM"), ("East Timor", "TL"),
        ("Green Cape", "CV"), ("Russia", "RU"), ("Russian Federation", "RU"), ("Korea", "KR"), ("North Korea", "KP"),
        ("Kosovo", "XK"), ("Czech republic", "CZ"), ("Slovak Republic", "SK"), ("Bosnia Herzegovina", "BA"),
        ("Bosnia-Herzegovina", "BA"), ("the UK", "GB"), ("the USA", "US"), ("United States of America", "US"),
        ("Cote d'Ivoire", "CI"), ("Côte d’Ivoire", "CI"), ("St Vincent and the Grenadines", "VC"), ("São Tomé and Príncipe", "ST"),
        ("England & Wales", "GB-EAW"), ("Scotland", "GB-SCT"), ("Puerto Rico", "PR"), ("Gibraltar", "GI"), ("Isle of Man", "IM"),
        ("EUROJUST", "eurojust"), ("Europol", "europol"), ("China", "CN"), ("Allemagne", "DE"), ("Royaume-Uni", "GB"),
    ])
    func resolvesNamesAndVariants(name: String, id: String) {
        #expect(directory.resolve(name)?.id == id)
    }

    @Test func unknownNamesResolveToNothing() {
        #expect(directory.resolve("Liaison Magistrates") == nil)
        #expect(directory.resolve("Atlantis") == nil)
        #expect(directory.resolve("") == nil)
    }

    @Test func namesInEnglishAndFrenchFromLocale() throws {
        let germany = try #require(directory.party(id: "DE"))
        #expect(germany.nameEN == "Germany")
        #expect(germany.nameFR == "Allemagne")
        #expect(germany.kind == .state)
        #expect(directory.party(id: "GI")?.kind == .territory)
        #expect(directory.party(id: "DE-NW")?.kind == .subdivision)
        #expect(directory.party(id: "DE-NW")?.countryCode == "DE")
        #expect(directory.party(id: "unodc")?.kind == .organisation)
        #expect(directory.party(id: "unodc")?.code == nil)
        #expect(directory.party(id: "arin-ap")?.kind == .network)
    }

    @Test func networksBecomePartiesUnderTheirSlug() {
        let network = Network(slug: "ejn", name: "European Judicial Network", acronym: "EJN", section: .european, scope: .europeanUnion)
        let withNetworks = directory.adding(networks: [network])
        #expect(withNetworks.party(id: "ejn")?.kind == .network)
        #expect(withNetworks.party(id: "ejn")?.networkSlug == "ejn")
        #expect(withNetworks.resolve("European Judicial Network")?.id == "ejn")
        // A network that is also an organisation keeps its kind.
        let eurojust = Network(slug: "eurojust", name: "Eurojust", section: .european, scope: .europeanUnion)
        #expect(directory.adding(networks: [eurojust]).party(id: "eurojust")?.kind == .organisation)
    }

    @Test func keyFoldsCaseDiacriticsPunctuationAndThe() {
        #expect(PartyDirectory.key("The Netherlands") == "netherlands")
        #expect(PartyDirectory.key("São Tomé & Príncipe") == "sao tome and principe")
        #expect(PartyDirectory.key("Cote d'Ivoire") == PartyDirectory.key("Côte d’Ivoire"))
    }
}
