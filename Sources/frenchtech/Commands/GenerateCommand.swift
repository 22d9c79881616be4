import ArgumentParser
import Registry

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Add synthetic startups for demos and benchmarks (source = synthetic; never real firms).",
        discussion: """
            The same seed gives the same firms. By default 7,000 firms with about 40,000 known jobs, the figures \
            of the 2014 article, spread over the registry's sectors and programmes and the communes of the \
            Aix-Marseille area. Leave them out of figures and exports with --exclude-synthetic.

            Example: frenchtech generate --firms 7000 --seed 42
            """
    )
    @OptionGroup var registry: RegistryOptions
    @Option(parsing: .unconditional, help: "How many firms to add (at most 10,000,000).") var firms = RegistryStore.articleFirms
    @Option(parsing: .unconditional, help: "Seed of the random numbers: the same seed gives the same firms.") var seed: UInt64 = 2014

    func validate() throws {
        if firms < 0 { throw ValidationError("--firms must be 0 or more") }
        if firms > RegistryStore.maximumGeneratedFirms {
            throw ValidationError("--firms must be at most \(grouped(RegistryStore.maximumGeneratedFirms))")
        }
    }

    func run() throws {
        let store = try registry.open()
        let summary = try store.generateStartups(count: firms, seed: seed)
        Output.note("added \(grouped(summary.firms)) synthetic startups (source = synthetic, seed \(seed)): \(grouped(Int(summary.jobs))) known jobs, \(grouped(summary.enrolments)) enrolments; they are for demos and benchmarks, not real firms")
    }
}
