import Foundation

/// The end models' training rows: every train row some program votes on (or a seeded sample of
/// them), its text features and the best label model's probabilities for its votes, gathered in one
/// pass over the train split into `TrainingRows` (blocks on disk past the first), in row order.
public enum EndModelRows {
    /// A row's draw for the sample: a hash of its index in the split (SplitMix64's finaliser), so any
    /// engine that knows a row's index draws the same, and the sample is the same for every seeded
    /// run of every end model.
    public static func draw(row: Int) -> UInt64 {
        var z = UInt64(row) &+ 0x5A4D_504C_4500_0000 &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Rows whose draw is below this may be in a sample of `limit` of `covered` rows: a little more
    /// than the share asked for, so the `limit` smallest draws are among them (nil: every row).
    public static func drawThreshold(limit: Int?, covered: Int) -> UInt64? {
        guard let limit, limit < covered else { return nil }
        let share = min(1, Double(limit) / Double(covered) * 1.05 + 64 / Double(covered))
        return share >= 1 ? nil : UInt64(share * 18_446_744_073_709_549_568)  // the largest Double below 2^64
    }

    /// The sample of `limit` rows from candidates (row, draw): the smallest draws, in row order.
    public static func sample(_ candidates: [(row: Int, draw: UInt64)], limit: Int?) -> [Int] {
        guard let limit, limit < candidates.count else { return candidates.map(\.row).sorted() }
        return candidates.sorted { ($0.draw, $0.row) < ($1.draw, $1.row) }.prefix(limit).map(\.row).sorted()
    }

    /// - Parameters:
    ///   - votes: the train votes, row for row with `train`'s rows.
    ///   - targets: the best label model's probabilities per pattern of `patterns`.
    ///   - limit: at most this many covered rows, those with the smallest draws (nil: all).
    static func gather(train: TrainSource, votes: LabelMatrix, patterns: VotePatterns, targets: ProbabilityMatrix,
                       features: HashedTFIDF, limit: Int?) throws -> TrainingRows {
        let lookup = patterns.lookup()
        let coveredPattern = (0..<patterns.count).map { pattern in patterns.votes.row(pattern).contains { $0 >= 0 } }
        let covered = patterns.coveredRows
        // The rows to keep, decided from the votes alone before the texts are read.
        var keep: [Bool]?
        if let threshold = drawThreshold(limit: limit, covered: covered) {
            var candidates: [(row: Int, draw: UInt64)] = []
            for row in 0..<votes.rows {
                guard let pattern = lookup(votes.row(row)), coveredPattern[pattern] else { continue }
                let draw = draw(row: row)
                if draw < threshold { candidates.append((row, draw)) }
            }
            var flags = [Bool](repeating: false, count: votes.rows)
            for row in sample(candidates, limit: limit) { flags[row] = true }
            keep = flags
        }
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
                let row = seen + offset
                guard keep?[row] ?? true, let pattern = lookup(votes.row(row)), coveredPattern[pattern] else { continue }
                texts.append(chunk.texts[offset])
                chosen.append(pattern)
            }
            try append(texts: texts, patterns: chosen, targets: targets, features: features, to: rows)
            seen += chunk.count
        }
        guard seen == votes.rows else {
            throw LabelModelError("the train split has \(seen) rows, \(votes.rows) when the programs were applied")
        }
        return rows
    }

    /// Adds rows: each text's features, with its pattern's targets.
    static func append(texts: [String], patterns: [Int], targets: ProbabilityMatrix, features: HashedTFIDF, to rows: TrainingRows) throws {
        let featured = features.transform(texts)
        for (row, pattern) in patterns.enumerated() {
            let (columns, values) = featured.row(row)
            try rows.append(zip(columns, values), targets: targets.row(pattern))
        }
    }
}
