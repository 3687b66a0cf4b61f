import Foundation
import Hummingbird

/// The API's JSON encoder: writes bytes straight from `Encodable` values, with snake_case keys.
///
/// Foundation's `JSONEncoder` builds a tree of every value, converts every key to snake_case through
/// Unicode-aware string operations and then serialises the tree; on the catalogue's largest answers that
/// was most of the time a request took (see bench/README.md). This encoder writes as it goes:
/// struct keys in declaration order, converted to snake_case exactly as `JSONEncoder`'s
/// `.convertToSnakeCase` does for ASCII keys; dictionary keys unchanged and sorted; dates in ISO 8601 (UTC,
/// whole seconds); no escaping of "/". Non-finite numbers are refused with an `EncodingError`.
public struct StreamingJSONEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> [UInt8] {
        let writer = JSONByteWriter()
        try writer.encodeValue(value)
        return writer.bytes
    }
}

extension StreamingJSONEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Self.response(try encode(value))
    }

    /// A 200 answer with JSON bytes.
    static func response(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(bytes.count)],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Dictionaries keyed by strings: their keys are data, written unchanged and in sorted order.
private protocol StringKeyedDictionary {
    func encodeEntries(to writer: JSONByteWriter) throws
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    fileprivate func encodeEntries(to writer: JSONByteWriter) throws {
        writer.bytes.append(UInt8(ascii: "{"))
        for (index, key) in keys.sorted().enumerated() {
            if index > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            writer.writeString(key)
            writer.bytes.append(UInt8(ascii: ":"))
            try writer.encodeValue(self[key]!)
        }
        writer.bytes.append(UInt8(ascii: "}"))
    }
}

/// The output and the stack of open containers. Containers are written in sequence (as synthesised
/// `encode(to:)` implementations do): writing to a container closes the containers opened inside it
/// since, and every container a value opened is closed when its `encode(to:)` returns.
final class JSONByteWriter: Encoder {
    var bytes: [UInt8] = []
    /// Open containers: whether each is an object, and how many elements it has so far.
    private var open: [(isObject: Bool, count: Int)] = []
    /// Not tracked: no value the API encodes reads it, and keeping it costs an allocation per key.
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init() { bytes.reserveCapacity(4096) }

    /// Writes a whole value: scalars directly, anything else through its `encode(to:)`.
    func encodeValue<T: Encodable>(_ value: T) throws {
        switch value {
        case let string as String: writeString(string)
        case let number as Int: writeInteger(number)
        case let number as Double: try writeDouble(number)
        case let flag as Bool: bytes.append(contentsOf: flag ? Self.trueBytes : Self.falseBytes)
        case let date as Date: writeString(Self.iso8601(date))
        case let url as URL: writeString(url.absoluteString)
        case let dictionary as any StringKeyedDictionary: try dictionary.encodeEntries(to: self)
        default:
            let depth = open.count
            let start = bytes.count
            try value.encode(to: self)
            closeContainers(downTo: depth)
            if bytes.count == start { bytes.append(contentsOf: Self.emptyObject) }  // as JSONEncoder does
        }
    }

    // MARK: Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedWriter<Key>(writer: self, depth: openContainer(isObject: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedWriter(writer: self, depth: openContainer(isObject: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueWriter(writer: self) }

    private func openContainer(isObject: Bool) -> Int {
        bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
        open.append((isObject, 0))
        return open.count
    }

