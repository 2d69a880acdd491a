/// Per-program statistics of a label matrix, in the sense snorkel's LF analysis uses them.
public struct ProgramStatistics: Sendable, Equatable {
    /// Class ids the program emitted, ascending.
    public var polarity: [Int]
    /// Fraction of rows it labels.
    public var coverage: Double
    /// Fraction of rows it labels where at least one other program also labels.
    public var overlaps: Double
    /// Fraction of rows it labels where another program votes a different class.
    public var conflicts: Double
    /// Fraction of its votes on labeled rows that match the gold label; nil when it has none.
    public var accuracy: Double?
    /// Votes on labeled rows (the support of `accuracy`).
    public var labeledVotes: Int
}

public struct MatrixTotals: Sendable, Equatable {
    /// Rows with at least one vote.
    public var coverage: Double
    /// Rows with two or more votes.
    public var overlaps: Double
    /// Rows with votes for two or more different classes.
    public var conflicts: Double

    public init(coverage: Double, overlaps: Double, conflicts: Double) {
        self.coverage = coverage
        self.overlaps = overlaps
        self.conflicts = conflicts
    }
}

public enum LabelMatrixAnalysis {
    public static func analyze(_ matrix: LabelMatrix, gold: [Int?]) -> (programs: [ProgramStatistics], totals: MatrixTotals) {
        precondition(gold.count == matrix.rows, "one gold entry per row")
        let n = matrix.rows, m = matrix.columns
        var covered = [Int](repeating: 0, count: m)
        var overlapped = [Int](repeating: 0, count: m)
        var conflicted = [Int](repeating: 0, count: m)
        var correct = [Int](repeating: 0, count: m)
        var labeled = [Int](repeating: 0, count: m)
        var seen = [Set<Int>](repeating: [], count: m)
        var totalCovered = 0, totalOverlapped = 0, totalConflicted = 0
        for row in 0..<n {
            let votes = matrix.row(row)
            var voters = 0
            var first: LabelMatrix.Vote = -1
            var distinct = false
            for vote in votes where vote >= 0 {
                voters += 1
                if first < 0 { first = vote } else if vote != first { distinct = true }
            }
            if voters > 0 { totalCovered += 1 }
            if voters > 1 { totalOverlapped += 1 }
            if distinct { totalConflicted += 1 }
            for (column, vote) in votes.enumerated() where vote >= 0 {
                covered[column] += 1
                seen[column].insert(Int(vote))
                if voters > 1 { overlapped[column] += 1 }
                if distinct && votes.contains(where: { $0 >= 0 && $0 != vote }) { conflicted[column] += 1 }
                if let label = gold[row] {
                    labeled[column] += 1
                    if Int(vote) == label { correct[column] += 1 }
                }
            }
        }
        let rows = Double(max(n, 1))
        let programs = (0..<m).map { column in
            ProgramStatistics(
                polarity: seen[column].sorted(), coverage: Double(covered[column]) / rows,
                overlaps: Double(overlapped[column]) / rows, conflicts: Double(conflicted[column]) / rows,
                accuracy: labeled[column] > 0 ? Double(correct[column]) / Double(labeled[column]) : nil,
                labeledVotes: labeled[column])
        }
        let totals = MatrixTotals(coverage: Double(totalCovered) / rows, overlaps: Double(totalOverlapped) / rows,
                                  conflicts: Double(totalConflicted) / rows)
        return (programs, totals)
    }
}
