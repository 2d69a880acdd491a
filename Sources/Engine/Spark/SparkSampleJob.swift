import Foundation

/// The train rows a sample job kept, in row order: their row numbers, texts and votes.
public struct SparkSample: Sendable, Equatable {
    public var rows: [Int]
    public var texts: [String]
    /// One row per kept row, one column per program.
    public var votes: LabelMatrix
}

/// Draws the end models' sample on Spark (op "sample"): the rows of `work/votes/train` (which a
/// votes job wrote with `keepText`) whose draw, `EndModelRows.draw(row:)`, is below the threshold,
/// written by the driver to `work/sample.jsonl` sorted by row and read back here.
public struct SparkSampleJob: Sendable {
    public let environment: SparkEnvironment
    public var settings: SparkJobSettings
    public var log: (@Sendable (String) -> Void)?

    public init(environment: SparkEnvironment, settings: SparkJobSettings, log: (@Sendable (String) -> Void)? = nil) {
        self.environment = environment
        self.settings = settings
        self.log = log
    }

    private struct Request: Encodable {
        var op = "sample"
        var name: String
        var work: String
        /// A decimal UInt64; absent: every row.
        var threshold: String?
        /// Only rows some program voted on.
        var covered: Bool
        /// The JSON-lines file written: `{"row", "text", "votes"}` a row, by row.
        var sample: String
        var result: String
    }

    private struct Result: Decodable {
        var rows: Int
    }

    /// - Parameters:
    ///   - threshold: keep rows whose draw is below it (`EndModelRows.drawThreshold`); nil keeps every row.
    ///   - coveredOnly: keep only rows some program voted on, the candidates of `EndModelRows.sample`.
    ///   - programs: the votes each row has.
    ///   - classCount: votes are in -1…classCount-1.
    /// - Throws: `SparkJobError` when the job fails, `DatasetError` naming the line of a bad row.
    public func run(work: URL, threshold: UInt64?, coveredOnly: Bool = true, programs: Int, classCount: Int) async throws -> SparkSample {
        let file = work.appendingPathComponent("sample.jsonl"), result = work.appendingPathComponent("sample-result.json")
        let request = Request(name: "alchemist \(work.lastPathComponent) sample", work: work.path, threshold: threshold.map { String($0) },
                              covered: coveredOnly, sample: file.path, result: result.path)
        let submission = SparkSubmission(environment: environment, settings: settings, log: log)
        let answer = try await submission.run(request, file: work.appendingPathComponent("sample-request.json"), result: result, as: Result.self)
        var reader = SparkVotedRows(reader: try ByteReader(file: file), programs: programs, classCount: classCount)
        var sample = SparkSample(rows: [], texts: [], votes: LabelMatrix(rows: 0, columns: programs))
        while let chunk = try reader.next(limit: 65_536) {
            sample.rows += chunk.rows
            sample.texts += chunk.texts
            sample.votes.append(chunk.votes)
        }
        guard sample.rows.count == answer.rows else {
            throw SparkJobError(reason: "\(file.path): \(sample.rows.count) rows, the Spark job wrote \(answer.rows)")
        }
        return sample
    }
}