    func closeContainers(downTo depth: Int) {
        while open.count > depth {
            bytes.append(open.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Prepares the container at `depth` for its next element: closes what was opened inside it, writes a comma.
    func nextElement(in depth: Int) {
        closeContainers(downTo: depth)
        if open[depth - 1].count > 0 { bytes.append(UInt8(ascii: ",")) }
        open[depth - 1].count += 1
    }

    func writeKey(_ key: some CodingKey, in depth: Int) {
        nextElement(in: depth)
        writeSnakeCaseKey(key.stringValue)
        bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Scalars

    static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8), nullBytes = Array("null".utf8)
    static let emptyObject = Array("{}".utf8)
    static let hex = Array("0123456789abcdef".utf8)

    func writeNull() { bytes.append(contentsOf: Self.nullBytes) }

    func writeInteger<T: BinaryInteger>(_ value: T) { Self.appendInteger(value, to: &bytes) }

    func writeDouble(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not a JSON number"))
        }
        Self.appendDouble(value, to: &bytes)
    }

    func writeString(_ string: String) { Self.appendQuoted(string, to: &bytes) }

    // The byte-level writers take the output `inout`: one access to it per value, not one per byte.

    static func appendInteger<T: BinaryInteger>(_ value: T, to bytes: inout [UInt8]) {
        if value == 0 { bytes.append(UInt8(ascii: "0")); return }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits least significant first, then turned around in place.
        let start = bytes.count
        var rest = value.magnitude
        while rest > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        }
        bytes[start...].reverse()
    }

    /// Whole numbers as integers, as JSONEncoder writes them; others in Swift's shortest form.
    /// A value that is not finite has no JSON form: `null` (callers that can meet one refuse it first).
    static func appendDouble(_ value: Double, to bytes: inout [UInt8]) {
        if !value.isFinite {
            bytes.append(contentsOf: nullBytes)
        } else if value.rounded() == value, abs(value) < 1e15 {
            appendInteger(Int64(value), to: &bytes)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// A JSON string: runs of bytes that need no escape are copied whole.
    static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` for ASCII keys: words split where a lowercase
    /// letter meets an uppercase one, and before the last capital of a run of capitals followed by a
    /// lowercase letter ("myURLValue" → "my_url_value"); everything lowercased.
    func writeSnakeCaseKey(_ key: String) { Self.appendSnakeCaseKey(key, to: &bytes) }

    static func appendSnakeCaseKey(_ key: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = Array(key.utf8)
        func isUpper(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
        func isLower(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
        for (index, byte) in utf8.enumerated() {
            if isUpper(byte) {
                if index > 0 {
                    let previous = utf8[index - 1]
                    let next = index + 1 < utf8.count ? utf8[index + 1] : 0
                    if !isUpper(previous) || isLower(next) { bytes.append(UInt8(ascii: "_")) }
                }
                bytes.append(byte + 32)
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                bytes.append(UInt8(ascii: "_"))  // never in our keys; kept out of the output all the same
            } else {
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `2026-11-29T19:01:42Z`: the form `JSONEncoder.DateEncodingStrategy.iso8601` writes.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = String(parts.tm_year + 1900)
        return "\(year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}

private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONByteWriter
    let depth: Int
    var codingPath: [any CodingKey] { writer.codingPath }

    mutating func encodeNil(forKey key: Key) throws {
        writer.writeKey(key, in: depth)
        writer.writeNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        writer.writeKey(key, in: depth)
        writer.bytes.append(contentsOf: value ? JSONByteWriter.trueBytes : JSONByteWriter.falseBytes)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        writer.writeKey(key, in: depth)
        writer.writeString(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        writer.writeKey(key, in: depth)
        writer.writeInteger(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        writer.writeKey(key, in: depth)
        try writer.writeDouble(value)
    }

    mutating func encode(_ value: Int8, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { writer.writeKey(key, in: depth); writer.writeInteger(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { writer.writeKey(key, in: depth); try writer.writeDouble(Double(value)) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        writer.writeKey(key, in: depth)
        try writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.writeKey(key, in: depth)
        return writer.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.writeKey(key, in: depth)
        return writer.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        writer.writeKey(SuperKey.super, in: depth)
        return writer
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        writer.writeKey(key, in: depth)
        return writer
    }
}

private enum SuperKey: String, CodingKey { case `super` }

private struct UnkeyedWriter: UnkeyedEncodingContainer {
    let writer: JSONByteWriter
    let depth: Int
    private(set) var count = 0
    var codingPath: [any CodingKey] { writer.codingPath }

    init(writer: JSONByteWriter, depth: Int) {
        self.writer = writer
        self.depth = depth
    }

    mutating func encodeNil() throws {
        writer.nextElement(in: depth)
        count += 1
        writer.writeNull()
    }

    mutating func encode(_ value: String) throws {
        writer.nextElement(in: depth)
        count += 1
        writer.writeString(value)
    }

    mutating func encode(_ value: Int8) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: Int) throws { writer.nextElement(in: depth); count += 1; writer.writeInteger(value) }
    mutating func encode(_ value: Bool) throws { writer.nextElement(in: depth); count += 1; try writer.encodeValue(value) }
    mutating func encode(_ value: Double) throws { writer.nextElement(in: depth); count += 1; try writer.writeDouble(value) }
    mutating func encode(_ value: Float) throws { writer.nextElement(in: depth); count += 1; try writer.writeDouble(Double(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        writer.nextElement(in: depth)
        count += 1
        try writer.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        writer.nextElement(in: depth)
        count += 1
        return writer.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        writer.nextElement(in: depth)
        count += 1
        return writer.unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        writer.nextElement(in: depth)
        count += 1
        return writer
    }
}

private struct SingleValueWriter: SingleValueEncodingContainer {
    let writer: JSONByteWriter
    var codingPath: [any CodingKey] { writer.codingPath }

    mutating func encodeNil() throws { writer.writeNull() }
    mutating func encode(_ value: Bool) throws { try writer.encodeValue(value) }
    mutating func encode(_ value: String) throws { writer.writeString(value) }
    mutating func encode(_ value: Int) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Double) throws { try writer.writeDouble(value) }
    mutating func encode(_ value: Int8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { writer.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { writer.writeInteger(value) }
    mutating func encode(_ value: Float) throws { try writer.writeDouble(Double(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { try writer.encodeValue(value) }
}
