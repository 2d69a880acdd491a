import ArgumentParser
import Engine
import Foundation

struct LabelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Combine the programs' votes with label models, train end models on the result, report test scores.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Dataset name (see `alchemist datasets`).")
    var dataset: String

    @Option(help: "Folder (searched recursively) of labeling programs to apply (default: the dataset's enabled saved programs).")
    var lfs: String?

    @Flag(name: .customLong("dataset-weak-labels"), help: "Use the votes of the dataset's own labeling functions (WRENCH weak_labels).")
    var datasetWeakLabels = false

    @Option(help: "Seeded runs per model.")
    var runs = LabelingSettings().runs

    @Option(name: .customLong("label-models"), help: "Comma-separated: \(LabelModelID.allCases.map(\.rawValue).joined(separator: ",")).")
    var labelModels = LabelingSettings().labelModels.map(\.rawValue).joined(separator: ",")

    @Option(name: .customLong("end-models"), help: "Comma-separated: \(EndModelID.allCases.map(\.rawValue).joined(separator: ",")) (empty for none).")
    var endModels = LabelingSettings().endModels.map(\.rawValue).joined(separator: ",")

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Also write the run's labels to FILE (.csv, .jsonl, .parquet, or .json for WRENCH); see `alchemist export`.")
    var export: String?

    @Option(help: "Splits for --export, comma-separated (default: train).")
    var splits = "train"

    @Option(name: .customLong("feature-bits"), help: "The end models' text features hash into 2^N columns.")
    var featureBits = LabelingSettings().featureBits

    @Option(help: "Rows a label model cannot decide (no vote, or tied classes): learned (the class such rows have most often on the labeled valid split), prior (the majority class) or uniform (a seeded random class, as snorkel and WRENCH do).")
    var uncovered = LabelingSettings().uncovered.rawValue

    @Option(help: "Sandbox worker processes (default: config.json; 0 = one per core).")
    var workers: Int?

    @Option(name: .customLong("end-model-rows"), help: "Train the end models on at most N covered train rows, a seeded uniform sample (default: all; with --engine spark \(TrainVotes.sparkDefaultEndModelRows), collected to this machine).")
    var endModelRows: Int?

    @OptionGroup var spark: SparkOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            guard lfs == nil || !datasetWeakLabels else { throw BadInput("give either --lfs DIR or --dataset-weak-labels, not both") }
            let exportSplits = try SplitName.list(parsing: splits)
            let exportFile = try export.map { try spark.spark.destination($0) }
            try spark.check(saveMatrix: nil)
            if spark.engine == .spark {
                guard !datasetWeakLabels else { throw BadInput("--dataset-weak-labels: the dataset's own votes are not applied; use --engine local") }
                guard exportSplits == [.train] || exportFile == nil else {
                    throw BadInput("--splits: with --engine spark the export writes the train split (export the others with `alchemist export`)")
                }
            }
            if let endModelRows, endModelRows < 1 { throw BadInput("--end-model-rows: must be at least 1, found \(endModelRows)") }
            let catalog = DatasetCatalog(config: config, paths: paths)
            // The train split streams from its file; the dataset's own weak labels need it in memory.
            let (data, train) = datasetWeakLabels ? (try catalog.load(dataset), nil) : try catalog.loadStreamingTrain(dataset)
            let log = ProgressLine(label: "", enabled: isatty(2) != 0)
            guard let policy = LabelingSettings.UncoveredRows(rawValue: uncovered) else {
                throw BadInput("--uncovered: expected learned, prior or uniform, found \"\(uncovered)\"")
            }
            var votes = LabelingJob.Votes.datasetWeakLabels
            if !datasetWeakLabels {
                votes = .programs(try lfs.map { try SkippedPrograms.scan($0).programs }
                    ?? ProgramStates.labelingPrograms(dataset: dataset, root: paths.lfDir))
                InterruptHandler.install()
            }
            var settings = config.sandbox
            if let workers {
                guard workers >= 0 else { throw BadInput("--workers: must be 0 (one per core) or more") }
                settings.workers = workers
                if let note = settings.workersNote() {
                    FileHandle.standardError.write(Data("alchemist: note: \(note)\n".utf8))
                }
            }
            func ids(_ list: String) -> [String] { list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            let labelIDs = ids(labelModels)
            guard !labelIDs.isEmpty else { throw BadInput("--label-models: name at least one") }
            let labeling = LabelingSettings(runs: runs, labelModels: try labelIDs.map(LabelModelID.init(parsing:)),
                                            endModels: try ids(endModels).map(EndModelID.init(parsing:)), featureBits: featureBits,
                                            uncovered: policy,
                                            endModelRows: endModelRows ?? (spark.engine == .spark ? TrainVotes.sparkDefaultEndModelRows : nil))
            var job = LabelingJob(dataset: data, votes: votes, settings: labeling, sandbox: settings, experimentLogFolder: paths.expLogDir,
                                  runsFolder: paths.runsFolder)
            job.train = train
            // On Spark the train split's votes, features and sample come from Spark jobs; the rest is this run's.
            let sparkRun = spark.engine == .spark ? try SparkLabeling(spark.spark, appHome: paths.appHome) : nil
            defer { sparkRun?.finish() }
            if let sparkRun, case .programs(let programs) = votes {
                log.status("applying \(programs.count) programs to train on Spark (\(spark.master))")
                let source = try catalog.splitSource(dataset, split: .train)
                job.remoteTrain = try await sparkRun.remoteTrain(programs, input: try spark.splitInput(source), classes: source.labelNames,
                                                                 sandbox: settings, labeling: labeling)
                job.train = nil
            }
            try job.validate()
            let programCount = job.programCount
            let outcome = try await job.run { event in
                switch event {
                case .planned: break
                case .step(.apply(let split), let done, let total):
                    log.update(done, total, label: "applying \(programCount) programs to \(split.rawValue)")
                case .step(let step, let done, let total):
                    if done < total { log.status(total > 1 ? "\(step), run \(done + 1)/\(total)" : step.description) }
                case .note(let note):
                    log.finish()
                    FileHandle.standardError.write(Data("alchemist: \(note)\n".utf8))
                }
            }
            log.finish()
            let result = outcome.result
            let provenance = outcome.provenance
            let file = outcome.logFile ?? paths.expLogDir
            var exported: LabeledFileSummary?
            if let exportFile, let saved = outcome.savedRun {
                if let sparkRun {
                    exported = try await sparkRun.export(run: saved.folder, to: exportFile)
                } else {
                    exported = try RunExport.write(try LoadedRun.load(saved.folder), catalog: catalog, splits: exportSplits, to: exportFile)
                }
            }
            if json {
                print(try LabelReport.json(outcome, logFile: file, export: exported?.file))
            } else {
                print(ExperimentLog.text(result, mode: provenance.mode, prior: provenance.prior, model: provenance.model, date: Date()))
                print("log: \(file.path)\nresults: \(ExperimentLog(folder: paths.expLogDir).resultsFile.path)")
                if let saved = outcome.savedRun { print("run: \(saved.id) (\(saved.folder.path))") }
                if let exported { print(exported.line) }
            }
        }
    }
}

/// The JSON object of `alchemist label --json`: the run's report, its log, and where it was saved.
enum LabelReport {
    static func json(_ outcome: LabelingOutcome, logFile: URL, export: URL?) throws -> String {
        var object = outcome.result.reportObject
        object["log"] = logFile.path
        if let run = outcome.savedRun { object["run"] = ["id": run.id, "path": run.folder.path] }
        if let export { object["export"] = export.path }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
