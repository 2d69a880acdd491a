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

/// Coverage, overlaps, conflicts, polarity and accuracy of every program, in one pass over the matrix.
public enum LabelMatrixAnalysis {
    public static func analyze(_ matrix: LabelMatrix, gold: [Int?]) -> (programs: [ProgramStatistics], totals: MatrixTotals) {
        analyze(matrix, gold: gold.map { $0.map { LabelMatrix.Vote(clamping: $0) } ?? LabelMatrix.abstain })
    }

    /// - Parameter gold: a class id per row, -1 where the row is unlabeled.
    public static func analyze(_ matrix: LabelMatrix, gold: [LabelMatrix.Vote]) -> (programs: [ProgramStatistics], totals: MatrixTotals) {
        precondition(gold.count == matrix.rows, "one gold entry per row")
        let n = matrix.rows, m = matrix.columns
        var covered = [Int](repeating: 0, count: m)
        var overlapped = [Int](repeating: 0, count: m)
        var conflicted = [Int](repeating: 0, count: m)
        var correct = [Int](repeating: 0, count: m)
        var labeled = [Int](repeating: 0, count: m)
        // The classes each program voted, as bits (a vote names at most `LabelMatrix.maxClasses` classes).
        var seenLow = [UInt64](repeating: 0, count: m), seenHigh = [UInt64](repeating: 0, count: m)
        var totalCovered = 0, totalOverlapped = 0, totalConflicted = 0
        matrix.values.withUnsafeBufferPointer { values in
            for row in 0..<n {
                let base = row * m
                var voters = 0
                var first: LabelMatrix.Vote = -1
                var distinct = false
                for column in 0..<m {
                    let vote = values[base + column]
                    guard vote >= 0 else { continue }
                    voters += 1
                    if first < 0 { first = vote } else if vote != first { distinct = true }
                }
                guard voters > 0 else { continue }
                totalCovered += 1
                if voters > 1 { totalOverlapped += 1 }
                if distinct { totalConflicted += 1 }
                let label = gold[row]
                for column in 0..<m {
                    let vote = values[base + column]
                    guard vote >= 0 else { continue }
                    covered[column] += 1
                    if vote < 64 { seenLow[column] |= 1 << UInt64(vote) } else { seenHigh[column] |= 1 << UInt64(vote - 64) }
                    if voters > 1 { overlapped[column] += 1 }
                    // With two distinct votes in the row, every voter disagrees with someone.
                    if distinct { conflicted[column] += 1 }
                    if label >= 0 {
                        labeled[column] += 1
                        if vote == label { correct[column] += 1 }
                    }
                }
            }
        }
        let rows = Double(max(n, 1))
        let programs = (0..<m).map { column in
            ProgramStatistics(
                polarity: (0..<64).filter { seenLow[column] & (1 << UInt64($0)) != 0 } + (0..<64).filter { seenHigh[column] & (1 << UInt64($0)) != 0 }.map { $0 + 64 },
                coverage: Double(covered[column]) / rows,
                overlaps: Double(overlapped[column]) / rows, conflicts: Double(conflicted[column]) / rows,
                accuracy: labeled[column] > 0 ? Double(correct[column]) / Double(labeled[column]) : nil,
                labeledVotes: labeled[column])
        }
        let totals = MatrixTotals(coverage: Double(totalCovered) / rows, overlaps: Double(totalOverlapped) / rows,
                                  conflicts: Double(totalConflicted) / rows)
        return (programs, totals)
    }
}
