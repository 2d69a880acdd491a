import Foundation

public struct KnowledgeIndexError: InputError, Equatable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A retrieved passage with its cosine similarity to the query.
public struct RetrievedPassage: Sendable, Equatable {
    public var chunk: KnowledgeChunk
    public var score: Double
}

/// Exact cosine search over every chunk (fast enough for tens of thousands: see docs/BENCHMARKS.md).
/// Rows are unit length, so the score is a dot product.
public struct VectorIndex: Sendable {
    public var chunks: [KnowledgeChunk]
    public var vectors: EmbeddingMatrix
    public var embedderID: String
    /// Saved with the index so the embedder can embed queries the same way.
    public var embedderState: Data?
    /// What the index was built from (sources, splitter, embedder); a different key means rebuild.
    public var key: String

    public init(chunks: [KnowledgeChunk], vectors: EmbeddingMatrix, embedderID: String, embedderState: Data?, key: String) {
        self.chunks = chunks
        self.vectors = vectors
        self.embedderID = embedderID
        self.embedderState = embedderState
        self.key = key
    }

    /// The `k` best chunks for a query vector (one row), best first; ties keep corpus order.
    public func search(_ query: EmbeddingMatrix, k: Int) throws -> [RetrievedPassage] {
        var scores = [Float](repeating: 0, count: chunks.count)
        switch (vectors, query) {
        case (.dense(let dimension, let values), .dense(let queryDimension, let q)):
            guard dimension == queryDimension, q.count == dimension else {
                throw KnowledgeIndexError(reason: "query vector has \(q.count) dimensions, the index \(dimension)")
            }
            values.withUnsafeBufferPointer { matrix in
                for row in 0..<chunks.count {
                    var sum: Float = 0
                    let base = row * dimension
                    for column in 0..<dimension { sum += matrix[base + column] * q[column] }
                    scores[row] = sum
                }
            }
        case (.sparse(let matrix), .sparse(let queryMatrix)):
            guard queryMatrix.rowCount == 1, matrix.columnCount == queryMatrix.columnCount else {
                throw KnowledgeIndexError(reason: "query and index come from different built-in embedders")
            }
            var dense = [Float](repeating: 0, count: matrix.columnCount)
            let queryRow = queryMatrix.row(0)
            for (column, value) in zip(queryRow.columns, queryRow.values) { dense[Int(column)] = value }
            for row in 0..<matrix.rowCount {
                let entries = matrix.row(row)
                var sum: Float = 0
                for (column, value) in zip(entries.columns, entries.values) { sum += value * dense[Int(column)] }
                scores[row] = sum
            }
        default:
            throw KnowledgeIndexError(reason: "query and index vectors are of different kinds")
        }
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return order.prefix(max(0, k)).map { RetrievedPassage(chunk: chunks[$0], score: Double(scores[$0])) }
    }
}

/// On-disk form of an index: one JSON file, vectors as base64 of little-endian Float32 / Int32 arrays.
struct StoredIndex: Codable {
    var format = 1
    var key: String
    var embedderID: String
    var embedderState: Data?
    var chunks: [KnowledgeChunk]
    var kind: String
    var dimension: Int
    var values: Data
    var offsets: Data?
    var columns: Data?

    init(_ index: VectorIndex) {
        key = index.key
        embedderID = index.embedderID
        embedderState = index.embedderState
        chunks = index.chunks
        switch index.vectors {
        case .dense(let dimension, let values):
            kind = "dense"
            self.dimension = dimension
            self.values = Self.data(values)
        case .sparse(let matrix):
            kind = "sparse"
            dimension = matrix.columnCount
            values = Self.data(matrix.values)
            offsets = Self.data(matrix.offsets.map { Int32($0) })
            columns = Self.data(matrix.columns)
        }
    }

    func index() throws -> VectorIndex {
        let vectors: EmbeddingMatrix
        switch kind {
        case "dense":
            vectors = .dense(dimension: dimension, values: Self.array(values))
        case "sparse":
            let offsets: [Int32] = Self.array(self.offsets ?? Data()), columns: [Int32] = Self.array(self.columns ?? Data())
            let values: [Float] = Self.array(self.values)
            var matrix = SparseMatrix(columnCount: dimension)
            for row in 0..<max(0, offsets.count - 1) {
                let range = Int(offsets[row])..<Int(offsets[row + 1])
                guard range.upperBound <= columns.count, range.upperBound <= values.count else {
                    throw KnowledgeIndexError(reason: "index file is damaged")
                }
                matrix.appendRow(zip(columns[range], values[range]).map { ($0, $1) })
            }
            vectors = .sparse(matrix)
        default:
            throw KnowledgeIndexError(reason: "unknown vector kind \"\(kind)\"")
        }
        guard vectors.rowCount == chunks.count else { throw KnowledgeIndexError(reason: "index file is damaged") }
        return VectorIndex(chunks: chunks, vectors: vectors, embedderID: embedderID, embedderState: embedderState, key: key)
    }

    static func data<T>(_ array: [T]) -> Data { array.withUnsafeBufferPointer { Data(buffer: $0) } }
    static func array<T>(_ data: Data) -> [T] { data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) } }
}
