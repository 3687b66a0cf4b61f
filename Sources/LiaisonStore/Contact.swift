import Foundation
import LiaisonCore
import SQLKit

extension CatalogueStore {
    /// Queues a message to the secretariat and counts it against the client address (the request log, as password
    /// resets are), in one transaction; refused (throttled) when the address wrote `perHour` times in the last hour.
    public func queueContactMessage(_ message: MailMessage, address: String, perHour: Int = 5, at date: Date = Date()) async throws {
        let dialect = driver.dialect
        try await driver.transaction { db in
            try await Self.recordRequest(db, dialect: dialect, kind: "contact", address: address, limit: perHour, at: date)
            _ = try await Self.enqueue(db, message, at: date)
        }
    }
}
