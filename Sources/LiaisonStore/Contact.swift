import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// Forgets which client addresses wrote before `date` (the cleaner runs it; the limit needs only the last hour).
    public func purgeContactRequests(before date: Date) async throws {
        try await driver.withDatabase { db in
            try await db.raw("DELETE FROM contact_requests WHERE created_at < \(bind: Timestamp.string(date))").run()
        }
    }

    /// Queues a message to the secretariat and counts it against the client address, in one transaction; refused
    /// (throttled) when the address wrote `perHour` times in the last hour. Rows older than a day are removed.
    public func queueContactMessage(_ message: MailMessage, address: String, perHour: Int = 5, at date: Date = Date()) async throws {
        let since = Timestamp.string(date.addingTimeInterval(-3600))
        let postgres = driver.dialect == .postgresql
        try await driver.transaction { db in
            if postgres { try await db.raw("SELECT pg_advisory_xact_lock(\(bind: Self.attemptLock))").run() }
            try await db.raw("DELETE FROM contact_requests WHERE created_at < \(bind: Timestamp.string(date.addingTimeInterval(-86_400)))").run()
            let recent = try await db.raw("""
                SELECT count(*) AS n, min(created_at) AS oldest FROM contact_requests WHERE address = \(bind: address) AND created_at > \(bind: since)
                """).first()
            if try (recent?.decode(column: "n", as: Int.self) ?? 0) >= perHour {
                let oldest = try recent?.decode(column: "oldest", as: String?.self).flatMap(Timestamp.date) ?? date
                throw AccountError.throttled(until: oldest.addingTimeInterval(3600))
            }
            try await db.raw("INSERT INTO contact_requests (address, created_at) VALUES (\(bind: address), \(bind: Timestamp.string(date)))").run()
            _ = try await Self.enqueue(db, message, at: date)
        }
    }
}
