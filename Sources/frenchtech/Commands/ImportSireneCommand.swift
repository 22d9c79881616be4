import ArgumentParser
import CSVStream
import Foundation
import Registry
import Workbook

extension ImportCommand {
    struct Sirene: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sirene",
            abstract: "Import INSEE's SIRENE stock of establishments (StockEtablissement) as a snapshot of its date.",
            discussion: """
                Reads the CSV (or the .zip INSEE publishes, or - for standard input) by its header names, in any \
                format version; needs siret, siren, etatAdministratifEtablissement, codeCommuneEtablissement, \
                activitePrincipaleEtablissement, nomenclatureActivitePrincipaleEtablissement and \
                trancheEffectifsEtablissement. Keeps the active establishments (A) located in the regions of the \
                registry's territories (their perimeters: `frenchtech territory show NAME`), every activity; \
                establishments abroad (no commune) are left out. The snapshot's date is --stock-date, else the latest \
                dateDernierTraitementEtablissement of the file; importing a date again replaces its snapshot. \
                All or nothing: a malformed line (wrong field count, a SIRET that is not 14 digits, an unknown \
                commune, a value out of its format) stops the import unless --skip-bad-lines. Encodings as \
                `import startups`.

                Example: frenchtech import sirene StockEtablissement_utf8.zip
                """
        )
        @OptionGroup var registry: RegistryOptions
        @Argument(help: ArgumentHelp("The stock: a CSV file, a .zip holding one, or - for standard input.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("The snapshot's date (YYYY-MM-DD); default: the latest dateDernierTraitementEtablissement in the file.", valueName: "date")) var stockDate: String?
        @Option(help: ArgumentHelp("Keep these regions (COG codes, comma-separated: 93 is Provence-Alpes-Côte d'Azur) instead of the territories'.", valueName: "codes")) var region: String?
        @Flag(help: "Keep every region of France.") var all = false
        @Flag(help: "Import the well-formed lines and leave the malformed ones out (they are counted).") var skipBadLines = false
        @Option(help: ArgumentHelp("auto, utf-8, utf-16, windows-1252 or latin-1 (as `import startups`).", valueName: "encoding")) var encoding: EncodingOption?

        func validate() throws {
            if all && region != nil { throw ValidationError("--region and --all cannot be combined; give one") }
            if let region, !region.split(separator: ",").contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw ValidationError("--region needs region codes, comma-separated (93 is Provence-Alpes-Côte d'Azur)")
            }
        }

        func run() throws {
            let regions: SireneRegions = all ? .all
                : region.map { .codes($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) } ?? .territories
            let input = try InputFile(file)
            defer { input.close() }
            var zip: ZipEntryStream?
            if file != "-", input.size != nil {
                let kind = (try? FileKind.sniff(URL(fileURLWithPath: file))) ?? .text
                switch kind {
                case .text: break
                case .zip:
                    do { zip = try ZipEntryStream(path: file) } catch let problem as ZipEntryStream.Problem {
                        throw RegistryError(.invalidRequest, "\(problem); give INSEE's StockEtablissement zip or its CSV")
                    }
                default:
                    throw RegistryError(.invalidRequest, "\(input.name) is \(kind.name), not a CSV file or a zip of one; give INSEE's StockEtablissement file")
                }
            }
            let store = try registry.open()
            var bar = ProgressBar(totalBytes: zip == nil ? input.size : nil)
            let options = SireneImportOptions(file: file == "-" ? "-" : input.name, stockDate: stockDate, regions: regions,
                                              skipBadLines: skipBadLines)
            let summary: SireneImportSummary
            do {
                let reader = try CSVReader(fileDescriptor: zip?.descriptor ?? input.descriptor, delimiter: UInt8(ascii: ","),
                                           encoding: (encoding ?? .auto).choice, chunkSize: 1 << 20)
                if reader.encoding != .utf8 { Output.note("read \(input.name) as \(reader.encoding.rawValue) (\(reader.encodingReason))") }
                summary = try store.importSirene(from: reader, options: options,
                                                 progress: { bar.update(rows: $0.rows, bytesRead: $0.bytesRead) },
                                                 verifyInput: { try zip?.finish() })
            } catch let failure as ImportError {
                try? zip?.finish()
                bar.finish()
                for row in failure.rows { Output.error("\(row.location): \(row.message)") }
                let listed = failure.total > failure.rows.count ? " (the first \(failure.rows.count) are listed)" : ""
                throw RegistryError(.invalidRequest, "\(input.name): \(grouped(failure.total)) malformed line\(failure.total == 1 ? "" : "s")\(listed); nothing was imported: correct the file, or import the rest with --skip-bad-lines")
            } catch let problem as SireneImportProblem {
                try? zip?.finish()
                throw RegistryError(.invalidRequest, Self.words(problem, input.name))
            } catch let problem as ZipEntryStream.Problem {
                throw RegistryError(.invalidRequest, "\(problem); download the file again")
            } catch {
                try? zip?.finish()
                throw error
            }
            bar.finish()
            var parts = ["\(grouped(summary.lines)) lines", "\(grouped(summary.kept)) active establishments kept"]
            parts.append("\(grouped(summary.closed)) closed")
            parts.append("\(grouped(summary.elsewhere)) in other regions")
            if summary.abroad > 0 { parts.append("\(grouped(summary.abroad)) abroad") }
            if summary.badLines > 0 { parts.append("\(grouped(summary.badLines)) malformed line\(summary.badLines == 1 ? "" : "s") left out") }
            let regionsText = summary.regions == ["all"] ? "all regions" : "region\(summary.regions.count == 1 ? "" : "s") \(summary.regions.joined(separator: ", "))"
            Output.note("imported \(input.name) as the snapshot of \(summary.stockDate)\(summary.replaced ? " (replacing the earlier one)" : "") for \(regionsText): \(parts.joined(separator: ", ")) in \(seconds(bar.elapsed)) s")
        }

        static func words(_ problem: SireneImportProblem, _ name: String) -> String {
            switch problem {
            case .missingColumns(let columns):
                return "\(name) has no column \(columns.joined(separator: ", ")); give INSEE's StockEtablissement file, whose header names them"
            case .noPerimeter:
                return "no territory of the registry has a perimeter to choose the regions by; set one (`frenchtech territory set NAME --epci SIREN`), or give --region CODE or --all"
            case .unknownRegion(let code, let known):
                return "there is no region \(code); the regions are \(known.joined(separator: ", ")) (`frenchtech sql \"SELECT * FROM regions\"`)"
            case .invalidStockDate(let date):
                return "--stock-date \(date) is not a date from \(SireneImportProblem.firstDate) (SIRENE's start) to today (YYYY-MM-DD); give the date of the stock"
            case .fileStockDate(let date):
                return "the latest dateDernierTraitementEtablissement of \(name), \(date), is not a date from \(SireneImportProblem.firstDate) to today; give the stock's date with --stock-date YYYY-MM-DD"
            case .noStockDate:
                return "\(name) has no dateDernierTraitementEtablissement to date the snapshot by; give --stock-date YYYY-MM-DD"
            }
        }
    }
}
