import ArgumentParser
import Engine
import Foundation

/// Where the programs run.
enum EngineChoice: String, ExpressibleByArgument, CaseIterable {
    /// This machine's sandbox, the split streamed window by window.
    case local
    /// A Spark job (spark-submit); every executor runs the same sandbox through `alchemist spark-worker`.
    case spark
}

/// Where a command runs and how Spark is reached: what `apply`, `label`, `export` and `predict` share.
struct SparkEngineOptions: ParsableArguments {
    @Option(help: "Where the programs run: local (this machine) or spark (a Spark job; each executor runs the same sandbox).")
    var engine: EngineChoice = .local

    @Option(help: "Spark master for --engine spark: local[*], local[N], spark://HOST:PORT, yarn, k8s://….")
    var master = "local[*]"

    @Option(name: .customLong("spark-conf"), help: "A Spark setting key=value for --engine spark; repeat for more.")
    var sparkConf: [String] = []

    @Option(name: .customLong("spark-worker"), help: "Path of alchemist on the Spark executors (default: this binary, right for local[*]).")
    var sparkWorker: String?

    @Flag(name: .customLong("keep-work"), help: "Keep the Spark job's work folder (request, result, votes as Parquet) under the app home's spark/.")
    var keepWork = false

    @Flag(help: "Show what spark-submit writes on stderr as it runs.")
    var verbose = false

    /// Refuses the Spark options without `--engine spark`; `extra` are a command's own (name, given).
    func check(extra: [(String, Bool)] = []) throws {
        guard engine == .spark else {
            let given = extra + [("--spark-conf", !sparkConf.isEmpty), ("--spark-worker", sparkWorker != nil), ("--keep-work", keepWork),
                                 ("--master", master != "local[*]")]
            if let option = given.first(where: \.1) { throw BadInput("\(option.0) needs --engine spark") }
            return
        }
    }

    /// The `--spark-conf` pairs.
    func confPairs() throws -> [(key: String, value: String)] {
        try sparkConf.map { pair in
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw BadInput("--spark-conf: expected key=value, found \"\(pair)\"")
            }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
    }

    var settings: SparkJobSettings {
        get throws { SparkJobSettings(master: master, conf: try confPairs(), keepWork: keepWork) }
    }

    /// spark-submit's stderr, line by line, with `--verbose`.
    var log: (@Sendable (String) -> Void)? {
        verbose ? { @Sendable line in FileHandle.standardError.write(Data((line + "\n").utf8)) } : nil
    }

    /// Where a command writes: with --engine spark any URI Spark writes (`hdfs://…`, `s3a://…`), else a local path.
    func destination(_ path: String) throws -> URL {
        let url = engine == .spark && path.contains("://") ? URL(string: path) ?? URL(fileURLWithPath: path) : URL(fileURLWithPath: path)
        _ = try ExportFormat.of(url)
        return url
    }

    /// The executors' `alchemist`.
    var workerBinary: String { sparkWorker ?? SparkWorkerCommand.runningBinary }
}

/// The options of `--engine spark` for a dataset's split, `--input` among them, and the Spark path of `apply`.
struct SparkOptions: ParsableArguments {
    @OptionGroup var spark: SparkEngineOptions

    @Option(help: "Read the split from this path instead of the dataset's file (--engine spark): a file or a folder of part files, any path or URI Spark reads; repeat for more.")
    var input: [String] = []

    @Option(name: .customLong("input-format"), help: "Format of --input: parquet, csv, tsv or jsonl (default: its extension, else the dataset's).")
    var inputFormat: String?

    var engine: EngineChoice { spark.engine }
    var master: String { spark.master }

    /// Refuses the Spark options without `--engine spark`, and what Spark does not do yet.
    func check(saveMatrix: String?) throws {
        try spark.check(extra: [("--input", !input.isEmpty), ("--input-format", inputFormat != nil)])
        if engine == .spark, saveMatrix != nil {
            throw BadInput("--save-matrix: with --engine spark the votes stay on Spark's side (--keep-work keeps them as Parquet: id, row, gold, votes)")
        }
    }

    /// What Spark reads: `--input` (local paths made absolute, URIs as they are) or the split's own file.
    func splitInput(_ source: SplitSource) throws -> SparkSplitInput {
        var paths: [String]
        var format = source.format
        if input.isEmpty {
            guard let file = source.file else {
                throw BadInput("\(source.dataset): the \(source.split.rawValue) split has no file of its own (only hand-labeled train rows)")
            }
            paths = [file.path]
        } else {
            paths = input.map(Self.sparkPath)
            format = try Self.format(of: paths[0], named: inputFormat) ?? format
        }
        guard format != .wrench else {
            throw BadInput("\(paths[0]): WRENCH JSON is one object a file, which Spark cannot split; give a Parquet, CSV, TSV or JSONL copy with --input, or use --engine local")
        }
        guard source.handLabels.labels.isEmpty else {
            throw BadInput("\(source.dataset) has hand labels, which --engine spark does not apply yet; use --engine local")
        }
        return SparkSplitInput(split: source.split, paths: paths, format: format, fields: source.fields)
    }

    /// A path as Spark reads it: a local one made absolute, a URI as it is.
    static func sparkPath(_ path: String) -> String {
        path.contains("://") ? path : URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The format of an input Spark reads: `--input-format` when given, else the path's extension (nil when it has none).
    static func format(of path: String, named: String?) throws -> SplitFileFormat? {
        if let named {
            guard let format = SplitFileFormat(rawValue: named), format != .wrench else {
                throw BadInput("--input-format: expected parquet, csv, tsv or jsonl, found \"\(named)\"")
            }
            return format
        }
        return SplitFile.format(of: URL(fileURLWithPath: path))
    }

    /// `apply --engine spark`: the split's votes from a Spark job, analysed from the job's histogram of vote patterns.
    func apply(_ programs: [LabelingProgram], scan: ProgramScan, source: SplitSource, settings: SandboxSettings,
               appHome: URL) async throws -> ApplyReport {
        let splitInput = try splitInput(source)
        let environment = try SparkEnvironment.locate(appHome: appHome)
        let worker = SparkWorkerCommand.arguments(binary: spark.workerBinary, classes: source.labelNames, settings: settings)
        let job = SparkVotesJob(environment: environment, settings: try spark.settings, log: spark.log)
        InterruptHandler.install()
        let started = ContinuousClock.now
        let (work, splits) = try await job.run(programs, splits: [splitInput], worker: worker, appHome: appHome)
        let elapsed = ContinuousClock.now - started
        if spark.keepWork { FileHandle.standardError.write(Data("alchemist: the Spark job's work is kept in \(work.path)\n".utf8)) }
        guard let votes = splits[source.split], votes.rows > 0 else {
            throw BadInput("\(splitInput.paths.joined(separator: ", ")): the \(source.split.rawValue) split has no rows")
        }
        let analysis = LabelMatrixAnalysis.analyze(votes.outcome.matrix, gold: votes.gold)
        return ApplyReport(dataset: source.dataset, labelNames: source.labelNames, split: source.split, rowCount: votes.rows, programs: programs,
                           skipped: scan.skipped, outcome: votes.outcome, statistics: analysis.programs, totals: analysis.totals, seconds: elapsed.seconds)
    }
}
