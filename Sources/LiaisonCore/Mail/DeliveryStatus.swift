import Foundation

/// A delivery status notification (RFC 3464): the report a mail server sends back when a message could not be
/// delivered (or was delayed), with one group of fields for each recipient, and usually the headers of the message
/// that failed (`text/rfc822-headers` or `message/rfc822`), whose `Message-ID` says which one it was.
public struct DeliveryStatusReport: Sendable, Equatable {
    /// What the reporting server did for a recipient (RFC 3464, 2.3.3).
    public enum Action: String, Sendable {
        case failed, delayed, delivered, relayed, expanded
    }

    public struct Recipient: Sendable, Equatable {
        /// The address the server tried (the `rfc822;` address of `Final-Recipient`), in lower case.
        public let address: String
        public let action: Action
        /// `5.1.1`: its first digit says whether the failure is permanent (5) or transient (4).
        public let status: String
        /// What the remote server said (`Diagnostic-Code`), at most 300 characters.
        public let diagnostic: String?

        /// A permanent failure: the message cannot be delivered to this address and will not be.
        public var isHard: Bool { action == .failed && status.hasPrefix("5") }
        /// A report that says nothing went wrong (delivered, relayed, expanded) is not a bounce.
        public var isBounce: Bool { action == .failed || action == .delayed }
    }

    public let recipients: [Recipient]
    /// The `Message-ID` of the message the report is about, without its angle brackets, when it came back with it.
    public let originalMessageID: String?

    static let rule = "must be a delivery status notification (RFC 3464): multipart/report; report-type=delivery-status"

    public init(parsing bytes: [UInt8]) throws {
        let message = try MIMEEntity(parsing: bytes)
        guard let report = try Self.findReport(in: message, depth: 0) else {
            throw InputError.invalidValue(field: "message", value: message.contentType.type, rule: Self.rule)
        }
        let parts = try report.parts()
        guard let status = parts.first(where: { $0.contentType.type == "message/delivery-status" || $0.contentType.type == "message/global-delivery-status" })
        else { throw InputError.invalidValue(field: "message", value: "no message/delivery-status part", rule: Self.rule) }
        // The per-message group, then one group per recipient, separated by blank lines.
        let groups = try Self.groups(status.decodedBody)
        var recipients: [Recipient] = []
        for fields in groups.dropFirst() where !fields.headers.isEmpty {
            recipients.append(try Self.recipient(fields))
        }
        guard !recipients.isEmpty else {
            throw InputError.invalidValue(field: "message/delivery-status", value: "no recipient", rule: "must name at least one Final-Recipient")
        }
        self.recipients = recipients
        let returned = parts.first { ["text/rfc822-headers", "message/rfc822", "message/global", "message/global-headers"].contains($0.contentType.type) }
        self.originalMessageID = try returned.flatMap { part in
            try MIMEEntity(parsing: part.decodedBody, field: "returned message").header("Message-ID").map(Self.messageID)
        }
    }

    /// The `multipart/report` of type delivery-status: the message itself, or inside it (a server may wrap it), at
    /// most three levels down.
    static func findReport(in entity: MIMEEntity, depth: Int) throws -> MIMEEntity? {
        let type = entity.contentType
        if type.type == "multipart/report", type.parameters["report-type"]?.lowercased().hasSuffix("delivery-status") == true { return entity }
        guard depth < 3, type.type.hasPrefix("multipart/") else { return nil }
        for part in try entity.parts() {
            if let found = try findReport(in: part, depth: depth + 1) { return found }
        }
        return nil
    }

    /// The groups of fields of a `message/delivery-status` body, each read as a block of headers.
    static func groups(_ body: [UInt8]) throws -> [MIMEEntity] {
        var groups: [MIMEEntity] = []
        var rest = body[...]
        while !rest.isEmpty, groups.count <= MIMEEntity.maximumParts {
            // Blank lines between groups (or before the first) are passed over.
            while let first = rest.first, first == 0x0A || first == 0x0D { rest = rest.dropFirst() }
            if rest.isEmpty { break }
            let group = try MIMEEntity(parsing: rest, field: "message/delivery-status")
            groups.append(group)
            rest = group.body
        }
        return groups
    }

    static func recipient(_ fields: MIMEEntity) throws -> Recipient {
        let field = "message/delivery-status"
        guard let final = fields.header("Final-Recipient") ?? fields.header("Original-Recipient") else {
            throw InputError.invalidValue(field: field, value: TextRules.preview(fields.headers.first?.name ?? ""), rule: "each recipient must have a Final-Recipient")
        }
        // `rfc822; name@example.org` (the type may be left out by a careless server).
        let address = (final.split(separator: ";", maxSplits: 1).last.map(String.init) ?? final)
            .trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "<>")).lowercased()
        try MailMessage.checkAddress(address, field: "Final-Recipient")
        let actionText = (fields.header("Action") ?? "").lowercased()
        guard let action = Action(rawValue: actionText) else {
            throw InputError.invalidValue(field: "Action", value: TextRules.preview(actionText), rule: "must be failed, delayed, delivered, relayed or expanded")
        }
        // `5.1.1`, perhaps followed by a comment.
        let status = String((fields.header("Status") ?? "").prefix { !$0.isWhitespace && $0 != "(" })
        let numbers = status.split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 3, ["2", "4", "5"].contains(numbers[0]),
              numbers.dropFirst().allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            throw InputError.invalidValue(field: "Status", value: TextRules.preview(status), rule: "must be a status code such as 5.1.1")
        }
        // Kept and mailed to a list's owner: one line, at most 300 characters, nothing the site's text rules refuse.
        let diagnostic = fields.header("Diagnostic-Code").map { text in
            String(String.UnicodeScalarView(text.unicodeScalars.prefix(300).map { TextRules.isAllowed($0, allowsLineBreaks: false) ? $0 : "\u{FFFD}" }))
        }
        return Recipient(address: address, action: action, status: status, diagnostic: diagnostic)
    }

    /// `<outbox-1.abc@example.org>` → `outbox-1.abc@example.org`.
    static func messageID(_ header: String) -> String {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "<"), let close = trimmed[open...].firstIndex(of: ">") else { return trimmed }
        return String(trimmed[trimmed.index(after: open)..<close])
    }
}
