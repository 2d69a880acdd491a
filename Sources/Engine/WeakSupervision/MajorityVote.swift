/// Majority vote: each row's probabilities are its vote counts per class, normalised.
///
/// Tied counts give equal probabilities, so the caller's `TieBreakPolicy` decides the class.
/// Rows where every program abstains get the class prior (validation frequencies, else uniform).
public struct MajorityVote: LabelModel {
    public var id: String { "mv" }
    public internal(set) var classCount = 0
    public internal(set) var programCount = 0
    /// Probabilities given to all-abstain rows.
    public internal(set) var prior: [Double] = []

    public init() {}

    public mutating func fit(_ patterns: VotePatterns, classCount: Int, validation: LabeledMatrix?, seed: UInt64) throws {
        try LabelModelInput.validate(patterns.votes, classCount: classCount, validation: validation)
        self.classCount = classCount
        programCount = patterns.columns
        prior = LabelModelInput.prior(classCount: classCount, validation: validation)
    }

    public func predictProbabilities(_ matrix: LabelMatrix) throws -> ProbabilityMatrix {
        try LabelModelInput.checkFitted(matrix, classCount: classCount, programCount: programCount, model: id)
        return Self.probabilities(matrix, classCount: classCount, prior: prior)
    }

    /// Normalised vote counts per row; `prior` for all-abstain rows. Votes must already be in range.
    static func probabilities(_ matrix: LabelMatrix, classCount: Int, prior: [Double]) -> ProbabilityMatrix {
        var result = ProbabilityMatrix(rows: matrix.rows, classes: classCount)
        var counts = [Double](repeating: 0, count: classCount)
        for row in 0..<matrix.rows {
            let total = Double(matrix.countVotes(inRow: row, into: &counts))
            for label in 0..<classCount {
                result[row, label] = total > 0 ? counts[label] / total : prior[label]
            }
        }
        return result
    }
}
