/// Votes of m programs on n examples; -1 means the program abstained.
public struct LabelMatrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// Row-major values.
    public private(set) var values: [Int32]

    public static let abstain: Int32 = -1

    public init(rows: Int, columns: Int, fill: Int32 = LabelMatrix.abstain) {
        self.rows = rows
        self.columns = columns
        values = [Int32](repeating: fill, count: rows * columns)
    }

    public init(rows: [[Int]]) {
        self.rows = rows.count
        columns = rows.first?.count ?? 0
        values = rows.flatMap { $0.map(Int32.init) }
    }

    public subscript(row: Int, column: Int) -> Int {
        get { Int(values[row * columns + column]) }
        set { values[row * columns + column] = Int32(newValue) }
    }

    public func column(_ column: Int) -> [Int] {
        (0..<rows).map { Int(values[$0 * columns + column]) }
    }

    public func row(_ row: Int) -> ArraySlice<Int32> {
        values[(row * columns)..<((row + 1) * columns)]
    }

    /// Writes one program's votes for a run of consecutive rows.
    mutating func set(column: Int, startRow: Int, votes: [Int32]) {
        values.withUnsafeMutableBufferPointer { buffer in
            for (offset, vote) in votes.enumerated() { buffer[(startRow + offset) * columns + column] = vote }
        }
    }

    /// Tab-separated text, one row per line; the first line names the programs.
    public func tsv(programNames: [String]) -> String {
        var text = programNames.joined(separator: "\t") + "\n"
        text.reserveCapacity(rows * columns * 3)
        for row in 0..<rows {
            text += self.row(row).map(String.init).joined(separator: "\t")
            text += "\n"
        }
        return text
    }
}

extension LabelMatrix {
    /// The votes of `row` per class into `counts` (cleared first; abstains skipped); returns how many voted.
    func countVotes(inRow row: Int, into counts: inout [Double]) -> Int {
        for label in counts.indices { counts[label] = 0 }
        var total = 0
        for vote in self.row(row) where vote >= 0 && Int(vote) < counts.count {
            counts[Int(vote)] += 1
            total += 1
        }
        return total
    }
}
