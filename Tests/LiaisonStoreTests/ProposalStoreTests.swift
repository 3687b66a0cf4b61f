import Foundation
import LiaisonCore
import Testing
@testable import LiaisonStore

/// Accepting a proposal is one transaction: decided, written and linked together, or not at all.
@Suite struct ProposalStoreTests {
    static let carin = CatalogueStoreTests.catalogue2017.first { $0.slug == "carin" }!

    @Test(arguments: Backend.available)
    func anAcceptanceWritesAllOrNothingAndOnlyOnce(_ backend: Backend) async throws {
        try await backend.withStore { store in
            // Setup: the catalogue and a proposal to change CARIN's notes.
            try await store.migrate()
            try await store.importNetworks(CatalogueStoreTests.catalogue2017, actor: "test", reason: "load")
            var fields = NetworkDraft(Self.carin)
            fields.notes = "Proposed note"
            let id = try await store.submitProposal(ProposalDraft(kind: .change, slug: "carin", fields: fields, source: "https://example.org"),
                                                    language: .en, address: "192.0.2.1", accountID: nil)
            let edited = { var network = Self.carin; network.notes = "Proposed note"; return network }()
            let change = try NetworkRevisionChange(action: .edited, before: Self.carin, after: edited)
            let revision = try await store.latestRevision(ofNetwork: "carin")

            // A write refused (the entry moved on since the review page opened): nothing changes, the proposal stays pending.
            await #expect(throws: InputError.self) {
                try await store.acceptProposal(id, network: edited, change: change, actor: "ed", reason: "proposal", expected: revision - 1,
                                               decidedBy: "ed")
            }
            #expect(try await store.proposal(id)?.status == .pending)
            #expect(try await store.latestRevision(ofNetwork: "carin") == revision)

            // Two acceptances at once: one writes, the other is told it was decided already.
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for editor in ["ed", "fe"] {
                    group.addTask {
                        (try? await store.acceptProposal(id, network: edited, change: change, actor: editor, reason: "proposal", expected: revision,
                                                         decidedBy: editor)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let accepted = try #require(try await store.proposal(id))
            let written = try await store.latestRevision(ofNetwork: "carin")
            #expect(accepted.status == .accepted && accepted.revision == written && written > revision)
            #expect(try await store.history(ofNetwork: "carin").filter { $0.seq > revision }.count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func aProposalIsFoundByItsReferenceAndByItsNetworks(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            try await store.importNetworks(CatalogueStoreTests.catalogue2017, actor: "test", reason: "load")
            let draft = ProposalDraft(kind: .change, slug: "carin", fields: NetworkDraft(Self.carin), source: "https://example.org",
                                      report: "Gibraltar left", base: NetworkDraft(Self.carin))
            let id = try await store.submitProposal(draft, language: .fr, address: "192.0.2.2", accountID: nil, reference: "ref-abc_123")
            let found = try #require(try await store.proposal(reference: "ref-abc_123"))
            #expect(found.id == id && found.reference == "ref-abc_123" && found.draft.report == "Gibraltar left")
            #expect(try await store.proposal(reference: "other") == nil)
            #expect(try await store.pendingProposals(about: ["carin", "ejn"]).map(\.id) == [id])
            #expect(try await store.pendingProposals(about: ["ejn"]).isEmpty)
            #expect(try await store.pendingProposals(about: []).isEmpty)
            // The reviewers' mail is queued with the proposal: when it cannot be, the proposal is not kept either.
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await store.submitProposal(draft, language: .en, address: "192.0.2.4", accountID: nil, reference: "ref-two") { _ in throw Refused() }
            }
            #expect(try await store.proposal(reference: "ref-two") == nil)
            let mailed = try await store.submitProposal(draft, language: .en, address: "192.0.2.4", accountID: nil, reference: "ref-three") { id in
                [try MailMessage(to: "fp@example.org", subject: "Proposal \(id)", text: "Review it", language: .en)]
            }
            #expect(try await store.outbox().map(\.subject) == ["Proposal \(mailed)"])
            // Declined with the proposer's mail: both, in one transaction.
            try await store.rejectProposal(mailed, by: "ed", reason: "no", mail: [try MailMessage(to: "p@example.org", subject: "Declined",
                                                                                                  text: "no", language: .en)])
            #expect(try await store.outbox().map(\.subject) == ["Proposal \(mailed)", "Declined"])
            await #expect(throws: (any Error).self) {
                try await store.rejectProposal(mailed, by: "ed", reason: "again", mail: [try MailMessage(to: "p@example.org", subject: "Twice",
                                                                                                         text: "no", language: .en)])
            }
            #expect(try await store.outbox().count == 2, "a decision refused queues no mail")
            // A reference is never given twice.
            await #expect(throws: (any Error).self) {
                try await store.submitProposal(draft, language: .en, address: "192.0.2.3", accountID: nil, reference: "ref-abc_123")
            }
        }
    }

    @Test(arguments: Backend.available)
    func contactMessagesAreQueuedAndLimitedPerAddress(_ backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.migrate()
            let message = try MailMessage(to: "sec@example.org", subject: "Hello", text: "A message", language: .en)
            let now = Date()
            for i in 0..<3 { try await store.queueContactMessage(message, address: "192.0.2.9", perHour: 3, at: now.addingTimeInterval(Double(i))) }
            await #expect(throws: AccountError.self) {
                try await store.queueContactMessage(message, address: "192.0.2.9", perHour: 3, at: now.addingTimeInterval(10))
            }
            // Another address is not held back; an hour later the first writes again.
            try await store.queueContactMessage(message, address: "192.0.2.10", perHour: 3, at: now.addingTimeInterval(11))
            try await store.queueContactMessage(message, address: "192.0.2.9", perHour: 3, at: now.addingTimeInterval(3_700))
            #expect(try await store.outbox().count == 5)
        }
    }
}

