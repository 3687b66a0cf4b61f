import Foundation
import LiaisonCore
import SQLKit

/// A network's last confirmation by a person, and the last reminder sent for it.
public struct NetworkVerification: Sendable, Equatable {
    public let slug: String
    public let confirmedAt: Date?
    public let confirmedBy: String?
    public let remindedAt: Date?
}

/// Liveness: the history of every checked address, and the confirmations that an entry is still correct.
extension CatalogueStore {
    /// Stores the checks of a run, in one transaction.
    public func recordLinkChecks(_ checks: [LinkCheck]) async throws {
        guard !checks.isEmpty else { return }
        try await driver.transaction { db in
            for check in checks {
                try await db.raw("""
                    INSERT INTO link_checks (url, checked_at, outcome, http_status, final_url, detail)
                    VALUES (\(bind: check.url), \(bind: Timestamp.string(check.checkedAt)), \(bind: check.outcome.rawValue),
                            \(bind: check.status), \(bind: check.finalURL), \(bind: check.detail.map { String($0.prefix(500)) }))
                    """).run()
            }
        }
    }

    /// The latest checks of every address, newest first, at most `limit` each (one query, for a whole run).
    public func latestLinkChecks(limit: Int = Liveness.failuresInARow) async throws -> [String: [LinkCheck]] {
        try await driver.withDatabase { db in
            var histories: [String: [LinkCheck]] = [:]
            for row in try await db.raw("""
                SELECT * FROM (SELECT link_checks.*, ROW_NUMBER() OVER (PARTITION BY url ORDER BY checked_at DESC, id DESC) AS rank
                               FROM link_checks) ranked
                WHERE rank <= \(bind: limit) ORDER BY url, rank
                """).all() {
                let check = try LinkCheck(row: row)
                histories[check.url, default: []].append(check)
            }
            return histories
        }
    }

    /// When each network entered the catalogue (its first revision), by slug: an entry nobody has confirmed counts
    /// from then.
    public func firstRevisionDates() async throws -> [String: Date] {
        try await driver.withDatabase { db in
            var dates: [String: Date] = [:]
            for row in try await db.raw("SELECT entity_id, MIN(at) AS first FROM revisions WHERE entity = 'network' GROUP BY entity_id").all() {
                dates[try row.decode(column: "entity_id", as: String.self)] = try row.decode(column: "first", as: String?.self).flatMap(Timestamp.date)
            }
            return dates
        }
    }

