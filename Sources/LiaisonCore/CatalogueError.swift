import Foundation

/// Errors of the catalogue domain. Each names what a person needs to fix the input:
/// the field, the value and the rule it broke. LiaisonWeb maps them to HTTP statuses.
public enum CatalogueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field holds a value its rule does not allow.
    case invalidValue(field: String, value: String, rule: String)
    /// A required field is absent or empty.
    case missingField(field: String)
    /// An input file could not be read at a position (`line` is 1-based; nil for a whole-document error).
    case invalidInput(source: String, line: Int?, field: String?, reason: String)
    /// No network has this slug.
    case networkNotFound(slug: String)
    /// No party has this id.
    case partyNotFound(id: String)
    /// Two networks, parties or entries claim the same identity.
    case duplicate(field: String, value: String)

    public var description: String {
        switch self {
        case let .invalidValue(field, value, rule):
            "\(field): “\(TextRules.preview(value))” is not allowed: \(rule)"
        case let .missingField(field):
            "\(field): is required"
        case let .invalidInput(source, line, field, reason):
            [source + (line.map { ":\($0)" } ?? ""), field, reason].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        case let .networkNotFound(slug):
            "no network has the slug “\(TextRules.preview(slug))”"
        case let .partyNotFound(id):
            "no party has the id “\(TextRules.preview(id))”"
        case let .duplicate(field, value):
            "\(field): “\(TextRules.preview(value))” is used more than once"
        }
    }

    /// The same error, located in an input file at a line (for errors raised while decoding one record).
    public func located(source: String, line: Int?) -> CatalogueError {
        switch self {
        case let .invalidValue(field, value, rule):
            .invalidInput(source: source, line: line, field: field, reason: "“\(TextRules.preview(value))” is not allowed: \(rule)")
        case let .missingField(field):
            .invalidInput(source: source, line: line, field: field, reason: "is required")
        case let .partyNotFound(id):
            .invalidInput(source: source, line: line, field: "party", reason: "no party has the id “\(id)”")
        case let .duplicate(field, value):
            .invalidInput(source: source, line: line, field: field, reason: "“\(value)” is used more than once")
        case .invalidInput, .networkNotFound:
            self
        }
    }
}
