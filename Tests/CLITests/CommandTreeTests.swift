import ArgumentParser
import Testing
@testable import frenchtech

/// Start-up time guard: a command without an explicit name makes swift-argument-parser derive it with
/// String(describing:), which scans every protocol conformance of the binary on each run.
@Test func everyCommandNamesItself() {
    func unnamed(_ command: ParsableCommand.Type) -> [String] {
        let configuration = command.configuration
        let here = configuration.commandName == nil ? ["\(command)"] : []
        return here + configuration.subcommands.flatMap(unnamed)
    }
    #expect(unnamed(Frenchtech.self) == [])
}
