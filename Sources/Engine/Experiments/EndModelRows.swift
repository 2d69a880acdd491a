import Foundation

/// The end models' training rows: every train row some program votes on (or a seeded sample of
/// them), its text features and the best label model's probabilities for its votes, gathered in one
/// pass over the train split into `TrainingRows` (blocks on disk past the first).
enum EndModelRows {
    /// The sample is the same for every seeded run of every end model, so their scores compare.
    static let sampleSeed: UInt64 = 0x5A4D_504C_4500  // "SAMPLE"

    /// - Parameters:
    ///   - votes: the train votes, row for row with `train`'s rows.
    ///   - targets: the best label model's probabilities per pattern of `patterns`.
    ///   - limit: at most this many rows, drawn uniformly without replacement (nil: all covered rows).
    static func gather(train: TrainSource, votes: LabelMatrix, patterns: VotePatterns, targets: ProbabilityMatrix,
                       features: HashedTFIDF, limit: Int?) throws -> TrainingRows {
        let lookup = patterns.lookup()
        let coveredPattern = (0..<patterns.count).map { pattern in patterns.votes.row(pattern).contains { $0 >= 0 } }
        let covered = zip(coveredPattern, patterns.counts).reduce(0) { $0 + ($1.0 ? $1.1 : 0) }
        var wanted = min(limit ?? covered, covered)
        var left = covered
        var generator = SplitMix64(seed: sampleSeed)
        let rows = TrainingRows(columnCount: features.featureCount, classes: targets.classes)
        var stream = try train.open()
        var seen = 0
        while let chunk = try stream.next(limit: TrainSource.chunkRows) {
            try Task.checkCancellation()
            guard seen + chunk.count <= votes.rows else {
                throw LabelModelError("the train split has more rows than it had when the programs were applied (\(votes.rows))")
            }
            var texts: [String] = [], chosen: [Int] = []
            for offset in 0..<chunk.count {
                guard let pattern = lookup(votes.row(seen + offset)), coveredPattern[pattern] else { continue }
                // Selection sampling: each covered row is kept with probability wanted / left, which
                // keeps exactly `wanted` rows, uniformly, in one pass.
                let draw = Double(generator.next() >> 11) / Double(1 << 53)
                if draw * Double(left) < Double(wanted) {
                    texts.append(chunk.texts[offset])
                    chosen.append(pattern)
                    wanted -= 1
                }
                left -= 1
            }
            let featured = features.transform(texts)
            for (row, pattern) in chosen.enumerated() {
                let (columns, values) = featured.row(row)
                try rows.append(zip(columns, values), targets: targets.row(pattern))
            }
            seen += chunk.count
        }
        guard seen == votes.rows else {
            throw LabelModelError("the train split has \(seen) rows, \(votes.rows) when the programs were applied")
        }
        return rows
    }
}
