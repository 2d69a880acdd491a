import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Parquet through pyarrow in a trusted Python process (the user's own file, not a program):
/// Python reads the file in batches and writes its rows as JSON lines to a pipe, which the JSON
/// Lines reader parses as they come. Dropping the process before the end kills Python.
final class ParquetProcess {
    static let script = """
        import json, sys
        try:
            import pyarrow.parquet as pq
        except ImportError:
            sys.stderr.write("pyarrow is not installed for python3\\n")
            sys.exit(3)
        path, wanted, required, batch_size = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
        if required and required not in names:
            sys.stderr.write('the file has no column "%s" (its columns: %s)\\n' % (required, ", ".join(names)))
            sys.exit(4)
        columns = None if wanted is None else [name for name in wanted if name in names]
        out = sys.stdout.buffer
        encode = json.JSONEncoder(ensure_ascii=False, default=str).encode
        for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
            out.write("".join(encode(row) + "\\n" for row in batch.to_pylist()).encode("utf-8"))
        out.flush()
        """

    let file: URL
    private let process = Process()
    private let output = Pipe()
    private let errors: PipeDrain
    private var waited = false

    /// Starts Python on the file.
    /// - Parameters:
    ///   - columns: the columns to read (those the file has), or nil for all.
    ///   - required: a column the file must have.
    ///   - python: the command that starts Python (tests start one without site-packages).
    /// - Throws: `DatasetError` when python3 cannot be started.
    init(file: URL, columns: [String]?, required: String?, batchSize: Int = 4096, python: [String] = ["python3"]) throws(DatasetError) {
        self.file = file
        let wanted = columns.map { names in "[" + names.map(TableWriter.jsonString).joined(separator: ", ") + "]" } ?? "null"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = python + ["-c", Self.script, file.path, wanted, required ?? "", String(batchSize)]
        let errorPipe = Pipe()
        process.standardOutput = output
        process.standardError = errorPipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DatasetError(file: file.path, reason: "cannot start python3 to read Parquet (\(error.localizedDescription)); ./scripts/setup installs it")
        }
        errors = PipeDrain(errorPipe.fileHandleForReading)
    }

    /// Python's process id.
    var processIdentifier: Int32 { process.processIdentifier }

    /// The read end of the pipe Python writes its rows to.
    var descriptor: Int32 { output.fileHandleForReading.fileDescriptor }

    deinit {
        if !waited {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
    }

    /// After the rows ended: waits for Python and throws when it failed.
    func finish() throws(DatasetError) {
        if !waited {
            process.waitUntilExit()
            waited = true
        }
        try requireSuccess()
    }

    /// Throws Python's reason when it has exited with a failure (without waiting for it).
    func failureIfExited() -> DatasetError? {
        guard waited || !process.isRunning else { return nil }
        if !waited {
            process.waitUntilExit()
            waited = true
        }
        do throws(DatasetError) { try requireSuccess() } catch { return error }
        return nil
    }

    private func requireSuccess() throws(DatasetError) {
        let status = process.terminationStatus
        guard process.terminationReason != .exit || status != 0 else { return }
        let message = String(decoding: errors.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let last = message.split(separator: "\n").last.map(String.init) ?? message
        switch (process.terminationReason, status) {
        case (.exit, 3):
            throw DatasetError(file: file.path, reason: "cannot read Parquet: pyarrow is not installed for python3 (run ./scripts/setup, or pip install pyarrow)")
        case (.exit, 4):
            throw DatasetError(file: file.path, reason: last)
        case (.exit, 127):
            throw DatasetError(file: file.path, reason: "cannot read Parquet: python3 is not installed (run ./scripts/setup)")
        case (.uncaughtSignal, _):
            throw DatasetError(file: file.path, reason: "cannot read it as Parquet: python3 stopped by signal \(status)")
        default:
            throw DatasetError(file: file.path, reason: last.isEmpty ? "cannot read it as Parquet" : "cannot read it as Parquet: \(last)")
        }
    }
}

/// A Parquet split file as a stream of rows: its text, label and id columns, in batches from Python.
struct ParquetRowStream: RowStream {
    private let process: ParquetProcess
    private var rows: JSONLinesRowStream

    init(file: URL, fields: RowFields, blockSize: Int = ByteReader.defaultBlockSize) throws(DatasetError) {
        process = try ParquetProcess(file: file, columns: [fields.text, fields.label, fields.id], required: fields.text)
        let reader = ByteReader(descriptor: process.descriptor, path: file.path, closes: false, blockSize: blockSize)
        rows = JSONLinesRowStream(reader: reader, fields: fields, place: .row)
    }

    mutating func next(limit: Int) throws -> RowChunk? {
        do throws(DatasetError) {
            if let chunk = try rows.nextChunk(limit: max(1, limit)) { return chunk }
        } catch {
            throw process.failureIfExited() ?? error  // a row cut short because Python failed: say why Python failed
        }
        try process.finish()
        return nil
    }
}
