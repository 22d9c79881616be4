import ArgumentParser
import CSVStream
import Foundation
import Registry
import Workbook
#if canImport(Glibc)
import Glibc
#endif

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load a spreadsheet, or INSEE's SIRENE stock, into the registry, all or nothing.",
        subcommands: [Startups.self, Sirene.self]
    )
}

/// The field separator of a CSV file.
enum Delimiter: String, CaseIterable, ExpressibleByArgument {
    case comma = ","
    case semicolon = ";"

    /// `,` and `;` as typed, or their names (which need no quoting in a shell and read well in help).
    init?(argument: String) {
        switch argument {
        case ",", "comma": self = .comma
        case ";", "semicolon": self = .semicolon
        default: return nil
        }
    }

    /// The names, for help and errors: the bare characters would read `(values: ,, ;)`.
    static var allValueStrings: [String] { ["comma", "semicolon"] }

    var byte: UInt8 { UInt8(ascii: rawValue.unicodeScalars.first!) }
}

/// The encoding of a CSV file, or `auto`.
enum EncodingOption: String, CaseIterable, ExpressibleByArgument {
    case auto
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case windows1252 = "windows-1252"
    case latin1 = "latin-1"

    var choice: EncodingChoice {
        switch self {
        case .auto: .auto
        case .utf8: .given(.utf8)
        case .utf16: .utf16
        case .windows1252: .given(.windows1252)
        case .latin1: .given(.latin1)
        }
    }
}

