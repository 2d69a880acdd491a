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
            (ids in WRENCH JSON). The file appears whole or not at all. A run labeled with --engine spark \
            exports its train split with --engine spark (a folder of part files written by the executors).
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "The run: its id (see `alchemist label` or <app home>/runs), its folder, or `latest`.") var run: String
    @Option(help: "The file to write; the format follows the extension (.csv, .jsonl, .parquet, .json).") var to: String
    @Option(help: "Splits to write, comma-separated.") var splits = "train"
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var spark: SparkEngineOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            let splitList = try SplitName.list(parsing: splits)
            try spark.check()
            let loaded = try LoadedRun.load(try RunFolder.resolve(run, runsFolder: paths.runsFolder))
            let summary: LabeledFileSummary
            if spark.engine == .spark {
                summary = try await exportOnSpark(loaded, splits: splitList, appHome: paths.appHome)
            } else {
                // Each split is streamed from its file beside the run's saved votes.
                summary = try RunExport.write(loaded, catalog: DatasetCatalog(config: config, paths: paths), splits: splitList,
                                              to: URL(fileURLWithPath: to))
            }
            if json {
                var object = summary.jsonObject
                object["run"] = ["id": loaded.manifest.id, "path": loaded.folder.path]
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            } else {
                print(summary.line)
            }
        }
    }

    /// A Spark run's train split labeled by the executors from the votes the run saved as Parquet.
    func exportOnSpark(_ loaded: LoadedRun, splits: [SplitName], appHome: URL) async throws -> LabeledFileSummary {
        guard loaded.manifest.engine == "spark" else {
            throw BadInput("run \(loaded.manifest.id) was labeled with --engine local: its votes are on this machine; export it without --engine spark")
        }
        guard splits == [.train] else {
            throw BadInput("--splits: with --engine spark the export writes the train split (the run saved the other splits' votes on this machine: export them without --engine spark)")
        }
        let sparkRun = try SparkLabeling(spark, appHome: appHome, kind: "export")
        defer { sparkRun.finish() }
        InterruptHandler.install()
        return try await sparkRun.export(run: loaded.folder, to: try spark.destination(to))
    }
}
