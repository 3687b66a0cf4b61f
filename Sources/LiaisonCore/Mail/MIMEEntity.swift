import Foundation

/// A message or one of its parts as RFC 5322 and MIME (RFC 2045, 2046) make it, read from the bytes a mail server
/// hands over: its headers unfolded, its content type with parameters, the parts of a multipart, its body decoded
/// from base64 or quoted-printable.
///
/// What arrives is untrusted: the message is at most `maximumSize` bytes, a multipart has at most `maximumParts`
/// parts, and each step is one pass over its bytes (no backtracking, nothing quadratic in the input).
public struct MIMEEntity: Sendable {
    public struct Header: Sendable, Equatable {
        /// As written (compared without regard to case).
        public let name: String
        /// Unfolded, trimmed; bytes that are not UTF-8 replaced.
        public let value: String
    }

    /// A `Content-Type`: `type/subtype` in lower case, its parameters by lower-case name.
    public struct ContentType: Sendable, Equatable {
        public let type: String
        public let parameters: [String: String]

        /// `text/plain; charset=utf-8; format="flowed"`. Unreadable text gives `text/plain` (RFC 2045's default).
        public init(_ text: String) {
            let scalars = Array(text.unicodeScalars)
            var index = 0
            var type = ""
            while index < scalars.count, scalars[index] != ";" { type.unicodeScalars.append(scalars[index]); index += 1 }
            type = type.trimmingCharacters(in: .whitespaces).lowercased()
            var parameters: [String: String] = [:]
            while index < scalars.count {
                index += 1  // the ";"
                var name = ""
                while index < scalars.count, scalars[index] != "=", scalars[index] != ";" { name.unicodeScalars.append(scalars[index]); index += 1 }
                guard index < scalars.count, scalars[index] == "=" else { continue }
                index += 1
                while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
                var value = ""
                if index < scalars.count, scalars[index] == "\"" {
                    index += 1
                    while index < scalars.count, scalars[index] != "\"" {
                        if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                        value.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    while index < scalars.count, scalars[index] != ";" { index += 1 }
                } else {
                    while index < scalars.count, scalars[index] != ";" { value.unicodeScalars.append(scalars[index]); index += 1 }
                    value = value.trimmingCharacters(in: .whitespaces)
                }
                let key = name.trimmingCharacters(in: .whitespaces).lowercased()
                if !key.isEmpty, parameters[key] == nil { parameters[key] = value }
            }
            let halves = type.split(separator: "/", omittingEmptySubsequences: false)
            let valid = halves.count == 2 && halves.allSatisfy { !$0.isEmpty && !$0.contains(" ") }
            self.type = valid ? type : "text/plain"
            self.parameters = parameters
        }
    }

    public static let maximumSize = 10 * 1024 * 1024
    public static let maximumParts = 500
    static let maximumHeaders = 1_000

    public let headers: [Header]
    /// The body as it came, still in its transfer encoding.
    public let body: ArraySlice<UInt8>

