import Foundation

/// The rows hand labeling offers, one at a time: rows without a gold label and without a hand
/// label, in a seeded random order (`random`) or in file order among the train rows no enabled
/// program votes on (`uncovered`, made by `HandLabelQueue.uncovered` in Programs/).
public struct HandLabelQueue: Sendable, Equatable {
    public enum Source: String, Sendable, CaseIterable {
        case random, uncovered

        public var title: String { self == .random ? "random sample" : "rows no enabled program covers" }
    }

    /// A row to label: where it is in the dataset as its files have it, and its text.
    public struct Row: Sendable, Equatable {
        public var split: SplitName
        public var index: Int
        public var id: String
        public var text: String

        public var key: HandLabels.RowKey { HandLabels.RowKey(split: split, id: id) }
    }

    /// The seed of the random order: fixed, so a user who comes back sees the same order (minus what is labeled).
    public static let seed: UInt64 = 13

    public var source: Source
    public var rows: [Row]

    public init(source: Source, rows: [Row]) {
        self.source = source
        self.rows = rows
    }

    /// Rows without a gold label in `dataset` (as its files have it: `DatasetCatalog.loadFiles`),
    /// train first, then valid and test, that `labels` does not hold; in file order.
    public static func candidates(in dataset: Dataset, excluding labels: HandLabels, splits: [SplitName] = SplitName.allCases) -> [Row] {
        let labeled = Set(labels.labels.map(\.key))
        var rows: [Row] = []
        for name in splits {
            guard let split = dataset.splits[name] else { continue }
            for index in 0..<split.count where split.labels[index] == nil {
                let row = Row(split: name, index: index, id: split.ids[index], text: split.texts[index])
                if !labeled.contains(row.key) { rows.append(row) }
            }
        }
        return rows
    }

    /// Every candidate in a random order drawn from `seed` (SplitMix64, the same on every platform).
    public static func random(in dataset: Dataset, excluding labels: HandLabels, seed: UInt64 = seed) -> HandLabelQueue {
        var rows = candidates(in: dataset, excluding: labels)
        var generator = SplitMix64(seed: seed)
        rows.shuffle(using: &generator)
        return HandLabelQueue(source: .random, rows: rows)
    }
}
