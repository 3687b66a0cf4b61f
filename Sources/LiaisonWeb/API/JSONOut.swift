import Foundation
import Hummingbird
import LiaisonCore

/// JSON written by hand into one byte array, for the answers the API serves most (one network, lists of
/// networks): no `Encoder` existentials, no dynamic casts, no exclusivity checks per byte. Each type that
/// writes itself this way is also `Encodable`, and a test holds the two encodings equal.
///
/// Like the API's `Encodable` answers: keys in snake_case, absent optionals left out, dates in ISO 8601.
struct JSONOut {
    private(set) var bytes: [UInt8] = []
    private var needsComma = false

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
    }

    mutating func object(_ body: (inout JSONOut) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONOut, S.Element) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "["))
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// A key; the value written next belongs to it. Keys are the API's own snake_case constants.
    mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// A key that is data (a dictionary's key), escaped like any string.
    mutating func key(data: String) {
        separate()
        JSONByteWriter.appendQuoted(data, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func string(_ value: String) {
        separate()
        JSONByteWriter.appendQuoted(value, to: &bytes)
        needsComma = true
    }

    mutating func integer(_ value: Int) {
        separate()
        JSONByteWriter.appendInteger(value, to: &bytes)
        needsComma = true
    }

    mutating func number(_ value: Double) {
        separate()
        JSONByteWriter.appendDouble(value, to: &bytes)
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? JSONByteWriter.trueBytes : JSONByteWriter.falseBytes)
        needsComma = true
    }

    // Fields: a key and its value; optional values that are nil are left out, as `encodeIfPresent` does.

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field<V: RawRepresentable<String>>(_ name: StaticString, _ value: V?) {
        guard let value else { return }
        key(name)
        string(value.rawValue)
    }

    mutating func field(_ name: StaticString, _ value: PartialDate?) {
        guard let value else { return }
        key(name)
        string(value.description)
    }

    mutating func field(_ name: StaticString, strings values: [String]) {
        key(name)
        array(values) { $0.string($1) }
    }

    mutating func field<V: RawRepresentable<String>>(_ name: StaticString, terms values: [V]) {
        key(name)
        array(values) { $0.string($1.rawValue) }
    }
}

/// An answer that writes its own JSON.
protocol JSONWritable: Encodable, ResponseGenerator {
    func write(to out: inout JSONOut)
}

extension JSONWritable {
    func json() -> [UInt8] {
        var out = JSONOut()
        write(to: &out)
        return out.bytes
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        StreamingJSONEncoder.response(json())
    }
}
