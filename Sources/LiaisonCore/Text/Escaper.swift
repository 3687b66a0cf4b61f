import Foundation

/// The project's one escaper: every text written into HTML, an HTML attribute, XML (the Atom feed), a CSV file
/// or a mail header goes through it.
///
/// It works on Unicode scalars, never on `Character`s. A `Character` is a grapheme cluster: `"` followed by a
/// combining accent (U+0301), or U+0600 (a "prepend" character) followed by `<`, is one `Character` that is not
/// equal to `"` or `<`, so an escaper comparing `Character`s lets the quote or the bracket through raw, while a
/// browser, which reads code points, sees a live one. See `docs/decisions/0001-one-escaper-per-scalar.md`.
public enum Escaper {
    /// Text for HTML element content, a quoted HTML attribute or XML: `& < > " '` as character references;
    /// the C0 control characters (but tab, line feed and carriage return) and U+FFFE, U+FFFF, which XML forbids
    /// and HTML reads as errors, are left out.
    public static func markup(_ text: String) -> String {
        // Most text has nothing to escape: scan the bytes once and hand the string back as it is.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xEF })
        else { return text }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            case "\t", "\n", "\r": out.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF { out.append(scalar) }
            }
        }
        return String(out)
    }

    /// One field of an RFC 4180 CSV file. Quoted when it holds a comma, a quote or a line break (looked for among
    /// the scalars: `\r\n` is one `Character`, and a quote followed by an accent is another); a text a spreadsheet
    /// would take for a formula (`= + - @`, tab, carriage return first) gets an apostrophe in front, but for a
    /// negative number written with ASCII digits and at most one decimal point (`-2.5`; `-2,5` when fields are
    /// separated by `;`, as French spreadsheets expect), which a spreadsheet reads as the number it is and which an
    /// apostrophe would turn into text. `separator`: `,` (RFC 4180) or `;`.
    public static func csvField(_ field: String, separator: Unicode.Scalar = ",") -> String {
        var scalars = field.unicodeScalars
        if let first = scalars.first, "=+-@\t\r".unicodeScalars.contains(first),
           !isNegativeNumber(scalars, decimal: separator == ";" ? "," : ".") {
            scalars.insert("'", at: scalars.startIndex)
        }
        guard scalars.contains(where: { $0 == separator || $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return String(scalars) }
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in scalars {
            if scalar == "\"" { out.append("\"") }
            out.append(scalar)
        }
        out.append("\"")
        return String(out)
    }

    /// `-` then ASCII digits with at most one `decimal` between digits: nothing a spreadsheet evaluates.
    private static func isNegativeNumber(_ scalars: String.UnicodeScalarView, decimal: Unicode.Scalar) -> Bool {
        let rest = Array(scalars.dropFirst())
        guard scalars.first == "-", let first = rest.first, let last = rest.last,
              ("0"..."9").contains(first), ("0"..."9").contains(last) else { return false }
        var points = 0
        for scalar in rest {
            if scalar == decimal { points += 1 } else if !("0"..."9").contains(scalar) { return false }
        }
        return points <= 1
    }

    /// JSON (already serialised) made safe inside an HTML `<script type="application/ld+json">` element, where
    /// markup escaping would break it (entities are not read there): `<`, `>` and `&` become JSON's own `\u003c`,
    /// `\u003e`, `\u0026` (no `</script>` nor `<!--` can end or bend the element), and the line and paragraph
    /// separators `\u2028`, `\u2029`. The JSON means the same; only those scalars are touched.
    public static func scriptJSON(_ json: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            switch scalar {
            case "<": out.append(contentsOf: "\\u003c".unicodeScalars)
            case ">": out.append(contentsOf: "\\u003e".unicodeScalars)
            case "&": out.append(contentsOf: "\\u0026".unicodeScalars)
            case "\u{2028}": out.append(contentsOf: "\\u2028".unicodeScalars)
            case "\u{2029}": out.append(contentsOf: "\\u2029".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// An unstructured mail header value (a subject): printable ASCII as it is, anything else as one RFC 2047
    /// encoded word, so no byte of the text can end the header or start another. Control characters are left out.
    public static func mailHeader(_ text: String) -> String {
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }))
        if kept.utf8.allSatisfy({ $0 < 0x7F }), !kept.contains("=?") { return kept }
        return "=?UTF-8?B?" + Data(kept.utf8).base64EncodedString() + "?="
    }
}
