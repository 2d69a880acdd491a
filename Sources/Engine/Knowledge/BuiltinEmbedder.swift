import Foundation

/// The no-model default: hashed TF-IDF of words and word pairs (the end models' features), fitted
/// on the corpus. Works offline with nothing installed; it matches words, not meanings.
public struct BuiltinEmbedder: Embedder {
    public let bits: Int
    private var features: HashedTFIDF

    public init(bits: Int = 18) {
        self.bits = bits
        features = HashedTFIDF(bits: bits)
    }

    public var id: String { "builtin-tfidf-v1-bits\(bits)" }

    public mutating func embedCorpus(_ texts: [String]) async throws -> (EmbeddingMatrix, EmbeddingUsage?) {
        features.fit(texts)
        return (.sparse(features.transform(texts)), nil)
    }

    public func embedQuery(_ text: String) async throws -> (EmbeddingMatrix, EmbeddingUsage?) {
        (.sparse(features.transform([text])), nil)
    }

    public var state: Data? {
        features.inverseDocumentFrequency.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    public mutating func restore(state: Data?) throws {
        guard let state, state.count == (1 << bits) * MemoryLayout<Float>.size else {
            throw KnowledgeIndexError(reason: "the built-in embedder's saved state does not fit \(bits) bits")
        }
        let idf = state.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        features = HashedTFIDF(bits: bits, inverseDocumentFrequency: idf)
    }
}
