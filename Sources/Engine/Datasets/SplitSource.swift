import Foundation

/// One split of a catalog dataset as a file to read row by row, without loading the dataset:
/// what `apply` streams when a split is larger than memory. `open()` gives its rows with the
/// dataset's hand labels applied, as `DatasetCatalog.load` would have them.
public struct SplitSource: Sendable {
    public var dataset: String
    public var labelNames: [String]
    public var split: SplitName
    /// Nil when the split is made only of train rows that hand labels moved into it.
    public var file: URL?
    public var format: SplitFileFormat
    public var fields: RowFields
    public var handLabels: HandLabels
    /// The train split's file, when hand labels move train rows into this split.
    var trainFile: (URL, SplitFileFormat)?

    /// The file's size in bytes, for a progress estimate.
    public var byteCount: Int {
        guard let file else { return 0 }
        return ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size]) as? NSNumber)?.intValue ?? 0
    }

    public func open() throws -> any RowStream {
        let stream = try file.map { try Self.open($0, format: format, fields: fields) } ?? NoRows()
        guard !handLabels.labels.isEmpty else { return stream }
        var moved: [(id: String, label: Int8)] = []
        var relabeled: [String: Int8] = [:]
        var leaving: Set<String> = []
        let classIDs = Dictionary(labelNames.enumerated().map { ($0.element, Int8($0.offset)) }, uniquingKeysWith: { first, _ in first })
        for label in handLabels.labels {
            guard let classID = classIDs[label.label] else { continue }  // `load` warns about these
            if label.from == .train {
                if split == .train { leaving.insert(label.id) } else if label.split == split, !moved.contains(where: { $0.id == label.id }) {
                    moved.append((label.id, classID))
                }
            } else if label.from == split {
                relabeled[label.id] = classID
            }
        }
        return HandLabeledRows(base: stream, relabeled: relabeled, leaving: leaving, arriving: moved,
                               train: trainFile, fields: fields)
    }
}

extension SplitSource {
    /// A split file as a stream; a WRENCH file's rows in file order, whatever its ids (files written
    /// with sorted keys put "10" before "2": the votes of a streamed run stay with their ids).
    static func open(_ file: URL, format: SplitFileFormat, fields: RowFields) throws -> any RowStream {
        try SplitFile.open(file, format: format, fields: fields, wrenchIDsInAnyOrder: true)
    }
}

/// The rows of a split with hand labels applied (`HandLabels.applied(to:)` for a stream): a
/// relabeled row gets its hand label, a train row that moved to valid or test leaves train, and
/// the rows that moved into this split come after its own, in the order they were labeled.
struct HandLabeledRows: RowStream {
    var base: any RowStream
    let relabeled: [String: Int8]
    let leaving: Set<String>
    let arriving: [(id: String, label: Int8)]
    let train: (URL, SplitFileFormat)?
    let fields: RowFields
    private var emitted = 0
    private var baseEnded = false
    private var arrivals: RowChunk?

    init(base: any RowStream, relabeled: [String: Int8], leaving: Set<String>, arriving: [(id: String, label: Int8)],
         train: (URL, SplitFileFormat)?, fields: RowFields) {
        self.base = base
        self.relabeled = relabeled
        self.leaving = leaving
        self.arriving = arriving
        self.train = train
        self.fields = fields
    }

