@testable import Engine
import Foundation
import Testing
import TestSupport

/// The local sentence-embedding model, when `scripts/setup-local-embeddings` has installed it
/// (ALCHEMIST_LOCAL_EMBEDDINGS_PYTHON names its interpreter; else the app home's default place).
@Suite struct LocalEmbedderTests {
    static var python: URL? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["ALCHEMIST_LOCAL_EMBEDDINGS_PYTHON"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let home = AppPaths.appHome(configured: nil, environment: environment)
        let python = LocalEmbedder.defaultPython(appHome: home)
        return FileManager.default.isExecutableFile(atPath: python.path) ? python : nil
    }

    @Test(.enabled(if: python != nil, "local embeddings not installed (scripts/setup-local-embeddings)"))
    func meaningsMatchWithoutSharedWords() async throws {
        var embedder = LocalEmbedder(python: Self.python!)
        let passages = ["The service went offline and nobody can log in.",
                        "Thank you so much, I really enjoyed the concert last night.",
                        "Please send me the invoice for last month when convenient."]
        let (vectors, _) = try await embedder.embedCorpus(passages)
        guard case .dense(let dimension, _) = vectors else { Issue.record("not dense"); return }
        #expect(dimension == 384)
        let index = VectorIndex(chunks: passages.enumerated().map { KnowledgeChunk(source: "t", title: nil, index: $0.offset, start: 0, text: $0.element) },
                                vectors: vectors, embedderID: embedder.id, embedderState: nil, key: "k")
        // No word in common with passage 0, same meaning.
        let (found, _) = try await Retriever(index: index, embedder: embedder).retrieve("the website is down", k: 1)
        #expect(found.first?.chunk.index == 0)
    }

    @Test func aMissingInstallationIsAClearError() async throws {
        let embedder = LocalEmbedder(python: URL(fileURLWithPath: "/nonexistent/python"))
        await #expect(throws: KnowledgeIndexError.self) { try await embedder.embedQuery("x") }
    }
}
