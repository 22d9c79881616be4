import ArgumentParser
import CSVStream
import Registry
#if canImport(Glibc)
import Glibc
#endif

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the registry's data out, in the shape `import` reads.",
        subcommands: [Startups.self]
    )
}

enum ExportFormat: String, CaseIterable, ExpressibleByArgument {
    case csv, json, ndjson
}

extension ExportCommand {
    struct Startups: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "startups",
            abstract: "Export startups as CSV (the columns `import startups` reads), JSON or NDJSON.",
            discussion: """
                A CSV export imported into an empty registry gives the same startups and enrolments. Startups come \
                in the order they were registered unless --sort is given. With -o, the file is written whole or not \
                at all (a temporary file renamed at the end) and replaces any file of that name.

                Example: frenchtech export startups --sector "big data" --exclude-synthetic -o big-data.csv
                """
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var filter: StartupFilterOptions
        @Option(help: "Output format: csv, json or ndjson.") var format: ExportFormat = .csv
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func run() throws {
            let store = try registry.open()
            var filter = self.filter.filter
            // Unless --sort says otherwise, in the order the startups were registered: the quickest to read.
            if self.filter.sort == nil { filter.sort = .id }
            let target = try OutputFile(output)
            do {
                switch format {
                case .csv:
                    var writer = CSVWriter(fileDescriptor: target.descriptor)
                    try store.exportStartupsCSV(filter, to: &writer)
                case .json, .ndjson:
                    try writeJSON(store, filter, to: target.descriptor)
                }
                try target.commit()
            } catch {
                target.abandon()
                throw error
            }
        }

        private func writeJSON(_ store: RegistryStore, _ filter: StartupFilter, to descriptor: Int32) throws {
            let keys = StartupColumn.allCases.map(\.rawValue)
            var out = format == .json ? "[" : ""
            var first = true
            try store.forEachStartupToExport(filter) { s, programmes in
                if format == .json { out.append(first ? "\n  " : ",\n  ") }
                first = false
                JSON.object(keys, [.text(s.name), .text(s.sector), Cell(s.siren), Cell(s.siret), Cell(s.nafCode),
                                   Cell(s.city), Cell(s.employees), Cell(s.founded), Cell(s.revenueEUR), .list(programmes)],
                            into: &out)
                if format == .ndjson { out.append("\n") }
                if out.utf8.count >= 1 << 16 {
                    try OutputFile.write(out, to: descriptor)
                    out.removeAll(keepingCapacity: true)
                }
            }
            if format == .json { out.append(first ? "]\n" : "\n]\n") }
            try OutputFile.write(out, to: descriptor)
        }
    }
}

/// Standard output, or a file written under a temporary name and renamed over the target at the end, so that
/// the file is there whole or not at all.
struct OutputFile {
    let descriptor: Int32
    private let path: String?
    private let temporary: String?

    init(_ path: String?) throws {
        guard let path, path != "-" else {
            descriptor = 1
            self.path = nil
            temporary = nil
            return
        }
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RegistryError(.failure, "cannot write \(path): \(String(cString: strerror(errno))); check that its folder exists and is writable")
        }
        self.descriptor = descriptor
        self.path = path
        self.temporary = temporary
    }

    func commit() throws {
        guard let path, let temporary else { return }
        guard fsync(descriptor) == 0, close(descriptor) == 0, rename(temporary, path) == 0 else {
            throw RegistryError(.failure, "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    func abandon() {
        guard let temporary else { return }
        close(descriptor)
        unlink(temporary)
    }

    static func write(_ text: String, to descriptor: Int32) throws {
        var text = text
        try text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw CSVWriteError(errno: errno) }
                offset += written
            }
        }
    }
}
