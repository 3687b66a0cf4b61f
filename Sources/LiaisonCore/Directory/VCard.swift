import Foundation

/// Directory entries as vCard 4.0 (RFC 6350): CRLF line ends, lines folded at 75 octets without splitting a
/// UTF-8 sequence, and `\`, `,`, `;` and line breaks escaped in text values.
public enum VCard {
    /// One card per entry, one after the other; `name` gives a party's name for a country code.
    public static func cards(_ entries: [DirectoryEntry], name: (String) -> String, networkName: (String) -> String) -> String {
        entries.map { card($0, name: name, networkName: networkName) }.joined()
    }

    public static func card(_ entry: DirectoryEntry, name: (String) -> String, networkName: (String) -> String) -> String {
        var lines = ["BEGIN:VCARD", "VERSION:4.0"]
        lines.append("KIND:" + (entry.isOffice ? "org" : "individual"))
        lines.append("FN:" + text(entry.name))
        if entry.isOffice {
            lines.append("ORG:" + text(entry.name))
        } else {
            // The name as one family name: the directory does not split names, and guessing would be wrong as often.
            lines.append("N:" + text(entry.name) + ";;;;")
            if !entry.authority.isEmpty { lines.append("ORG:" + text(entry.authority)) }
            if !entry.function.isEmpty { lines.append("TITLE:" + text(entry.function)) }
        }
        for (i, email) in entry.emails.enumerated() {
            lines.append("EMAIL;TYPE=work" + (i == 0 ? ";PREF=1" : "") + ":" + text(email))
        }
        for (i, phone) in entry.phones.enumerated() {
            lines.append("TEL;VALUE=uri;TYPE=\"work,voice\"" + (i == 0 ? ";PREF=1" : "") + ":tel:" + phone)
        }
        if entry.available247, let urgent = entry.urgentPhone, !entry.phones.contains(urgent) {
            lines.append("TEL;VALUE=uri;TYPE=\"work,voice\":tel:" + urgent)
        }
        for (i, language) in entry.languages.enumerated() {
            lines.append("LANG;PREF=\(i + 1):" + language)
        }
        lines.append("ADR;TYPE=work:;;;;;;" + text(name(entry.country)))
        let roles = entry.roles.map { role -> String in
            var parts = [role.title.isEmpty ? role.kind.rawValue : role.title]
            if let network = role.network { parts.append(networkName(network)) }
            if let sending = role.sendingCountry, let host = role.host { parts.append(name(sending) + " → " + name(host)) }
            if let since = role.since { parts.append("from \(since)") }
            if let until = role.until { parts.append("until \(until)") }
            return parts.joined(separator: ", ")
        }
        if !roles.isEmpty { lines.append("ROLE:" + text(roles.joined(separator: "; "))) }
        var note: [String] = []
        if entry.available247 { note.append("Available 24/7" + (entry.urgentPhone.map { ", urgent: \($0)" } ?? "")) }
        if !entry.source.isEmpty { note.append("Source: " + entry.source) }
        if !note.isEmpty { lines.append("NOTE:" + text(note.joined(separator: ". "))) }
        if let id = entry.id { lines.append("UID:urn:liaison:directory:\(id)") }
        lines.append("END:VCARD")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A text value: backslash, comma, semicolon and line breaks escaped (§3.4); control characters left out.
    static func text(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case ",": out.append(contentsOf: "\\,".unicodeScalars)
            case ";": out.append(contentsOf: "\\;".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// A content line folded after 75 octets, each continuation starting with a space (§3.2).
    static func fold(_ line: String) -> String {
        var result = "", octets = 0
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if octets + size > 75 {
                result += "\r\n "
                octets = 1
            }
            result.unicodeScalars.append(scalar)
            octets += size
        }
        return result
    }
}
