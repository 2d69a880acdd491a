import Engine

/// Baselines the label-model tests compare against: plain majority vote (ties and all-abstain rows
/// to the lowest class) and accuracy against the hidden truth.
enum Baseline {
    static func majorityVote(_ matrix: LabelMatrix, classes: Int) -> [Int] {
        (0..<matrix.rows).map { row in
            var counts = [Int](repeating: 0, count: classes)
            for vote in matrix.row(row) where vote >= 0 { counts[Int(vote)] += 1 }
            let best = counts.max() ?? 0
            return counts.firstIndex(of: best) ?? 0
        }
    }

    static func accuracy(_ predicted: [Int], _ truth: [Int]) -> Double {
        Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(max(truth.count, 1))
    }
}
