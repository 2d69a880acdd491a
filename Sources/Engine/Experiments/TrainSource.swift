import Foundation

/// Where a labeling run reads its train split. Every pass over it (the data key and text
/// features, the votes, the end model's rows, the saved votes) opens it again, so the texts of a
/// split streamed from its file are never all in memory; a split already in memory is read there.
public struct TrainSource: Sendable {
    private let opener: @Sendable () throws -> any RowStream
    /// The file's size, for progress estimates (0 in memory).
    public let byteCount: Int
    /// The split itself when it is in memory (its weak labels, say).
    public let inMemory: DatasetSplit?

    /// A split already loaded.
    public init(rows: DatasetSplit) {
        let chunk = RowChunk(ids: rows.ids, texts: rows.texts, labels: rows.labels.map { Int8($0 ?? -1) }, firstRow: 0)
        opener = { RowsInMemory(rows: chunk) }
        byteCount = 0
        inMemory = rows
    }

    /// A split read from its file, hand labels applied (`DatasetCatalog.splitSource`).
    public init(source: SplitSource) {
        opener = { try source.open() }
        byteCount = source.byteCount
        inMemory = nil
    }

    public func open() throws -> any RowStream { try opener() }

    /// Rows per chunk of a pass over the split.
    static let chunkRows = 8192
}
