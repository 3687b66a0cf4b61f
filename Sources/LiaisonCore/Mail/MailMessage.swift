import Foundation

/// A message for one person, in their language, as plain text.
///
/// Addresses and subjects are checked when a message is made: a line break in either would let the text
/// add headers of its own (header injection), so it is refused with the field, the value and the rule.
public struct MailMessage: Sendable, Hashable {
    public let to: String
    public let subject: String
    public let text: String
    public let language: Language

    public init(to: String, subject: String, text: String, language: Language) throws {
        try Self.checkAddress(to, field: "to")
        try Rules.checkNotEmpty(subject, field: "subject")
        try TextRules.checkLine(subject, field: "subject", limit: 300)
        self.to = to
        self.subject = subject
        self.text = text
        self.language = language
    }

    /// One address, `local@domain`, checked per Unicode scalar: no spaces, control or format characters, none of
    /// `< > , ; " ( ) [ ] \\` (a `Character` comparison would miss `<` followed by an accent), at most 254 bytes.
    public static func checkAddress(_ address: String, field: String) throws {
        let refused = address.utf8.count > 254 || address.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || !TextRules.isAllowed(scalar, allowsLineBreaks: false)
                || "<>,;\"()[]\\".unicodeScalars.contains(scalar)
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard !refused, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else {
            throw InputError.invalidValue(field: field, value: TextRules.preview(address), rule: "must be one e-mail address, name@example.org")
        }
    }

    /// The message as sent (RFC 5322, UTF-8 text with CRLF line ends; a non-ASCII subject as an encoded word).
    public func rendered(from: String, messageID: String, date: Date) -> String {
        let subjectLine = Escaper.mailHeader(subject)
        let headers = [
            "From: \(from)", "To: \(to)", "Subject: \(subjectLine)", "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>", "Content-Language: \(language.rawValue)", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
        ]
        let body = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + (body.hasSuffix("\r\n") ? "" : "\r\n")
    }

    /// `Sun, 29 Nov 2026 20:47:41 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
