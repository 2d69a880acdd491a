import Foundation

/// What `spark_job.py` is asked to do (op "votes"), written as REQUEST.json in the job's work folder.
struct SparkVotesRequest: Encodable {
    /// One split to label: where Spark reads it, and its columns.
    struct Split: Encodable {
        var name: String
        /// Files or folders of part files, any URI Spark reads (file://, hdfs://, s3a://, …).
        var paths: [String]
        /// parquet, csv, tsv or jsonl.
        var format: String
        var text: String
        var label: String
        var id: String
    }

    var op = "votes"
    /// The Spark application's name.
    var name: String
    var splits: [Split]
    /// `alchemist spark-worker votes` and its options; the job adds `--lfs` and the programs' place on the executor.
    var worker: [String]
    /// The folder of program files shipped to the executors (`SparkContext.addFile`).
    var programs: String
    /// Where the job writes `votes/<split>`.
    var work: String
    /// Where the job writes its result (`SparkVotesResult`).
    var result: String
    /// Write each row's text into the votes too; absent: no text.
    var keepText: Bool?
    /// Have each worker count the end models' document frequencies (2^bits columns); absent: none.
    var featureBits: Int?
    /// The splits whose votes the result holds in row order; absent: none.
    var ordered: [String]?

    enum CodingKeys: String, CodingKey {
        case op, name, splits, worker, programs, work, result, ordered
        case keepText = "keep_text", featureBits = "feature_bits"
    }
}
