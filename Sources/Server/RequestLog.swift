import Hummingbird
import Logging

/// One line per request, once it is answered: method, path, status and time taken (`GET /api/v1/startups 200
/// 1.8 ms`). The path is logged as received (percent-encoded), so that no byte of it reaches a terminal raw.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = started.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        let shown = (milliseconds * 10).rounded() / 10
        context.logger.info("\(request.method) \(Self.printable(request.uri.description)) \(response.status.code) \(shown) ms")
        return response
    }

    /// The text with anything outside printable ASCII shown as \xNN.
    static func printable(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if (0x20...0x7E).contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) } else { out += "\\x" + String(byte, radix: 16) }
        }
        return out
    }
}
