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
        let format = try ExportFormat.of(file)
        guard dataset.name == run.manifest.dataset, dataset.labelNames == run.manifest.classes else {
            throw ExportError(file: run.folder.path, reason: "run \(run.manifest.id) labeled \(run.manifest.dataset) (\(run.manifest.classes.joined(separator: ", "))), not \(dataset.name)")
        }
        let columns = LabelColumns(classes: run.manifest.classes, programColumns: run.manifest.programs.map(\.column))
        // Votes by id across every saved split: a hand label may have moved a row since the run.
        var saved: [SplitName: (ids: [String], matrix: LabelMatrix)] = [:]
        for split in SplitName.allCases where run.manifest.splits[split.rawValue] != nil { saved[split] = try run.votes(split) }
        let writer = try TableWriter(to: file, format: format, columns: columns.names)
        var tally = Tally()
        for split in splits {
            guard let rows = dataset.splits[split] else { throw ExportError(file: dataset.location.path, reason: "\(dataset.name) has no \(split.rawValue) split") }
            let votes = try alignedVotes(rows, saved: saved, run: run)
            var start = 0
            while start < rows.count {
                let end = min(start + chunk, rows.count)
                let block = votes.slice(rows: start..<end)
                let labels = try run.label(texts: Array(rows.texts[start..<end]), votes: block)
                for (offset, label) in labels.enumerated() {
                    let row = start + offset
                    try columns.write(writer, id: rows.ids[row], text: rows.texts[row], label: label, gold: rows.labels[row],
                                      votes: block.row(offset))
                    tally.add(label, gold: rows.labels[row])
                }
                start = end
            }
        }
        let written = try writer.finish(numberColumns: columns.numberColumns, integerColumns: columns.integerColumns)
        return tally.summary(file: file, rows: written)
    }

    /// The split's votes in the split's row order, found by id in the run's saved votes.
    static func alignedVotes(_ rows: DatasetSplit, saved: [SplitName: (ids: [String], matrix: LabelMatrix)], run: LoadedRun) throws -> LabelMatrix {
        if let same = saved[rows.name], same.ids == rows.ids { return same.matrix }
        var index: [String: (SplitName, Int)] = [:]
        for (split, votes) in saved { for (row, id) in votes.ids.enumerated() { index[id] = (split, row) } }
        let columns = run.manifest.programs.count
        var matrix = LabelMatrix(rows: rows.count, columns: columns)
        for (row, id) in rows.ids.enumerated() {
            guard let (split, source) = index[id], let votes = saved[split] else {
                throw ExportError(file: run.folder.path, reason: "\(run.manifest.dataset) changed since run \(run.manifest.id): row \(id) of \(rows.name.rawValue) has no saved votes; label again")
            }
            for column in 0..<columns { matrix[row, column] = votes.matrix[source, column] }
        }
        return matrix
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
