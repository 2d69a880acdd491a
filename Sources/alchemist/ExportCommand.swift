import ArgumentParser
import Engine
import Foundation

/// `alchemist export --run RUN --to FILE`: a saved run's labeled training set as a file.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a saved labeling run's labels to a CSV, JSONL, Parquet or WRENCH JSON file.",
        discussion: """
            One row per example: id, text, label (the label model's where a program voted, else the end \
            model's), label_source, prob_<class> per class, label_model_label, end_model_label, gold, and \
            one lf_<program> vote column per program (-1 = abstain). Class names in the label columns \
            (ids in WRENCH JSON). The file appears whole or not at all.
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "The run: its id (see `alchemist label` or <app home>/runs), its folder, or `latest`.") var run: String
    @Option(help: "The file to write; the format follows the extension (.csv, .jsonl, .parquet, .json).") var to: String
    @Option(help: "Splits to write, comma-separated.") var splits = "train"
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            let splitList = try SplitName.list(parsing: splits)
            let loaded = try LoadedRun.load(try RunFolder.resolve(run, runsFolder: paths.runsFolder))
            // Each split is streamed from its file beside the run's saved votes.
            let summary = try RunExport.write(loaded, catalog: DatasetCatalog(config: config, paths: paths), splits: splitList,
                                              to: URL(fileURLWithPath: to))
            if json {
                var object = summary.jsonObject
                object["run"] = ["id": loaded.manifest.id, "path": loaded.folder.path]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            } else {
                print(summary.line)
            }
        }
    }
}