extension ImportCommand {
    struct Startups: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "startups",
            abstract: "Import startups from a CSV file or an .xlsx workbook: every row checked, nothing written if one is wrong.",
            discussion: """
                The header names the columns, in any order: name and sector are required; siren, siret, naf_code, \
                city, employees, founded, revenue_eur and accelerators (names separated by |, each with its \
                cohort year in brackets when known: "Jaguar (2015)|Kedge") are optional. \
                An empty cell is unknown. CRLF or LF, "," or ";". UTF-8 with or without a byte order mark, UTF-16 with \
                one, or Windows-1252 (Excel's and LibreOffice's "ANSI") are recognised; --encoding names another.
                An .xlsx workbook (told by its content, not its name) is read from its first sheet, or --sheet NAME, \
                with the same header; a SIREN or SIRET must be a text cell (a number cell loses leading zeros), a date \
                in founded counts as its year. An .ods or .xls file must be saved as .xlsx or CSV first.

                Example: frenchtech import startups firms.csv --new-sectors
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: ArgumentHelp("The CSV file or .xlsx workbook, or - for standard input (CSV).", valueName: "file")) var file: String
        @Option(help: "Field separator: comma (or `,`) or semicolon (or `;`); detected from the header when not given.") var delimiter: Delimiter?
        @Option(help: ArgumentHelp("auto, utf-8, utf-16, windows-1252 or latin-1. auto: a byte order mark decides (UTF-8, UTF-16 LE or BE), else valid UTF-8 in the first 64 KiB is UTF-8, else Windows-1252.", valueName: "encoding")) var encoding: EncodingOption?
        @Option(help: ArgumentHelp("The sheet of an .xlsx workbook to read (the first one when not given).", valueName: "name")) var sheet: String?
        @Flag(help: "Update the startup with the same SIREN (else the same name) instead of refusing the row.") var upsert = false
        @Flag(help: "Create the sectors the file names that the registry lacks.") var newSectors = false
        @Flag(help: "Create the accelerator programmes the file names that the registry lacks (piloted by their name).") var newAccelerators = false
        @Flag(help: "Check every row and write nothing.") var dryRun = false

        func run() throws {
            let input = try InputFile(file)
            defer { input.close() }
            let kind = try self.kind(of: input)
            switch kind {
            case .xlsx:
                if encoding != nil { throw ValidationError("--encoding is for a CSV file; \(input.name) is an .xlsx workbook, whose text is always Unicode: leave it out") }
                if delimiter != nil { throw ValidationError("--delimiter is for a CSV file; \(input.name) is an .xlsx workbook: leave it out") }
            case .text:
                if sheet != nil { throw ValidationError("--sheet is for an .xlsx workbook; \(input.name) is a CSV file: leave it out") }
            case .ods, .ole2:
                let what = kind == .ods ? "an OpenDocument spreadsheet" : "an Excel 97-2003 workbook (.xls)"
                throw RegistryError(.invalidRequest, "\(input.name) is \(what); save it as .xlsx (LibreOffice: File › Save As › Excel 2007-365) or as CSV, and import that")
            case .zip, .pdf, .sqlite, .gzip:
                throw RegistryError(.invalidRequest, "\(input.name) is \(kind.name), not a CSV file or a workbook; give the CSV file or .xlsx workbook to import")
            }
            let store = try registry.open()
            let options = ImportOptions(source: "import: \(input.name)", upsert: upsert, newSectors: newSectors,
                                        newAccelerators: newAccelerators, dryRun: dryRun)
            var bar = ProgressBar(totalBytes: kind == .xlsx ? nil : input.size)
            let summary: ImportSummary
            do {
                if kind == .xlsx {
                    let source: WorkbookRowSource
                    do {
                        source = try WorkbookRowSource(url: URL(fileURLWithPath: file), sheet: sheet)
                    } catch let error as WorkbookError {
                        throw RegistryError(.invalidRequest, "\(input.name): \(error)")
                    }
                    summary = try store.importStartups(from: source, options: options) { bar.update(rows: $0.rows, bytesRead: 0) }
                } else {
                    let encoding = self.encoding ?? .auto
                    let reader = try CSVReader(fileDescriptor: input.descriptor, delimiter: delimiter?.byte, encoding: encoding.choice)
                    if reader.encoding != .utf8 {
                        Output.note("read \(input.name) as \(reader.encoding.rawValue) (\(reader.encodingReason == "given" ? "--encoding \(encoding.rawValue)" : reader.encodingReason))")
                    }
                    summary = try store.importStartups(from: reader, options: options) { bar.update(rows: $0.rows, bytesRead: $0.bytesRead) }
                }
            } catch let failure as ImportError {
                bar.finish()
                for row in failure.rows { Output.error("\(row.location): " + (row.error.map(ErrorWords.sentence) ?? row.message)) }
                throw RegistryError(.invalidRequest, "\(input.name): \(failure)")
            }
            bar.finish()
            var parts = ["\(grouped(summary.rows)) row\(summary.rows == 1 ? "" : "s")",
                         "\(grouped(summary.inserted)) inserted", "\(grouped(summary.updated)) updated"]
            if !summary.newSectors.isEmpty { parts.append("new sectors: \(summary.newSectors.joined(separator: ", "))") }
            if !summary.newAccelerators.isEmpty { parts.append("new accelerators: \(summary.newAccelerators.joined(separator: ", "))") }
            let time = "in \(seconds(bar.elapsed)) s"
            Output.note(dryRun ? "dry run of \(input.name): every row is valid (\(parts.joined(separator: ", ")) if imported), \(time); nothing was written"
                               : "imported \(input.name): \(parts.joined(separator: ", ")) \(time)")
        }
    }
}

extension ImportCommand.Startups {
    /// What the file is, from its content: a regular file is sniffed (an .xlsx named .csv is still a workbook);
    /// standard input and pipes, which cannot be read twice, are CSV.
    fileprivate func kind(of input: InputFile) throws -> FileKind {
        guard file != "-", input.size != nil else { return .text }
        return (try? FileKind.sniff(URL(fileURLWithPath: file))) ?? .text
    }
}

/// A file to read, or standard input for "-".
struct InputFile {
    let descriptor: Int32
    /// The file's name without its folder: "standard input" for "-".
    let name: String
    /// Its size when it is a regular file.
    let size: Int?

    init(_ path: String) throws {
        if path == "-" {
            descriptor = 0
            name = "standard input"
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                throw RegistryError(.missingInput(path: path), "cannot open \(path): \(reason); check the path")
            }
            name = path.split(separator: "/").last.map(String.init) ?? path
        }
        var info = stat()
        size = fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
        if path != "-" && (info.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(descriptor)
            throw RegistryError(.missingInput(path: path), "\(path) is a folder; give the path of a CSV file")
        }
    }

    func close() {
        if descriptor != 0 { Glibc.close(descriptor) }
    }
}

/// 7.25 as "7.3": one decimal.
func seconds(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}
