import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which addresses the link checker may open. Network entries are written by people outside the platform (focal
/// points, accepted proposals), and any site may redirect: the checker must not become a way to reach the
/// machine's own services or the private network behind it. Only http and https on the usual ports, to names
/// that resolve to public addresses only.
struct AddressPolicy: Sendable {
    /// Tests check a local web site of their own.
    var allowPrivate = false

    /// Why an address may not be opened, or nil.
    func refusal(_ url: URL) -> String? {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else { return "not an http or https address" }
        guard let host = url.host, !host.isEmpty else { return "no host" }
        if allowPrivate { return nil }
        if let port = url.port, ![80, 443].contains(port) { return "port \(port) is not one a public web site uses (80, 443)" }
        let addresses = Self.resolve(host)
        guard !addresses.isEmpty else { return nil }  // The request itself will say that the name does not resolve.
        if let inside = addresses.first(where: Self.isPrivate) { return "\(host) is a private or local address (\(inside))" }
        return nil
    }

    /// The IPv4 and IPv6 addresses a name resolves to, as text.
    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            node = current.pointee.ai_next
        }
        return addresses
    }

    /// Loopback, private, link-local, shared (CGNAT), unspecified, multicast, and IPv6 unique-local or mapped ones.
    static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower.contains(":") {
            if lower == "::1" || lower == "::" { return true }
            if lower.hasPrefix("fe80") || lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower.hasPrefix("ff") { return true }
            if lower.hasPrefix("::ffff:") { return isPrivate(String(lower.dropFirst(7))) }
            return false
        }
        let parts = lower.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return true }
        switch (parts[0], parts[1]) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168), (224...255, _): return true
        case (172, 16...31), (100, 64...127), (192, 0), (198, 18...19): return true
        default: return false
        }
    }
}
