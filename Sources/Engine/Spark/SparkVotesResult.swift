import Foundation

/// What one program did in one worker, or summed over a split's partitions: the worker's last line
/// holds one per program, `spark_job.py` sums them by these keys.
struct SparkProgramReport: Codable {
    var name: String
    var errors: Int
    var timeouts: Int
    var invalid: Int
    var limitHits: Int
    var kills: Int
    var loadError: String?
    var firstError: String?
    var stopped: Bool

    enum CodingKeys: String, CodingKey {
        case name, errors, timeouts, invalid, kills, stopped
        case limitHits = "limit_hits", loadError = "load_error", firstError = "first_error"
    }

    init(_ report: ProgramReport) {
        name = report.name
        errors = report.errors
        timeouts = report.timeouts
        invalid = report.invalid
        limitHits = report.limitHits
        kills = report.kills
        loadError = report.loadError
        firstError = report.firstError
        stopped = report.stopped
    }

    var programReport: ProgramReport {
        var report = ProgramReport(name: name)
        report.errors = errors
        report.timeouts = timeouts
        report.invalid = invalid
        report.limitHits = limitHits
        report.kills = kills
        report.loadError = loadError
        report.firstError = firstError
        report.stopped = stopped
        return report
    }
}

/// The last line a `spark-worker votes` process writes: its reports, in program order.
struct SparkWorkerSummary: Codable {
    var reports: [SparkProgramReport]
    /// What the first sandbox said about its confinement.
    var facts: [String: String]
    var workers: Int
    var restarts: Int
    var rows: Int
    /// What the worker counted with `--feature-bits`.
    var documentFrequencies: SparkDocumentFrequencies?

    enum CodingKeys: String, CodingKey {
        case reports, facts, workers, restarts, rows
        case documentFrequencies = "document_frequencies"
    }
}

/// The result file of `spark_job.py`: per split its aggregates, or the error that stopped the job.
struct SparkVotesResult: Decodable {
    struct Split: Decodable {
        var rows: Int
        /// Distinct (votes, gold) pairs with their row counts, sorted by (votes, gold).
        var patterns: [VotePattern]
        var reports: [SparkProgramReport]
        var facts: [String: String]
        var workers: Int
        var restarts: Int
        var partitions: Int
        /// Where the votes were written (Parquet: id, row, gold, votes, and text when asked).
        var votes: String
        /// Summed over the partitions, when the request gave feature bits.
        var documentFrequencies: SparkDocumentFrequencies?
        /// `[gold, v0, v1, …]` a row in row order, for the splits the request named.
        var ordered: [[Int8]]?

        enum CodingKeys: String, CodingKey {
            case rows, patterns, reports, facts, workers, restarts, partitions, votes, ordered
            case documentFrequencies = "document_frequencies"
        }
    }

    /// One row of the histogram: the votes of every program, the gold label (-1 unlabeled), the rows.
    struct VotePattern: Decodable {
        var v: [Int8]
        var g: Int8
        var n: Int
    }

    var splits: [String: Split]?
    var error: String?
}
