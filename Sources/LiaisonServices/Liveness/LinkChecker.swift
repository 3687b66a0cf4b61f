import AsyncHTTPClient
import Foundation
import LiaisonCore
import NIOCore
import NIOHTTP1

/// Checks addresses over HTTP: a GET with an honest User-Agent, redirects followed one by one up to a limit
/// (so that a loop is named as one), a time limit for each, a bounded number at once.
public struct LinkChecker: Sendable {
    public var timeout: TimeAmount = .seconds(15)
    public var maximumRedirects = 5
    public var concurrency = 8
    public var userAgent: String
    /// Which addresses may be opened (each hop of a redirect is checked too).
    var policy = AddressPolicy()

    /// `site`: the address of this Liaison, named in the User-Agent so that a site's owner knows who asks.
    public init(site: String) {
        userAgent = "Liaison link checker/1.0 (+\(site)/about)"
    }

    /// Checks every address (each once, however often given), `concurrency` at a time; `progress` hears each result.
    public func check(_ urls: [String], at date: @escaping @Sendable () -> Date = { Date() },
                      progress: @escaping @Sendable (Int, Int, LinkCheck) -> Void = { _, _, _ in }) async -> [LinkCheck] {
        let unique = Array(Set(urls)).sorted()
        var results: [LinkCheck] = []
        await withTaskGroup(of: LinkCheck.self) { group in
            var next = 0
            func start() {
                guard next < unique.count else { return }
                let url = unique[next]
                next += 1
                group.addTask { await self.check(url, at: date()) }
            }
            for _ in 0..<min(concurrency, unique.count) { start() }
            while let result = await group.next() {
                results.append(result)
                progress(results.count, unique.count, result)
                start()
            }
        }
        return results.sorted { $0.url < $1.url }
    }

    /// The client of one request: it connects to `address` (what the policy checked) whatever the name resolves to
    /// by then, while the request, its Host header and the TLS certificate check still use the name.
    func client(pinning host: String, to address: String) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: timeout))
        configuration.decompression = .disabled
        configuration.dnsOverride = [host: address]
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Asks once: the status and headers, the start of the body read (enough to know it answered).
    func fetch(_ url: URL, address: String) async throws -> (status: HTTPResponseStatus, headers: HTTPHeaders) {
        let client = client(pinning: url.host ?? "", to: address)
        do {
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: userAgent)
            request.headers.add(name: "Accept", value: "text/html,application/xhtml+xml,*/*;q=0.8")
            let response = try await client.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            try? await client.shutdown()
            return (response.status, response.headers)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    func check(_ url: String, at date: Date) async -> LinkCheck {
        guard let start = URL(string: url) else {
            return LinkCheck(url: url, checkedAt: date, outcome: .invalid, status: nil, detail: "not an address")
        }
        var current = start
        var seen: [String] = [url]
        for _ in 0...maximumRedirects {
            let address: String
            switch await policy.decide(current) {
            case let .refused(reason):
                return LinkCheck(url: url, checkedAt: date, outcome: .invalid, status: nil,
                                 finalURL: current.absoluteString == url ? nil : current.absoluteString, detail: "not checked: " + reason)
            case let .open(checked):
                address = checked
            }
            let response: (status: HTTPResponseStatus, headers: HTTPHeaders)
            do {
                response = try await fetch(current, address: address)
            } catch {
                return LinkCheck(url: url, checkedAt: date, outcome: Self.isTimeout(error) ? .timeout : .unreachable, status: nil,
                                 finalURL: current.absoluteString == url ? nil : current.absoluteString, detail: String(describing: error))
            }
            let status = Int(response.status.code)
            let final = current.absoluteString == url ? nil : current.absoluteString
            switch status {
            case 300..<400:
                guard let location = response.headers.first(name: "Location"), let target = URL(string: location, relativeTo: current)?.absoluteURL
                else {
                    return LinkCheck(url: url, checkedAt: date, outcome: .httpError, status: status, finalURL: final,
                                     detail: "a redirect without a Location")
                }
                if seen.contains(target.absoluteString) {
                    return LinkCheck(url: url, checkedAt: date, outcome: .tooManyRedirects, status: status, finalURL: final,
                                     detail: "redirects in a loop: " + (seen + [target.absoluteString]).joined(separator: " → "))
                }
                seen.append(target.absoluteString)
                current = target
            case 200..<300:
                return LinkCheck(url: url, checkedAt: date, outcome: .ok, status: status, finalURL: final)
            default:
                return LinkCheck(url: url, checkedAt: date, outcome: .httpError, status: status, finalURL: final,
                                 detail: "HTTP \(status) \(response.status.reasonPhrase)")
            }
        }
        return LinkCheck(url: url, checkedAt: date, outcome: .tooManyRedirects, status: nil, finalURL: current.absoluteString,
                         detail: "more than \(maximumRedirects) redirects: " + seen.joined(separator: " → "))
    }

    static func isTimeout(_ error: any Error) -> Bool {
        if let error = error as? HTTPClientError {
            return [HTTPClientError.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error)
        }
        return String(describing: error).lowercased().contains("timeout") || String(describing: error).lowercased().contains("timed out")
    }
}
