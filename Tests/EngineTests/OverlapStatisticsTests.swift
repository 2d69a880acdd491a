@testable import Engine
import Testing

@Suite struct OverlapStatisticsTests {
    static func randomVotes(classes: Int, rows: Int, programs: Int = 7) -> [[Int]] {
        var generator = SplitMix64(seed: UInt64(classes * rows))
        return (0..<rows).map { _ in
            (0..<programs).map { _ -> Int in
                let draw = Int(generator.next() % UInt64(classes + 2))
                return draw >= classes ? -1 : draw
            }
        }
    }

    @Test(arguments: [(2, 1000), (3, 131), (2, 64)])
    func snorkelPairCountsMatchBruteForce(classes: Int, rows: Int) {
        let votes = Self.randomVotes(classes: classes, rows: rows)
        let patterns = VotePatterns(counting: LabelMatrix(rows: votes))
        let d = 7 * classes
        let counts = SnorkelLabelModel.pairCounts(patterns, classCount: classes)
        for a in 0..<d {
            for b in a..<d {
                let (i, u) = (a / classes, a % classes), (j, v) = (b / classes, b % classes)
                let expected = votes.filter { $0[i] == u && $0[j] == v }.count
                #expect(counts[a * d + b] + (a == b ? 0 : counts[b * d + a]) == expected, "pair \(a), \(b)")
            }
        }
        let expected = votes.filter { $0[0] == 0 && $0[1] == 0 }.count
        #expect(SnorkelLabelModel.overlapMatrix(patterns, classCount: classes)[0 * d + classes] * Double(rows) == Double(expected))
    }

    @Test(arguments: [(2, 1000), (4, 300)])
    func flyingSquidPairCountsMatchBruteForce(classes: Int, rows: Int) {
        let votes = Self.randomVotes(classes: classes, rows: rows)
        let counts = FlyingSquid.pairCounts(VotePatterns(counting: LabelMatrix(rows: votes)), classCount: classes)
        let m = 7, mm = m * m
        for i in 0..<m {
            for j in (i + 1)..<m {
                let both = votes.filter { $0[i] >= 0 && $0[j] >= 0 }
                #expect(counts.coVotes[i * m + j] == both.count)
                if classes == 2 {
                    #expect(counts.disagreements[i * m + j] == both.filter { ($0[i] == 1) != ($0[j] == 1) }.count)
                } else {
                    for c in 0..<classes {
                        #expect(counts.disagreements[c * mm + i * m + j] == both.filter { ($0[i] == c) != ($0[j] == c) }.count)
                    }
                }
            }
        }
    }
}
