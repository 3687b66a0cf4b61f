import Foundation
import Hummingbird
import LiaisonServices
import Logging
import Metrics
import Prometheus

/// `/metrics` in Prometheus's text format, on a port of its own (`--metrics-port`, listening on 127.0.0.1 unless
/// `--metrics-host` says otherwise), never on the public site: requests by route (the route's pattern, never the path
/// asked) and status, with their durations (Hummingbird's `MetricsMiddleware`); the snapshot's revision and age and how
/// long whole loads took; the outbox's queue, deliveries and failures; link-check failures; sign-in failures.
public enum Telemetry {
    /// Sends every metric the process records to the registry `/metrics` reads: called once before the services are
    /// built (so that the first load is counted), and again (doing nothing) when the router is.
    public static func start() {
        bootstrapped
    }

    /// The registry every metric of the process is kept in.
    static let registry = PrometheusCollectorRegistry()

    /// swift-metrics hands every metric the process records to the registry: done once, before the first request.
    static let bootstrapped: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                                   .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                                                   .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30)]
        factory.nameAndLabelSanitizer = { name, labels in (Self.metricName(name), labels.map { (Self.sanitized($0.0), $0.1) }) }
        MetricsSystem.bootstrap(factory)
    }()

    /// Hummingbird's names in Liaison's family: `liaison_http_…`; any character Prometheus does not take becomes `_`.
    static func metricName(_ name: String) -> String {
        switch name {
        case "hb.requests": "liaison_http_requests_total"
        case "hb.request.errors": "liaison_http_request_errors_total"
        case "http.server.request.duration": "liaison_http_request_duration_seconds"
        case "http.server.active_requests": "liaison_http_active_requests"
        default: sanitized(name)
        }
    }

    static func sanitized(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" ? scalar : "_"
        }))
    }

    static let revision = registry.makeGauge(descriptor: .init(metricName: "liaison_snapshot_revision", helpText: "The catalogue revision the snapshot answering reads is at."))
    static let age = registry.makeGauge(descriptor: .init(metricName: "liaison_snapshot_age_seconds", helpText: "Seconds since the snapshot answering reads was taken in."))
    static let queued = registry.makeGauge(descriptor: .init(metricName: "liaison_outbox_queued", helpText: "Messages waiting in the outbox to be delivered."))
    static let failed = registry.makeGauge(descriptor: .init(metricName: "liaison_outbox_given_up", helpText: "Messages given up after their last attempt, kept for an administrator."))
    static let databaseUp = registry.makeGauge(descriptor: .init(metricName: "liaison_database_up", helpText: "1 when the database answered the last scrape, 0 when it did not."))

    /// The text of one scrape: the figures read now, then every metric.
    static func scrape(_ services: Services) async -> [UInt8] {
        let figures = await services.operationalFigures()
        revision.set(Double(figures.revision))
        age.set(Date().timeIntervalSince(figures.snapshotTakenIn))
        databaseUp.set(figures.outboxQueued == nil ? 0.0 : 1.0)
        if let queuedNow = figures.outboxQueued, let failedNow = figures.outboxFailed {
            queued.set(Double(queuedNow))
            failed.set(Double(failedNow))
        }
        return registry.emitToBuffer()
    }

    /// The application that serves `/metrics` alone, on the metrics port.
    static func application(_ services: Services, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: await scrape(services))))
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "Liaison metrics"), logger: logger)
    }
}
