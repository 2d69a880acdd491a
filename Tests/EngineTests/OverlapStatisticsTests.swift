@testable import Engine
import Testing

@Suite struct OverlapStatisticsTests {
    @Test(arguments: [(2, 1000), (3, 131), (2, 64)])
    func bitsetAndRowPairCountsAgree(classes: Int, rows: Int) {
        var generator = SplitMix64(seed: UInt64(classes * rows))
        let votes = (0..<rows).map { _ in
            (0..<7).map { _ -> Int in
                let draw = Int(generator.next() % UInt64(classes + 2))
                return draw >= classes ? -1 : draw
            }
        }
        let matrix = LabelMatrix(rows: votes)
        let d = 7 * classes
        let bitset = SnorkelLabelModel.bitsetCounts(matrix, classCount: classes)
        let rowPairs = SnorkelLabelModel.rowPairCounts(matrix, classCount: classes)
        // Same symmetric totals: the two count each pair in a different triangle.
        for a in 0..<d {
            for b in a..<d {
                let left = bitset[a * d + b] + (a == b ? 0 : bitset[b * d + a])
                let right = rowPairs[a * d + b] + (a == b ? 0 : rowPairs[b * d + a])
                #expect(left == right, "pair \(a), \(b)")
            }
        }
        // And a brute-force check of one entry: rows where program 0 votes 0 and program 1 votes 0.
        let expected = votes.filter { $0[0] == 0 && $0[1] == 0 }.count
        #expect(SnorkelLabelModel.overlapMatrix(matrix, classCount: classes)[0 * d + classes] * Double(rows) == Double(expected))
    }
}
