import ArgumentParser
import CSVStream
import Persistence
import Registry
#if canImport(Glibc)
import Glibc
#endif

/// Every command names itself (`commandName:`): otherwise swift-argument-parser derives the name with
/// `String(describing:)`, which scans all protocol conformances of the binary and doubles start-up time.
@main
struct Frenchtech: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frenchtech",
        abstract: "The registry of the Aix-Marseille French Tech ecosystem: startups, accelerator programmes, public partners and figures.",
        discussion: """
            Exit codes: 0 success, 64 usage error, 65 invalid data, 66 missing database or input file, 1 anything else.
            """,
        version: "0.1.0",
        subcommands: [
            Init.self, Migrate.self,
            StartupCommand.self, AcceleratorCommand.self, PartnerCommand.self, SectorCommand.self,
            StatsCommand.self, TerritoryCommand.self, CommuneCommand.self, NafSetCommand.self, SQLCommand.self,
            ImportCommand.self, ExportCommand.self, Generate.self,
            Backup.self, Check.self, Serve.self,
        ]
    )

    /// Parses, runs, and turns every failure into one `error:` line and a documented exit code.
    static func main() {
        StandardStreams.prepare()
        Terminal.boundColumnsVariable()
        if let bad = firstArgumentNotUTF8() {
            Output.error("argument \(bad.index) ('\(bad.shown)') is not valid UTF-8; give the text in UTF-8 (check the terminal's encoding)")
            Glibc.exit(65)
        }
        let arguments = movingLeadingDB(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            try Output.commitOutputFile()
        } catch {
            Output.abandonOutputFile()
            let (message, code) = unknownCommand(in: arguments, error).map { ($0, 64) } ?? describe(error)
            if code == 0 {
                // --help, --version: ArgumentParser's text on stdout.
                do { try Output.write(message + "\n") } catch {
                    Output.error("\(error)")
                    Glibc.exit(1)
                }
            } else {
                Output.error(message)
            }
            Glibc.exit(code)
        }
    }

    static func describe(_ error: Error) -> (String, Int32) {
        switch error {
        case let error as RegistryError: return (ErrorWords.sentence(error), ErrorWords.exitCode(error))
        case let error as FieldError: return (ErrorWords.sentence(error.registryError), 65)
        case let error as CSVError: return (error.description, 65)
        case let error as MigrationError: return (error.description, 1)
        case let error as SQLiteError: return (error.description, 1)
        case let error as WriteError: return (error.description, 1)
        default:
            let code = exitCode(for: error).rawValue
            if code == 0 || (error as? CleanExit) != nil { return (fullMessage(for: error), code) }
            // Usage errors: ArgumentParser's message on one line, and where to find help.
            let message = self.message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid usage"
            let help = fullMessage(for: error).split(whereSeparator: \.isNewline)
                .map { $0.trimmingPrefix(while: \.isWhitespace) }
                .first { $0.hasPrefix("See '") }
                .map { "; s" + $0.dropFirst().replacing("'", with: "`").replacing(" for more information.", with: "") } ?? ""
            return (message + help, code)
        }
    }
}

extension Frenchtech {
    /// The first argument that is not well-formed UTF-8. Swift's CommandLine.arguments would replace its bad bytes
    /// with U+FFFD, and the registry would store the damaged text as if it had been typed.
    static func firstArgumentNotUTF8() -> (index: Int, shown: String)? {
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeRawBufferPointer(start: argument, count: strlen(argument))
            if String(validating: bytes, as: UTF8.self) == nil { return (index, String(decoding: bytes, as: UTF8.self)) }
        }
        return nil
    }
}

extension Frenchtech {
    /// `frenchtech --db x.sqlite startup list`: swift-argument-parser gives a root's options to the root alone, and
    /// `--db` belongs to each leaf (`RegistryOptions`), so a leading `--db PATH` or `--db=PATH` moves after the
    /// subcommand names.
    static func movingLeadingDB(_ arguments: [String]) -> [String] {
        var rest = arguments[...]
        var db: [String] = []
        while let first = rest.first {
            if first == "--db", rest.count >= 2 {
                db += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else if first.hasPrefix("--db=") {
                db.append(first)
                rest = rest.dropFirst()
            } else {
                break
            }
        }
        if db.isEmpty { return arguments }
        let path = commandPath(rest).count
        return Array(rest.prefix(path)) + db + Array(rest.dropFirst(path))
    }

    /// How many leading arguments name subcommands, and the command they lead to.
    static func commandPath(_ arguments: ArraySlice<String>) -> (count: Int, command: ParsableCommand.Type) {
        var command: ParsableCommand.Type = Frenchtech.self
        var count = 0
        for argument in arguments {
            guard let next = command.configuration.subcommands.first(where: { $0.configuration.commandName == argument }) else { break }
            command = next
            count += 1
        }
        return (count, command)
    }

    /// For a usage error where a command name was expected (`frenchtech startp list`): the nearest names, in
    /// the registry's "did you mean" words.
    static func unknownCommand(in arguments: [String], _ error: Error) -> String? {
        guard exitCode(for: error).rawValue == 64 else { return nil }
        let path = commandPath(arguments[...])
        let count = path.count
        let names = path.command.configuration.subcommands.compactMap { $0.configuration.commandName }
        guard !names.isEmpty, count < arguments.count, !arguments[count].hasPrefix("-") else { return nil }
        let help = (["frenchtech"] + arguments.prefix(count)).joined(separator: " ") + " --help"
        return ErrorWords.sentence(RegistryError.unknown(.command, arguments[count], among: names, remedy: .help(command: help)))
    }
}
