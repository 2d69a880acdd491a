import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The executor side of `--engine spark` (`alchemist spark-worker votes`): one Spark partition's
/// rows come in on a descriptor as JSON lines (`{"text": …, "label": …}`), are applied window by
/// window with `ProgramApplier` (the same OS sandbox, checks, watchdog and stop rules as a local
/// run), and go out as one line a row, in input order: `[gold, vote, vote, …]` (gold by
/// `RowFields.classID(of:)`, -1 unlabeled). A last line holds the reports (`SparkWorkerSummary`), and
/// with feature bits the end models' document frequencies of the texts read.
public enum SparkVoteWorker {
    /// - Parameters:
    ///   - input: the descriptor the rows are read from (stdin).
    ///   - output: the descriptor the votes are written to (stdout).
    ///   - featureBits: count the document frequencies of 2^bits hashed columns (nil: none).
    /// - Throws: `DatasetError` naming the input line of a bad row, `SandboxError` when no program
    ///   process can start, `SparkWorkerError` when the output cannot be written.
    public static func run(_ programs: [LabelingProgram], classes: [String], settings: SandboxSettings,
                           featureBits: Int? = nil, input: Int32 = 0, output: Int32 = 1) async throws {
        // The executor's environment may hold keys the cluster set; nothing started from here gets them.
        for name in ProcessInfo.processInfo.environment.keys where APIKeys.isKeyVariable(name) { unsetenv(name) }
        let fields = RowFields(text: "text", label: "label", classes: classes, id: "id")
        try fields.requireLabelsFit(file: URL(fileURLWithPath: "stdin"))
        let rows = PipedRows(JSONLinesRowStream(reader: ByteReader(descriptor: input, path: "stdin", closes: false), fields: fields),
                             featureBits: featureBits)
        let outcome = try await ProgramApplier(settings: settings).apply(
            programs, windows: rows, classCount: classes.count,
            onWindow: { matrix in try write(votesOf: matrix, gold: rows.takeGold(), to: output) })
        let summary = SparkWorkerSummary(reports: outcome.reports.map(SparkProgramReport.init), facts: outcome.sandboxFacts,
                                         workers: outcome.workers, restarts: outcome.restarts, rows: rows.count,
                                         documentFrequencies: rows.documentFrequencies.map(SparkDocumentFrequencies.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try write(Array(try encoder.encode(summary)) + [0x0A], to: output)
    }

    /// One line a row: `[gold,v0,v1,…]`.
    static func write(votesOf matrix: LabelMatrix, gold: [LabelMatrix.Vote], to output: Int32) throws {
        guard gold.count == matrix.rows else {
            throw SparkWorkerError(reason: "a window of \(matrix.rows) rows came back for \(gold.count) rows read")
        }
        var line: [UInt8] = []
        line.reserveCapacity(matrix.rows * (4 + 3 * matrix.columns))
        func number(_ value: LabelMatrix.Vote) {
            if value < 0 { line.append(UInt8(ascii: "-")) }
            let magnitude = Int(value).magnitude
            if magnitude >= 100 { line.append(UInt8(ascii: "0") + UInt8(magnitude / 100)) }
            if magnitude >= 10 { line.append(UInt8(ascii: "0") + UInt8(magnitude / 10 % 10)) }
            line.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
        }
        for row in 0..<matrix.rows {
            line.append(UInt8(ascii: "["))
            number(gold[row])
            for vote in matrix.row(row) {
                line.append(UInt8(ascii: ","))
                number(vote)
            }
            line.append(contentsOf: [UInt8(ascii: "]"), 0x0A])
        }
        try write(line, to: output)
    }

    /// All of `bytes`, retrying short writes and EINTR.
    static func write(_ bytes: [UInt8], to output: Int32) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(output, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SparkWorkerError(reason: "cannot write the votes (\(String(cString: strerror(errno))))")
                }
                offset += written
            }
        }
    }
}

/// Why a worker could not hand its votes back.
public struct SparkWorkerError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

/// The piped rows as the applier's windows. The gold labels of each window wait in order until
/// its votes are written (windows are read on the applier's reading thread, one ahead).
/// `stream` and `frequencies` are used only by that thread (until the apply ends); the rest is under the lock.
final class PipedRows: TextWindowSource, @unchecked Sendable {
    private var stream: JSONLinesRowStream
    private let lock = NSLock()
    private var pending: [[LabelMatrix.Vote]] = []
    private var read = 0
    private var frequencies: HashedTFIDF.DocumentFrequencies?

    init(_ stream: JSONLinesRowStream, featureBits: Int? = nil) {
        self.stream = stream
        frequencies = featureBits.map(HashedTFIDF.DocumentFrequencies.init(bits:))
    }

    func nextWindow(limit: Int) throws -> [String]? {
        guard let chunk = try stream.nextChunk(limit: limit) else { return nil }
        frequencies?.count(chunk.texts)
        lock.withLock {
            pending.append(chunk.labels)
            read += chunk.count
        }
        return chunk.texts
    }

    /// The document frequencies of the texts read, when counted; read once the apply has ended.
    var documentFrequencies: HashedTFIDF.DocumentFrequencies? { frequencies }

    var estimatedRows: Int? { nil }

    /// Rows read so far.
    var count: Int { lock.withLock { read } }

    /// The gold labels of the oldest window whose votes are not written yet.
    func takeGold() -> [LabelMatrix.Vote] {
        lock.withLock { pending.isEmpty ? [] : pending.removeFirst() }
    }
}
