import Hummingbird
import Registry

/// A request the API cannot answer, with the status it gets: the JSON error body says what was wrong.
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var field: String? = nil
    var value: String? = nil

    static func badRequest(_ message: String, field: String? = nil, value: String? = nil) -> APIError {
        APIError(status: .badRequest, code: "invalid_request", message: message, field: field, value: value)
    }

    /// A domain error as the API states it.
    init(_ error: RegistryError) {
        switch error.kind {
        case .invalidData:
            let notFound = error.message.hasPrefix("unknown ") || error.message.hasPrefix("no startup matches")
            self.init(status: notFound ? .notFound : .unprocessableContent, code: notFound ? "not_found" : "invalid_field",
                      message: error.message)
        case .missingInput:
            self.init(status: .serviceUnavailable, code: "unavailable", message: error.message)
        case .failure:
            let busy = error.message.contains("busy") || error.message.contains("locked")
            self.init(status: busy ? .serviceUnavailable : .internalServerError, code: busy ? "busy" : "failure",
                      message: error.message)
        }
    }

    init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, value: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.value = value
    }

    var response: Response {
        var members: [String] = []
        func add(_ key: String, _ value: String?) {
            var out = ""
            JSONText.string(key, into: &out)
            out += ":"
            if let value { JSONText.string(value, into: &out) } else { out += "null" }
            members.append(out)
        }
        add("code", code)
        add("message", message)
        add("field", field)
        add("value", value)
        return Response.json("{\"error\":{" + members.joined(separator: ",") + "}}\n", status: status)
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
        } catch let error as any HTTPResponseError {
            let message = error.status == .notFound ? "no such resource: \(request.uri.path); see /api/v1" : error.status.reasonPhrase
            return APIError(status: error.status, code: error.status == .notFound ? "not_found" : "invalid_request", message: message).response
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
