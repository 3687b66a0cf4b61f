import Foundation

/// A message for one person, in their language, as plain text; a meeting's invitation carries its calendar too
/// (`text/calendar` with its iCalendar METHOD, inline, which calendar programs offer to add or update).
///
/// Addresses and subjects are checked when a message is made: a line break in either would let the text
/// add headers of its own (header injection), so it is refused with the field, the value and the rule.
public struct MailMessage: Sendable, Hashable {
    /// An iCalendar object sent with a message.
    public struct Calendar: Sendable, Hashable {
        /// `REQUEST` or `CANCEL` (RFC 5546), as the calendar's own METHOD says.
        public let method: String
        public let text: String

        public init(method: String, text: String) {
            self.method = method
            self.text = text
        }
    }

    /// A header of a mailing list's message (RFC 2369, RFC 8058), or the reply address of a discussion's notification
    /// and its `Auto-Submitted` (RFC 3834): only these
    /// names, each value printable ASCII on one line, so that nothing in it can end the header or start another.
    public struct ListHeader: Sendable, Hashable {
        public enum Name: String, CaseIterable, Sendable {
            case listID = "List-Id"
            case listUnsubscribe = "List-Unsubscribe"
            case listUnsubscribePost = "List-Unsubscribe-Post"
            case listArchive = "List-Archive"
            case precedence = "Precedence"
            case replyTo = "Reply-To"
            case autoSubmitted = "Auto-Submitted"
        }

        public let name: Name
        public let value: String

        public init(_ name: Name, _ value: String) throws {
            guard !value.isEmpty, value.utf8.count <= 900, value.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) else {
                throw InputError.invalidValue(field: name.rawValue, value: TextRules.preview(value), rule: "must be printable ASCII on one line, at most 900 bytes")
            }
            self.name = name
            self.value = value
        }

        /// A header as the outbox keeps it (`Name: value`).
        public init(line: String) throws {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let name = Name(rawValue: parts[0]) else {
                throw InputError.invalidValue(field: "headers", value: TextRules.preview(line), rule: "must be a header of a list's message")
            }
            try self.init(name, parts[1])
        }

        public var line: String { "\(name.rawValue): \(value)" }
    }

    public let to: String
    public let subject: String
    public let text: String
    public let language: Language
    public let calendar: Calendar?
    /// A list's headers (none for a personal message).
    public let headers: [ListHeader]

    public init(to: String, subject: String, text: String, language: Language, calendar: Calendar? = nil, headers: [ListHeader] = []) throws {
        try Self.checkAddress(to, field: "to")
        try Rules.checkNotEmpty(subject, field: "subject")
        try TextRules.checkLine(subject, field: "subject", limit: 300)
        if let calendar, !["REQUEST", "CANCEL", "PUBLISH"].contains(calendar.method) {
            throw InputError.invalidValue(field: "calendar.method", value: calendar.method, rule: "must be REQUEST, CANCEL or PUBLISH")
        }
        self.to = to
        self.subject = subject
        self.text = text
        self.language = language
        self.calendar = calendar
        self.headers = headers
    }

    /// The same message with these headers too.
    public func with(headers more: [ListHeader]) throws -> MailMessage {
        try MailMessage(to: to, subject: subject, text: text, language: language, calendar: calendar, headers: headers + more)
    }

    /// The same message with a calendar.
    public func with(calendar: Calendar) throws -> MailMessage {
        try MailMessage(to: to, subject: subject, text: text, language: language, calendar: calendar, headers: headers)
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

    /// The message as sent (RFC 5322, UTF-8 text with CRLF line ends; a non-ASCII subject as an encoded word). With a
    /// calendar, as calendar programs and webmail expect an invitation (iMIP, RFC 6047): `multipart/mixed` holding a
    /// `multipart/alternative` of the text and the calendar inline (`text/calendar` with its METHOD, which the program
    /// offers to add or update), then the same calendar as an `.ics` attachment for those that only open files. The
    /// calendar is in base64, so its lines arrive as written.
    public func rendered(from: String, messageID: String, date: Date) -> String {
        let subjectLine = Escaper.mailHeader(subject)
        var head = [
            "From: \(from)", "To: \(to)", "Subject: \(subjectLine)", "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>", "Content-Language: \(language.rawValue)",
        ] + headers.map(\.line) + ["MIME-Version: 1.0"]
        let body = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let plain = body + (body.hasSuffix("\r\n") ? "" : "\r\n")
        guard let calendar else {
            head += ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"]
            return head.joined(separator: "\r\n") + "\r\n\r\n" + plain
        }
        // "=_" cannot start a line of base64, and the text is checked for it (the inner boundary holds the outer one,
        // so a text without the outer has neither). ASCII letters and digits only: a boundary is ASCII.
        var boundary = "=_liaison_" + String(messageID.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        while plain.contains(boundary) { boundary += "_" }
        let inner = boundary + "_alt"
        head.append("Content-Type: multipart/mixed; boundary=\"\(boundary)\"")
        let encoded = Data(calendar.text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let file = calendar.method == "CANCEL" ? "cancel.ics" : "invitation.ics"
        return head.joined(separator: "\r\n") + "\r\n\r\n" + [
            "--\(boundary)", "Content-Type: multipart/alternative; boundary=\"\(inner)\"", "",
            "--\(inner)", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "", plain + "--\(inner)",
            "Content-Type: text/calendar; charset=utf-8; method=\(calendar.method)", "Content-Transfer-Encoding: base64", "", encoded,
            "--\(inner)--", "",
            "--\(boundary)", "Content-Type: application/ics; name=\"\(file)\"", "Content-Transfer-Encoding: base64",
            "Content-Disposition: attachment; filename=\"\(file)\"", "", encoded,
            "--\(boundary)--", "",
        ].joined(separator: "\r\n")
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
