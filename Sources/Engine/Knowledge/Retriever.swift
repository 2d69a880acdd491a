import Foundation

/// Finds the passages of an index closest to a request.
public struct Retriever: Sendable {
    public var index: VectorIndex
    public var embedder: any Embedder

    public init(index: VectorIndex, embedder: any Embedder) {
        self.index = index
        self.embedder = embedder
    }

    /// The `k` best passages, and what embedding the request cost (model embedders only).
    public func retrieve(_ request: String, k: Int) async throws -> ([RetrievedPassage], EmbeddingUsage?) {
        guard embedder.id == index.embedderID else {
            throw KnowledgeIndexError(reason: "the index was built with \(index.embedderID), not \(embedder.id)")
        }
        let (query, usage) = try await embedder.embedQuery(request)
        return (try index.search(query, k: k), usage)
    }
}
