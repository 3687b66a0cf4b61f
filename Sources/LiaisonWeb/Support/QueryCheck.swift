import Hummingbird
import LiaisonCore

/// What every query string is held to before any route reads it: at most `limit` bytes, every name and value
/// percent-encoded UTF-8, each value at most `valueLimit` characters. Each route then checks its own parameters
/// (`q` at most 200 characters, vocabularies, numbers, party ids). Nothing of a query string is stored, and its
/// free texts (`q`, `next`) are only split into words or checked as a local path, so control characters are not
/// refused here (the forms' one-line fields refuse them). A refusal is a 400 that names the parameter, the value and
/// the rule, before a session is even looked up.
struct QueryCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    static var limit: Int { 8_192 }
    static var valueLimit: Int { 2_000 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, !query.isEmpty {
            try Self.check(query)
        }
        return try await next(request, context)
    }

    static func check(_ query: String) throws {
        guard query.utf8.count <= limit else {
            throw InputError.invalidValue(field: "query string", value: TextRules.preview(query),
                                              rule: "must be at most \(limit) bytes")
        }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).removingPercentEncoding else {
                throw InputError.invalidValue(field: "query parameter name", value: TextRules.preview(String(parts[0])),
                                                  rule: "must be percent-encoded UTF-8")
            }
            try TextRules.checkLength(name, field: "query parameter name", limit: 100)
            guard parts.count > 1 else { continue }
            guard let value = String(parts[1]).removingPercentEncoding else {
                throw InputError.invalidValue(field: name, value: TextRules.preview(String(parts[1])), rule: "must be percent-encoded UTF-8")
            }
            try TextRules.checkLength(value, field: name, limit: valueLimit)
        }
    }
}

extension Request {
    /// The query string's parameters, decoded as HTML forms and most HTTP clients encode them
    /// (`application/x-www-form-urlencoded`: `+` is a space, `%2B` a plus sign). Hummingbird's `uri.queryParameters`
    /// leaves a `+` as it is, which echoed a search for “money laundering” as “money+laundering”.
    var queryFields: Parameters {
        var fields = Parameters()
        guard let query = uri.query, !query.isEmpty else { return fields }
        func decode(_ text: Substring) -> Substring {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return Substring(spaced.removingPercentEncoding ?? spaced)
        }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            fields.append(key: decode(parts[0]), value: parts.count > 1 ? decode(parts[1]) : "")
        }
        return fields
    }
}
