import ArgumentParser
import CSVStream
import Foundation
import Registry
import Workbook

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the registry's data out, in the shape `import` reads.",
        subcommands: [Startups.self]
    )
}

enum ExportFormat: String, CaseIterable, ExpressibleByArgument {
    case csv, json, ndjson, xlsx
}

extension ExportCommand {
    struct Startups: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "startups",
            abstract: "Export startups as CSV (the columns `import startups` reads), JSON, NDJSON or an .xlsx workbook.",
            discussion: """
                A CSV export imported into an empty registry gives the same startups and enrolments. Startups come \
                in the order they were registered unless --sort is given. With -o, the file is written whole or not \
                at all (a temporary file renamed at the end), replaces any file of that name and gets any missing \
                folders; the registry's own files, folders, devices, pipes and sockets are refused. -o - is stdout.
                --format xlsx writes a workbook (the CSV's columns, SIREN, SIRET and NAF codes as text) and needs -o FILE.

                Example: frenchtech export startups --sector "big data" --exclude-synthetic -o big-data.csv
                """
        )
        @OptionGroup var registry: RegistryOptions
        @OptionGroup var filter: StartupFilterOptions
        @Option(help: "Output format.") var format: ExportFormat = .csv
        @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var output: String?

        func validate() throws {
            if format == .xlsx && (output == nil || output == "-") {
                throw ValidationError("--format xlsx writes a file; give it with -o, e.g. -o startups.xlsx")
            }
        }

        func run() throws {
            let store = try registry.open()
            var filter = self.filter.filter
            // Unless --sort says otherwise, in the order the startups were registered: the quickest to read.
            if self.filter.sort == nil { filter.sort = .id }
            // `-o -` is standard output, as in most tools.
            let target = try output.flatMap { $0 == "-" ? nil : try store.createFile(at: $0, replacing: true, exampleName: "startups.\(format.rawValue)") }
            do {
                switch format {
                case .csv:
                    var writer = CSVWriter(fileDescriptor: target?.descriptor ?? 1)
                    try store.exportStartupsCSV(filter, to: &writer)
                case .json, .ndjson:
                    try writeJSON(store, filter, to: target?.descriptor ?? 1)
                case .xlsx:
                    // validate() made sure there is a file.
                    if let target { try writeWorkbook(store, filter, to: target) }
                }
                try target?.commit()
            } catch {
                target?.abandon()
                throw error
            }
        }

        /// The workbook is the export's temporary file (made anew by the zip writer, which creates its file
        /// exclusively), put in place as every export's is; a signal removes it as it removes the others.
        private func writeWorkbook(_ store: RegistryStore, _ filter: StartupFilter, to target: AtomicFile) throws {
            do {
                unlink(target.temporaryPath)
                let writer = try WorkbookWriter(url: URL(fileURLWithPath: target.temporaryPath))
                try writer.beginSheet(name: "Startups", header: Report.exportKeys)
                try store.forEachStartupToExport(filter) { s, programmes in
                    try writer.appendRow(Report.exportRow(s, programmes: programmes).map(Workbook.Cell.init))
                }
                try writer.endSheet()
                try writer.finish()
            } catch let error as WorkbookError {
                throw RegistryError(.failure, "cannot write \(target.path): \(error)")
            }
        }

        private func writeJSON(_ store: RegistryStore, _ filter: StartupFilter, to descriptor: Int32) throws {
            var out = format == .json ? "[" : ""
            var first = true
            try store.forEachStartupToExport(filter) { s, programmes in
                if format == .json { out.append(first ? "\n  " : ",\n  ") }
                first = false
                JSONText.object(Report.exportKeys, Report.exportRow(s, programmes: programmes), into: &out)
                if format == .ndjson { out.append("\n") }
                if out.utf8.count >= 1 << 16 {
                    try writeAll(out, to: descriptor)
                    out.removeAll(keepingCapacity: true)
                }
            }
            if format == .json { out.append(first ? "]\n" : "\n]\n") }
            try writeAll(out, to: descriptor)
        }
    }
}
