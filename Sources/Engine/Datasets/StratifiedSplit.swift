import Foundation

/// How many labeled rows a split takes: a fraction of them, or a count.
public enum SplitSize: Sendable, Equatable, CustomStringConvertible {
    case fraction(Double)
    case count(Int)

    /// "0.1" or ".5" is a fraction, "200" a count; nil for anything else.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.contains("."), let count = Int(trimmed), count >= 0 {
            self = .count(count)
        } else if let fraction = Double(trimmed), fraction >= 0, fraction <= 1 {
            self = .fraction(fraction)
        } else {
            return nil
        }
    }

    /// The rows this size takes of `labeled`.
    public func rows(of labeled: Int) -> Int {
        switch self {
        case .fraction(let fraction): return Int((fraction * Double(labeled)).rounded())
        case .count(let count): return count
        }
    }

    public var description: String {
        switch self {
        case .fraction(let fraction): return "\(fraction) of the labeled rows"
        case .count(let count): return "\(count) rows"
        }
    }

    /// The defaults: below 2,000 labeled rows, half and half of them when unlabeled rows fill the
    /// train split, a quarter each when every row is labeled (so train keeps half); else a tenth each.
    public static func defaults(labeled: Int, unlabeled: Int) -> (valid: SplitSize, test: SplitSize) {
        if labeled >= 2000 { return (.fraction(0.1), .fraction(0.1)) }
        return unlabeled > 0 ? (.fraction(0.5), .fraction(0.5)) : (.fraction(0.25), .fraction(0.25))
    }
}

/// A stratified, seeded split of labeled rows into valid and test (the rest to train): each class
/// gets its share of each split by largest remainder, and the rows of a class are shuffled with
/// the seed before they are dealt.
public struct StratifiedSplit: Sendable, Equatable {
    /// Row indices of each split, in file order.
    public var train: [Int]
    public var valid: [Int]
    public var test: [Int]

    /// `labels[i]` is row i's class, or nil when unlabeled (unlabeled rows go to train).
    public static func make(labels: [Int?], classCount: Int, valid: Int, test: Int, seed: UInt64) -> StratifiedSplit {
        var byClass = [[Int]](repeating: [], count: classCount)
        var train: [Int] = []
        for (row, label) in labels.enumerated() {
            if let label { byClass[label].append(row) } else { train.append(row) }
        }
        let counts = byClass.map(\.count)
        let validShares = shares(of: valid, counts: counts)
        let testShares = shares(of: test, counts: zip(counts, validShares).map { $0 - $1 }, total: counts)
        var validRows: [Int] = [], testRows: [Int] = []
        for (label, rows) in byClass.enumerated() {
            var generator = SplitMix64(seed: seed &+ UInt64(label) &* 0x9E37_79B9_7F4A_7C15)
            let shuffled = rows.shuffled(using: &generator)
            validRows += shuffled.prefix(validShares[label])
            testRows += shuffled.dropFirst(validShares[label]).prefix(testShares[label])
            train += shuffled.dropFirst(validShares[label] + testShares[label])
        }
        return StratifiedSplit(train: train.sorted(), valid: validRows.sorted(), test: testRows.sorted())
    }

    /// `wanted` rows dealt over classes in proportion to `total` (default: `available`), by largest
    /// remainder (ties to the lower class), never more than a class has `available`.
    static func shares(of wanted: Int, counts available: [Int], total: [Int]? = nil) -> [Int] {
        let weights = total ?? available
        let sum = weights.reduce(0, +)
        let target = min(wanted, available.reduce(0, +))
        guard sum > 0, target > 0 else { return available.map { _ in 0 } }
        let exact = weights.map { Double(target) * Double($0) / Double(sum) }
        var shares = zip(exact, available).map { min(Int($0.rounded(.down)), $1) }
        var left = target - shares.reduce(0, +)
        let order = exact.indices.sorted { (exact[$0] - exact[$0].rounded(.down), -$0) > (exact[$1] - exact[$1].rounded(.down), -$1) }
        while left > 0 {
            var gave = false
            for index in order where left > 0 && shares[index] < available[index] {
                shares[index] += 1
                left -= 1
                gave = true
            }
            if !gave { break }
        }
        return shares
    }
}
