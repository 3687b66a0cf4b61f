import Foundation
import Testing
@testable import LiaisonCore

/// The catalogue in French: every network has a French name and (when it has a purpose) a French purpose; the names
/// that are the network's own or official cite where they come from, the others and every purpose are marked as
/// translations written for Liaison; search finds the networks by their French names and the words of their French
/// purposes, with and without accents.
@Suite struct FrenchCatalogueTests {
    static let catalogue = Catalogue(networks: try! CatalogueFile.catalogue2017().networks())

    func slugs(_ query: String) -> [String] {
        (Self.catalogue.search(query) ?? []).map { Self.catalogue.networks[$0.network].slug }
    }

    @Test func everyNetworkHasItsFrenchNameAndPurposeEachSourcedOrMarkedAsATranslation() {
        for network in Self.catalogue.networks {
            let name = network.nameFR ?? ""
            #expect(!name.isEmpty, "\(network.slug) has no French name")
            // Official or the network's own: a source says where; else a translation, said.
            #expect(network.translations.contains(.nameFR) != (network.sources[.nameFR] != nil), "\(network.slug): name_fr is sourced or translated")
            if let english = network.purpose[.en] {
                let french = network.purpose[.fr] ?? ""
                #expect(network.translations.contains(.purposeFR), "\(network.slug)")
                // As many paragraphs as the English, and no English left untranslated.
                #expect(french.components(separatedBy: "\n\n").count == english.components(separatedBy: "\n\n").count, "\(network.slug)")
                #expect(french != english && !french.contains(" the ") && !french.contains("'"), "\(network.slug)")
            } else {
                #expect(network.purpose[.fr] == nil && !network.translations.contains(.purposeFR))
            }
        }
        let ejn = Self.catalogue.network(slug: "ejn")!
        #expect(ejn.nameFR == "Réseau judiciaire européen" && ejn.sources[.nameFR]?.contains("2008/976/JAI") == true)
        #expect(ejn.localizedDisplayName(.fr) == "Réseau judiciaire européen (EJN)" && ejn.localizedName(.en) == "European Judicial Network")
    }

    @Test func searchFindsTheNetworksByTheirFrenchNamesWithAndWithoutAccents() {
        #expect(slugs("réseau judiciaire européen").first == "ejn")
        #expect(slugs("reseau judiciaire europeen").first == "ejn")
        #expect(slugs("RÉSEAU JUDICIAIRE EUROPÉEN").first == "ejn")
        // Each network by its whole French name: first, or second behind a network of the same name (the ACN twice).
        for network in Self.catalogue.networks {
            let found = slugs(network.nameFR!)
            #expect(found.prefix(2).contains(network.slug), "\(network.slug): \(network.nameFR!) → \(found.prefix(3))")
        }
        // A word only the French purposes use.
        #expect(slugs("recouvrement").contains("carin") && slugs("entraide").count > 3)
    }

    /// Items in the order of their networks' French names, items of one network in the order given, items of no
    /// network last: a few items are sorted, a whole list placed by counting; both give the same order, and an edit
    /// of anything but the names keeps the order made (its French order is shared), an edit of the French name not.
    @Test(arguments: [12, 900])
    func itemsFollowTheFrenchNamesWhateverTheirNumber(count: Int) throws {
        let networks = (0..<count).map { number in
            // English names in one order, French names in another (the number's digits reversed).
            Network(slug: "n-\(number)", name: "Network \(String(format: "%04d", number))", section: .european, scope: .europe,
                    nameFR: "Réseau \(String(String(format: "%04d", number).reversed()))")
        }
        let catalogue = Catalogue(networks: networks)
        let frenchOrder = networks.sorted { (PartyDirectory.key($0.nameFR!), $0.slug) < (PartyDirectory.key($1.nameFR!), $1.slug) }.map(\.slug)
        #expect(frenchOrder != catalogue.networks.map(\.slug))
        // Every network twice (its two items in the order given), and an item of no network.
        let items = catalogue.networks.reversed().flatMap { [($0.slug, 1), ($0.slug, 2)] } + [("gone", 0)]
        let ordered = catalogue.inNameOrder(items, language: .fr) { $0.0 }
        #expect(ordered.map(\.0) == frenchOrder.flatMap { [$0, $0] } + ["gone"])
        #expect(ordered.dropLast().enumerated().allSatisfy { $0.element.1 == ($0.offset % 2 == 0 ? 1 : 2) })
        #expect(catalogue.inNameOrder(items, language: .en) { $0.0 }.map(\.0) == catalogue.networks.flatMap { [$0.slug, $0.slug] } + ["gone"])

        var edited = try #require(catalogue.network(slug: "n-3"))
        edited.notes = "A note"
        #expect(catalogue.replacing(edited, revision: 2, changedAt: Date()).inNameOrder(items, language: .fr) { $0.0 }.map(\.0) == ordered.map(\.0))
        edited.nameFR = "Réseau 000"  // before every other French name
        let renamed = catalogue.replacing(edited, revision: 2, changedAt: Date()).inNameOrder(items, language: .fr) { $0.0 }.map(\.0)
        #expect(renamed.prefix(2) == ["n-3", "n-3"])
    }

    @Test func aTranslationMarkIsRefusedWithoutItsTextAndReadBackWithIt() throws {
        var file = CatalogueFile(networks: [Self.catalogue.network(slug: "ejn")!])
        file.networks[0].translated = ["name_fr", "purpose_fr", "notes"]
        file.networks[0].nameFr = nil
        do {
            _ = try file.networks(existingNetworks: [])
            Issue.record("a mark without its text was read")
        } catch let failure as ImportFailure {
            let fields = failure.errors.map(\.field)
            #expect(fields.contains("networks[0].translated[0]") && fields.contains("networks[0].translated[2]") && !fields.contains("networks[0].translated[1]"))
        }
        let back = try CatalogueFile.decode(try CatalogueFile.encoder().encode(CatalogueFile(networks: Self.catalogue.networks)), source: "x").networks()
        #expect(back == Self.catalogue.networks)
    }
}
