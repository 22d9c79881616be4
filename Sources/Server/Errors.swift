import FoundationEssentials
import Hummingbird
import Registry

/// A request the API cannot answer, with its status and the registry's error body (`RegistryError.ErrorBody`):
/// `{"error": {"code": …, "message": …, "field": …, "value": …, "suggestions": […]}}`.
struct APIError: Error {
    var status: HTTPResponse.Status
    var body: RegistryError.ErrorBody

    init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, value: String? = nil) {
        self.status = status
        body = .init(error: .init(code: code, message: message, field: field, value: value))
    }

    static func badRequest(_ message: String, field: String? = nil, value: String? = nil) -> APIError {
        APIError(status: .badRequest, code: "bad_request", message: message, field: field, value: value)
    }

    /// A domain error as the API states it: its status and body are the registry's.
    init(_ error: RegistryError) {
        status = HTTPResponse.Status(code: error.httpStatus)
        body = error.body
    }

    var response: Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = (try? encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"error":{"code":"failure","message":"internal error"}}"#
        return Response.json(text + "\n", status: status)
    }
}

/// Turns every error a route throws into a JSON error body: a domain error by its kind, a request the router
/// refused (404 of an unknown path, 405) by its status, anything else as 500 without its details.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as RegistryError {
            return APIError(error).response
        } catch let error as FieldError {
            return APIError(error.registryError).response
        } catch let error as any HTTPResponseError {
            let message = error.status == .notFound ? "no such resource: \(request.uri.path); see /api/v1" : error.status.reasonPhrase
            return APIError(status: error.status, code: error.status == .notFound ? "not_found" : "bad_request", message: message).response
        } catch {
            context.logger.error("\(request.method) \(request.uri.path): \(error)")
            return APIError(status: .internalServerError, code: "failure", message: "internal error; the server's log says more").response
        }
    }
}

extension Response {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
