import Foundation

/// A date known to the year, the month or the day: `2008`, `2014-11`, `2012-10-30`.
public struct PartialDate: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// `year × 10000 + month × 100 + day`, with 0 for an unknown month or day: four bytes for each of the
    /// millions of dates a large catalogue's memberships can carry, and ordered as the dates are.
    let packed: Int32

    /// A date from its packed value (as `MemberEntries` keeps it).
    init(packed: Int32) {
        self.packed = packed
    }

    /// A date from a packed value read from a file: nil unless it is one `init(_:field:)` could have made.
    init?(checkedPacked packed: Int32) {
        let year = packed / 10_000, month = packed / 100 % 100, day = packed % 100
        guard (1000...9999).contains(year), (0...12).contains(month), (0...31).contains(day), day == 0 || month != 0 else { return nil }
        self.packed = packed
    }

    public var year: Int { Int(packed / 10_000) }
    public var month: Int? { let month = Int(packed / 100 % 100); return month == 0 ? nil : month }
    public var day: Int? { let day = Int(packed % 100); return day == 0 ? nil : day }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or throws an error naming the field.
    public init(_ text: String, field: String) throws {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        let rule = "must be a date written YYYY, YYYY-MM or YYYY-MM-DD"
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }),
              let year = parts[0], (1000...9999).contains(year), text.split(separator: "-")[0].count == 4
        else { throw InputError.invalidValue(field: field, value: text, rule: rule) }
        let month = parts.count > 1 ? parts[1] : nil
        let day = parts.count > 2 ? parts[2] : nil
        if let month, !(1...12).contains(month) { throw InputError.invalidValue(field: field, value: text, rule: rule) }
        if let day, !(1...31).contains(day) { throw InputError.invalidValue(field: field, value: text, rule: rule) }
        self.packed = Int32(year * 10_000 + (month ?? 0) * 100 + (day ?? 0))
    }

    public var description: String {
        var text = String(format: "%04d", year)
        if let month { text += String(format: "-%02d", month) }
        if let day { text += String(format: "-%02d", day) }
        return text
    }

    public static func < (lhs: PartialDate, rhs: PartialDate) -> Bool {
        lhs.packed < rhs.packed
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(text, field: decoder.codingPath.map(\.stringValue).joined(separator: "."))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
