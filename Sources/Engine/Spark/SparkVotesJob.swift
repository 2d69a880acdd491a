import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// One split as Spark reads it.
public struct SparkSplitInput: Sendable {
    public var split: SplitName
    /// Files or folders of part files, any URI Spark reads.
    public var paths: [String]
    public var format: SplitFileFormat
    public var fields: RowFields

    public init(split: SplitName, paths: [String], format: SplitFileFormat, fields: RowFields) {
        self.split = split
        self.paths = paths
        self.format = format
        self.fields = fields
    }
}

/// How spark-submit is called.
public struct SparkJobSettings: Sendable {
    /// `local[*]`, `local[N]`, `spark://…`, `yarn`, `k8s://…`.
    public var master = "local[*]"
    /// `--conf key=value` pairs, in order, after the job's defaults (so they win).
    public var conf: [(key: String, value: String)] = []
    /// Keep the work folder (request, result, the votes as Parquet) instead of removing it.
    public var keepWork = false

    public init(master: String = "local[*]", conf: [(key: String, value: String)] = [], keepWork: Bool = false) {
        self.master = master
        self.conf = conf
        self.keepWork = keepWork
    }

    /// Spark's settings unless the user gave them: no web UI or console progress bar, and a local
    /// master's driver on the loopback address only.
    var defaults: [(key: String, value: String)] {
        var pairs = [("spark.ui.enabled", "false"), ("spark.ui.showConsoleProgress", "false")]
        if master == "local" || master.hasPrefix("local[") {
            pairs += [("spark.driver.host", "127.0.0.1"), ("spark.driver.bindAddress", "127.0.0.1")]
        }
        return pairs.filter { key, _ in !conf.contains { $0.key == key } }
    }
}

/// A split's votes as the Spark job left them.
public struct SparkSplitVotes: Sendable {
    public var rows: Int
    /// The reports summed over the partitions; the matrix is `expandedMatrix(of:)`'s (rows in
    /// pattern order, not file order).
    public var outcome: ApplyOutcome
    /// The gold label of each row of `outcome.matrix`.
    public var gold: [LabelMatrix.Vote]
    public var partitions: Int
    /// Where the job wrote the votes (Parquet: id, row, gold, votes); gone unless the work is kept.
    public var location: String
}

/// Why a Spark job failed: its own message, else the last lines spark-submit wrote.
public struct SparkJobError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

/// Applies programs to splits on Spark: writes the request under `<app home>/spark/<job>/`, runs
/// `spark-submit … spark_job.py REQUEST.json` in the environment of `SparkEnvironment` (no API keys),
/// and reads the job's small result file. The rows never come to this process.
public struct SparkVotesJob: Sendable {
    public let environment: SparkEnvironment
    public var settings: SparkJobSettings
    /// Gets each line spark-submit writes on stderr as it comes (Spark logs much).
    public var log: (@Sendable (String) -> Void)?

    public init(environment: SparkEnvironment, settings: SparkJobSettings, log: (@Sendable (String) -> Void)? = nil) {
        self.environment = environment
        self.settings = settings
        self.log = log
    }

    /// Lines of spark-submit's stderr kept for an error message.
    static let tailLines = 30

