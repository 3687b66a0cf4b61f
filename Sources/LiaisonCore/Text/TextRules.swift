import Foundation

/// What a text from outside may hold: checked per Unicode scalar, so that no combination of characters hides a
/// control or format character from the check.
public enum TextRules {
    /// How long a one-line field may be when no rule of its own says otherwise (names, acronyms, reasons are
    /// shorter; see each rule).
    public static let lineLimit = 500
    /// How long a long text (a purpose, a note) may be.
    public static let textLimit = 20_000

    /// One line of at most `limit` characters (counted as Unicode scalars): no control characters (tab and line
    /// breaks included), no format characters but the zero-width joiner and non-joiner (which Persian and Indic
    /// names need), no line or paragraph separators.
    public static func checkLine(_ text: String, field: String, limit: Int = lineLimit) throws {
        try check(text, field: field, limit: limit, allowsLineBreaks: false)
    }

    /// A text of several lines, at most `limit` characters (scalars): tab and line breaks allowed, other control
    /// and format characters not.
    public static func checkText(_ text: String, field: String, limit: Int = textLimit) throws {
        try check(text, field: field, limit: limit, allowsLineBreaks: true)
    }

    /// The first scalar a text may not hold, if any (`allowsLineBreaks`: tab, line feed and carriage return are
    /// allowed).
    public static func forbiddenScalar(in text: String, allowsLineBreaks: Bool) -> Unicode.Scalar? {
        text.unicodeScalars.first { !isAllowed($0, allowsLineBreaks: allowsLineBreaks) }
    }

    public static func isAllowed(_ scalar: Unicode.Scalar, allowsLineBreaks: Bool) -> Bool {
        if scalar.isASCII {
            if scalar.value >= 0x20 && scalar.value != 0x7F { return true }
            return allowsLineBreaks && (scalar == "\t" || scalar == "\n" || scalar == "\r")
        }
        switch scalar.properties.generalCategory {
        case .control, .surrogate, .lineSeparator, .paragraphSeparator: return false
        case .format: return scalar.value == 0x200C || scalar.value == 0x200D
        default: return !scalar.properties.isNoncharacterCodePoint
        }
    }

    private static func check(_ text: String, field: String, limit: Int, allowsLineBreaks: Bool) throws {
        // Counting stops one past the limit: the cost follows the limit, not the text.
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            if count > limit {
                throw InputError.invalidValue(field: field, value: preview(text),
                                                  rule: allowsLineBreaks ? "must be at most \(limit) characters"
                                                                         : "must be one line of at most \(limit) characters")
            }
            if !isAllowed(scalar, allowsLineBreaks: allowsLineBreaks) {
                let code = code(scalar)
                let rule = allowsLineBreaks
                    ? "must not hold control or format characters (found \(code))"
                    : "must be one line without control or format characters (found \(code))"
                throw InputError.invalidValue(field: field, value: preview(text), rule: rule)
            }
        }
    }

    /// A scalar as people write it: U+0600.
    public static func code(_ scalar: Unicode.Scalar) -> String {
        "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
    }

    /// The start of a refused value, to show with the error: at most 60 scalars, and none that the check refuses.
    public static func preview(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 60 { out.append("…"); break }
            out.append(isAllowed(scalar, allowsLineBreaks: false) ? scalar : "\u{FFFD}")
            count += 1
        }
        return String(out)
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

extension TextRules {
    /// The longest search a person types: 200 characters, one line.
    public static let searchLimit = 200
    /// How many parties one request may name (a filter's `party`, the finder's countries).
    public static let partyLimit = 50

    /// A search text: at most `searchLimit` characters. The check costs at most `searchLimit` steps whatever the
    /// text's length, so a 100,000-letter query is refused at once. Nothing of a search is kept, and characters that
    /// are not letters or digits only separate its words, so control characters are not refused here.
    public static func checkSearch(_ text: String, field: String = "q") throws {
        try checkLength(text, field: field, limit: searchLimit)
    }

    /// At most `limit` characters (Unicode scalars), counted no further than one past the limit.
    public static func checkLength(_ text: String, field: String, limit: Int) throws {
        var count = 0
        for _ in text.unicodeScalars {
            count += 1
            if count > limit {
                throw InputError.invalidValue(field: field, value: preview(text), rule: "must be at most \(limit) characters")
            }
        }
    }

    /// A list of party ids from a request: at most `partyLimit`, each at most 200 characters.
    public static func checkPartyList(_ ids: [String], field: String) throws {
        if ids.count > partyLimit {
            throw InputError.invalidValue(field: field, value: "\(ids.count) values", rule: "at most \(partyLimit) parties may be named")
        }
        for id in ids { try checkLength(id, field: field, limit: 200) }
    }
}
