import LiaisonServices
import Logging
import ServiceLifecycle

/// Runs the liveness check once a day (the first run a little after start), until the application stops.
struct LivenessDaily: Service {
    let liveness: LivenessMonitor
    let firstRunAfter: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: firstRunAfter)
            try await repeatUntilShutdown(every: .seconds(24 * 3600)) {
                do {
                    let done = try await liveness.run()
                    logger.info("""
                        links: \(done.checked) checked, \(done.failed.count) failed; \(done.needingVerification.count) networks need \
                        verification; \(done.reminders) reminders queued
                        """)
                } catch {
                    logger.error("links: the check could not run: \(String(describing: error))")
                }
            }
        }
    }
}
