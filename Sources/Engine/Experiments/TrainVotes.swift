import Foundation

/// The train split as a labeling run sees it: its votes' patterns (all the label models need), the
/// end models' text features fitted on its texts, and how to gather the end models' rows for the
/// best label model's targets. Locally these come from the vote matrix and passes over the split's
/// file; on Spark from the job's histogram, its summed document frequencies and a sample job.
public struct TrainVotes: Sendable {
    public var patterns: VotePatterns
    /// The features fitted on every train text, for `bits` columns.
    public var features: @Sendable (_ bits: Int) throws -> HashedTFIDF
    /// The end models' rows: covered rows (at most `limit`, `EndModelRows`' sample), each with its
    /// pattern's row of `targets`, in row order.
    public var gather: @Sendable (_ targets: ProbabilityMatrix, _ features: HashedTFIDF, _ limit: Int?) throws -> TrainingRows

    public init(patterns: VotePatterns, features: @escaping @Sendable (Int) throws -> HashedTFIDF,
                gather: @escaping @Sendable (ProbabilityMatrix, HashedTFIDF, Int?) throws -> TrainingRows) {
        self.patterns = patterns
        self.features = features
        self.gather = gather
    }

    /// A split whose votes are here, row for row with `train`'s rows; `fitted` are features a pass
    /// over the split already fitted (else one pass fits them).
    public static func local(_ votes: LabelMatrix, train: TrainSource, fitted: HashedTFIDF? = nil) -> TrainVotes {
        let patterns = VotePatterns(counting: votes)
        return TrainVotes(
            patterns: patterns,
            features: { bits in
                if let fitted, fitted.featureCount == 1 << bits { return fitted }
                return try LabelingRun.fitFeatures(train, bits: bits)
            },
            gather: { targets, features, limit in
                try EndModelRows.gather(train: train, votes: votes, patterns: patterns, targets: targets, features: features, limit: limit)
            })
    }

    /// Share of the rows some program votes on.
    public var coverage: Double {
        patterns.rows > 0 ? Double(patterns.coveredRows) / Double(patterns.rows) : 0
    }
}
