import Foundation

/// What an export or a prediction wrote.
public struct LabeledFileSummary: Sendable, Equatable {
    public var file: URL
    public var rows: Int
    /// Rows per final-label source.
    public var fromLabelModel: Int
    public var fromEndModel: Int
    /// Accuracy of the final label on the rows with a gold label; nil when none has one.
    public var accuracy: Double?
    public var labeledRows: Int
}

/// Writes a saved run's labels for chosen splits of its dataset (default: train, the training
/// set the user takes away), streaming a few thousand rows at a time.
public enum RunExport {
    public static let defaultSplits: [SplitName] = [.train]

    /// Where a front end proposes to write a run's export: `<run folder>/export/train.csv`.
    public static func defaultFile(run folder: URL) -> URL {
        folder.appendingPathComponent("export").appendingPathComponent("train.csv")
    }

    /// Where a front end proposes to write a run's programs: `<run folder>/programs`.
    public static func defaultProgramsFolder(run folder: URL) -> URL { folder.appendingPathComponent("programs") }

    /// Where a front end writes the labels `predict` gives a file: `<run folder>/predictions/<name>-labeled.csv`.
    public static func predictionFile(run folder: URL, input: URL) -> URL {
        folder.appendingPathComponent("predictions").appendingPathComponent(input.deletingPathExtension().lastPathComponent + "-labeled.csv")
    }
    static let chunk = 4096

    /// - Throws: `ExportError` when the dataset is not the run's or has changed since the run
    ///   (a row without saved votes), and when the file cannot be written.
    public static func write(_ run: LoadedRun, dataset: Dataset, splits: [SplitName] = defaultSplits, to file: URL) throws -> LabeledFileSummary {
        try write(run, dataset: dataset.name, labelNames: dataset.labelNames, splits: splits, to: file) { split in
            guard let rows = dataset.splits[split] else { throw ExportError(file: dataset.location.path, reason: "\(dataset.name) has no \(split.rawValue) split") }
            return RowsInMemory(rows: RowChunk(ids: rows.ids, texts: rows.texts, labels: rows.labels.map { Int8($0 ?? -1) }, firstRow: 0))
        }
    }

    /// Writes the run's labels for `splits` of its dataset in `catalog`, each split streamed from its file.
    public static func write(_ run: LoadedRun, catalog: DatasetCatalog, splits: [SplitName] = defaultSplits, to file: URL) throws -> LabeledFileSummary {
        let sources = try splits.map { try catalog.splitSource(run.manifest.dataset, split: $0) }
        return try write(run, dataset: sources.first?.dataset ?? run.manifest.dataset, labelNames: sources.first?.labelNames ?? [],
                         splits: splits, to: file) { split in
            guard let source = sources.first(where: { $0.split == split }) else { return NoRows() }
            return try source.open()
        }
    }

    /// Writes the run's labels for `splits`, whose rows `open` gives as streams: each split is read
    /// `chunk` rows at a time beside its saved votes, so neither is ever all in memory. Where the
    /// rows are not those the run saved, in that order (a hand label moved a row since), the votes
    /// are found by id among every split the run saved.
    public static func write(_ run: LoadedRun, dataset: String, labelNames: [String], splits: [SplitName], to file: URL,
                             open: (SplitName) throws -> any RowStream) throws -> LabeledFileSummary {
        let format = try ExportFormat.of(file)
        guard dataset == run.manifest.dataset, labelNames == run.manifest.classes else {
            throw ExportError(file: run.folder.path, reason: "run \(run.manifest.id) labeled \(run.manifest.dataset) (\(run.manifest.classes.joined(separator: ", "))), not \(dataset)")
        }
        let columns = LabelColumns(classes: run.manifest.classes, programColumns: run.manifest.programs.map(\.column))
        let writer = try TableWriter(to: file, format: format, columns: columns.names)
        var tally = Tally()
        var trainVotes: VotesByID?
        let programs = run.manifest.programs.count
        for split in splits {
            var rows = try open(split)
            var cursor = try run.manifest.splits[split.rawValue].map { _ in VotesCursor(try SavedVotes(run: run, split: split)) }
            while let chunk = try rows.next(limit: chunk) {
                var votes = LabelMatrix(rows: chunk.count, columns: programs)
                for (row, id) in chunk.ids.enumerated() {
                    // The split's own rows come in the order the run saved them (train may have lost
                    // some to hand labels since); rows that moved in from train come last.
                    if let found = try cursor?.seek(id, skipping: split == .train) {
                        for (column, vote) in found.enumerated() { votes[row, column] = Int(vote) }
                        continue
                    }
                    if trainVotes == nil { trainVotes = try VotesByID(run, split: .train) }
                    guard let found = trainVotes?.votes(of: id) else {
                        throw ExportError(file: run.folder.path, reason: "\(run.manifest.dataset) changed since run \(run.manifest.id): row \(id) of \(split.rawValue) has no saved votes; label again")
                    }
                    for (column, vote) in found.enumerated() { votes[row, column] = Int(vote) }
                }
                let labels = try run.label(texts: chunk.texts, votes: votes)
                for row in 0..<chunk.count {
                    let gold = chunk.labels[row] < 0 ? nil : Int(chunk.labels[row])
                    try columns.write(writer, id: chunk.ids[row], text: chunk.texts[row], label: labels[row], gold: gold, votes: votes.row(row))
                    tally.add(labels[row], gold: gold)
                }
            }
        }
        let written = try writer.finish(numberColumns: columns.numberColumns, integerColumns: columns.integerColumns)
        return tally.summary(file: file, rows: written)
    }

