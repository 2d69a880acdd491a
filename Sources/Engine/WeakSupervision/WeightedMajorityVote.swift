import Foundation

/// Weighted majority vote: each program's vote counts with the log-odds of its estimated accuracy.
///
/// Accuracy of a program is estimated on the validation rows where it votes, add-one smoothed:
/// (correct + 1) / (votes + 2). Without validation rows for it, the estimate is its agreement with
/// the majority vote of the other programs on the training matrix, smoothed the same way.
///
/// The weight is log((k - 1) · acc / (1 - acc)), the log-odds weight that is optimal when a program
/// is right with probability acc and otherwise wrong uniformly among the other k - 1 classes. It is
/// clipped to 0...`maxWeight`: a program no better than chance is ignored rather than inverted.
///
/// Probabilities are the softmax of the weighted class scores (the posterior of that model under a
/// uniform prior). Rows where every program abstains get the class prior, as with majority vote.
public struct WeightedMajorityVote: LabelModel {
    public var id: String { "wmv" }
    /// Upper bound of a weight; 5 is the log-odds of a binary accuracy of about 0.993.
    public static let maxWeight = 5.0

    public internal(set) var classCount = 0
    /// Estimated accuracy of each program (smoothed, so strictly between 0 and 1).
    public internal(set) var estimatedAccuracies: [Double] = []
    /// Weight of each program's vote.
    public internal(set) var weights: [Double] = []
    /// Probabilities given to all-abstain rows.
    public internal(set) var prior: [Double] = []

    public init() {}

    public mutating func fit(_ patterns: VotePatterns, classCount: Int, validation: LabeledMatrix?, seed: UInt64) throws {
        try LabelModelInput.validate(patterns.votes, classCount: classCount, validation: validation)
        self.classCount = classCount
        prior = LabelModelInput.prior(classCount: classCount, validation: validation)
        var fallback: [Double]?
        estimatedAccuracies = (0..<patterns.columns).map { program in
            if let validation {
                var correct = 0.0, votes = 0.0
                for row in 0..<validation.matrix.rows {
                    let vote = validation.matrix[row, program]
                    guard vote >= 0 else { continue }
                    votes += 1
                    if vote == validation.labels[row] { correct += 1 }
                }
                if votes > 0 { return (correct + 1) / (votes + 2) }
            }
            if fallback == nil { fallback = Self.agreementAccuracies(patterns, classCount: classCount) }
            return fallback?[program] ?? 0.5
        }
        let k = Double(classCount)
        weights = estimatedAccuracies.map { accuracy in
            min(max(log((k - 1) * accuracy / (1 - accuracy)), 0), Self.maxWeight)
        }
    }

    public func predictProbabilities(_ matrix: LabelMatrix) throws -> ProbabilityMatrix {
        try LabelModelInput.checkFitted(matrix, classCount: classCount, programCount: weights.count, model: id)
        var result = ProbabilityMatrix(rows: matrix.rows, classes: classCount)
        var scores = [Double](repeating: 0, count: classCount)
        for row in 0..<matrix.rows {
            for label in 0..<classCount { scores[label] = 0 }
            var voted = false
            for (program, vote) in matrix.row(row).enumerated() where vote >= 0 {
                scores[Int(vote)] += weights[program]
                voted = true
            }
            guard voted else {
                for label in 0..<classCount { result[row, label] = prior[label] }
                continue
            }
            let top = scores.max() ?? 0
            var total = 0.0
            for label in 0..<classCount {
                scores[label] = exp(scores[label] - top)
                total += scores[label]
            }
            for label in 0..<classCount { result[row, label] = scores[label] / total }
        }
        return result
    }

    /// Per program: how often its vote is among the most voted classes of the other programs on a row
    /// (a tie of t classes counts 1/t), over rows where it and at least one other program vote; add-one smoothed.
    static func agreementAccuracies(_ patterns: VotePatterns, classCount: Int) -> [Double] {
        let matrix = patterns.votes
        var agreed = [Double](repeating: 0, count: matrix.columns)
        var compared = [Double](repeating: 0, count: matrix.columns)
        var counts = [Double](repeating: 0, count: classCount)
        for row in 0..<matrix.rows {
            guard matrix.countVotes(inRow: row, into: &counts) >= 2 else { continue }
            let weight = Double(patterns.counts[row])
            for (program, vote) in matrix.row(row).enumerated() where vote >= 0 {
                let own = Int(vote)
                counts[own] -= 1
                let best = counts.max() ?? 0
                if counts[own] == best {
                    agreed[program] += weight / Double(counts.filter { $0 == best }.count)
                }
                compared[program] += weight
                counts[own] += 1
            }
        }
        return zip(agreed, compared).map { ($0 + 1) / ($1 + 2) }
    }
}
