import Foundation

/// Vectors of many texts: dense (model embeddings) or sparse (the built-in TF-IDF). Rows are
/// L2-normalised, so a dot product is the cosine similarity.
public enum EmbeddingMatrix: Sendable, Equatable {
    case dense(dimension: Int, values: [Float])
    case sparse(SparseMatrix)

    public var rowCount: Int {
        switch self {
        case .dense(let dimension, let values): return dimension == 0 ? 0 : values.count / dimension
        case .sparse(let matrix): return matrix.rowCount
        }
    }
}

/// What an embedding call cost (model embedders only).
public struct EmbeddingUsage: Sendable, Equatable {
    public var model: ModelSpec
    public var inputTokens: Int
    public var estimated: Bool
    public var latencySeconds: Double
}

/// Turns texts into vectors for retrieval. `id` names the model and its settings: an index built
/// with one embedder is never searched with another.
public protocol Embedder: Sendable {
    var id: String { get }
    /// Vectors of the corpus; an embedder that learns from its corpus (the built-in one) does so here.
    mutating func embedCorpus(_ texts: [String]) async throws -> (EmbeddingMatrix, EmbeddingUsage?)
    func embedQuery(_ text: String) async throws -> (EmbeddingMatrix, EmbeddingUsage?)
    /// What must be kept with an index to embed queries later (the built-in one's document frequencies).
    var state: Data? { get }
    mutating func restore(state: Data?) throws
}

/// A model embedder: nothing learned from the corpus, nothing to keep with the index; corpus and
/// query go through the same `embed`.
public protocol ModelEmbedder: Embedder {
    func embed(_ texts: [String]) async throws -> (EmbeddingMatrix, EmbeddingUsage?)
}

extension ModelEmbedder {
    public var state: Data? { nil }
    public mutating func restore(state: Data?) throws {}
    public mutating func embedCorpus(_ texts: [String]) async throws -> (EmbeddingMatrix, EmbeddingUsage?) { try await embed(texts) }
    public func embedQuery(_ text: String) async throws -> (EmbeddingMatrix, EmbeddingUsage?) { try await embed([text]) }
}

/// Scales each row to unit length.
func normalizedRows(dimension: Int, values: [Float]) -> [Float] {
    guard dimension > 0 else { return values }
    var result = values
    for row in 0..<(values.count / dimension) {
        let range = (row * dimension)..<((row + 1) * dimension)
        let norm = result[range].reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for index in range { result[index] /= norm } }
    }
    return result
}
