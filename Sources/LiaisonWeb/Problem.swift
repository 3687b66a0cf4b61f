import Foundation
import HTTPTypes
import Hummingbird
import LiaisonCore

/// An RFC 9457 problem document: what went wrong, in words a person can act on.
struct Problem: Error, Encodable, Sendable {
    var type: String = "about:blank"
    var title: String
    var status: Int
    var detail: String
    var field: String?
    var value: String?

    init(status: HTTPResponse.Status, detail: String, field: String? = nil, value: String? = nil) {
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = detail
        self.field = field
        self.value = value
    }

    /// The problem a domain error stands for.
    init(_ error: CatalogueError) {
        switch error {
        case let .invalidValue(field, value, _):
            self.init(status: .badRequest, detail: error.description, field: field, value: value)
        case let .missingField(field):
            self.init(status: .badRequest, detail: error.description, field: field)
        case .invalidInput, .duplicate:
            self.init(status: .badRequest, detail: error.description)
        case .networkNotFound, .partyNotFound:
            self.init(status: .notFound, detail: error.description)
        }
    }

    func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data(#"{"status":500,"title":"Internal Server Error"}"#.utf8)
        return Response(
            status: .init(code: status),
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Turns every error into a problem document; internals are logged, never shown.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return problem.response()
        } catch let error as CatalogueError {
            return Problem(error).response()
        } catch let error as HTTPError {
            let detail = error.body ?? (error.status == .notFound
                ? "Nothing is at \(request.uri.path). The API starts at /api/v1/networks."
                : error.status.reasonPhrase)
            return Problem(status: error.status, detail: detail).response()
        } catch {
            context.logger.error("request failed: \(String(reflecting: type(of: error)))")
            return Problem(status: .internalServerError, detail: "Something went wrong on our side; it has been logged.").response()
        }
    }
}
