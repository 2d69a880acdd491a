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

    @Option(help: "Folder (searched recursively) of labeling programs to apply.")
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

    @Option(name: .customLong("feature-bits"), help: "The end models' text features hash into 2^N columns.")
    var featureBits = LabelingSettings().featureBits

    @Option(help: "Rows a label model cannot decide (no vote, or tied classes): learned (the class such rows have most often on the labeled valid split), prior (the majority class) or uniform (a seeded random class, as snorkel and WRENCH do).")
    var uncovered = LabelingSettings().uncovered.rawValue

    @Option(help: "Sandbox worker processes (default: config.json; 0 = one per core).")
    var workers: Int?

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            guard (lfs != nil) != datasetWeakLabels else { throw BadInput("give either --lfs DIR or --dataset-weak-labels") }
            let data = try DatasetCatalog(config: config, paths: paths).load(dataset)
            let log = ProgressLine(label: "", enabled: isatty(2) != 0)
            guard let policy = LabelingSettings.UncoveredRows(rawValue: uncovered) else {
                throw BadInput("--uncovered: expected learned, prior or uniform, found \"\(uncovered)\"")
            }
            var votes = LabelingJob.Votes.datasetWeakLabels
            if let lfs {
                votes = .programs(try SkippedPrograms.scan(lfs).programs)
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
                                            uncovered: policy, featureCacheFolder: paths.featureCache)
            let job = LabelingJob(dataset: data, votes: votes, settings: labeling, sandbox: settings, experimentLogFolder: paths.expLogDir)
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
            if json {
                print(try LabelReport.json(result, logFile: file))
            } else {
                print(ExperimentLog.text(result, mode: provenance.mode, prior: provenance.prior, model: provenance.model, date: Date()))
                print("log: \(file.path)\nresults: \(ExperimentLog(folder: paths.expLogDir).resultsFile.path)")
            }
        }
    }
}

/// The JSON object of `alchemist label --json`.
enum LabelReport {
    static func json(_ result: LabelingRunResult, logFile: URL) throws -> String {
        func pair(_ value: MeanStd) -> [String: Double] { ["mean": value.mean, "std": value.std] }
        func split(_ scores: SplitScores) -> [String: Any] { ["accuracy": pair(scores.accuracy), "f1": pair(scores.f1)] }
        func model(_ scores: ModelScores) -> [String: Any] {
            var object: [String: Any] = ["test": split(scores.test), "fit_seconds": scores.fitSeconds]
            if let valid = scores.valid { object["valid"] = split(valid) }
            object["test_per_class"] = scores.testPerClass.map {
                ["class": $0.label, "precision": $0.precision, "recall": $0.recall, "f1": $0.f1, "support": $0.support] as [String: Any]
            }
            return object
        }
        var coverage: [String: Double] = [:]
        for (name, value) in result.coverage { coverage[name.rawValue] = value }
        let object: [String: Any] = [
            "dataset": result.dataset,
            "programs": result.programs,
            "runs": result.runs,
            "coverage": coverage,
            "label_models": Dictionary(uniqueKeysWithValues: result.labelModels.map { ($0.id.rawValue, model($0.scores)) }),
            "best_label_model": result.bestLabelModel.rawValue,
            "selection_metric": result.selectionMetric.rawValue,
            "training_rows": result.trainingRows,
            "end_models": Dictionary(uniqueKeysWithValues: result.endModels.map { ($0.id.rawValue, model($0.scores)) }),
            "cost_usd": NSDecimalNumber(decimal: result.costUSD).doubleValue,
            "seconds": result.seconds,
            "log": logFile.path,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
