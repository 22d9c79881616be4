import ArgumentParser
import Dispatch
import Logging
import Registry
import Server

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry over HTTP: its JSON API under /api/v1 (read-only for now).",
        discussion: """
            Prints `listening on http://HOST:PORT` once ready, one line per request on stderr, and stops on \
            Ctrl-C or SIGTERM once the requests in flight are answered. --port 0 takes any free port.
            Example: frenchtech serve --port 8080, then curl 'http://127.0.0.1:8080/api/v1/startups?sector=NFC'
            """
    )
    @OptionGroup var registry: RegistryOptions
    @Option(help: ArgumentHelp("Address to listen on (127.0.0.1: this machine only; 0.0.0.0: every interface).", valueName: "address"))
    var host = "127.0.0.1"
    @Option(help: ArgumentHelp("Port to listen on (0: any free port).", valueName: "n")) var port = 8080

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard !host.isEmpty else { throw ValidationError("--host is empty; give an address such as 127.0.0.1") }
    }

    func run() throws {
        // Opens, checks and migrates the registry once, before listening: a bad --db fails here, as any command
        // (and the default file is made on first use, as by any command). The server then shares one writer
        // and a few read-only connections between its requests.
        let path = try registry.open().path
        let access = try SharedRegistry(path: path)
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "frenchtech")
        logger.logLevel = .info
        let app = buildApplication(access, ServerOptions(host: host, port: port), logger: logger) { address in
            // On stdout, the command's one line of output, for a script to read the address from.
            try? Output.write("listening on \(address)\n")
        }
        // The command runs synchronously, as every other; the server runs on Swift's concurrency threads.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error?
        Task {
            do { try await app.runService() } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure {
            if "\(failure)".contains("Address already in use") {
                throw RegistryError(.failure, "cannot listen on \(host):\(port): the address is in use; give another --port, or stop what listens there")
            }
            throw RegistryError(.failure, "the server stopped: \(failure)")
        }
    }
}
