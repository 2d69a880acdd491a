import Foundation

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

/// A split's votes as the Spark job left them.
public struct SparkSplitVotes: Sendable {
    public var rows: Int
    /// The reports summed over the partitions; the matrix is `expandedMatrix(of:)`'s (rows in
    /// pattern order, not file order).
    public var outcome: ApplyOutcome
    /// The gold label of each row of `outcome.matrix`.
    public var gold: [LabelMatrix.Vote]
    public var partitions: Int
    /// Where the job wrote the votes (Parquet: id, row, gold, votes, and text with `keepText`);
    /// gone unless the work is kept.
    public var location: String
    /// The end models' document frequencies of the split's texts, with `featureBits`.
    public var documentFrequencies: HashedTFIDF.DocumentFrequencies?
    /// The votes in row order (file order), for the splits named in `ordered`.
    public var ordered: SparkOrderedVotes?
    /// The histogram of the votes (gold left out): what a label model is fitted from.
    public var patterns: VotePatterns
}

/// A small split's votes in row order, as the driver holds an evaluation split.
public struct SparkOrderedVotes: Sendable, Equatable {
    public var matrix: LabelMatrix
    /// The gold label of each row (-1 unlabeled).
    public var gold: [LabelMatrix.Vote]
}

/// What a votes job does besides writing the votes (all off by default, as `apply --engine spark` runs it).
public struct SparkVotesOptions: Sendable {
    /// Write each row's text beside its votes, so the sample and label jobs read only the votes.
    public var keepText = false
    /// Count the end models' document frequencies of every split's texts, with 2^bits columns.
    public var featureBits: Int?
    /// The splits whose votes come back in row order (labeled evaluation splits: small).
    public var ordered: Set<SplitName> = []

    public init(keepText: Bool = false, featureBits: Int? = nil, ordered: Set<SplitName> = []) {
        self.keepText = keepText
        self.featureBits = featureBits
        self.ordered = ordered
    }
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

    /// Runs the job in a new work folder under `<app home>/spark/`, removed at the end unless
    /// `settings.keepWork`.
    /// - Parameter worker: the `alchemist spark-worker votes` command line without `--lfs`.
    /// - Returns: the work folder and each split's votes by name.
    /// - Throws: `SparkJobError` when the job fails (its message, or spark-submit's last lines).
    public func run(_ programs: [LabelingProgram], splits: [SparkSplitInput], worker: [String], appHome: URL,
                    options: SparkVotesOptions = SparkVotesOptions()) async throws -> (work: URL, splits: [SplitName: SparkSplitVotes]) {
        let work = try SparkJobSettings.makeWorkFolder(appHome: appHome, kind: "apply")
        defer { if !settings.keepWork { try? FileManager.default.removeItem(at: work) } }
        return (work, try await run(programs, splits: splits, worker: worker, work: work, options: options))
    }

    /// Runs the job in `work`, which is left as it is: the votes are in `work/votes/<split>` for
    /// the next job (`SparkSampleJob`, `SparkLabelJob`) of the same command.
    /// - Throws: `SparkJobError` when the job fails (its message, or spark-submit's last lines).
    public func run(_ programs: [LabelingProgram], splits: [SparkSplitInput], worker: [String], work: URL,
                    options: SparkVotesOptions = SparkVotesOptions()) async throws -> [SplitName: SparkSplitVotes] {
        if let bits = options.featureBits, !HashedTFIDF.bitsRange.contains(bits) {
            throw SparkJobError(reason: "feature bits \(bits): expected \(HashedTFIDF.bitsRange.lowerBound)…\(HashedTFIDF.bitsRange.upperBound)")
        }
        let programFolder = try Self.writePrograms(programs, into: work.appendingPathComponent("programs"))
        let result = work.appendingPathComponent("votes-result.json")
        let request = SparkVotesRequest(
            name: "alchemist \(work.lastPathComponent) votes",
            splits: splits.map { .init(name: $0.split.rawValue, paths: $0.paths, format: $0.format.rawValue,
                                       text: $0.fields.text, label: $0.fields.label, id: $0.fields.id) },
            worker: worker, programs: programFolder.path, work: work.path, result: result.path,
            keepText: options.keepText ? true : nil, featureBits: options.featureBits,
            ordered: options.ordered.isEmpty ? nil : options.ordered.map(\.rawValue).sorted())
        let submission = SparkSubmission(environment: environment, settings: settings, log: log)
        let answer = try await submission.run(request, file: work.appendingPathComponent("votes-request.json"), result: result,
                                              as: SparkVotesResult.self)
        var votes: [SplitName: SparkSplitVotes] = [:]
        for input in splits {
            guard let split = answer.splits?[input.split.rawValue] else {
                throw SparkJobError(reason: "the Spark job's result has no split \(input.split.rawValue)")
            }
            votes[input.split] = try Self.votes(of: split, programs: programs, options: options, name: input.split)
        }
        return votes
    }

