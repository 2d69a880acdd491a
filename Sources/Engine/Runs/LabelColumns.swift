import Foundation

/// The one rule for the columns of a labeled file (`export`, `label --export`, `predict`):
/// `id`, `text`, `label`, `label_source`, `prob_<class>` per class, `label_model_label`,
/// `end_model_label`, `gold`, then one `lf_<program>` vote column per program (-1 = abstain).
/// Label columns hold class names; an unknown value is an empty cell.
public struct LabelColumns: Sendable {
    public var classes: [String]
    public var programColumns: [String]

    public init(classes: [String], programColumns: [String]) {
        self.classes = classes
        self.programColumns = programColumns
    }

    public var probabilityColumns: [String] { classes.map { "prob_" + $0 } }

    public var names: [String] {
        ["id", "text", "label", "label_source"] + probabilityColumns + ["label_model_label", "end_model_label", "gold"] + programColumns
    }

    /// Parquet types: probabilities are doubles, votes integers, the rest strings.
    public var numberColumns: Set<String> { Set(probabilityColumns) }
    public var integerColumns: Set<String> { Set(programColumns) }

    /// - Parameter votes: the row's votes, one per program; nil leaves the vote cells empty.
    public func cells(id: String, text: String, label: RowLabel, gold: Int?, votes: ArraySlice<LabelMatrix.Vote>?) -> [Cell] {
        func name(_ id: Int?) -> Cell { id.flatMap { classes.indices.contains($0) ? .text(classes[$0]) : nil } ?? .empty }
        var cells: [Cell] = [.text(id), .text(text), name(label.label), .text(label.source.rawValue)]
        cells += label.probabilities.map { .number($0) }
        cells += [name(label.labelModelLabel), name(label.endModelLabel), name(gold)]
        if let votes {
            cells += votes.map { .integer(Int($0)) }
        } else {
            cells += programColumns.map { _ in .empty }
        }
        return cells
    }

    /// WRENCH JSON: the final label as an id, the votes as `weak_labels`, the rest under `data`.
    public func wrench(id: String, text: String, label: RowLabel, gold: Int?, votes: ArraySlice<LabelMatrix.Vote>?)
        -> (label: Int, data: [String: Cell], weakLabels: [Int]) {
        var data: [String: Cell] = ["id": .text(id), "text": .text(text), "label_source": .text(label.source.rawValue)]
        for (column, probability) in zip(probabilityColumns, label.probabilities) { data[column] = .number(probability) }
        if let gold { data["gold"] = .integer(gold) }
        return (label.label, data, votes.map { $0.map(Int.init) } ?? [])
    }

    func write(_ writer: TableWriter, id: String, text: String, label: RowLabel, gold: Int?, votes: ArraySlice<LabelMatrix.Vote>?) throws {
        if writer.format == .wrench {
            try writer.write([], wrench: wrench(id: id, text: text, label: label, gold: gold, votes: votes))
        } else {
            try writer.write(cells(id: id, text: text, label: label, gold: gold, votes: votes))
        }
    }
}
