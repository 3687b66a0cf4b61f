import Foundation

/// An import that was refused, with every problem found. Nothing is written when an import fails.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [InputError]

    public init(errors: [InputError]) {
        self.errors = errors
    }

    public var description: String {
        let shown = errors.prefix(50).map { "  " + $0.description }
        let more = errors.count > 50 ? ["  … and \(errors.count - 50) more"] : []
        return (["import refused, nothing was written (\(errors.count) problem\(errors.count == 1 ? "" : "s")):"] + shown + more)
            .joined(separator: "\n")
    }
}

/// Collects the problems of one record so that all of them are reported at once.
package struct ProblemList {
    package var errors: [InputError] = []

    package init() {}

    /// Runs `body`; a `InputError` it throws is recorded and nil returned.
    package mutating func check<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as InputError {
            errors.append(error)
        } catch {
            errors.append(.invalidValue(field: "?", value: "?", rule: "\(error)"))
        }
        return nil
    }

    package mutating func require(_ condition: Bool, _ error: @autoclosure () -> InputError) {
        if !condition { errors.append(error()) }
    }
}

/// Rules shared by every input path (data file, JSON Lines, later the edit forms).
public enum Rules {
    /// A slug is lowercase letters and digits in words joined by single hyphens, at most 200 characters.
    public static func checkSlug(_ slug: String, field: String) throws {
        let valid = !slug.isEmpty && slug.count <= 200
            && slug.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { word in
                !word.isEmpty && word.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            }
        if !valid {
            throw InputError.invalidValue(
                field: field, value: slug, rule: "a slug is 1–200 lowercase letters and digits in words joined by single hyphens")
        }
    }

    /// A web address must be absolute http or https, written as an address is (no spaces, quotes or angle brackets:
    /// Foundation would quietly percent-encode them and accept it).
    public static func checkURL(_ text: String, field: String) throws {
        let written = !text.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F || "<>\"{}|\\^`".unicodeScalars.contains($0) }
        guard written, let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host != nil
        else {
            throw InputError.invalidValue(field: field, value: text, rule: "must be an absolute http:// or https:// address")
        }
    }

    /// Where a value comes from: a web address or a short citation, on one line of at most 500 characters.
    public static func checkSource(_ text: String, field: String) throws {
        try checkNotEmpty(text, field: field)
        try TextRules.checkLine(text, field: field, limit: 500)
    }

    /// Why a change is made (it goes into the history): required, one line of at most 500 characters.
    public static func checkReason(_ text: String, field: String = "reason") throws {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try checkNotEmpty(reason, field: field)
        try TextRules.checkLine(reason, field: field, limit: 500)
    }

    public static func checkNotEmpty(_ text: String, field: String) throws {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw InputError.missingField(field: field) }
    }
}