    mutating func next(limit: Int) throws -> RowChunk? {
        while !baseEnded {
            guard var chunk = try base.next(limit: limit) else {
                baseEnded = true
                break
            }
            if !leaving.isEmpty {
                let kept = chunk.ids.indices.filter { !leaving.contains(chunk.ids[$0]) }
                if kept.count < chunk.count {
                    chunk = RowChunk(ids: kept.map { chunk.ids[$0] }, texts: kept.map { chunk.texts[$0] }, labels: kept.map { chunk.labels[$0] },
                                     weakLabels: chunk.weakLabels.map { votes in kept.map { votes[$0] } }, firstRow: chunk.firstRow)
                }
            }
            if !relabeled.isEmpty {
                for index in chunk.ids.indices { if let label = relabeled[chunk.ids[index]] { chunk.labels[index] = label } }
            }
            guard chunk.count > 0 else { continue }
            chunk.firstRow = emitted
            emitted += chunk.count
            return chunk
        }
        guard !arriving.isEmpty, let train else { return nil }
        if arrivals == nil { arrivals = try collectArrivals(train) }
        guard var rest = arrivals, rest.count > 0 else { return nil }
        let take = min(limit, rest.count)
        let chunk = RowChunk(ids: Array(rest.ids.prefix(take)), texts: Array(rest.texts.prefix(take)), labels: Array(rest.labels.prefix(take)),
                             weakLabels: nil, firstRow: emitted)
        rest.ids.removeFirst(take)
        rest.texts.removeFirst(take)
        rest.labels.removeFirst(take)
        arrivals = rest
        emitted += take
        return chunk
    }

    /// The train rows that moved into this split, found in one pass over the train file.
    private func collectArrivals(_ train: (URL, SplitFileFormat)) throws -> RowChunk {
        let wanted = Set(arriving.map(\.id))
        var texts: [String: String] = [:]
        var stream = try SplitSource.open(train.0, format: train.1, fields: fields)
        while texts.count < wanted.count, let chunk = try stream.next(limit: 65_536) {
            for index in chunk.ids.indices where wanted.contains(chunk.ids[index]) { texts[chunk.ids[index]] = chunk.texts[index] }
        }
        var rows = RowChunk(firstRow: 0)
        for move in arriving {
            guard let text = texts[move.id] else { continue }  // `load` warns about an unknown row
            rows.append(id: move.id, text: text, label: move.label)
        }
        return rows
    }
}

/// A split with no file of its own.
struct NoRows: RowStream {
    mutating func next(limit: Int) throws -> RowChunk? { nil }
}

extension DatasetCatalog {
    /// The file of one split of the dataset `name`, to stream; the same dataset `load` reads.
    /// - Throws: `DatasetError` for an unknown or absent dataset, or a split it does not have.
    public func splitSource(_ name: String, split: SplitName) throws -> SplitSource {
        let (entry, folder) = try locate(name)
        let handLabels = try HandLabels.load(folder: folder)
        func file(_ split: SplitName, custom: CustomDatasetManifest?) throws -> (URL, SplitFileFormat)? {
            if let custom, custom.format != .wrench, try CustomDatasetLoader.detectFormat(folder) != .wrench {
                return try CustomDatasetLoader.splitFile(folder, split, formats: CustomDatasetLoader.formats(custom))
            }
            let url = folder.appendingPathComponent("\(split.rawValue).json")
            return FileManager.default.fileExists(atPath: url.path) ? (url, .wrench) : nil
        }
        let manifestFile = folder.appendingPathComponent("dataset.json")
        let manifest = FileManager.default.fileExists(atPath: manifestFile.path) ? try CustomDatasetManifest.read(manifestFile) : nil
        let labelNames = manifest?.classes ?? entry.labels
        let fields = manifest.map(CustomDatasetLoader.fields) ?? RowFields(classes: labelNames)
        let trainFile = try file(.train, custom: manifest)
        let own = try split == .train ? trainFile : file(split, custom: manifest)
        // Hand labels can make a valid or test split out of train rows alone, as `load` does.
        guard own != nil || (trainFile != nil && handLabels.labels.contains { $0.from == .train && $0.split == split }) else {
            throw DatasetError(file: folder.path, reason: "dataset \(name) has no \(split.rawValue) split")
        }
        return SplitSource(dataset: manifest?.name ?? name, labelNames: labelNames, split: split, file: own?.0,
                           format: own?.1 ?? trainFile?.1 ?? .wrench, fields: fields, handLabels: handLabels,
                           trainFile: split == .train ? nil : trainFile)
    }
}
