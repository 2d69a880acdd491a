import Foundation

public enum SplitName: String, Sendable, CaseIterable, Codable {
    case train, valid, test
}

/// One split of a dataset, stored by column.
public struct DatasetSplit: Sendable {
    public var name: SplitName
    /// Example ids as written in the file.
    public var ids: [String]
    public var texts: [String]
    /// Gold labels; nil where a row is unlabeled.
    public var labels: [Int?]
    /// Votes of the dataset's own labeling functions (WRENCH `weak_labels`), when the file has them.
    public var weakLabels: [[Int]]?

    public var count: Int { texts.count }
    public var isLabeled: Bool { labels.allSatisfy { $0 != nil } }
    public var labeledCount: Int { labels.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Number of rows per class id (unlabeled rows are not counted).
    public func classCounts(classCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for case let label? in labels where label >= 0 && label < classCount { counts[label] += 1 }
        return counts
    }

    /// How the labeled rows divide among the classes, as shares that add up to 1, and the labeled
    /// count; nil when no row is labeled (an unlabeled split has no balance, not "0 % each").
    public func classBalance(classCount: Int) -> (shares: [Double], labeled: Int)? {
        let counts = classCounts(classCount: classCount)
        let labeled = counts.reduce(0, +)
        guard labeled > 0 else { return nil }
        return (counts.map { Double($0) / Double(labeled) }, labeled)
    }

    /// "ham 87%, spam 13%", or "unlabeled": the one wording of a split's balance for both front ends.
    public func balanceText(labelNames: [String]) -> String {
        guard let balance = classBalance(classCount: labelNames.count) else { return "unlabeled" }
        let parts = zip(labelNames, balance.shares).map { "\($0) \(Int(($1 * 100).rounded()))%" }
        return parts.joined(separator: ", ") + (balance.labeled < count ? " of \(balance.labeled) labeled" : "")
    }
}

public enum DatasetFormat: String, Sendable, Codable, CaseIterable {
    case wrench, csv, tsv, jsonl, parquet
}

/// A loaded dataset: class names and whichever splits exist.
public struct Dataset: Sendable {
    public var name: String
    public var labelNames: [String]
    public var location: URL
    public var format: DatasetFormat
    public var splits: [SplitName: DatasetSplit]
    /// What loading skipped without failing (malformed hand-label lines, labels of unknown rows).
    public var warnings: [String] = []

    public var classCount: Int { labelNames.count }

    public func split(_ name: SplitName) throws -> DatasetSplit {
        guard let split = splits[name] else {
            throw DatasetError(file: location.path, reason: "dataset \(self.name) has no \(name.rawValue) split")
        }
        return split
    }
}

/// Why a dataset could not be loaded; names the file and, where it applies, the example id or line.
public struct DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let example: String?
    public let reason: String

    public init(file: String, example: String? = nil, reason: String) {
        self.file = file
        self.example = example
        self.reason = reason
    }

    public var description: String {
        if let example { return "\(file): example \(example): \(reason)" }
        return "\(file): \(reason)"
    }
}

extension DatasetError: InputError {}
