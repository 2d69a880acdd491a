@testable import Engine
import Testing

/// A label model's fit sees the training votes only as their patterns: counting, order and where
/// the histogram was counted must not change a parameter.
@Suite struct VotePatternsTests {
    /// 3,000 rows of 6 programs from a planted model: programs right 75 % of the time, voting half the time.
    static func plantedVotes(classes: Int, rows: Int = 3000, seed: UInt64 = 7) -> [[Int]] {
        var generator = SplitMix64(seed: seed)
        func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
        return (0..<rows).map { _ in
            let truth = Int(generator.next() % UInt64(classes))
            return (0..<6).map { _ in
                guard unit() < 0.5 else { return -1 }
                return unit() < 0.75 ? truth : Int(generator.next() % UInt64(classes))
            }
        }
    }

    @Test func countsEveryRowOnceInOneOrder() throws {
        let rows = [[0, -1], [1, 1], [0, -1], [-1, -1], [1, 1], [0, -1]]
        let patterns = VotePatterns(counting: LabelMatrix(rows: rows))
        #expect(patterns.rows == 6)
        #expect((0..<patterns.count).map { patterns.votes.row($0).map(Int.init) } == [[-1, -1], [0, -1], [1, 1]])
        #expect(patterns.counts == [1, 3, 2])
        #expect(patterns.indices(of: LabelMatrix(rows: rows)) == [1, 2, 1, 0, 2, 1])
        // Counted elsewhere, in pieces and in another order: the same histogram.
        let merged = try VotePatterns(patterns: [[1, 1], [0, -1], [-1, -1], [0, -1]], counts: [2, 1, 1, 2], columns: 2)
        #expect(merged == patterns)
        #expect(throws: LabelModelError.self) { try VotePatterns(patterns: [[1]], counts: [1], columns: 2) }
        #expect(throws: LabelModelError.self) { try VotePatterns(patterns: [[1, 0]], counts: [0], columns: 2) }
    }

    @Test(arguments: LabelModelID.allCases, [2, 3])
    func fitDependsOnlyOnTheHistogram(id: LabelModelID, classes: Int) throws {
        let votes = Self.plantedVotes(classes: classes)
        var shuffled = votes
        var generator = SplitMix64(seed: 99)
        shuffled.shuffle(using: &generator)
        let valid = LabeledMatrix(matrix: LabelMatrix(rows: Array(votes.prefix(200))), labels: (0..<200).map { $0 % classes })

        var fromRows = id.make()
        try fromRows.fit(LabelMatrix(rows: votes), classCount: classes, validation: valid, seed: 3)
        var fromShuffled = id.make()
        try fromShuffled.fit(LabelMatrix(rows: shuffled), classCount: classes, validation: valid, seed: 3)
        // The histogram as a Spark job reports it: counted per partition, merged, in any order.
        let halves = [LabelMatrix(rows: Array(shuffled.prefix(1000))), LabelMatrix(rows: Array(shuffled.dropFirst(1000)))]
            .map(VotePatterns.init(counting:))
        var patterns: [[Int]] = [], counts: [Int] = []
        for half in halves.reversed() {
            for pattern in 0..<half.count {
                patterns.append(half.votes.row(pattern).map(Int.init))
                counts.append(half.counts[pattern])
            }
        }
        var fromHistogram = id.make()
        try fromHistogram.fit(try VotePatterns(patterns: patterns, counts: counts, columns: 6), classCount: classes,
                              validation: valid, seed: 3)

        let expected = try LabelModelID.archive(fromRows)
        #expect(!expected.numbers.isEmpty || !expected.doubles.isEmpty)
        #expect(try LabelModelID.archive(fromShuffled) == expected)
        #expect(try LabelModelID.archive(fromHistogram) == expected)
        let matrix = LabelMatrix(rows: votes)
        #expect(try fromHistogram.predictProbabilities(matrix) == fromRows.predictProbabilities(matrix))
    }

    @Test func expandGivesEachRowItsPatternsProbabilities() throws {
        let rows = [[0, -1], [1, 1], [0, -1], [-1, -1]]
        let matrix = LabelMatrix(rows: rows)
        let patterns = VotePatterns(counting: matrix)
        var model = MajorityVote()
        try model.fit(patterns, classCount: 2, validation: nil, seed: 0)
        let expanded = patterns.expand(try model.predictProbabilities(patterns.votes), to: matrix)
        #expect(expanded == (try model.predictProbabilities(matrix)))
    }
}
