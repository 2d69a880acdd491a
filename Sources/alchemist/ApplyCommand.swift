import ArgumentParser
import Engine
import Foundation

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply labeling programs to a dataset split in the sandbox and analyse their votes.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Dataset name (see `alchemist datasets`).")
    var dataset: String

    @Option(help: "Folder (searched recursively) or single .py file of labeling programs.")
    var lfs: String

    @Option(help: "Split to label: train, valid or test.")
    var split: String = "valid"

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .customLong("save-matrix"), help: "Write the label matrix as tab-separated values to this file.")
    var saveMatrix: String?

    @Option(help: "Worker processes (default: config.json; 0 = one per core).")
    var workers: Int?

    @Option(name: .customLong("call-timeout"), help: "Time budget of one call of a program, in seconds (default: config.json).")
    var callTimeout: Double?

    @Option(help: "Show up to N labeled rows each program gets wrong (its vote, the gold label, the text); --json carries them.")
    var errors: Int?

    @OptionGroup var spark: SparkOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            guard let splitName = SplitName(rawValue: split) else {
                throw BadInput("--split: expected train, valid or test, found \"\(split)\"")
            }
            try spark.check(saveMatrix: saveMatrix)
            if let errors {
                guard errors >= 1 else { throw BadInput("--errors: must be at least 1, found \(errors)") }
                guard spark.engine == .local else { throw BadInput("--errors: with --engine spark the rows stay on Spark's side; use --engine local") }
            }
            // The split is read as a stream, window by window: only its votes and gold labels stay in memory.
            let source = try DatasetCatalog(config: config, paths: paths).splitSource(dataset, split: splitName)
            let scan = try SkippedPrograms.scan(lfs)
            let programs = scan.programs

            var settings = config.sandbox
            if let workers {
                guard workers >= 0 else { throw BadInput("--workers: must be 0 or more") }
                settings.workers = workers
            } else if spark.engine == .spark {
                settings.workers = 1  // Spark runs a task per core; each task's worker takes one
            }
            if let callTimeout {
                guard callTimeout > 0 else { throw BadInput("--call-timeout: must be positive") }
                settings.callTimeoutSeconds = callTimeout
            }
            if spark.engine == .spark {
                let report = try await spark.apply(programs, scan: scan, source: source, settings: settings, appHome: paths.appHome)
                print(json ? try report.json() : report.table())
                return
            }
            if let note = settings.workersNote() {
                FileHandle.standardError.write(Data("alchemist: note: \(note)\n".utf8))
            }
            InterruptHandler.install()
            let interactive = !json && isatty(2) != 0
            let bar = ProgressLine(label: "applying \(programs.count) programs to \(source.dataset) \(splitName.rawValue)", enabled: interactive)
            let started = ContinuousClock.now
            let windows = RowStreamWindows(try source.open(), byteCount: source.byteCount)
            let outcome = try await ProgramApplier(settings: settings).apply(
                programs, windows: windows, classCount: source.labelNames.count, progress: { done, total in bar.update(done, total) })
            bar.finish()
            let elapsed = ContinuousClock.now - started
            guard windows.rowCount > 0 else { throw BadInput("\(source.file?.path ?? source.dataset): the \(splitName.rawValue) split has no rows") }
            let analysis = LabelMatrixAnalysis.analyze(outcome.matrix, gold: windows.gold)

            if let saveMatrix {
                let url = URL(fileURLWithPath: saveMatrix)
                try outcome.matrix.writeTSV(programNames: programs.map(\.name), to: url)
            }
            var report = ApplyReport(dataset: source.dataset, labelNames: source.labelNames, split: splitName, rowCount: windows.rowCount, programs: programs, skipped: scan.skipped,
                                     outcome: outcome, statistics: analysis.programs, totals: analysis.totals, seconds: elapsed.seconds)
            if let errors {
                // One more pass over the split reads back only the rows picked from the votes.
                let picked = ProgramMistakes.rows(outcome.matrix, gold: windows.gold, limit: errors)
                var rows = try source.open()
                report.mistakes = try ProgramMistakes.collect(picked, matrix: outcome.matrix, gold: windows.gold, from: &rows,
                                                              file: source.file?.path ?? source.dataset)
                report.mistakeLimit = errors
            }
            print(json ? try report.json() : report.table())
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
