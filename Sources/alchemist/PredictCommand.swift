import ArgumentParser
import Engine
import Foundation

/// `alchemist predict --run RUN --input FILE --output FILE`: new texts labeled by a saved run.
struct PredictCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Label new texts with a saved run's end model, or with its programs and label model.",
        discussion: """
            The input is CSV, TSV, JSONL, a JSON array or Parquet; the output has the columns of \
            `alchemist export`. With --with-programs the run's programs (checked against the SHA-256 the \
            run recorded) are applied in the sandbox and combined by the saved label model; rows no \
            program votes on get the end model's label. A label column (default: `label` when present) \
            is scored and kept as gold. With --engine spark the input is any path or URI Spark reads \
            (Parquet, CSV, TSV, JSONL, or a folder of their part files), the rows are labeled on the executors, \
            and the output is a folder of part files.
            """)
    @OptionGroup var common: CommonOptions
    @Option(help: "The run: its id, its folder, or `latest`.") var run: String
    @Option(help: "The texts to label.") var input: String
    @Option(help: "The file to write (.csv, .jsonl, .parquet, .json).") var output: String
    @Option(name: .customLong("text-column"), help: "Column of the texts (default: \"text\", else the only text column).") var textColumn: String?
    @Option(name: .customLong("id-column"), help: "Column of the row ids (default: \"id\" when present, else the row's position).") var idColumn: String?
    @Option(name: .customLong("label-column"), help: "Column of gold labels to score against (default: \"label\" when present).") var labelColumn: String?
    @Flag(name: .customLong("with-programs"), help: "Apply the run's programs and its label model; the end model where none votes.") var withPrograms = false
    @Option(help: "Sandbox worker processes (default: config.json; 0 = one per core).") var workers: Int?
    @Flag(help: "Print JSON.") var json = false
    @Option(name: .customLong("input-format"), help: "Format of --input for --engine spark: parquet, csv, tsv or jsonl (default: its extension).")
    var inputFormat: String?
    @OptionGroup var spark: SparkEngineOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            var sandbox = config.sandbox
            if let workers {
                guard workers >= 0 else { throw BadInput("--workers: must be 0 (one per core) or more") }
                sandbox.workers = workers
            }
            try spark.check(extra: [("--input-format", inputFormat != nil)])
            let loaded = try LoadedRun.load(try RunFolder.resolve(run, runsFolder: paths.runsFolder))
            let predictor = RunPredictor(run: loaded, sandbox: sandbox)
            if spark.engine == .spark {
                InterruptHandler.install()
                print(try Self.show(try await predictOnSpark(predictor, appHome: paths.appHome), run: loaded, json: json))
                return
            }
            if withPrograms { InterruptHandler.install() }
            let log = ProgressLine(label: "", enabled: isatty(2) != 0 && withPrograms)
            let summary = try await predictor.predict(
                RunPredictor.Input(file: URL(fileURLWithPath: input), textColumn: textColumn, idColumn: idColumn, labelColumn: labelColumn),
                to: URL(fileURLWithPath: output), withPrograms: withPrograms) { done, total in
                log.update(done, total, label: "applying \(loaded.manifest.programs.count) programs")
            }
            log.finish()
            print(try Self.show(summary, run: loaded, json: json))
        }
    }

    /// What predict prints: the summary line, or with --json its object and the run.
    static func show(_ summary: LabeledFileSummary, run loaded: LoadedRun, json: Bool) throws -> String {
        guard json else { return summary.line }
        var object = summary.jsonObject
        object["run"] = ["id": loaded.manifest.id, "path": loaded.folder.path]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }

    /// The rows labeled on Spark: the run's programs applied there with --with-programs, the run's
    /// models on the executors, the output written by them.
    func predictOnSpark(_ predictor: RunPredictor, appHome: URL) async throws -> LabeledFileSummary {
        let path = SparkOptions.sparkPath(input)
        guard let format = try SparkOptions.format(of: path, named: inputFormat), format != .wrench else {
            throw BadInput("--input \(input): give a Parquet, CSV, TSV or JSONL file or folder (name a folder's format with --input-format)")
        }
        let file = path.contains("://") ? URL(string: path) ?? URL(fileURLWithPath: path) : URL(fileURLWithPath: path)
        let fields = try predictor.sparkFields(of: RunPredictor.Input(file: file, textColumn: textColumn, idColumn: idColumn, labelColumn: labelColumn))
        let sparkRun = try SparkLabeling(spark, appHome: appHome, kind: "predict")
        defer { sparkRun.finish() }
        let job = SparkPredictJob(environment: sparkRun.environment, settings: sparkRun.settings, log: sparkRun.log)
        let result = try await job.run(
            predictor, input: SparkSplitInput(split: SparkPredictJob.split, paths: [path], format: format, fields: fields),
            withPrograms: withPrograms,
            voteWorker: SparkWorkerCommand.arguments(binary: spark.workerBinary, classes: predictor.run.manifest.classes, settings: predictor.sandbox),
            labelWorker: SparkWorkerCommand.labelArguments(binary: spark.workerBinary), work: sparkRun.work, output: try spark.destination(output))
        return result.summary
    }
}
