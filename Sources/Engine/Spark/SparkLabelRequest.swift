import Foundation

/// What `spark_job.py` is asked to do for op "label", written as label-request.json in the work folder.
struct SparkLabelRequest: Encodable {
    var op = "label"
    var name: String
    /// The splits to label, in the order the output holds them; each is read from `work/votes/<split>`.
    var splits: [String]
    /// `alchemist spark-worker label`; the job adds `--run` and the run's place on the executor.
    var worker: [String]
    /// The folder shipped to the executors (`SparkContext.addFile`): the run's manifest and model files.
    var run: String
    var work: String
    /// A folder of part files, any path or URI Spark writes.
    var output: String
    /// parquet, jsonl or csv.
    var format: String
    /// The export's columns with their kinds, `[name, "text" | "number" | "integer"]`, in order.
    var columns: [[String]]
    var result: String
}

/// The result file of op "label": per split the tally summed over its partitions.
struct SparkLabelResultFile: Decodable {
    struct Split: Decodable {
        var rows: Int
        var labelModel: Int
        var endModel: Int
        var goldRows: Int
        var correct: Int
        var partitions: Int

        enum CodingKeys: String, CodingKey {
            case rows, correct, partitions
            case labelModel = "label_model", endModel = "end_model", goldRows = "gold_rows"
        }
    }

    var splits: [String: Split]
    var output: String
}
