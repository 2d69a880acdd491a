import ArgumentParser
import Engine
import Foundation

/// `alchemist runs`: the saved labeling runs, oldest first, for `export --run` and `predict --run`.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List the saved labeling runs (ids for `alchemist export --run` and `alchemist predict --run`).")
    @OptionGroup var common: CommonOptions
    @Option(help: "Only the runs of this dataset.") var dataset: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingBadInput {
            let (_, paths) = try common.load()
            var lines: [String] = []
            var objects: [[String: Any]] = []
            for saved in RunFolder.list(runsFolder: paths.runsFolder, dataset: dataset) {
                do {
                    let data = try Data(contentsOf: saved.folder.appendingPathComponent(RunFolder.manifestFile))
                    let manifest = try JSONDecoder().decode(RunManifest.self, from: data)
                    lines.append(manifest.summaryLine)
                    objects.append(["id": manifest.id, "dataset": manifest.dataset, "path": saved.folder.path, "created": manifest.created,
                                    "programs": manifest.programs.count, "label_model": manifest.labelModel.id,
                                    "end_model": manifest.endModel?.id ?? NSNull()])
                } catch {
                    lines.append("\(saved.id)  unreadable run.json: \(error)")
                    objects.append(["id": saved.id, "path": saved.folder.path, "error": "\(error)"])
                }
            }
            if json {
                let data = try JSONSerialization.data(withJSONObject: ["runs_folder": paths.runsFolder.path, "runs": objects],
                                                      options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else if lines.isEmpty {
                print("no saved runs under \(paths.runsFolder.path) yet: `alchemist label --dataset D` saves one")
            } else {
                print(lines.joined(separator: "\n"))
            }
        }
    }
}
