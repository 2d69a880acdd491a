import Foundation

/// Labels new texts with a saved run: the end model on the texts alone, or, with the run's
/// programs, the label model where a program votes and the end model elsewhere (`LoadedRun.label`).
public struct RunPredictor: Sendable {
    public var run: LoadedRun
    public var sandbox: SandboxSettings

    public init(run: LoadedRun, sandbox: SandboxSettings) {
        self.run = run
        self.sandbox = sandbox
    }

    /// What to read from the input file.
    public struct Input: Sendable {
        public var file: URL
        public var textColumn: String?
        public var idColumn: String?
        /// Gold labels to score against (class names or ids); default: a `label` column when there is one.
        public var labelColumn: String?

        public init(file: URL, textColumn: String? = nil, idColumn: String? = nil, labelColumn: String? = nil) {
            self.file = file
            self.textColumn = textColumn
            self.idColumn = idColumn
            self.labelColumn = labelColumn
        }
    }

    /// The run's programs read back from their files, each checked against the SHA-256 the run recorded.
    /// - Throws: `ExportError` naming the program whose file is gone or has changed.
    public func programs() throws -> [LabelingProgram] {
        guard run.manifest.votes == "programs" else {
            throw ExportError(file: run.folder.path, reason: "run \(run.manifest.id) used the dataset's own weak labels: there are no programs to apply")
        }
        return try run.manifest.programs.map { entry in
            guard let path = entry.path else { throw ExportError(file: run.folder.path, reason: "program \(entry.name) has no file") }
            let url = URL(fileURLWithPath: path)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ExportError(file: path, reason: "program \(entry.name) of run \(run.manifest.id) is gone")
            }
            let text = String(decoding: data, as: UTF8.self)
            if let expected = entry.sha256, ContentHash.sha256Hex(text) != expected {
                throw ExportError(file: path, reason: "program \(entry.name) changed since run \(run.manifest.id) (SHA-256 differs); label again to use the new version")
            }
            return ProgramFile.parse(text, name: entry.name, path: url)
        }
    }

    /// The run's programs as a self-contained bundle (`alchemist programs export` writes the same).
    public func programBundle() throws -> ProgramBundle {
        ProgramBundle(dataset: run.manifest.dataset, classes: run.manifest.classes, programs: try programs())
    }

    /// Whether the run has programs to apply (not the dataset's own weak labels).
    public var hasPrograms: Bool { run.manifest.votes == "programs" }

    /// Reads the input, labels every row and writes the output (format from its extension), a
    /// window of rows at a time: the input is never all in memory (a JSON array is read whole).
    /// - Throws: `DatasetError` for the input, `ExportError` for the run or the output,
    ///   `SandboxError` when the programs cannot be applied.
    public func predict(_ input: Input, to output: URL, withPrograms: Bool,
                        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> LabeledFileSummary {
        let format = try ExportFormat.of(output)
        let (rows, byteCount) = try openInput(input)
        let columns = LabelColumns(classes: run.manifest.classes, programColumns: run.manifest.programs.map(\.column))
        let writer = try TableWriter(to: output, format: format, columns: columns.names)
        let flow = PredictionFlow(rows: rows, byteCount: byteCount, run: run, columns: columns, writer: writer)
        if withPrograms {
            let programs = try programs()
            _ = try await ProgramApplier(settings: sandbox).apply(programs, windows: flow, classCount: run.classCount, progress: progress,
                                                                  onWindow: { votes in try flow.write(votes: votes) })
        } else {
            while try flow.nextWindow(limit: RunExport.chunk) != nil {
                try Task.checkCancellation()
                try flow.write(votes: nil)
            }
        }
        let written = try writer.finish(numberColumns: columns.numberColumns, integerColumns: columns.integerColumns)
        return flow.tally.summary(file: output, rows: written)
    }

    /// The input's columns, chosen from its first rows as `alchemist datasets add` chooses them.
    func columns(of input: Input) throws -> (TabularFile, (text: String, label: String?, id: String?), RowFields) {
        let sample = try TabularFile.read(input.file, rowLimit: 2000)
        let chosen = try DatasetImport.chooseColumns(sample, text: input.textColumn, label: input.labelColumn, id: input.idColumn)
        // Names no column can have, for a label or id column the file does not have.
        let fields = RowFields(text: chosen.text, label: chosen.label ?? "\u{0}", classes: run.manifest.classes, id: chosen.id ?? "\u{0}")
        return (sample, chosen, fields)
    }

    /// The fields to read from an input Spark reads: for a local file, the columns a local predict
    /// chooses; for a folder of part files or a URI, the named columns (default `text`, and `label`
    /// and `id` when the data has them).
    public func sparkFields(of input: Input) throws -> RowFields {
        var isFolder: ObjCBool = false
        if input.file.isFileURL, FileManager.default.fileExists(atPath: input.file.path, isDirectory: &isFolder), !isFolder.boolValue {
            return try columns(of: input).2
        }
        return RowFields(text: input.textColumn ?? "text", label: input.labelColumn ?? "label", classes: run.manifest.classes,
                         id: input.idColumn ?? "id")
    }

    /// The input as a stream of rows, with its columns chosen from its first rows, and its size.
    func openInput(_ input: Input) throws -> (any RowStream, Int) {
        let (sample, chosen, fields) = try columns(of: input)
        guard sample.format != .json, let format = SplitFile.format(of: input.file) else {
            // A JSON array is one value: it is read whole.
            let table = try TabularFile.read(input.file)
            var rows = RowChunk(firstRow: 0)
            for (index, row) in table.rows.enumerated() {
                var label: Int8 = -1
                if let column = chosen.label, let raw = row.values[column] {
                    do { label = try fields.classID(of: raw).map { Int8($0) } ?? -1 } catch {
                        throw DatasetError(file: input.file.path, example: "line \(row.line)", reason: "\(column): \(error.reason)")
                    }
                }
                rows.append(id: chosen.id.flatMap { row.values[$0] } ?? String(index), text: row.values[chosen.text] ?? "", label: label)
            }
            return (RowsInMemory(rows: rows), 0)
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: input.file.path)[.size]) as? NSNumber)?.intValue ?? 0
        return (try SplitFile.open(input.file, format: format, fields: fields), size)
    }
}

