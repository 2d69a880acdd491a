import ArgumentParser
import Engine
import Foundation

/// The Spark path of `label`: the train split's votes, document frequencies and end-model sample
/// from Spark jobs; the label models and end model fitted here as a local run fits them; the export
/// written by the executors.
struct SparkLabeling {
    let options: SparkEngineOptions
    let environment: SparkEnvironment
    let settings: SparkJobSettings
    let work: URL
    let log: (@Sendable (String) -> Void)?

    init(_ options: SparkEngineOptions, appHome: URL, kind: String = "label") throws {
        self.options = options
        environment = try SparkEnvironment.locate(appHome: appHome)
        settings = try options.settings
        work = try SparkJobSettings.makeWorkFolder(appHome: appHome, kind: kind)
        log = options.log
    }

    /// The work folder is removed unless `--keep-work` (the run keeps its own copy of the votes).
    func finish() {
        if options.keepWork {
            FileHandle.standardError.write(Data("alchemist: the Spark jobs' work is kept in \(work.path)\n".utf8))
        } else {
            try? FileManager.default.removeItem(at: work)
        }
    }

    /// The train split's votes from a votes job (texts kept for the later jobs), and, when end
    /// models are trained, its document frequencies and the sample of `endModelRows` rows.
    func remoteTrain(_ programs: [LabelingProgram], input: SparkSplitInput, classes: [String], sandbox: SandboxSettings,
                     labeling: LabelingSettings) async throws -> LabelingJob.RemoteTrain {
        let worker = SparkWorkerCommand.arguments(binary: options.workerBinary, classes: classes, settings: sandbox)
        let endModels = !labeling.endModels.isEmpty
        let votesJob = SparkVotesJob(environment: environment, settings: settings, log: log)
        let splits = try await votesJob.run(programs, splits: [input], worker: worker, work: work,
                                            options: SparkVotesOptions(keepText: true, featureBits: endModels ? labeling.featureBits : nil))
        guard let train = splits[.train], train.rows > 0 else {
            throw BadInput("\(input.paths.joined(separator: ", ")): the train split has no rows")
        }
        let patterns = train.patterns
        var sample: [SampledRow] = []
        let threshold = EndModelRows.drawThreshold(limit: labeling.endModelRows, covered: patterns.coveredRows)
        if endModels {
            let drawn = try await SparkSampleJob(environment: environment, settings: settings, log: log)
                .run(work: work, threshold: threshold, coveredOnly: true, programs: programs.count, classCount: classes.count)
            sample = drawn.rows.indices.map { SampledRow(row: drawn.rows[$0], text: drawn.texts[$0], votes: Array(drawn.votes.row($0))) }
        }
        let votes = TrainVotes.remote(patterns: patterns, features: train.documentFrequencies?.fitted(), sample: sample, drawnBelow: threshold)
        return LabelingJob.RemoteTrain(votes: votes, reports: train.outcome.reports, voteFiles: work.appendingPathComponent("votes/train"),
                                       rows: train.rows)
    }

    /// Writes the saved run's labels of the train split on Spark: a folder of part files at `file`.
    func export(run: URL, to file: URL) async throws -> LabeledFileSummary {
        // The label job reads the votes where the votes job wrote them; the run took them, so they are pointed at there.
        let votes = work.appendingPathComponent("votes")
        try FileManager.default.createDirectory(at: votes, withIntermediateDirectories: true)
        let saved = run.appendingPathComponent("votes/train.parquet")
        let link = votes.appendingPathComponent("train")
        if !FileManager.default.fileExists(atPath: link.path) { try FileManager.default.createSymbolicLink(at: link, withDestinationURL: saved) }
        let worker = SparkWorkerCommand.labelArguments(binary: options.workerBinary)
        let result = try await SparkLabelJob(environment: environment, settings: settings, log: log)
            .run(run: run, splits: [.train], work: work, output: file, format: try ExportFormat.of(file), worker: worker)
        return result.summary
    }
}
