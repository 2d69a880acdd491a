import ArgumentParser
import Engine
import Foundation

/// `alchemist overview` (and `alchemist` with no arguments when there is no terminal): prints what
/// is available, runs the bundled example programs on the demo dataset in the sandbox (offline,
/// no key), and says what to run next.
struct Overview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overview", abstract: "Show datasets and next steps.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            let catalog = DatasetCatalog(config: config, paths: paths)
            print("Alchemist \(EngineInfo.version): LLM-written labeling programs for weak supervision.")
            print("Run `alchemist` in a terminal for the full-screen interface; the command line works too:\n")
            print("Datasets in \(paths.dataDir.path):")
            for entry in catalog.entries() {
                let status = entry.isPresent ? "present" : (entry.isFetchable ? "absent (alchemist datasets fetch \(entry.name))" : "absent (alchemist datasets add \(entry.name) --from FILE)")
                print("  \(entry.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(entry.labels.joined(separator: "/")) — \(status)")
            }
            // The demo job: example programs of the project, applied in the sandbox to the synthetic demo data.
            let examples = config.sourceFile.deletingLastPathComponent().appendingPathComponent("examples/programs/demo")
            if FileManager.default.fileExists(atPath: examples.path), let demo = try? catalog.load("demo") {
                let rows = try demo.split(.valid)
                let programs = try ProgramStore.programs(under: examples)
                let started = ContinuousClock.now
                let outcome = try await ProgramApplier(settings: config.sandbox).apply(programs, to: rows.texts, classCount: demo.classCount)
                let analysis = LabelMatrixAnalysis.analyze(outcome.matrix, gold: rows.labels)
                let report = ApplyReport(dataset: demo.name, labelNames: demo.labelNames, split: .valid, rowCount: rows.count, programs: programs, outcome: outcome,
                                         statistics: analysis.programs, totals: analysis.totals,
                                         seconds: (ContinuousClock.now - started).seconds)
                print("\nDemo: the example programs in \(examples.path) applied in the sandbox:\n")
                print(report.table())
            }
            print("Try (offline, no key: the built-in synthesizer writes the programs):")
            print("  swift run alchemist generate --mode alchemist --prior keywords --count 5")
            print("  swift run alchemist label --dataset demo --lfs \(paths.lfDir.appendingPathComponent("demo").path)")
            print("  swift run alchemist pricing")
            print("  swift run alchemist datasets")
            print("  swift run alchemist apply --dataset demo --lfs examples/programs/demo --split test --json")
            print("  swift run alchemist apply --dataset youtube --lfs examples/programs/youtube --data-dir ../shared/datasets")
        }
    }
}