    /// - Parameter worker: the `alchemist spark-worker votes` command line without `--lfs`.
    /// - Returns: the work folder (removed already unless kept) and each split's votes by name.
    /// - Throws: `SparkJobError` when the job fails (its message, or spark-submit's last lines).
    public func run(_ programs: [LabelingProgram], splits: [SparkSplitInput], worker: [String],
                    appHome: URL) async throws -> (work: URL, splits: [SplitName: SparkSplitVotes]) {
        let job = "apply-\(RunID.make())"
        let work = appHome.appendingPathComponent("spark/\(job)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if !settings.keepWork { try? FileManager.default.removeItem(at: work) } }
        let programFolder = try Self.writePrograms(programs, into: work.appendingPathComponent("programs"))
        let request = SparkVotesRequest(
            name: "alchemist \(job)",
            splits: splits.map { .init(name: $0.split.rawValue, paths: $0.paths, format: $0.format.rawValue,
                                       text: $0.fields.text, label: $0.fields.label, id: $0.fields.id) },
            worker: worker, programs: programFolder.path, work: work.path,
            result: work.appendingPathComponent("result.json").path)
        let requestFile = work.appendingPathComponent("request.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(request), to: requestFile)
        let (status, tail) = try await submit(requestFile)
        let result = try readResult(URL(fileURLWithPath: request.result), status: status, tail: tail)
        var votes: [SplitName: SparkSplitVotes] = [:]
        for input in splits {
            guard let split = result.splits?[input.split.rawValue] else {
                throw SparkJobError(reason: "the Spark job's result has no split \(input.split.rawValue)")
            }
            votes[input.split] = try Self.votes(of: split, programs: programs)
        }
        return (work, votes)
    }

    /// Writes each program's source (the whole file as read) to `folder/<name>.py`, so the worker's
    /// scan finds the same programs under the same names in the same order.
    static func writePrograms(_ programs: [LabelingProgram], into folder: URL) throws -> URL {
        for program in programs {
            let file = folder.appendingPathComponent("\(program.name).py")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(program.source.utf8).write(to: file)
        }
        return folder
    }

    static func jobScript() throws -> URL {
        guard let url = Bundle.module.url(forResource: "spark_job", withExtension: "py") else {
            throw SparkJobError(reason: "spark_job.py is missing from the Engine bundle")
        }
        return url
    }

    /// Runs spark-submit in a process group of its own (registered for interrupt handlers), its
    /// stderr streamed to `log` and its last lines kept.
    private func submit(_ request: URL) async throws -> (TerminationStatus, [String]) {
        var arguments = ["--master", settings.master]
        for (key, value) in settings.defaults + settings.conf { arguments += ["--conf", "\(key)=\(value)"] }
        arguments += [try Self.jobScript().path, request.path]
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.send(signal: .terminate, allowedDurationToNextStep: .seconds(5))]
        let log = log
        let result = try await Subprocess.run(
            .path(FilePath(environment.sparkSubmit.path)), arguments: Arguments(arguments),
            environment: .custom(Dictionary(uniqueKeysWithValues: environment.childEnvironment().map { (Environment.Key(stringLiteral: $0.key), $0.value) })),
            workingDirectory: FilePath(request.deletingLastPathComponent().path), platformOptions: options,
            input: .none, output: .discarded, error: .sequence
        ) { execution in
            let group = execution.processIdentifier.value
            WorkerRegistry.shared.insert(group)
            defer { WorkerRegistry.shared.remove(group) }
            var tail: [String] = []
            for try await line in execution.standardError.strings(bufferingPolicy: .unbounded) {
                log?(line)
                tail.append(String(line.prefix(2000)))
                if tail.count > Self.tailLines { tail.removeFirst() }
            }
            return tail
        }
        return (result.terminationStatus, result.closureResult)
    }

    private func readResult(_ file: URL, status: TerminationStatus, tail: [String]) throws -> SparkVotesResult {
        let failed: String
        switch status {
        case .exited(let code): failed = "spark-submit exited with status \(code)"
        case .signaled(let signal): failed = "spark-submit was killed by signal \(signal)"
        }
        guard let data = try? Data(contentsOf: file) else {
            throw SparkJobError(reason: "\(failed) before the job wrote \(file.lastPathComponent): \(Self.summary(tail))")
        }
        let result: SparkVotesResult
        do {
            result = try JSONDecoder().decode(SparkVotesResult.self, from: data)
        } catch {
            throw SparkJobError(reason: "\(file.path): not a result of spark_job.py (\(error))")
        }
        if let message = result.error { throw SparkJobError(reason: "the Spark job failed: \(message)") }
        guard status.isSuccess else { throw SparkJobError(reason: "\(failed): \(Self.summary(tail))") }
        return result
    }

    /// spark-submit's last lines, the errors first when there are any.
    static func summary(_ tail: [String]) -> String {
        let lines = tail.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let errors = lines.filter { $0.contains("Error") || $0.contains("ERROR") || $0.contains("Exception") }
        return (errors.isEmpty ? Array(lines.suffix(5)) : Array(errors.suffix(5))).joined(separator: " | ")
    }

    private static func votes(of split: SparkVotesResult.Split, programs: [LabelingProgram]) throws -> SparkSplitVotes {
        let names = split.reports.map(\.name)
        guard split.rows == 0 || names == programs.map(\.name) else {
            throw SparkJobError(reason: "the Spark workers applied \(names.joined(separator: ", ")), not \(programs.map(\.name).joined(separator: ", "))")
        }
        var reports = split.reports.map(\.programReport)
        if reports.isEmpty { reports = programs.map { ProgramReport(name: $0.name) } }
        let (matrix, gold) = try expandedMatrix(of: split.patterns, programs: programs.count)
        let outcome = ApplyOutcome(matrix: matrix, reports: reports, sandboxFacts: split.facts, workers: split.workers, restarts: split.restarts)
        return SparkSplitVotes(rows: split.rows, outcome: outcome, gold: gold, partitions: split.partitions, location: split.votes)
    }

    /// The histogram of vote patterns as a label matrix, one row per counted row (in pattern order),
    /// with the gold labels beside: what `LabelMatrixAnalysis.analyze` takes. The one place that
    /// turns patterns into rows, until a weighted type takes patterns as they are.
    static func expandedMatrix(of patterns: [SparkVotesResult.VotePattern], programs: Int) throws -> (LabelMatrix, [LabelMatrix.Vote]) {
        var values: [LabelMatrix.Vote] = []
        var gold: [LabelMatrix.Vote] = []
        values.reserveCapacity(patterns.reduce(0) { $0 + $1.n } * programs)
        for pattern in patterns {
            guard pattern.v.count == programs, pattern.n >= 0 else {
                throw SparkJobError(reason: "the Spark job's result has a vote pattern of \(pattern.v.count) programs for \(programs)")
            }
            for _ in 0..<pattern.n { values.append(contentsOf: pattern.v) }
            gold.append(contentsOf: repeatElement(pattern.g, count: pattern.n))
        }
        return (LabelMatrix(columns: programs, values: values), gold)
    }
}
