/// A split's row stream as the applier's text windows: it hands out each window's texts and keeps,
/// of every row, only its gold label (one byte), so the split's texts are never all in memory.
public final class RowStreamWindows: TextWindowSource {
    private var stream: any RowStream
    private let byteCount: Int
    private var rows = 0
    /// The gold label of every row read so far, -1 where a row is unlabeled.
    public private(set) var gold: [LabelMatrix.Vote] = []

    public init(_ stream: any RowStream, byteCount: Int) {
        self.stream = stream
        self.byteCount = byteCount
    }

    public var rowCount: Int { rows }

    public func nextWindow(limit: Int) throws -> [String]? {
        guard let chunk = try stream.next(limit: limit) else { return nil }
        rows += chunk.count
        gold.append(contentsOf: chunk.labels)
        return chunk.texts
    }

    /// Rows read, scaled by the bytes left of the file.
    public var estimatedRows: Int? {
        guard let read = stream.bytesRead, read > 0, byteCount > read, rows > 0 else { return rows }
        return Int(Double(rows) * Double(byteCount) / Double(read))
    }
}
