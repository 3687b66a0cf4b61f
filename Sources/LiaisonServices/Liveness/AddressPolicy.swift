import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which addresses the link checker may open. Network entries are written by people outside the platform (focal
/// points, accepted proposals), and any site may redirect: the checker must not become a way to reach the
/// machine's own services or the private network behind it. Only http and https on the usual ports, to names
/// that resolve to public addresses only.
struct AddressPolicy: Sendable {
    /// What the policy decides for an address: refused (why), or opened by connecting to `address` — the very
    /// address that was checked, so that a name answering differently a moment later (DNS rebinding) cannot
    /// send the request elsewhere.
    enum Decision: Equatable {
        case refused(String)
        case open(address: String)
    }

    /// Tests check a local web site of their own.
    var allowPrivate = false
    /// The addresses a name resolves to (tests give names of their own).
    var resolver: @Sendable (String) -> [String] = AddressPolicy.resolve

    /// Whether an address may be opened, and the address to connect to. Name resolution blocks, so it runs on a
    /// thread of its own, not on the threads that answer requests.
    func decide(_ url: URL) async -> Decision {
        guard let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else { return .refused("not an http or https address") }
        guard let host = url.host, !host.isEmpty else { return .refused("no host") }
        if !allowPrivate, let port = url.port, ![80, 443].contains(port) { return .refused("port \(port) is not one a public web site uses (80, 443)") }
        let resolver = self.resolver
        let addresses = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: resolver(host)) }
        }
        // A name that does not resolve is not tried: a resolver that fails once and answers later must not pick the address.
        guard !addresses.isEmpty else { return .refused("the name \(host) does not resolve") }
        if !allowPrivate, let inside = addresses.first(where: Self.isPrivate) { return .refused("\(host) is a private or local address (\(inside))") }
        // IPv4 first: the address most machines can reach.
        return .open(address: addresses.first { !$0.contains(":") } ?? addresses[0])
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

    /// Loopback, private, link-local, shared (CGNAT), benchmarking, unspecified, multicast and reserved IPv4; IPv6
    /// loopback, unspecified, link- and site-local, unique-local, multicast, and IPv6 forms that carry an IPv4
    /// address (mapped, compatible, NAT64, 6to4) when that address is one of those. Checked on the bytes.
    static func isPrivate(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return isPrivate(v4: withUnsafeBytes(of: v4.s_addr) { Array($0) })
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return true }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b.allSatisfy({ $0 == 0 }) || (b[0..<15].allSatisfy { $0 == 0 } && b[15] == 1) { return true }
        if b[0] == 0xFE && (b[1] & 0xC0 == 0x80 || b[1] & 0xC0 == 0xC0) { return true }  // fe80::/10, fec0::/10
        if b[0] & 0xFE == 0xFC || b[0] == 0xFF { return true }  // fc00::/7, ff00::/8
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return isPrivate(v4: Array(b[12..<16])) }  // ::ffff:a.b.c.d
        if b[0..<12].allSatisfy({ $0 == 0 }) { return isPrivate(v4: Array(b[12..<16])) }  // ::a.b.c.d
        if b[0] == 0x00, b[1] == 0x64, b[2] == 0xFF, b[3] == 0x9B { return isPrivate(v4: Array(b[12..<16])) }  // 64:ff9b::/96
        if b[0] == 0x20, b[1] == 0x02 { return isPrivate(v4: Array(b[2..<6])) }  // 2002::/16 (6to4)
        return false
    }

    static func isPrivate(v4 b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168), (224...255, _): return true
        case (172, 16...31), (100, 64...127), (198, 18...19): return true
        case (192, 0): return b[2] == 0 || b[2] == 2  // 192.0.0.0/24, 192.0.2.0/24
        default: return false
        }
    }
}
