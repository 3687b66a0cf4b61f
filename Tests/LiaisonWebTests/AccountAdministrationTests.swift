import Foundation
import LiaisonCore
import LiaisonStore
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The one rule for roles and their networks, as the command line uses it (the page's use is in AccountFlowTests).
@Suite struct AccountAdministrationTests {
    @Test func aFocalPointNeedsNetworksOfTheCatalogueAndOtherRolesKeepNone() async throws {
        try await AccountBed.run { bed, _ in
            let person = try await bed.account("p@example.org", role: .practitioner)
            let administration = AccountAdministration(accounts: bed.accounts)
            let id = try await administration.accountID(email: "P@example.org ", field: "--email")
            #expect(id == person.id)
            await #expect(throws: InputError.invalidValue(field: "--email", value: "nobody@example.org", rule: "no account has this address")) {
                try await administration.accountID(email: "nobody@example.org", field: "--email")
            }
            await #expect(throws: InputError.missingField(field: "--network")) {
                try await administration.setRole(of: id, to: .focalPoint, networks: [], by: .commandLine, networksField: "--network")
            }
            await #expect(throws: InputError.invalidValue(field: "--network", value: "no-such-network",
                                                              rule: "must be the slug of a network of the catalogue")) {
                try await administration.setRole(of: id, to: .focalPoint, networks: ["carin", "no-such-network"], by: .commandLine,
                                                 networksField: "--network")
            }
            #expect(try await administration.setRole(of: id, to: .focalPoint, networks: ["carin"], by: .commandLine).networks == ["carin"])
            let editor = try await administration.setRole(of: id, to: .editor, networks: ["carin"], by: .commandLine)
            #expect(editor.role == .editor && editor.networks.isEmpty)
            #expect(try await administration.setDisabled(id, true, by: .commandLine).disabled)
        }
    }
}
