import Foundation

/// A labeled row a program gets wrong: it voted a class and the gold label is another.
public struct ProgramMistake: Sendable, Equatable {
    /// 0-based row of the split.
    public var row: Int
    public var id: String
    public var text: String
    public var vote: Int
    public var gold: Int

    public init(row: Int, id: String, text: String, vote: Int, gold: Int) {
        self.row = row
        self.id = id
        self.text = text
        self.vote = vote
        self.gold = gold
    }
}

/// Where each program is wrong on a labeled split (snorkel's "incorrect" bucket of `lf_summary`):
/// the rows are picked from the votes and gold labels, then their ids and texts are read back in one
/// more pass over the split, keeping only those rows.
public enum ProgramMistakes {
    /// Per program (column of `matrix`), the first `limit` rows in row order where it voted a class
    /// and the gold label is another class (unlabeled rows never count).
    public static func rows(_ matrix: LabelMatrix, gold: [LabelMatrix.Vote], limit: Int) -> [[Int]] {
        guard limit > 0, gold.count == matrix.rows else { return Array(repeating: [], count: matrix.columns) }
        var picked = Array(repeating: [Int](), count: matrix.columns)
        var open = matrix.columns
        for row in 0..<matrix.rows where gold[row] >= 0 {
            for (column, vote) in matrix.row(row).enumerated() where vote >= 0 && vote != gold[row] && picked[column].count < limit {
                picked[column].append(row)
                if picked[column].count == limit { open -= 1 }
            }
            if open == 0 { break }
        }
        return picked
    }

    /// The picked rows with their ids and texts, read from `stream` (the same split, from its start).
    /// - Throws: what the stream throws; `DatasetError` when the split has fewer rows than before.
    public static func collect(_ picked: [[Int]], matrix: LabelMatrix, gold: [LabelMatrix.Vote],
                               from stream: inout some RowStream, file: String) throws -> [[ProgramMistake]] {
        let wanted = Set(picked.joined())
        var found: [Int: (id: String, text: String)] = [:]
        if let last = wanted.max() {
            while found.count < wanted.count, let chunk = try stream.next(limit: 65_536) {
                for offset in 0..<chunk.count where wanted.contains(chunk.firstRow + offset) {
                    found[chunk.firstRow + offset] = (chunk.ids[offset], chunk.texts[offset])
                }
            }
            guard found.count == wanted.count else {
                throw DatasetError(file: file, example: "row \(last)", reason: "the split has fewer rows than when the programs were applied")
            }
        }
        return picked.enumerated().map { column, rows in
            rows.map { row in
                ProgramMistake(row: row, id: found[row]!.id, text: found[row]!.text, vote: matrix[row, column], gold: Int(gold[row]))
            }
        }
    }
}
