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

    /// Reads the input, labels every row and writes the output (format from its extension).
    /// - Throws: `DatasetError` for the input, `ExportError` for the run or the output,
    ///   `SandboxError` when the programs cannot be applied.
    public func predict(_ input: Input, to output: URL, withPrograms: Bool,
                        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> LabeledFileSummary {
        let format = try ExportFormat.of(output)
        let table = try TabularFile.read(input.file)
        let chosen = try DatasetImport.chooseColumns(table, text: input.textColumn, label: input.labelColumn, id: input.idColumn)
        let texts = table.rows.map { $0.values[chosen.text] ?? "" }
        let ids = table.rows.enumerated().map { index, row in chosen.id.flatMap { row.values[$0] } ?? String(index) }
        let gold = try chosen.label.map { column in try table.rows.map { try goldLabel($0, column: column, file: input.file.path) } }
        var votes: LabelMatrix?
        if withPrograms {
            let programs = try programs()
            votes = try await ProgramApplier(settings: sandbox).apply(programs, to: texts, classCount: run.classCount, progress: progress).matrix
        }
        let columns = LabelColumns(classes: run.manifest.classes, programColumns: run.manifest.programs.map(\.column))
        let writer = try TableWriter(to: output, format: format, columns: columns.names)
        var tally = RunExport.Tally()
        var start = 0
        while start < texts.count {
            let end = min(start + RunExport.chunk, texts.count)
            var block: LabelMatrix?
            if let votes {
                var part = LabelMatrix(rows: end - start, columns: votes.columns)
                for row in start..<end { for column in 0..<votes.columns { part[row - start, column] = votes[row, column] } }
                block = part
            }
            let labels = try run.label(texts: Array(texts[start..<end]), votes: block)
            for (offset, label) in labels.enumerated() {
                let row = start + offset
                try columns.write(writer, id: ids[row], text: texts[row], label: label, gold: gold?[row], votes: block?.row(offset))
                tally.add(label, gold: gold?[row])
            }
            start = end
        }
        let written = try writer.finish(numberColumns: columns.numberColumns, integerColumns: columns.integerColumns)
        return tally.summary(file: output, rows: written)
    }

    /// A gold label given as a class name or id; empty is none.
    func goldLabel(_ row: TabularFile.Row, column: String, file: String) throws -> Int? {
        guard let value = row.values[column]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let index = run.manifest.classes.firstIndex(of: value) { return index }
        if let id = Int(value), run.manifest.classes.indices.contains(id) { return id }
        throw DatasetError(file: file, example: "line \(row.line)",
                           reason: "\(column): \"\(value)\" is not a class of run \(run.manifest.id) (\(run.manifest.classes.joined(separator: ", ")))")
    }
}
