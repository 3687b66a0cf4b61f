import Foundation
import LiaisonCore
import SQLKit

/// Proposals: stored as sent, reviewed once.
extension CatalogueStore {
    /// Stores a proposal under `reference` (a random token its proposer follows it by); refused (throttled) when the
    /// address sent `perHour` in the last hour.
    /// `mail`: the messages its number calls for (to its reviewers), queued in the same transaction — kept and told,
    /// or neither.
    public func submitProposal(_ draft: ProposalDraft, language: Language, address: String, accountID: Int64?, reference: String? = nil,
                               perHour: Int = 5, at date: Date = Date(),
                               mail: @Sendable (Int64) throws -> [MailMessage] = { _ in [] }) async throws -> Int64 {
        let since = Timestamp.string(date.addingTimeInterval(-3600))
        let postgres = driver.dialect == .postgresql
        return try await driver.transaction { db in
            // One count at a time, as for sign-in attempts: proposals sent at once are counted against each other.
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.attemptLock))").run() }
            let recent = try await db.raw("""
                SELECT count(*) AS n, min(created_at) AS oldest FROM proposals WHERE address = \(bind: address) AND created_at > \(bind: since)
                """).first()
            if try (recent?.decode(column: "n", as: Int.self) ?? 0) >= perHour {
                let oldest = try recent?.decode(column: "oldest", as: String?.self).flatMap(Timestamp.date) ?? date
                throw AccountError.throttled(until: oldest.addingTimeInterval(3600))
            }
            let id = try await Self.insertProposal(db, draft, language: language, address: address, accountID: accountID, reference: reference, at: date)
            for message in try mail(id) { _ = try await Self.enqueue(db, message, at: date) }
            return id
        }
    }

    /// Keeps a proposal, in the caller's transaction; returns its number.
    static func insertProposal(_ db: any SQLDatabase, _ draft: ProposalDraft, language: Language, address: String, accountID: Int64?,
                               reference: String?, at date: Date) async throws -> Int64 {
        let text = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        guard let id = try await db.raw("""
            INSERT INTO proposals (kind, network_slug, draft, language, address, account_id, created_at, reference)
            VALUES (\(bind: draft.kind.rawValue), \(bind: draft.slug), \(bind: text), \(bind: language.rawValue), \(bind: address),
                    \(bind: accountID), \(bind: Timestamp.string(date)), \(bind: reference))
            RETURNING id
            """).first()?.decode(column: "id", as: Int64.self)
        else { throw StoredDataError(column: "proposals.id", value: "", rule: "was not returned by the insert") }
        return id
    }

    /// Proposals, pending first then the latest decided, oldest pending first (`pendingOnly`: the pending ones).
    public func proposals(pendingOnly: Bool = false, limit: Int = 200) async throws -> [Proposal] {
        try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM proposals WHERE status = 'pending' OR \(bind: !pendingOnly)
                ORDER BY CASE status WHEN 'pending' THEN 0 ELSE 1 END, id LIMIT \(bind: limit)
                """).all().map(Proposal.init(row:))
        }
    }

    /// The proposal a reference names (nil for none).
    public func proposal(reference: String) async throws -> Proposal? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM proposals WHERE reference = \(bind: reference)").first().map(Proposal.init(row:))
        }
    }

    /// The pending proposals of changes to some networks (not new networks that happen to have the slug), oldest first.
    public func pendingProposals(about slugs: [String], limit: Int = 200) async throws -> [Proposal] {
        guard !slugs.isEmpty else { return [] }
        return try await driver.withDatabase { db in
            try await db.raw("""
                SELECT * FROM proposals WHERE status = 'pending' AND kind = 'change' AND network_slug IN (\(binds: slugs))
                ORDER BY id LIMIT \(bind: limit)
                """).all().map(Proposal.init(row:))
        }
    }

    public func proposal(_ id: Int64) async throws -> Proposal? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM proposals WHERE id = \(bind: id)").first().map(Proposal.init(row:))
        }
    }

    /// Rejects a pending proposal with the reason the proposer is told; refused when it was decided already.
    /// Declines a pending proposal; `mail` (to the proposer) is queued in the same transaction.
    public func rejectProposal(_ id: Int64, by editor: String, reason: String, at date: Date = Date(), mail: [MailMessage] = []) async throws {
        try await driver.transaction { db in
            try await Self.decide(db, id, .rejected, by: editor, reason: reason, at: date)
            for message in mail { _ = try await Self.enqueue(db, message, at: date) }
        }
    }

    /// Decides a pending proposal inside a transaction: of two decisions at once, one is recorded, the other refused
    /// ("was decided already").
    static func decide(_ db: any SQLDatabase, _ id: Int64, _ status: Proposal.Status, by editor: String, reason: String?,
                       at date: Date) async throws {
        guard try await db.raw("""
            UPDATE proposals SET status = \(bind: status.rawValue), decided_by = \(bind: editor), decided_at = \(bind: Timestamp.string(date)),
                   decision_reason = \(bind: reason)
            WHERE id = \(bind: id) AND status = 'pending'
            RETURNING id
            """).first() != nil
        else { throw InputError.invalidValue(field: "proposal", value: String(id), rule: "was decided already") }
    }
}

extension CatalogueStore {
    /// Accepts a proposal in one transaction: the proposal is claimed (of two acceptances at once, one writes), the
    /// network written with its revision (`change`: an edit of the stored network, refused when it moved past
    /// `expected`; nil: a new network), and the proposal linked to that revision. Anything refused leaves all as
    /// it was, the proposal pending.
    public func acceptProposal(_ id: Int64, network: Network, change: NetworkRevisionChange?, actor: String, reason: String, expected: Int64?,
                               decidedBy editor: String, at date: Date = Date(), mail: [MailMessage] = []) async throws
        -> (seq: Int64, previous: Int64)
    {
        var writer = CatalogueWriter(dialect: driver.dialect)
        if case let .sqlite(connection, _) = driver { writer.sqlite = connection }
        let text = try change?.encoded()
        let action = change?.action.revisionAction ?? .edited
        return try await driver.transaction { [writer, dialect = driver.dialect] db in
            try await Self.orderCatalogueWrites(db, dialect: dialect)
            try await Self.decide(db, id, .accepted, by: editor, reason: nil, at: date)
            let written: (seq: Int64, previous: Int64)
            if let text {
                written = try await Self.writeEdit(db, writer, network, change: text, action: action, actor: actor, reason: reason,
                                                   expected: expected, at: date)
            } else {
                let existing = try await Self.networkSlugs(db)
                guard !existing.contains(network.slug) else { throw InputError.duplicate(field: "slug", value: network.slug) }
                let previous = try await Self.latestRevision(db)
                let seq = try await writer.write([network], existing: existing, directory: .standard, actor: actor, reason: reason, at: date,
                                                 db: db, progress: { _ in }).lastRevision
                written = (seq, previous)
            }
            try await db.raw("UPDATE proposals SET revision_seq = \(bind: written.seq) WHERE id = \(bind: id)").run()
            for message in mail { _ = try await Self.enqueue(db, message, at: date) }
            return written
        }
    }
}

extension Proposal {
    init(row: any SQLRow) throws {
        let text = try row.decode(column: "draft", as: String.self)
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = Status(rawValue: statusText) else {
            throw StoredDataError(column: "proposals.status", value: statusText, rule: "is not a status")
        }
        self.init(id: try row.decode(column: "id", as: Int64.self), draft: try JSONDecoder().decode(ProposalDraft.self, from: Data(text.utf8)),
                  language: try Language.parse(try row.decode(column: "language", as: String.self), field: "proposals.language"),
                  createdAt: try storedDate(row, "created_at"), status: status, decidedBy: try row.decode(column: "decided_by", as: String?.self),
                  decidedAt: try row.decode(column: "decided_at", as: String?.self).flatMap(Timestamp.date),
                  decisionReason: try row.decode(column: "decision_reason", as: String?.self),
                  revision: try row.decode(column: "revision_seq", as: Int64?.self),
                  reference: try row.decode(column: "reference", as: String?.self))
    }
}