    /// Writes each program's source (the whole file as read) to `folder/<name>.py`, so the worker's
    /// scan finds the same programs under the same names in the same order.
    static func writePrograms(_ programs: [LabelingProgram], into folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for program in programs {
            let file = folder.appendingPathComponent("\(program.name).py")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(program.source.utf8).write(to: file)
        }
        return folder
    }

    private static func votes(of split: SparkVotesResult.Split, programs: [LabelingProgram], options: SparkVotesOptions,
                              name: SplitName) throws -> SparkSplitVotes {
        let names = split.reports.map(\.name)
        guard split.rows == 0 || names == programs.map(\.name) else {
            throw SparkJobError(reason: "the Spark workers applied \(names.joined(separator: ", ")), not \(programs.map(\.name).joined(separator: ", "))")
        }
        var reports = split.reports.map(\.programReport)
        if reports.isEmpty { reports = programs.map { ProgramReport(name: $0.name) } }
        let (matrix, gold) = try expandedMatrix(of: split.patterns, programs: programs.count)
        let outcome = ApplyOutcome(matrix: matrix, reports: reports, sandboxFacts: split.facts, workers: split.workers, restarts: split.restarts)
        let patterns: VotePatterns
        do {
            patterns = try VotePatterns(patterns: split.patterns.map { $0.v.map(Int.init) }, counts: split.patterns.map(\.n), columns: programs.count)
        } catch {
            throw SparkJobError(reason: "the Spark job's histogram of split \(name.rawValue): \(error)")
        }
        var votes = SparkSplitVotes(rows: split.rows, outcome: outcome, gold: gold, partitions: split.partitions, location: split.votes,
                                    patterns: patterns)
        if options.featureBits != nil {
            guard let counted = split.documentFrequencies else {
                throw SparkJobError(reason: "the Spark job's result has no document frequencies for split \(name.rawValue)")
            }
            votes.documentFrequencies = try counted.counter()
        }
        if options.ordered.contains(name) {
            guard let rows = split.ordered else {
                throw SparkJobError(reason: "the Spark job's result has no ordered votes for split \(name.rawValue)")
            }
            votes.ordered = try orderedVotes(rows, programs: programs.count, rows: split.rows)
        }
        return votes
    }

    /// `[[gold, v0, v1, …], …]` as a matrix and its gold labels.
    static func orderedVotes(_ lines: [[Int8]], programs: Int, rows: Int) throws -> SparkOrderedVotes {
        guard lines.count == rows else {
            throw SparkJobError(reason: "the Spark job's result has \(lines.count) ordered rows for \(rows)")
        }
        var values: [LabelMatrix.Vote] = []
        values.reserveCapacity(rows * programs)
        var gold: [LabelMatrix.Vote] = []
        gold.reserveCapacity(rows)
        for line in lines {
            guard line.count == programs + 1 else {
                throw SparkJobError(reason: "the Spark job's result has an ordered row of \(line.count - 1) votes for \(programs) programs")
            }
            gold.append(line[0])
            values.append(contentsOf: line.dropFirst())
        }
        return SparkOrderedVotes(matrix: LabelMatrix(columns: programs, values: values), gold: gold)
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
