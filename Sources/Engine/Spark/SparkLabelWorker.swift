import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The executor side of `label --engine spark` (`alchemist spark-worker label --run FOLDER`): one
/// Spark partition's rows with their votes come in as JSON lines (`{"id", "text", "gold", "votes"}`,
/// gold a class id, -1 unlabeled), are labeled with the saved run as a local export labels them
/// (`LoadedRun.label`, then `LabelColumns.cells`), and go out in input order as one JSON object a
/// row keyed by the export's column names. A last line, `{"summary": …}`, holds the tally.
/// No program runs here: the votes are given. Without votes (`predict --engine spark` without
/// `--with-programs`) every row's `votes` is empty and the end model labels it.
public enum SparkLabelWorker {
    /// The command-line flag of a worker that gets no votes.
    public static let withoutVotesFlag = "--without-votes"

    /// - Parameters:
    ///   - folder: the run folder (its manifest and model files).
    ///   - input: the descriptor the rows are read from (stdin).
    ///   - output: the descriptor the labeled rows are written to (stdout).
    /// - Throws: `ExportError` / `ParameterArchiveError` naming a run file, `DatasetError` naming the
    ///   input line of a bad row, `SparkWorkerError` when the output cannot be written.
    ///   - withVotes: false when the rows carry no votes (the run's programs were not applied).
    public static func run(run folder: URL, withVotes: Bool = true, input: Int32 = 0, output: Int32 = 1) throws {
        for name in ProcessInfo.processInfo.environment.keys where APIKeys.isKeyVariable(name) { unsetenv(name) }
        let run = try LoadedRun.load(folder)
        let columns = LabelColumns(classes: run.manifest.classes, programColumns: run.manifest.programs.map(\.column))
        var rows = SparkVotedRows(reader: ByteReader(descriptor: input, path: "stdin", closes: false),
                                  programs: withVotes ? run.manifest.programs.count : 0, classCount: run.classCount)
        var tally = RunExport.Tally()
        while let chunk = try rows.next(limit: RunExport.chunk) {
            let labels = try run.label(texts: chunk.texts, votes: withVotes ? chunk.votes : nil)
            var lines = ""
            for row in chunk.texts.indices {
                let gold = chunk.gold[row] < 0 ? nil : Int(chunk.gold[row])
                let cells = columns.cells(id: chunk.ids[row], text: chunk.texts[row], label: labels[row], gold: gold,
                                         votes: withVotes ? chunk.votes.row(row) : nil)
                lines += TableWriter.jsonObject(Array(zip(columns.names, cells)))
                lines += "\n"
                tally.add(labels[row], gold: gold)
            }
            try SparkVoteWorker.write(Array(lines.utf8), to: output)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try SparkVoteWorker.write(Array(try encoder.encode(SparkLabelSummaryLine(summary: SparkLabelTally(tally)))) + [0x0A], to: output)
    }
}

/// What a label worker counted, and what `spark_job.py` sums per split: the rows, the rows per
/// final-label source, the rows with a gold label and those whose label is it.
struct SparkLabelTally: Codable, Equatable {
    var rows: Int
    var labelModel: Int
    var endModel: Int
    var goldRows: Int
    var correct: Int

    enum CodingKeys: String, CodingKey {
        case rows, correct
        case labelModel = "label_model", endModel = "end_model", goldRows = "gold_rows"
    }

    init(_ tally: RunExport.Tally) {
        rows = tally.fromLabelModel + tally.fromEndModel
        labelModel = tally.fromLabelModel
        endModel = tally.fromEndModel
        goldRows = tally.labeled
        correct = tally.correct
    }
}

/// The label worker's last line.
struct SparkLabelSummaryLine: Codable {
    var summary: SparkLabelTally
}
