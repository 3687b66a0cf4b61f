import Foundation

/// The text of an ODT's `content.xml` or a DOCX's `word/document.xml`: the character data, with a line break where a
/// paragraph, heading or line break ends, a tab where one is; entities decoded. One pass over the bytes, at most
/// `limit` characters kept (the rest of a huge document is not searched).
public enum OfficeText {
    /// Elements whose end ends a line: ODT's paragraphs and headings, DOCX's paragraphs; and empty line breaks.
    static let lineEnds: Set<String> = ["text:p", "text:h", "w:p", "text:line-break", "w:br", "w:cr", "text:list-item"]
    static let tabs: Set<String> = ["text:tab", "w:tab", "text:s"]

    public static func plainText(xml: [UInt8], limit: Int) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        var index = 0
        var pending: [UInt8] = []
        pending.reserveCapacity(256)
        func flush() {
            guard !pending.isEmpty, count < limit else { pending.removeAll(keepingCapacity: true); return }
            let text = decodeEntities(String(decoding: pending, as: UTF8.self))
            for scalar in text.unicodeScalars where count < limit {
                out.append(scalar)
                count += 1
            }
            pending.removeAll(keepingCapacity: true)
        }
        func append(_ scalar: Unicode.Scalar) {
            guard count < limit else { return }
            out.append(scalar)
            count += 1
        }
        while index < xml.count, count < limit {
            let byte = xml[index]
            guard byte == 0x3C else {  // "<"
                pending.append(byte)
                index += 1
                continue
            }
            flush()
            // A comment, CDATA or processing instruction is passed over whole (CDATA's text kept).
            if xml[index...].starts(with: Array("<![CDATA[".utf8)) {
                let start = index + 9
                let end = find(Array("]]>".utf8), in: xml, from: start) ?? xml.count
                // CDATA is literal: its ampersands are not entities.
                for scalar in String(decoding: xml[start..<end], as: UTF8.self).unicodeScalars { append(scalar) }
                index = end + 3
                continue
            }
            if xml[index...].starts(with: Array("<!--".utf8)) {
                index = (find(Array("-->".utf8), in: xml, from: index + 4) ?? xml.count) + 3
                continue
            }
            let close = xml[index...].firstIndex(of: 0x3E) ?? xml.count  // ">"
            let tag = xml[(index + 1)..<close]
            let closing = tag.first == 0x2F
            let selfClosing = tag.last == 0x2F
            let nameBytes = tag.drop { $0 == 0x2F }.prefix { $0 != 0x20 && $0 != 0x2F && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
            let name = String(decoding: nameBytes, as: UTF8.self)
            if (closing || selfClosing) && lineEnds.contains(name) { append("\n") }
            if selfClosing && tabs.contains(name) { append(name == "text:s" ? " " : "\t") }
            index = close + 1
        }
        flush()
        return String(out)
    }

    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0], bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` and numeric references; anything else is left as written.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "&", let semicolon = scalars[index...].prefix(12).firstIndex(of: ";") else {
                out.append(scalars[index])
                index += 1
                continue
            }
            let name = String(String.UnicodeScalarView(scalars[(index + 1)..<semicolon]))
            let decoded: Unicode.Scalar? = switch name {
            case "amp": "&"
            case "lt": "<"
            case "gt": ">"
            case "quot": "\""
            case "apos": "'"
            default:
                if name.hasPrefix("#x") { UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                else if name.hasPrefix("#") { UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init) }
                else { nil }
            }
            if let decoded {
                out.append(decoded)
                index = semicolon + 1
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }
}
