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
    /// frequencies they summed, and `sample`, which collects the rows whose draw is below a
    /// threshold (nil: every row). The end models get the same rows, in the same order, as a local
    /// run's `EndModelRows.gather` on the same split.
    public static func remote(patterns: VotePatterns, features: HashedTFIDF?,
                              sample: @escaping @Sendable (UInt64?) throws -> [SampledRow]) -> TrainVotes {
        TrainVotes(
            patterns: patterns,
            features: { bits in
                guard let features, features.featureCount == 1 << bits else {
                    throw LabelModelError("the Spark job counted no document frequencies for 2^\(bits) feature columns")
                }
                return features
            },
            gather: { targets, features, limit in
                let lookup = patterns.lookup()
                var covered = 0
                for pattern in 0..<patterns.count where patterns.votes.row(pattern).contains(where: { $0 >= 0 }) {
                    covered += patterns.counts[pattern]
                }
                let collected = try sample(EndModelRows.drawThreshold(limit: limit, covered: covered))
                let candidates = collected.enumerated().filter { $0.element.votes.contains { $0 >= 0 } }
                    .map { (row: $0.offset, draw: EndModelRows.draw(row: $0.element.row)) }
                // `sample` orders by draw among the collected rows; keep their own row order after.
                let chosen = EndModelRows.sample(candidates, limit: limit).sorted { collected[$0].row < collected[$1].row }
                let rows = TrainingRows(columnCount: features.featureCount, classes: targets.classes)
                for start in stride(from: 0, to: chosen.count, by: TrainSource.chunkRows) {
                    let part = chosen[start..<min(start + TrainSource.chunkRows, chosen.count)]
                    var texts: [String] = [], found: [Int] = []
                    for index in part {
                        guard let pattern = lookup(ArraySlice(collected[index].votes)) else {
                            throw LabelModelError("a sampled train row (\(collected[index].row)) has votes the job's histogram does not hold")
                        }
                        texts.append(collected[index].text)
                        found.append(pattern)
                    }
                    try EndModelRows.append(texts: texts, patterns: found, targets: targets, features: features, to: rows)
                }
                return rows
            })
    }
}
