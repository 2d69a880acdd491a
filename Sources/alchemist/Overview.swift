import ArgumentParser
import Engine
import Foundation

/// `alchemist` with no arguments. The full-screen interface is not built yet; until then this
/// prints what is available and what to run.
struct Overview: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "overview", abstract: "Show datasets and next steps.")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            let catalog = DatasetCatalog(config: config, paths: paths)
            print("Alchemist \(EngineInfo.version): LLM-written labeling programs for weak supervision.")
            print("The full-screen interface is not part of this build yet; the command line works:\n")
            print("Datasets in \(paths.dataDir.path):")
            for entry in catalog.entries() {
                let status = entry.isPresent ? "present" : (entry.fetchName != nil ? "absent (alchemist datasets fetch \(entry.name))" : "absent")
                print("  \(entry.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(entry.labels.joined(separator: "/")) — \(status)")
            }
            print("\nTry:")
            print("  swift run alchemist datasets")
            print("  swift run alchemist apply --dataset demo --lfs examples/programs/demo")
        }
    }
}
