import Foundation

/// A split's row stream as the applier's text windows: it hands out each window's texts and keeps,
/// of every row, only its gold label (one byte), so the split's texts are never all in memory.
public final class RowStreamWindows: TextWindowSource {
    private var stream: any RowStream
    private let byteCount: Int
    /// Written by the reading thread, read by the applier's: under the lock.
    private let lock = NSLock()
    private var estimate = 0
    /// The gold label of every row read so far, -1 where a row is unlabeled.
    public private(set) var gold: [LabelMatrix.Vote] = []

    /// The rows the stream has, when an earlier pass counted them.
    private let knownRows: Int?

    public init(_ stream: any RowStream, byteCount: Int, knownRows: Int? = nil) {
        self.stream = stream
        self.byteCount = byteCount
        self.knownRows = knownRows
    }

    public var rowCount: Int { gold.count }

    public func nextWindow(limit: Int) throws -> [String]? {
        guard let chunk = try stream.next(limit: limit) else { return nil }
        gold.append(contentsOf: chunk.labels)
        let bytes = stream.bytesRead, read = gold.count
        lock.withLock { estimate = RowEstimate.rows(read: read, bytesRead: bytes, byteCount: byteCount) }
        return chunk.texts
    }

    public var estimatedRows: Int? { knownRows ?? lock.withLock { estimate } }
}

/// How many rows a file has, judged from the rows and bytes read so far.
enum RowEstimate {
    static func rows(read: Int, bytesRead: Int?, byteCount: Int) -> Int {
        guard let bytes = bytesRead, bytes > 0, byteCount > bytes, read > 0 else { return read }
        return Int(Double(read) * Double(byteCount) / Double(bytes))
    }
}