    /// A split's saved votes walked in order beside the split's rows.
    struct VotesCursor {
        var saved: SavedVotes
        var buffer: (ids: [String], matrix: LabelMatrix)?
        var position = 0

        init(_ saved: SavedVotes) { self.saved = saved }

        /// The saved votes of row `id` when it is the next saved row (with `skipping`, after passing
        /// over saved rows that are gone); nil, without moving, when it is not.
        mutating func seek(_ id: String, skipping: Bool) throws -> ArraySlice<LabelMatrix.Vote>? {
            while true {
                if buffer == nil || position == buffer!.ids.count {
                    guard let next = try saved.next(limit: RunExport.chunk) else { return nil }
                    buffer = next
                    position = 0
                }
                if buffer!.ids[position] == id {
                    defer { position += 1 }
                    return buffer!.matrix.row(position)
                }
                guard skipping else { return nil }
                position += 1
            }
        }
    }

    /// One split's saved votes by row id (ids are unique within a split).
    struct VotesByID {
        var index: [String: Int]
        var matrix: LabelMatrix

        init(_ run: LoadedRun, split: SplitName) throws {
            guard run.manifest.splits[split.rawValue] != nil else {
                index = [:]
                matrix = LabelMatrix(rows: 0, columns: run.manifest.programs.count)
                return
            }
            let (ids, matrix) = try run.votes(split)
            self.matrix = matrix
            index = Dictionary(ids.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        }

        func votes(of id: String) -> ArraySlice<LabelMatrix.Vote>? { index[id].map { matrix.row($0) } }
    }

    /// Counts a summary is made of.
    struct Tally {
        var fromLabelModel = 0, fromEndModel = 0, labeled = 0, correct = 0

        mutating func add(_ label: RowLabel, gold: Int?) {
            if label.source == .labelModel { fromLabelModel += 1 } else { fromEndModel += 1 }
            if let gold {
                labeled += 1
                if gold == label.label { correct += 1 }
            }
        }

        func summary(file: URL, rows: Int) -> LabeledFileSummary {
            LabeledFileSummary(file: file, rows: rows, fromLabelModel: fromLabelModel, fromEndModel: fromEndModel,
                               accuracy: labeled > 0 ? Double(correct) / Double(labeled) : nil, labeledRows: labeled)
        }
    }
}

extension SplitName {
    /// "train,valid,test" as given on the command line, in the order given.
    /// - Throws: `ExportError` naming an unknown or repeated split.
    public static func list(parsing text: String) throws -> [SplitName] {
        var splits: [SplitName] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            guard let split = SplitName(rawValue: part) else {
                throw ExportError(file: "--splits", reason: "unknown split \"\(part)\" (train, valid, test)")
            }
            guard !splits.contains(split) else { throw ExportError(file: "--splits", reason: "\(part) is named twice") }
            splits.append(split)
        }
        guard !splits.isEmpty else { throw ExportError(file: "--splits", reason: "name at least one of train, valid, test") }
        return splits
    }
}

extension LabeledFileSummary {
    /// "wrote 1,586 rows to FILE (1,204 labeled by the label model, 382 by the end model; accuracy 0.912 on 120 rows with a gold label)".
    public var line: String {
        var text = "wrote \(rows) rows to \(file.path) (\(fromLabelModel) labeled by the label model, \(fromEndModel) by the end model"
        if let accuracy { text += String(format: "; accuracy %.4f on %d rows with a gold label", accuracy, labeledRows) }
        return text + ")"
    }

    public var jsonObject: [String: Any] {
        var object: [String: Any] = ["file": file.path, "rows": rows, "label_model_rows": fromLabelModel, "end_model_rows": fromEndModel,
                                     "gold_rows": labeledRows]
        if let accuracy { object["accuracy"] = accuracy }
        return object
    }
}
