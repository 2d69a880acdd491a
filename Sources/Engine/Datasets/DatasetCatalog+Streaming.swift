import Foundation

extension DatasetCatalog {
    /// A dataset as a labeling run at scale reads it: the valid and test splits in memory (labeled
    /// rows for metrics, small next to train), the train split as a stream from its file. The
    /// rows are those `load` gives, hand labels applied.
    /// - Throws: `DatasetError` for an unknown or absent dataset, one without a train split, or a bad row.
    public func loadStreamingTrain(_ name: String) throws -> (dataset: Dataset, train: TrainSource) {
        let (_, folder) = try locate(name)
        let train = try splitSource(name, split: .train)
        var splits: [SplitName: DatasetSplit] = [:]
        for split in [SplitName.valid, .test] {
            guard let source = try? splitSource(name, split: split) else { continue }  // the dataset has no such split
            var stream = try source.open()
            let rows = try stream.collectAll()
            guard rows.count > 0 else { continue }
            splits[split] = DatasetSplit(name: split, ids: rows.ids, texts: rows.texts, labels: rows.labels.map { $0 < 0 ? nil : Int($0) },
                                         weakLabels: rows.weakLabels.map { $0.map { $0.map(Int.init) } })
        }
        let dataset = Dataset(name: train.dataset, labelNames: train.labelNames, location: folder, format: train.format, splits: splits)
        return (dataset, TrainSource(source: train))
    }
}
