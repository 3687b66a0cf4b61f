import Foundation

/// A fast reader for the common case of a bulk-format line: one JSON object with exactly the bulk keys.
///
/// Foundation's `JSONDecoder` took most of the reading time of a large import (12 s of 235 MB). This reader
/// scans the bytes once. It accepts only what it is sure `JSONDecoder` reads the same way: the bulk format's
/// own snake_case keys, each once, values of the expected JSON types, valid UTF-8. For anything else —
/// an unknown key, a missing field, a number with a fraction, a syntax error — it returns nil, and the line
/// goes to `JSONDecoder`, whose errors name the line, the field and the rule.
struct BulkLineReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// The record on `line`, or nil when the line needs `JSONDecoder`.
    static func read(_ line: Data.SubSequence) -> BulkRecord? {
        line.withUnsafeBytes { buffer in
            var reader = BulkLineReader(buffer)
            return reader.record()
        }
    }

    private mutating func record() -> BulkRecord? {
        var id: Int??, slug: String?, name: String?, acronym: String??, region: String?, purpose: String??
        var founded: Int??, status: String?, memberships: [BulkRecord.BulkMembership]?
        guard consume(UInt8(ascii: "{")) else { return nil }
        if !consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = string(), consume(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "id" where id == nil: guard let value = optional({ $0.integer() }) else { return nil }; id = value
                case "slug" where slug == nil: guard let value = string() else { return nil }; slug = value
                case "name" where name == nil: guard let value = string() else { return nil }; name = value
                case "acronym" where acronym == nil: guard let value = optional({ $0.string() }) else { return nil }; acronym = value
                case "region" where region == nil: guard let value = string() else { return nil }; region = value
                case "purpose" where purpose == nil: guard let value = optional({ $0.string() }) else { return nil }; purpose = value
                case "founded" where founded == nil: guard let value = optional({ $0.integer() }) else { return nil }; founded = value
                case "status" where status == nil: guard let value = string() else { return nil }; status = value
                case "memberships" where memberships == nil: guard let value = membershipList() else { return nil }; memberships = value
                default: return nil  // an unknown or repeated key: JSONDecoder decides
                }
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { return nil }
        }
        skipWhitespace()
        guard position == bytes.count, let slug, let name, let region, let status, let memberships else { return nil }
        return BulkRecord(id: id ?? nil, slug: slug, name: name, acronym: acronym ?? nil, region: region, purpose: purpose ?? nil,
                          founded: founded ?? nil, status: status, memberships: memberships)
    }

    private mutating func membershipList() -> [BulkRecord.BulkMembership]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var list: [BulkRecord.BulkMembership] = []
        if consume(UInt8(ascii: "]")) { return list }
        repeat {
            guard consume(UInt8(ascii: "{")) else { return nil }
            var code: String?, role: String?
            repeat {
                guard let key = string(), consume(UInt8(ascii: ":")) else { return nil }
                switch key {
                case "country_code" where code == nil: code = string()
                case "role" where role == nil: role = string()
                default: return nil
                }
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")), let code, let role else { return nil }
            list.append(BulkRecord.BulkMembership(countryCode: code, role: role))
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? list : nil
    }

    // MARK: JSON values

    /// `null` as `.some(nil)`, a value as `.some(value)`, anything else as nil.
    private mutating func optional<T>(_ value: (inout BulkLineReader) -> T?) -> T?? {
        skipWhitespace()
        if matches("null") { return .some(nil) }
        return value(&self).map { .some($0) }
    }

    private mutating func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[position + offset] != literal.utf8Start[offset] { return false }
        position += count
        return true
    }

    /// A whole number without fraction or exponent, within `Int`.
    private mutating func integer() -> Int? {
        skipWhitespace()
        let start = position
        if position < bytes.count, bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) { position += 1 }
        let digits = position - digitsStart
        guard digits > 0, digits <= 18, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return nil }
        if position < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[position]) { return nil }
        return Int(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
    }

    /// A string: plain runs copied whole, escapes decoded; invalid UTF-8 or a bad escape gives nil.
    private mutating func string() -> String? {
        skipWhitespace()
        guard consume(UInt8(ascii: "\""), skippingWhitespace: false) else { return nil }
        var decoded: [UInt8] = []
        var runStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                if decoded.isEmpty { return String(validating: run, as: UTF8.self) }
                decoded.append(contentsOf: run)
                return String(validating: decoded, as: UTF8.self)
            }
            if byte < 0x20 { return nil }  // control characters must be escaped
            if byte == UInt8(ascii: "\\") {
                decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<position]))
                position += 1
                guard position < bytes.count else { return nil }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    decoded.append(contentsOf: String(Character(scalar)).utf8)
                default: return nil
                }
                runStart = position
                continue
            }
            position += 1
        }
        return nil  // no closing quote
    }

    /// The scalar of `\uXXXX` (the `\u` read already), joining a surrogate pair; nil for a lone surrogate.
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if (0xD800..<0xDC00).contains(high) {
            guard matches("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            position += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func skipWhitespace() {
        while position < bytes.count,
              [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[position]) {
            position += 1
        }
    }

    private mutating func consume(_ byte: UInt8, skippingWhitespace: Bool = true) -> Bool {
        if skippingWhitespace { skipWhitespace() }
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }
}
