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
}

public enum DatasetFormat: String, Sendable, Codable {
    case wrench, csv, jsonl
}

/// A loaded dataset: class names and whichever splits exist.
public struct Dataset: Sendable {
    public var name: String
    public var labelNames: [String]
    public var location: URL
    public var format: DatasetFormat
    public var splits: [SplitName: DatasetSplit]

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