/// Rows already read, handed out in chunks.
struct RowsInMemory: RowStream {
    var rows: RowChunk
    private var next = 0

    init(rows: RowChunk) { self.rows = rows }

    mutating func next(limit: Int) throws -> RowChunk? {
        guard next < rows.count else { return nil }
        let end = min(rows.count, next + limit)
        defer { next = end }
        return RowChunk(ids: Array(rows.ids[next..<end]), texts: Array(rows.texts[next..<end]), labels: Array(rows.labels[next..<end]),
                        weakLabels: nil, firstRow: next)
    }
}

/// A prediction in flight: the input read window by window (the applier reads one window ahead),
/// each window labeled and written, in order, once its votes are in.
final class PredictionFlow: TextWindowSource, @unchecked Sendable {
    private var rows: any RowStream
    private let byteCount: Int
    private let lock = NSLock()
    /// Windows read and not yet written, oldest first.
    private var pending: [RowChunk] = []
    private var read = 0
    private var estimate = 0
    let run: LoadedRun
    let columns: LabelColumns
    let writer: TableWriter
    private(set) var tally = RunExport.Tally()

    init(rows: any RowStream, byteCount: Int, run: LoadedRun, columns: LabelColumns, writer: TableWriter) {
        self.rows = rows
        self.byteCount = byteCount
        self.run = run
        self.columns = columns
        self.writer = writer
    }

    func nextWindow(limit: Int) throws -> [String]? {
        guard let chunk = try rows.next(limit: limit) else { return nil }
        let bytes = rows.bytesRead
        lock.withLock {
            pending.append(chunk)
            read += chunk.count
            estimate = RowEstimate.rows(read: read, bytesRead: bytes, byteCount: byteCount)
        }
        return chunk.texts
    }

    var estimatedRows: Int? { lock.withLock { estimate } }

    /// Labels and writes the oldest window read, with its votes (nil: the end model alone).
    func write(votes: LabelMatrix?) throws {
        let chunk = lock.withLock { pending.removeFirst() }
        var start = 0
        while start < chunk.count {
            let end = min(start + RunExport.chunk, chunk.count)
            let block = votes?.slice(rows: start..<end)
            let labels = try run.label(texts: Array(chunk.texts[start..<end]), votes: block)
            for (offset, label) in labels.enumerated() {
                let row = start + offset
                let gold = chunk.labels[row] < 0 ? nil : Int(chunk.labels[row])
                try columns.write(writer, id: chunk.ids[row], text: chunk.texts[row], label: label, gold: gold, votes: block?.row(offset))
                tally.add(label, gold: gold)
            }
            start = end
        }
    }
}
