import Foundation

/// One block of an end model's training rows: features and the soft labels to learn.
public struct TrainingBlock: Sendable {
    public var features: SparseMatrix
    public var targets: ProbabilityMatrix

    public init(features: SparseMatrix, targets: ProbabilityMatrix) {
        self.features = features
        self.targets = targets
    }
}

/// An end model's training rows, collected block by block as a train split streams past and read
/// back one block at a time every epoch, so a split of millions of rows is never in memory at once.
/// Rows that fit in one block stay in memory; past that, each full block goes to a temporary file
/// (removed when this is released) and only the block being filled or read is in memory.
public final class TrainingRows: @unchecked Sendable {
    /// Rows per block: about 6 MB of features for youtube-length texts.
    public static let defaultBlockRows = 65_536

    public let columnCount: Int
    public let classes: Int
    public let blockRows: Int
    public private(set) var rowCount = 0

    private var filling: TrainingBlock
    /// The blocks in the file: where each starts and its byte length.
    private var stored: [(offset: UInt64, length: Int)] = []
    private var file: FileHandle?
    private var fileURL: URL?
    private var fileEnd: UInt64 = 0

    public init(columnCount: Int, classes: Int, blockRows: Int = TrainingRows.defaultBlockRows) {
        self.columnCount = columnCount
        self.classes = classes
        self.blockRows = max(1, blockRows)
        filling = Self.emptyBlock(columnCount: columnCount, classes: classes)
    }

    /// All rows in memory as one block (tests, and a split already in memory).
    public convenience init(_ block: TrainingBlock) {
        self.init(columnCount: block.features.columnCount, classes: block.targets.classes, blockRows: max(1, block.features.rowCount))
        filling = block
        rowCount = block.features.rowCount
    }

    deinit {
        try? file?.close()
        if let fileURL { try? FileManager.default.removeItem(at: fileURL) }
    }

    private static func emptyBlock(columnCount: Int, classes: Int) -> TrainingBlock {
        TrainingBlock(features: SparseMatrix(columnCount: columnCount), targets: ProbabilityMatrix(rows: 0, classes: classes))
    }

    /// Adds one row: its feature entries (distinct columns) and its class probabilities.
    public func append<S: Sequence>(_ entries: S, targets: some Collection<Double>) throws where S.Element == (Int32, Float) {
        precondition(targets.count == classes, "one target per class")
        if filling.features.rowCount == blockRows { try spill() }
        filling.features.appendRow(entries)
        filling.targets.appendRow(targets)
        rowCount += 1
    }

    /// Adds every row of `features` with its row of `targets`.
    public func append(_ features: SparseMatrix, targets: ProbabilityMatrix) throws {
        for row in 0..<features.rowCount {
            let (columns, values) = features.row(row)
            try append(zip(columns, values), targets: targets.row(row))
        }
    }

    public var blockCount: Int { stored.count + (filling.features.rowCount > 0 || stored.isEmpty ? 1 : 0) }

    /// Block `index`: the stored ones in order, then the one still being filled.
    public func block(_ index: Int) throws -> TrainingBlock {
        guard index < stored.count else { return filling }
        guard let file else { throw LabelModelError("end model training rows: the block file is gone") }
        let (offset, length) = stored[index]
        try file.seek(toOffset: offset)
        guard let data = try file.read(upToCount: length), data.count == length,
              let block = TrainingBlockCoding.decode(data, columnCount: columnCount, classes: classes) else {
            throw LabelModelError("end model training rows: block \(index) of \(fileURL?.path ?? "the block file") cannot be read back")
        }
        return block
    }

    private func spill() throws {
        if file == nil {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-training-\(UUID().uuidString).blocks")
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw LabelModelError("end model training rows: cannot create \(url.path)")
            }
            fileURL = url
            file = try FileHandle(forUpdating: url)
        }
        let data = TrainingBlockCoding.encode(filling)
        try file?.seekToEnd()
        try file?.write(contentsOf: data)
        stored.append((fileEnd, data.count))
        fileEnd += UInt64(data.count)
        filling = Self.emptyBlock(columnCount: columnCount, classes: classes)
    }
}

extension ProbabilityMatrix {
    /// Adds one row (a training block grows row by row).
    mutating func appendRow(_ row: some Collection<Double>) {
        precondition(row.count == classes, "one value per class")
        values.append(contentsOf: row)
        rows += 1
    }
}

/// A training block's bytes: row count, entry count, offsets, columns, values, targets (little-endian).
enum TrainingBlockCoding {
    static func encode(_ block: TrainingBlock) -> Data {
        let features = block.features
        var data = Data()
        data.reserveCapacity(16 + (features.rowCount + 1) * 8 + features.columns.count * 8 + block.targets.values.count * 8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(Int64(features.rowCount))
        append(Int64(features.columns.count))
        for offset in features.offsets { append(Int64(offset)) }
        for column in features.columns { append(column) }
        for value in features.values { append(value.bitPattern) }
        for value in block.targets.values { append(value.bitPattern) }
        return data
    }

    static func decode(_ data: Data, columnCount: Int, classes: Int) -> TrainingBlock? {
        data.withUnsafeBytes { raw -> TrainingBlock? in
            var position = 0
            func next<T: FixedWidthInteger>(_: T.Type) -> T? {
                guard position + MemoryLayout<T>.size <= raw.count else { return nil }
                defer { position += MemoryLayout<T>.size }
                return T(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: T.self))
            }
            guard let rows = next(Int64.self), let entries = next(Int64.self), rows >= 0, entries >= 0,
                  raw.count == 16 + Int(rows + 1) * 8 + Int(entries) * 8 + Int(rows) * classes * 8 else { return nil }
            var offsets: [Int] = [], columns: [Int32] = [], values: [Float] = [], targets: [Double] = []
            offsets.reserveCapacity(Int(rows) + 1)
            columns.reserveCapacity(Int(entries))
            values.reserveCapacity(Int(entries))
            targets.reserveCapacity(Int(rows) * classes)
            for _ in 0...Int(rows) { guard let value = next(Int64.self) else { return nil }; offsets.append(Int(value)) }
            for _ in 0..<Int(entries) { guard let value = next(Int32.self) else { return nil }; columns.append(value) }
            for _ in 0..<Int(entries) { guard let value = next(UInt32.self) else { return nil }; values.append(Float(bitPattern: value)) }
            for _ in 0..<(Int(rows) * classes) { guard let value = next(UInt64.self) else { return nil }; targets.append(Double(bitPattern: value)) }
            guard offsets.first == 0, offsets.last == Int(entries), zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
                  columns.allSatisfy({ $0 >= 0 && Int($0) < columnCount }) else { return nil }
            let features = SparseMatrix(columnCount: columnCount, offsets: offsets, columns: columns, values: values)
            return TrainingBlock(features: features, targets: ProbabilityMatrix(rows: Int(rows), classes: classes, values: targets))
        }
    }
}
