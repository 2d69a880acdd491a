import Foundation

/// A train row a Spark sample job collected for the end models: its index in the split, its text
/// and its votes.
public struct SampledRow: Sendable {
    public var row: Int
    public var text: String
    public var votes: [LabelMatrix.Vote]

    public init(row: Int, text: String, votes: [LabelMatrix.Vote]) {
        self.row = row
        self.text = text
        self.votes = votes
    }
}

extension TrainVotes {
    /// Rows a Spark job collects for the end models when `--end-model-rows` is not given: the
    /// sample is collected to the driver, so it needs a size.
    public static let sparkDefaultEndModelRows = 1_000_000

    /// The train split of a Spark job: the histogram its executors counted, the document
    /// frequencies they summed, and the rows a sample job collected whose draw is below
    /// `drawnBelow` (nil: every covered row), sorted by row. The end models get the same rows, in
    /// the same order, as a local run's `EndModelRows.gather` on the same split.
    public static func remote(patterns: VotePatterns, features: HashedTFIDF?, sample: [SampledRow], drawnBelow: UInt64?) -> TrainVotes {
        TrainVotes(
            patterns: patterns,
            features: { bits in
                guard let features, features.featureCount == 1 << bits else {
                    throw LabelModelError("the Spark job counted no document frequencies for 2^\(bits) feature columns")
                }
                return features
            },
            gather: { targets, features, limit in
                guard EndModelRows.drawThreshold(limit: limit, covered: patterns.coveredRows) == drawnBelow else {
                    throw LabelModelError("the Spark sample was drawn for another number of end-model rows than \(limit.map(String.init) ?? "all")")
                }
                let lookup = patterns.lookup()
                let candidates = sample.enumerated().filter { $0.element.votes.contains { $0 >= 0 } }
                    .map { (row: $0.offset, draw: EndModelRows.draw(row: $0.element.row)) }
                // Offsets into `sample`, which is in row order: the same ties and order as rows.
                let chosen = EndModelRows.sample(candidates, limit: limit)
                let rows = TrainingRows(columnCount: features.featureCount, classes: targets.classes)
                for start in stride(from: 0, to: chosen.count, by: TrainSource.chunkRows) {
                    var texts: [String] = [], found: [Int] = []
                    for index in chosen[start..<min(start + TrainSource.chunkRows, chosen.count)] {
                        guard let pattern = lookup(ArraySlice(sample[index].votes)) else {
                            throw LabelModelError("a sampled train row (\(sample[index].row)) has votes the job's histogram does not hold")
                        }
                        texts.append(sample[index].text)
                        found.append(pattern)
                    }
                    try EndModelRows.append(texts: texts, patterns: found, targets: targets, features: features, to: rows)
                }
                return rows
            })
    }
}
