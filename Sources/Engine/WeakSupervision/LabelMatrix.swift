import Foundation

/// Votes of m programs on n examples; -1 means the program abstained.
///
/// One byte a vote: ten programs on ten million rows take 100 MB, so the matrix of a corpus that
/// does not fit in memory as texts still does. A dataset has at most `maxClasses` classes.
public struct LabelMatrix: Sendable, Equatable {
    public typealias Vote = Int8

    public private(set) var rows: Int
    public let columns: Int
    /// Row-major values.
    public private(set) var values: [Vote]

    public static let abstain: Vote = -1
    /// The most classes a vote can name.
    public static let maxClasses = Int(Vote.max) + 1

    public init(rows: Int, columns: Int, fill: Vote = LabelMatrix.abstain) {
        self.rows = rows
        self.columns = columns
        values = [Vote](repeating: fill, count: rows * columns)
    }

    /// Row-major votes already in one buffer (`values.count` a multiple of `columns`).
    init(columns: Int, values: [Vote]) {
        precondition(columns > 0 ? values.count % columns == 0 : values.isEmpty, "a partial row of votes")
        self.columns = columns
        self.values = values
        rows = columns > 0 ? values.count / columns : 0
    }

    public init(rows: [[Int]]) {
        self.rows = rows.count
        columns = rows.first?.count ?? 0
        values = rows.flatMap { $0.map { Vote(clamping: $0) } }
    }

    public subscript(row: Int, column: Int) -> Int {
        get { Int(values[row * columns + column]) }
        set { values[row * columns + column] = Vote(clamping: newValue) }
    }

    public func column(_ column: Int) -> [Int] {
        (0..<rows).map { Int(values[$0 * columns + column]) }
    }

    /// One program's votes, as stored.
    public func votes(ofColumn column: Int) -> [Vote] {
        values.withUnsafeBufferPointer { buffer in (0..<rows).map { buffer[$0 * columns + column] } }
    }

    public func row(_ row: Int) -> ArraySlice<Vote> {
        values[(row * columns)..<((row + 1) * columns)]
    }

    /// Adds the rows of `other` (same programs) after these: a split applied window by window.
    public mutating func append(_ other: LabelMatrix) {
        precondition(other.columns == columns || other.rows == 0, "appending a matrix of \(other.columns) programs to one of \(columns)")
        values.append(contentsOf: other.values)
        rows += other.rows
    }

    /// The votes of a run of consecutive rows.
    public func slice(rows range: Range<Int>) -> LabelMatrix {
        var part = LabelMatrix(rows: 0, columns: columns)
        part.values = Array(values[(range.lowerBound * columns)..<(range.upperBound * columns)])
        part.rows = range.count
        return part
    }

    /// Room for `rows` rows in all, so appending windows does not copy the votes again and again.
    public mutating func reserveRows(_ rows: Int) {
        values.reserveCapacity(rows * columns)
    }

    /// Writes one program's votes for a run of consecutive rows.
    mutating func set(column: Int, startRow: Int, votes: [Vote]) {
        values.withUnsafeMutableBufferPointer { buffer in
            for (offset, vote) in votes.enumerated() { buffer[(startRow + offset) * columns + column] = vote }
        }
    }

    /// Tab-separated text, one row per line; the first line names the programs. Written a block of
    /// rows at a time, so the text of a large split is never all in memory.
    public func writeTSV(programNames: [String], to url: URL) throws {
        try AtomicFile.write(to: url) { handle in
            var text = programNames.joined(separator: "\t") + "\n"
            for row in 0..<rows {
                text += self.row(row).map(String.init).joined(separator: "\t")
                text += "\n"
                if text.utf8.count >= 1 << 20 {
                    try handle.write(contentsOf: Data(text.utf8))
                    text = ""
                }
            }
            try handle.write(contentsOf: Data(text.utf8))
        }
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
