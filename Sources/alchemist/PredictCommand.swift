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
            is scored and kept as gold.
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

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            var sandbox = config.sandbox
            if let workers {
                guard workers >= 0 else { throw BadInput("--workers: must be 0 (one per core) or more") }
                sandbox.workers = workers
            }
            let loaded = try LoadedRun.load(try RunFolder.resolve(run, runsFolder: paths.runsFolder))
            let predictor = RunPredictor(run: loaded, sandbox: sandbox)
            if withPrograms { InterruptHandler.install() }
            let log = ProgressLine(label: "", enabled: isatty(2) != 0 && withPrograms)
            let summary = try await predictor.predict(
                RunPredictor.Input(file: URL(fileURLWithPath: input), textColumn: textColumn, idColumn: idColumn, labelColumn: labelColumn),
                to: URL(fileURLWithPath: output), withPrograms: withPrograms) { done, total in
                log.update(done, total, label: "applying \(loaded.manifest.programs.count) programs")
            }
            log.finish()
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
