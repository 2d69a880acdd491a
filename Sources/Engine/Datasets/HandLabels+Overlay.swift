import Foundation

extension HandLabels {
    /// `dataset` with these labels applied: a hand-labeled train row moves out of train into its
    /// split (valid or test) with its gold label, its weak-label row with it; a valid or test row
    /// gets the gold label (a hand label wins over the file's). Labels of unknown rows or classes are
    /// skipped, each with a warning in the dataset's `warnings`, as are the file's malformed lines.
    public func applied(to dataset: Dataset) -> Dataset {
        var dataset = dataset
        dataset.warnings += warnings
        guard !labels.isEmpty else { return dataset }
        let classIDs = Dictionary(dataset.labelNames.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var positions: [SplitName: [String: Int]] = [:]
        func position(_ key: RowKey) -> Int? {
            if positions[key.split] == nil {
                let ids = dataset.splits[key.split]?.ids ?? []
                positions[key.split] = Dictionary(ids.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
            }
            return positions[key.split]?[key.id]
        }
        var moves: [(row: Int, label: Int, to: SplitName)] = []
        var moved = Set<Int>()
        for label in labels {
            guard let classID = classIDs[label.label] else {
                dataset.warnings.append("\(file.path): \(label.from.rawValue) row \(label.id): unknown class \"\(label.label)\" (skipped)")
                continue
            }
            guard let row = position(label.key) else {
                dataset.warnings.append("\(file.path): no \(label.from.rawValue) row has the id \"\(label.id)\" (skipped)")
                continue
            }
            if label.from == .train {
                guard moved.insert(row).inserted else { continue }
                moves.append((row, classID, label.split))
            } else {
                dataset.splits[label.from]?.labels[row] = classID
            }
        }
        guard !moves.isEmpty, var train = dataset.splits[.train] else { return dataset }
        for move in moves {
            var target = dataset.splits[move.to]
                ?? DatasetSplit(name: move.to, ids: [], texts: [], labels: [], weakLabels: train.weakLabels == nil ? nil : [])
            target.ids.append(train.ids[move.row])
            target.texts.append(train.texts[move.row])
            target.labels.append(move.label)
            // Weak-label rows stay aligned with the texts, or go when the two splits cannot both keep them.
            if let votes = train.weakLabels?[move.row], target.weakLabels != nil {
                target.weakLabels?.append(votes)
            } else {
                target.weakLabels = nil
            }
            dataset.splits[move.to] = target
        }
        let kept = (0..<train.count).filter { !moved.contains($0) }
        train.ids = kept.map { train.ids[$0] }
        train.texts = kept.map { train.texts[$0] }
        train.labels = kept.map { train.labels[$0] }
        train.weakLabels = train.weakLabels.map { votes in kept.map { votes[$0] } }
        dataset.splits[.train] = train
        return dataset
    }
}
