import Foundation
import LiaisonCore
import LiaisonStore
import Logging
import Testing
@testable import LiaisonServices
@testable import LiaisonWeb

/// The service `liaison serve` runs: it delivers what is queued without being asked.
@Suite struct MailServiceTests {
    @Test func queuedMailIsDeliveredByTheRunningService() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("liaison-mailservice-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await CatalogueStore.open(.sqlite(dataDirectory: directory.path))
        try await store.migrate()
        let mail = directory.appendingPathComponent("mail")
        let sender = try MailSender(store: store, transport: FileMailTransport(directory: mail), from: "liaison@example.org")
        let service = Task { try await MailService(sender: sender, interval: .milliseconds(50), logger: Logger(label: "test")).run() }
        let id = try await store.enqueue(try MailMessage(to: "a@example.org", subject: "Hello", text: "x", language: .en))
        let file = mail.appendingPathComponent(String(format: "%08lld.eml", id))
        // Delivered and marked sent (the file is written first, the mark follows). Other suites running at the
        // same time can keep both threads of a 2-core machine busy for seconds: up to a minute is allowed.
        var waited = 0
        while try await store.outbox().first?.sentAt == nil, waited < 1_200 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        service.cancel()
        _ = await service.result
        #expect(try await store.outbox().first?.sentAt != nil)
        #expect(FileManager.default.fileExists(atPath: file.path))
        try await store.close()
    }
}