    /// Reads a message or a part. `field` names it in a refusal.
    public init(parsing bytes: ArraySlice<UInt8>, field: String = "message") throws {
        guard bytes.count <= Self.maximumSize else {
            throw InputError.invalidValue(field: field, value: "\(bytes.count) bytes", rule: "must be at most \(Self.maximumSize) bytes")
        }
        var headers: [Header] = []
        // The header being read, its pieces joined once it ends (a header folded over many lines is not copied per line).
        var current: (name: String, pieces: [String])?
        func finish() {
            if let current { headers.append(Header(name: current.name, value: current.pieces.joined(separator: " "))) }
            current = nil
        }
        var index = bytes.startIndex
        var bodyStart = bytes.endIndex
        while index < bytes.endIndex {
            let end = bytes[index...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var line = bytes[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            let next = end < bytes.endIndex ? end + 1 : end
            if line.isEmpty { bodyStart = next; break }
            if line.first == 0x20 || line.first == 0x09 {
                // A folded line continues the header before it.
                current?.pieces.append(Self.text(line).trimmingCharacters(in: .whitespaces))
            } else if let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                      line[..<colon].allSatisfy({ (0x21...0x7E).contains($0) }) {
                finish()
                guard headers.count < Self.maximumHeaders else {
                    throw InputError.invalidValue(field: field, value: "\(headers.count)+ headers", rule: "must have at most \(Self.maximumHeaders) headers")
                }
                current = (Self.text(line[..<colon]), [Self.text(line[(colon + 1)...]).trimmingCharacters(in: .whitespaces)])
            } else {
                // Anything else in the headers (an mbox "From " line) is passed over.
                finish()
            }
            index = next
        }
        finish()
        self.headers = headers
        self.body = bytes[min(bodyStart, bytes.endIndex)...]
    }

    public init(parsing bytes: [UInt8], field: String = "message") throws {
        try self.init(parsing: bytes[...], field: field)
    }

    /// The first header of that name, whatever its case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    public var contentType: ContentType {
        ContentType(header("Content-Type") ?? "text/plain")
    }

    /// The parts of a multipart (none for any other type, or without a boundary): the text between its boundary
    /// lines, up to the closing one.
    public func parts(field: String = "message") throws -> [MIMEEntity] {
        let type = contentType
        guard type.type.hasPrefix("multipart/"), let boundary = type.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200
        else { return [] }
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [MIMEEntity] = []
        var start: Int?
        var index = body.startIndex
        while index < body.endIndex {
            let end = body[index...].firstIndex(of: 0x0A) ?? body.endIndex
            var line = body[index..<end]
            if line.last == 0x0D { line = line.dropLast() }
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closes = rest.starts(with: [0x2D, 0x2D])
                if closes || rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    if let start {
                        // The line break before a boundary line belongs to the boundary.
                        var stop = index
                        if stop > start, body[stop - 1] == 0x0A { stop -= 1 }
                        if stop > start, body[stop - 1] == 0x0D { stop -= 1 }
                        guard parts.count < Self.maximumParts else {
                            throw InputError.invalidValue(field: field, value: "\(parts.count)+ parts", rule: "must have at most \(Self.maximumParts) parts")
                        }
                        parts.append(try MIMEEntity(parsing: body[start..<stop], field: field))
                    }
                    if closes { return parts }
                    start = end < body.endIndex ? end + 1 : end
                }
            }
            index = end < body.endIndex ? end + 1 : end
        }
        return parts
    }

    /// The body without its transfer encoding (base64 or quoted-printable; any other is taken as it is).
    public var decodedBody: [UInt8] {
        switch header("Content-Transfer-Encoding")?.lowercased().trimmingCharacters(in: .whitespaces) {
        case "base64": Self.base64(body)
        case "quoted-printable": Self.quotedPrintable(body)
        default: Array(body)
        }
    }

    /// The decoded body as text (UTF-8; bytes that are not, replaced).
    public var text: String { String(decoding: decodedBody, as: UTF8.self) }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    static func base64(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var kept = bytes.filter { byte in
            (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2F
        }
        // Padding put back, whatever the message had; a dangling character cannot make a byte and is dropped.
        if kept.count % 4 == 1 { kept.removeLast() }
        while kept.count % 4 != 0 { kept.append(0x3D) }
        return Data(base64Encoded: Data(kept)).map(Array.init) ?? []
    }

    static func quotedPrintable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 0x30...0x39: byte - 0x30
            case 0x41...0x46: byte - 0x41 + 10
            case 0x61...0x66: byte - 0x61 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == 0x3D else { out.append(byte); index += 1; continue }
            let rest = bytes[(index + 1)...]
            if let high = rest.first.flatMap(hex), let low = rest.dropFirst().first.flatMap(hex) {
                out.append(high << 4 | low)
                index += 3
            } else if rest.starts(with: [0x0D, 0x0A]) {
                index += 3  // a soft line break
            } else if rest.first == 0x0A {
                index += 2
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }
}
