import FoundationEssentials
import Registry
import Workbook
#if canImport(Glibc)
import Glibc
#endif

/// `-o FILE` (FormatOptions): the command's data goes to a file written whole or not at all (`AtomicFile`),
/// committed by `Frenchtech.main` once the command has succeeded and removed if it fails; without it, stdout.
extension Output {
    /// The file named by `-o`, nil for stdout.
    nonisolated(unsafe) static var outputPath: String?
    /// The registry in use, which `-o` must never name (nor its -wal, -shm or journal).
    nonisolated(unsafe) static var registryPath = RegistryOptions.defaultPath
    nonisolated(unsafe) private static var file: AtomicFile?

    /// Where data is written: the temporary of `-o FILE`, made on the first write, or stdout.
    static func dataDescriptor() throws -> Int32 {
        guard let outputPath else { return 1 }
        return try outputFile(outputPath).descriptor
    }

    private static func outputFile(_ path: String) throws -> AtomicFile {
        if let file { return file }
        let made = try AtomicFile.create(at: path, replacing: true, protecting: registryPath, exampleName: "output")
        file = made
        return made
    }

    /// Puts the file of `-o` in place (an empty one if nothing was written). Called once the command succeeded.
    static func commitOutputFile() throws {
        guard let outputPath else { return }
        try outputFile(outputPath).commit()
        file = nil
    }

    /// Removes the temporary of `-o` after a failure: the target is left as it was.
    static func abandonOutputFile() {
        file?.abandon()
        file = nil
    }

    /// A workbook of one sheet in the temporary of `-o`, whose rows come one at a time (`frenchtech sql`).
    static func beginWorkbookSheet(named name: String, header: [String]) throws -> WorkbookWriter {
        guard let outputPath else { throw RegistryError(.invalidRequest, "--format xlsx writes a file; give it with -o FILE") }
        let target = try outputFile(outputPath)
        return try workbookWrite {
            unlink(target.temporaryPath)
            let writer = try WorkbookWriter(url: URL(fileURLWithPath: target.temporaryPath))
            try writer.beginSheet(name: name, header: header)
            return writer
        }
    }

    /// Runs a step of writing a workbook, its failure said as the file's.
    static func workbookWrite<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as WorkbookError {
            throw RegistryError(.failure, "cannot write \(outputPath ?? "the workbook"): \(error)")
        }
    }

    /// Reports as the sheets of one workbook, written into the temporary of `-o` (FormatOptions makes sure
    /// there is one): each report a sheet named after what its rows are, its header bold and frozen.
    static func writeWorkbook(_ reports: [Report]) throws {
        guard let outputPath else { throw RegistryError(.invalidRequest, "--format xlsx writes a file; give it with -o FILE") }
        let target = try outputFile(outputPath)
        do {
            // The zip writer creates its file exclusively: the temporary is made anew at the same unpredictable name.
            unlink(target.temporaryPath)
            let writer = try WorkbookWriter(url: URL(fileURLWithPath: target.temporaryPath))
            var used: Set<String> = []
            for report in reports {
                var name = report.noun.many
                var n = 1
                while used.contains(name) { n += 1; name = "\(report.noun.many) \(n)" }
                used.insert(name)
                try writer.beginSheet(name: name, header: report.keys)
                for row in report.rows { try writer.appendRow(row.map(Workbook.Cell.init)) }
                try writer.endSheet()
            }
            try writer.finish()
        } catch let error as WorkbookError {
            throw RegistryError(.failure, "cannot write \(target.path): \(error)")
        }
    }
}

extension Workbook.Cell {
    /// A value of the public shape as a workbook cell: numbers (and shares, as fractions) as numbers, yes/no as
    /// booleans, texts and codes as text (so that a SIREN's zeros survive), lists as `import` reads them.
    init(_ value: FieldValue) {
        switch value {
        case .null: self = .empty
        case .integer(let v): self = .number(Double(v))
        case .real(let v), .share(let v): self = v.isFinite ? .number(v) : .empty
        case .bool(let v): self = .bool(v)
        case .text(let v): self = .text(v)
        case .list(let names): self = names.isEmpty ? .empty : .text(value.csvField ?? "")
        case .blob: self = .text(value.csvField ?? "")
        }
    }
}