    /// Every network's confirmation record, by slug.
    public func verifications() async throws -> [String: NetworkVerification] {
        try await driver.withDatabase { db in
            let rows = try await db.raw("SELECT * FROM network_verifications").all().map(NetworkVerification.init(row:))
            return Dictionary(rows.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        }
    }

    public func verification(slug: String) async throws -> NetworkVerification? {
        try await driver.withDatabase { db in
            try await db.raw("SELECT * FROM network_verifications WHERE network_slug = \(bind: slug)").first().map(NetworkVerification.init(row:))
        }
    }

    /// Records that a person confirmed the entry is still correct.
    public func confirmNetwork(slug: String, by who: String, at date: Date = Date()) async throws {
        try await driver.transaction { db in try await Self.confirm(db, slug: slug, by: who, at: date) }
    }

    /// Records that the focal points were reminded.
    public func markReminded(slug: String, at date: Date) async throws {
        try await driver.transaction { db in
            try await db.raw("""
                INSERT INTO network_verifications (network_slug, reminded_at) VALUES (\(bind: slug), \(bind: Timestamp.string(date)))
                ON CONFLICT (network_slug) DO UPDATE SET reminded_at = excluded.reminded_at
                """).run()
        }
    }

    /// Stores a "still correct" link for a focal point (the link carries the token; the store keeps its hash).
    public func createVerificationToken(hash: String, slug: String, accountID: Int64, at date: Date, expires: Date) async throws {
        try await driver.transaction { db in
            try await db.raw("""
                INSERT INTO verification_tokens (hash, network_slug, account_id, created_at, expires_at)
                VALUES (\(bind: hash), \(bind: slug), \(bind: accountID), \(bind: Timestamp.string(date)), \(bind: Timestamp.string(expires)))
                """).run()
        }
    }

    /// The network a usable "still correct" link is for, or the reason it cannot be used.
    public func verificationLink(hash: String, at date: Date) async throws -> (slug: String, accountID: Int64) {
        try await driver.withDatabase { db in
            let (slug, account) = try await Self.usableVerification(db, hash: hash, at: date)
            return (slug, account.id)
        }
    }

    /// Confirms a network through a "still correct" link, once.
    @discardableResult
    public func confirmNetwork(linkHash hash: String, at date: Date) async throws -> String {
        try await driver.transaction { db in
            let (slug, account) = try await Self.usableVerification(db, hash: hash, at: date)
            guard try await db.raw("""
                UPDATE verification_tokens SET used_at = \(bind: Timestamp.string(date)) WHERE hash = \(bind: hash) AND used_at IS NULL
                RETURNING hash
                """).first() != nil
            else { throw AccountError.linkUsed }
            try await Self.confirm(db, slug: slug, by: account.email, at: date)
            return slug
        }
    }

    static func confirm(_ db: any SQLDatabase, slug: String, by who: String, at date: Date) async throws {
        try await db.raw("""
            INSERT INTO network_verifications (network_slug, confirmed_at, confirmed_by)
            VALUES (\(bind: slug), \(bind: Timestamp.string(date)), \(bind: who))
            ON CONFLICT (network_slug) DO UPDATE SET confirmed_at = excluded.confirmed_at, confirmed_by = excluded.confirmed_by
            """).run()
    }

    /// The network a link is for, and the person it speaks for.
    static func usableVerification(_ db: any SQLDatabase, hash: String, at date: Date) async throws -> (slug: String, account: Account) {
        guard let row = try await db.raw("SELECT * FROM verification_tokens WHERE hash = \(bind: hash)").first() else {
            throw AccountError.linkUnknown
        }
        if try row.decode(column: "used_at", as: String?.self) != nil { throw AccountError.linkUsed }
        if try storedDate(row, "expires_at") <= date { throw AccountError.linkExpired }
        let slug = try row.decode(column: "network_slug", as: String.self), accountID = try row.decode(column: "account_id", as: Int64.self)
        // The link speaks for a focal point: it stops working when the person no longer is one (disabled, or moved).
        guard let account = try await findAccount(db, .id(accountID))?.account, !account.disabled,
              account.role >= .editor || (account.role == .focalPoint && account.networks.contains(slug))
        else { throw AccountError.linkUnknown }
        return (slug, account)
    }
}

extension LinkCheck {
    init(row: any SQLRow) throws {
        let outcomeText = try row.decode(column: "outcome", as: String.self)
        guard let outcome = LinkOutcome(rawValue: outcomeText) else {
            throw StoredDataError(column: "link_checks.outcome", value: outcomeText, rule: "is not an outcome")
        }
        self.init(url: try row.decode(column: "url", as: String.self), checkedAt: try storedDate(row, "checked_at"), outcome: outcome,
                  status: try row.decode(column: "http_status", as: Int?.self), finalURL: try row.decode(column: "final_url", as: String?.self),
                  detail: try row.decode(column: "detail", as: String?.self))
    }
}

extension NetworkVerification {
    init(row: any SQLRow) throws {
        slug = try row.decode(column: "network_slug", as: String.self)
        confirmedAt = try row.decode(column: "confirmed_at", as: String?.self).flatMap(Timestamp.date)
        confirmedBy = try row.decode(column: "confirmed_by", as: String?.self)
        remindedAt = try row.decode(column: "reminded_at", as: String?.self).flatMap(Timestamp.date)
    }
}
