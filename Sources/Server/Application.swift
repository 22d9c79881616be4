import Hummingbird
import Logging
import Registry

/// What `frenchtech serve` is given.
public struct ServerOptions: Sendable {
    public var host: String
    /// 0: any free port (the one taken is printed).
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The routes: `/healthz` and the JSON API under `/api/v1`; every error a JSON body.
public func buildRouter(_ registry: SharedRegistry) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: JSONErrorMiddleware())
    router.get("healthz") { _, _ in Response.json("{\"status\":\"ok\"}\n") }
    APIRoutes(registry: registry).register(on: router.group("api/v1"))
    return router
}

/// The server on `options`; `onListening` gets the address it listens on, once it does.
public func buildApplication(_ registry: SharedRegistry, _ options: ServerOptions, logger: Logger,
                             onListening: @escaping @Sendable (String) -> Void) -> some ApplicationProtocol {
    Application(
        router: buildRouter(registry),
        configuration: .init(address: .hostname(options.host, port: options.port), serverName: "frenchtech"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? options.port
            let host = options.host.contains(":") ? "[\(options.host)]" : options.host
            onListening("http://\(host):\(port)")
        },
        logger: logger
    )
}
