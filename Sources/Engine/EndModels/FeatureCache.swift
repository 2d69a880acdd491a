import Foundation

/// Keeps the end models' text features on disk, keyed by the texts and the feature settings, so a
/// dataset is featurised once and every later labeling run reads the result.
/// A file that cannot be read back (truncated, another version) is ignored and rebuilt.
public struct FeatureCache: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// The features of `texts` fitted on `fitTexts`: from the cache when present, else computed and stored.
    public func features(fitTexts: [String], texts: [String], bits: Int) -> SparseMatrix {
        let file = folder.appendingPathComponent(Self.key(fitTexts: fitTexts, texts: texts, bits: bits) + ".features")
        if let cached = Self.read(file), cached.columnCount == 1 << bits, cached.rowCount == texts.count { return cached }
        var source = HashedTFIDF(bits: bits)
        source.fit(fitTexts)
        let matrix = source.transform(texts)
        try? AtomicFile.write(Self.encode(matrix), to: file)
        return matrix
    }

    /// FNV-1a over the settings and every text, with lengths so that boundaries count.
    static func key(fitTexts: [String], texts: [String], bits: Int) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        mix("hashed-tfidf-v1 bits=\(bits) fit=\(fitTexts.count) texts=\(texts.count)".utf8)
        for text in fitTexts + ["\u{0}"] + texts {
            mix(String(text.utf8.count).utf8)
            mix(text.utf8)
        }
        return String(hash, radix: 16)
    }

    static let magic = Array("AFC1".utf8)

    static func encode(_ matrix: SparseMatrix) -> Data {
        var data = Data(magic)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        append(Int64(matrix.columnCount))
        append(Int64(matrix.rowCount))
        append(Int64(matrix.columns.count))
        for offset in matrix.offsets { append(Int64(offset)) }
        for column in matrix.columns { append(column) }
        for value in matrix.values { append(value.bitPattern) }
        return data
    }

    static func read(_ file: URL) -> SparseMatrix? {
        guard let data = try? Data(contentsOf: file), data.count >= 28, Array(data.prefix(4)) == magic else { return nil }
        return data.withUnsafeBytes { raw -> SparseMatrix? in
            var position = 4
            func next<T: FixedWidthInteger>(_: T.Type) -> T? {
                guard position + MemoryLayout<T>.size <= raw.count else { return nil }
                defer { position += MemoryLayout<T>.size }
                return T(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: T.self))
            }
            guard let columnCount = next(Int64.self), let rows = next(Int64.self), let entries = next(Int64.self),
                  columnCount > 0, rows >= 0, entries >= 0,
                  raw.count == 28 + Int(rows + 1) * 8 + Int(entries) * 8 else { return nil }
            var offsets: [Int] = []
            offsets.reserveCapacity(Int(rows) + 1)
            for _ in 0...Int(rows) { guard let value = next(Int64.self) else { return nil }; offsets.append(Int(value)) }
            var matrix = SparseMatrix(columnCount: Int(columnCount))
            var columns: [Int32] = [], values: [Float] = []
            columns.reserveCapacity(Int(entries))
            values.reserveCapacity(Int(entries))
            for _ in 0..<Int(entries) { guard let value = next(Int32.self) else { return nil }; columns.append(value) }
            for _ in 0..<Int(entries) { guard let value = next(UInt32.self) else { return nil }; values.append(Float(bitPattern: value)) }
            guard offsets.first == 0, offsets.last == Int(entries), zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }),
                  columns.allSatisfy({ $0 >= 0 && Int64($0) < columnCount }) else { return nil }
            for row in 0..<Int(rows) {
                matrix.appendRow(zip(columns[offsets[row]..<offsets[row + 1]], values[offsets[row]..<offsets[row + 1]]))
            }
            return matrix
        }
    }
}
