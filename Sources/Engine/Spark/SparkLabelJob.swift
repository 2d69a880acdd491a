import Foundation

/// One split as the label job wrote it.
public struct SparkLabeledSplit: Sendable, Equatable {
    public var rows: Int
    public var fromLabelModel: Int
    public var fromEndModel: Int
    /// Rows with a gold label, and those whose final label is it.
    public var labeledRows: Int
    public var correct: Int
    public var partitions: Int
}

/// What the label job wrote: per split its tally; `summary` is what a local export of the same
/// splits to `output` reports.
public struct SparkLabelResult: Sendable, Equatable {
    public var output: URL
    public var splits: [SplitName: SparkLabeledSplit]

    public var summary: LabeledFileSummary {
        let parts = Array(splits.values)
        let labeled = parts.reduce(0) { $0 + $1.labeledRows }, correct = parts.reduce(0) { $0 + $1.correct }
        return LabeledFileSummary(file: output, rows: parts.reduce(0) { $0 + $1.rows },
                                  fromLabelModel: parts.reduce(0) { $0 + $1.fromLabelModel }, fromEndModel: parts.reduce(0) { $0 + $1.fromEndModel },
                                  accuracy: labeled > 0 ? Double(correct) / Double(labeled) : nil, labeledRows: labeled)
    }
}

/// Labels splits on Spark with a saved run (op "label"): the votes a votes job wrote with
/// `keepText` (`work/votes/<split>`) are piped, a partition at a time in row order, through
/// `alchemist spark-worker label` on the executors, and the rows are written to `output` as a
/// folder of part files with the columns of a local export (`LabelColumns`), ordered by split then
/// row. No row comes to this process.
public struct SparkLabelJob: Sendable {
    public let environment: SparkEnvironment
    public var settings: SparkJobSettings
    public var log: (@Sendable (String) -> Void)?

    public init(environment: SparkEnvironment, settings: SparkJobSettings, log: (@Sendable (String) -> Void)? = nil) {
        self.environment = environment
        self.settings = settings
        self.log = log
    }

    /// - Parameters:
    ///   - run: the saved run's folder; its manifest and model files are shipped to the executors.
    ///   - splits: the splits to write, in this order; their votes must be in `work/votes/`.
    ///   - work: the work folder the votes job of the same command wrote.
    ///   - output: a local folder (file URL) or any URI Spark writes; replaced when it exists.
    ///   - format: parquet, jsonl (Spark's json) or csv (with a header); not WRENCH.
    ///   - worker: the `alchemist spark-worker label` command line without `--run`.
    /// - Throws: `ExportError` for WRENCH or a run that cannot be read, `SparkJobError` when the job fails.
    public func run(run: URL, splits: [SplitName], work: URL, output: URL, format: ExportFormat,
                    worker: [String]) async throws -> SparkLabelResult {
        guard format != .wrench else {
            throw ExportError(file: output.path, reason: "WRENCH JSON is one object a file, and Spark writes folders of part files: use .parquet, .jsonl or .csv")
        }
        guard !splits.isEmpty else { throw ExportError(file: output.path, reason: "no split to label") }
        let loaded = try LoadedRun.load(run)
        let shipped = try Self.shipRun(loaded, into: work)
        let columns = LabelColumns(classes: loaded.manifest.classes, programColumns: loaded.manifest.programs.map(\.column))
        let kinds = columns.names.map { name in
            [name, columns.numberColumns.contains(name) ? "number" : columns.integerColumns.contains(name) ? "integer" : "text"]
        }
        let destination = output.isFileURL ? output.standardizedFileURL.path : output.absoluteString
        let result = work.appendingPathComponent("label-result.json")
        let request = SparkLabelRequest(name: "alchemist \(work.lastPathComponent) label", splits: splits.map(\.rawValue), worker: worker,
                                        run: shipped.path, work: work.path, output: destination, format: format.rawValue,
                                        columns: kinds, result: result.path)
        let submission = SparkSubmission(environment: environment, settings: settings, log: log)
        let answer = try await submission.run(request, file: work.appendingPathComponent("label-request.json"), result: result,
                                              as: SparkLabelResultFile.self)
        var labeled: [SplitName: SparkLabeledSplit] = [:]
        for split in splits {
            guard let entry = answer.splits[split.rawValue] else {
                throw SparkJobError(reason: "the Spark job's result has no split \(split.rawValue)")
            }
            labeled[split] = SparkLabeledSplit(rows: entry.rows, fromLabelModel: entry.labelModel, fromEndModel: entry.endModel,
                                               labeledRows: entry.goldRows, correct: entry.correct, partitions: entry.partitions)
        }
        return SparkLabelResult(output: output, splits: labeled)
    }

    /// Copies what `LoadedRun.load` reads (the manifest and the model files, not the saved votes)
    /// to `work/run-<id>`, the folder shipped to the executors.
    static func shipRun(_ run: LoadedRun, into work: URL) throws -> URL {
        let folder = work.appendingPathComponent("run-\(run.manifest.id)")
        let files = FileManager.default
        try? files.removeItem(at: folder)
        try files.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in [RunFolder.manifestFile, run.manifest.labelModel.file] + [run.manifest.endModel?.file].compactMap({ $0 }) {
            let source = run.folder.appendingPathComponent(name), copy = folder.appendingPathComponent(name)
            do {
                try files.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files.copyItem(at: source, to: copy)
            } catch {
                throw ExportError(file: source.path, reason: "cannot copy it for the Spark executors (\(error.localizedDescription))")
            }
        }
        return folder
    }
}
