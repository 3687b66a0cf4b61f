import Foundation

/// A template of a page or a mail cannot be used: missing from the build, or written against the rules (a value
/// written unescaped). Found at start, before any request or mail is served.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
