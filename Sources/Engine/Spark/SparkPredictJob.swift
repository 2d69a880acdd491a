import Foundation

/// `predict --engine spark`: new rows labeled by a saved run on the executors. A votes job applies
/// the run's programs (none without `withPrograms`) and keeps the texts beside the votes; the label
/// job then labels every row with the run's models, as a local predict labels it, and writes the
/// output as a folder of part files. No row comes to this process.
public struct SparkPredictJob: Sendable {
    public let environment: SparkEnvironment
    public var settings: SparkJobSettings
    public var log: (@Sendable (String) -> Void)?

    public init(environment: SparkEnvironment, settings: SparkJobSettings, log: (@Sendable (String) -> Void)? = nil) {
        self.environment = environment
        self.settings = settings
        self.log = log
    }

    /// The split name the input's rows go under in the work folder: rows the run never saw.
    public static let split = SplitName.test

    /// - Parameters:
    ///   - input: what Spark reads, under `split` (its fields from `RunPredictor.sparkFields(of:)`).
    ///   - voteWorker: `alchemist spark-worker votes …` for the run's classes, without `--lfs`.
    ///   - labelWorker: `alchemist spark-worker label`, without `--run`.
    ///   - work: an empty work folder.
    /// - Throws: `ExportError` for the run's programs or the output, `SparkJobError` when a job fails.
    public func run(_ predictor: RunPredictor, input: SparkSplitInput, withPrograms: Bool, voteWorker: [String], labelWorker: [String],
                    work: URL, output: URL) async throws -> SparkLabelResult {
        let format = try ExportFormat.of(output)
        let programs = withPrograms ? try predictor.programs() : []
        var input = input
        input.split = Self.split
        let splits = try await SparkVotesJob(environment: environment, settings: settings, log: log)
            .run(programs, splits: [input], worker: voteWorker, work: work, options: SparkVotesOptions(keepText: true))
        guard let votes = splits[Self.split], votes.rows > 0 else {
            throw ExportError(file: input.paths.joined(separator: ", "), reason: "no rows to label")
        }
        return try await SparkLabelJob(environment: environment, settings: settings, log: log)
            .run(run: predictor.run.folder, splits: [Self.split], work: work, output: output, format: format,
                 worker: labelWorker + (withPrograms ? [] : [SparkLabelWorker.withoutVotesFlag]))
    }
}
