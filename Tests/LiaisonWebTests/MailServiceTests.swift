import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import Testing
@testable import LiaisonWeb

/// The service `liaison serve` runs: it delivers what is queued without being asked.
@Suite struct MailServiceTests {
    @Test func queuedMailIsDeliveredByTheRunningService() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-mailservice-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await CatalogueStore.open(.sqlite(dataDirectory: directory.path))
        try await store.migrate()
        let mail = directory.appendingPathComponent("mail")
        let sender = MailSender(store: store, transport: FileMailTransport(directory: mail), from: "liaison@example.org")
        let service = Task { try await MailService(sender: sender, interval: .milliseconds(50), logger: Logger(label: "test")).run() }
        let id = try await store.enqueue(try MailMessage(to: "a@example.org", subject: "Hello", text: "x", language: .en))
        let file = mail.appendingPathComponent(String(format: "%08lld.eml", id))
        var waited = 0
        while !FileManager.default.fileExists(atPath: file.path), waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        service.cancel()
        _ = await service.result
        #expect(FileManager.default.fileExists(atPath: file.path))
        #expect(try await store.outbox().first?.sentAt != nil)
        try await store.close()
    }
}
