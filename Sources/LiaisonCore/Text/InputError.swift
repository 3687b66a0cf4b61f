import Foundation

/// What was given breaks a rule: a form field, a query parameter, a command-line flag, a setting, a line of an
/// import file. Each names what a person needs to fix it — the field, the value and the rule. The web answers 400
/// (or shows the form again with the message beside the field); the command line refuses with the message.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field holds a value its rule does not allow.
    case invalidValue(field: String, value: String, rule: String)
    /// A required field is absent or empty.
    case missingField(field: String)
    /// An input file could not be read at a position (`line` is 1-based; nil for a whole-document error).
    case invalidInput(source: String, line: Int?, field: String?, reason: String)
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
        case let .duplicate(field, value):
            "\(field): “\(TextRules.preview(value))” is used more than once"
        }
    }

    /// The field of a form or request the error is about (nil for an error located in a file).
    public var field: String? {
        switch self {
        case let .invalidValue(field, _, _), let .missingField(field), let .duplicate(field, _): field
        case .invalidInput: nil
        }
    }

    /// The same error, located in an input file at a line (for errors raised while decoding one record).
    public func located(source: String, line: Int?) -> InputError {
        switch self {
        case let .invalidValue(field, value, rule):
            .invalidInput(source: source, line: line, field: field, reason: "“\(TextRules.preview(value))” is not allowed: \(rule)")
        case let .missingField(field):
            .invalidInput(source: source, line: line, field: field, reason: "is required")
        case let .duplicate(field, value):
            .invalidInput(source: source, line: line, field: field, reason: "“\(TextRules.preview(value))” is used more than once")
        case .invalidInput:
            self
        }
    }
}
