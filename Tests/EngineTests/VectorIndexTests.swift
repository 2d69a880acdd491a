@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct VectorIndexTests {
    static let passages = [
        "Spam comments often contain links such as http or www addresses pointing to other sites.",
        "Viewers who ask others to subscribe to their channel are promoting themselves.",
        "Genuine comments talk about the song, the singer, the lyrics or memories it brings back.",
        "Offers of free gift cards, money or followers are a classic sign of spam.",
        "The video was uploaded in 2014 and has more than a billion views.",
    ]

    static func chunks(_ texts: [String]) -> [KnowledgeChunk] {
        texts.enumerated().map { KnowledgeChunk(source: "guide.md", title: nil, index: $0.offset, start: $0.offset * 100, text: $0.element) }
    }

    @Test func theBuiltinEmbedderRanksTheRelevantPassageFirst() async throws {
        var embedder = BuiltinEmbedder(bits: 16)
        let (vectors, usage) = try await embedder.embedCorpus(Self.passages)
        #expect(usage == nil)
        let index = VectorIndex(chunks: Self.chunks(Self.passages), vectors: vectors, embedderID: embedder.id,
                                embedderState: embedder.state, key: "k")
        let retriever = Retriever(index: index, embedder: embedder)
        for (query, expected) in [("Which words show that a comment promotes a channel to subscribe to?", 1),
                                  ("free money and gift cards", 3), ("comments about the singer and the lyrics", 2),
                                  ("links to http sites", 0)] {
            let (found, _) = try await retriever.retrieve(query, k: 3)
            #expect(found.first?.chunk.index == expected, "\(query)")
            #expect(found.count == 3)
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.score >= $1.score })
        }
    }

    @Test func denseSearchIsExactCosine() throws {
        let vectors: [[Float]] = [[1, 0, 0], [0.6, 0.8, 0], [0, 0, 1], [0.8, 0.6, 0]]
        let index = VectorIndex(chunks: Self.chunks(["a", "b", "c", "d"]), vectors: .dense(dimension: 3, values: vectors.flatMap { $0 }),
                                embedderID: "test", embedderState: nil, key: "k")
        let found = try index.search(.dense(dimension: 3, values: [0.8, 0.6, 0]), k: 4)
        #expect(found.map(\.chunk.index) == [3, 1, 0, 2])
        #expect(abs(found[0].score - 1) < 1e-6 && abs(found[1].score - 0.96) < 1e-6 && abs(found[3].score) < 1e-6)
        #expect(throws: KnowledgeIndexError.self) { try index.search(.dense(dimension: 2, values: [1, 0]), k: 1) }
    }

    @Test func aStoredIndexReadsBackTheSameAndSearchesTheSame() async throws {
        var embedder = BuiltinEmbedder(bits: 14)
        let (vectors, _) = try await embedder.embedCorpus(Self.passages)
        let index = VectorIndex(chunks: Self.chunks(Self.passages), vectors: vectors, embedderID: embedder.id,
                                embedderState: embedder.state, key: "abc")
        let data = try JSONEncoder().encode(StoredIndex(index))
        let back = try JSONDecoder().decode(StoredIndex.self, from: data).index()
        #expect(back.chunks == index.chunks && back.vectors == index.vectors && back.key == "abc")
        var restored = BuiltinEmbedder(bits: 14)
        try restored.restore(state: back.embedderState)
        let query = "subscribe to my channel"
        let (a, _) = try await Retriever(index: index, embedder: embedder).retrieve(query, k: 5)
        let (b, _) = try await Retriever(index: back, embedder: restored).retrieve(query, k: 5)
        #expect(a == b)
        // The other embedder's index is refused rather than searched.
        #expect(throws: KnowledgeIndexError.self) { try StoredIndex(index).index().search(.dense(dimension: 1, values: [1]), k: 1) }
        await #expect(throws: KnowledgeIndexError.self) { try await Retriever(index: back, embedder: BuiltinEmbedder(bits: 12)).retrieve(query, k: 1) }
    }

    @Test func theOpenAIEmbedderBatchesKeepsInputOrderAndReportsUsage() async throws {
        let server = try LoopbackLLMServer(expectKey: "sk-embed")
        let config = try ConfigLoader.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))
        let model = try #require(config.model(id: "text-embedding-3-small"))
        var embedder = OpenAIEmbedder(model: model, baseURL: server.openAIBaseURL, apiKey: "sk-embed")
        embedder.batchSize = 2
        let (vectors, usage) = try await embedder.embedCorpus(Self.passages)
        guard case .dense(let dimension, let values) = vectors else { Issue.record("not dense"); return }
        #expect(dimension == 64 && values.count == 64 * 5)
        let requests = try server.requests()
        #expect(requests.count == 3)  // 2 + 2 + 1
        #expect(requests.allSatisfy { ($0["violations"] as? [String])?.isEmpty == true })
        #expect(usage?.inputTokens == Self.passages.reduce(0) { $0 + ($1.utf8.count + 3) / 4 })
        #expect(usage?.estimated == false)
        // Order follows `index` (the server answers in reverse): the query for passage 3 finds passage 3.
        let index = VectorIndex(chunks: Self.chunks(Self.passages), vectors: vectors, embedderID: embedder.id, embedderState: nil, key: "k")
        let (found, queryUsage) = try await Retriever(index: index, embedder: embedder).retrieve(Self.passages[3], k: 1)
        #expect(found.first?.chunk.index == 3)
        #expect(queryUsage?.inputTokens == (Self.passages[3].utf8.count + 3) / 4)
        let wrongKey = OpenAIEmbedder(model: model, baseURL: server.openAIBaseURL, apiKey: "nope")
        await #expect(throws: ProviderError.self) { try await wrongKey.embedQuery("x") }
    }
}

@Suite struct KnowledgeBaseTests {
    @Test func anIndexIsReusedUntilASourceOrTheEmbedderChanges() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-kb-\(UUID().uuidString)")
        let docs = folder.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "Spam comments carry links.\n\nHam comments talk about the song.".write(to: docs.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        let base = KnowledgeBase(cacheFolder: folder.appendingPathComponent("cache"), chunkSize: 40, chunkOverlap: 5)

        let first = try await base.index(docs, embedder: BuiltinEmbedder(bits: 12))
        #expect(!first.reused && first.index.chunks.count == 2)
        let second = try await base.index(docs, embedder: BuiltinEmbedder(bits: 12))
        #expect(second.reused && second.index.chunks == first.index.chunks && second.file == first.file)
        // The reused embedder embeds queries as the one that built the index did.
        let (a, _) = try await Retriever(index: first.index, embedder: first.embedder).retrieve("links", k: 2)
        let (b, _) = try await Retriever(index: second.index, embedder: second.embedder).retrieve("links", k: 2)
        #expect(a == b && a.first?.chunk.text.contains("links") == true)

        // A changed file, a new file, another embedder setting, other splitter settings: rebuilt.
        try "Spam comments carry links and offers.\n\nHam comments talk about the song.".write(to: docs.appendingPathComponent("a.md"), atomically: true, encoding: .utf8)
        #expect(try await !base.index(docs, embedder: BuiltinEmbedder(bits: 12)).reused)
        #expect(try await base.index(docs, embedder: BuiltinEmbedder(bits: 12)).reused)
        try "Subscribe to my channel is spam.".write(to: docs.appendingPathComponent("b.txt"), atomically: true, encoding: .utf8)
        let withNew = try await base.index(docs, embedder: BuiltinEmbedder(bits: 12))
        #expect(!withNew.reused && Set(withNew.index.chunks.map(\.source)).count == 2)
        #expect(try await !base.index(docs, embedder: BuiltinEmbedder(bits: 13)).reused)
        let otherSplit = KnowledgeBase(cacheFolder: folder.appendingPathComponent("cache"), chunkSize: 30, chunkOverlap: 5)
        #expect(try await !otherSplit.index(docs, embedder: BuiltinEmbedder(bits: 12)).reused)
        // A damaged index file is rebuilt, not trusted.
        try Data("{".utf8).write(to: withNew.file)
        #expect(try await !base.index(docs, embedder: BuiltinEmbedder(bits: 12)).reused)
        // `rebuild` forces it.
        #expect(try await !base.index(docs, embedder: BuiltinEmbedder(bits: 12), rebuild: true).reused)
    }
}

@Suite struct KnowledgeCacheFolderTests {
    @Test func aReadOnlyDataFolderIsLeftAloneEvenForRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-cache-\(UUID().uuidString)")
        let data = root.appendingPathComponent("data"), home = root.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: data.path)
            try? FileManager.default.removeItem(at: root)
        }
        let paths = AppPaths(dataDir: data, bundledDataDir: data, appHome: home, lfDir: home, expLogDir: home)
        #expect(KnowledgeBase.defaultCacheFolder(paths: paths).standardizedFileURL.path == data.appendingPathComponent(".knowledge-index").path)
        try FileManager.default.removeItem(at: data.appendingPathComponent(".knowledge-index"))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: data.path)
        #expect(KnowledgeBase.defaultCacheFolder(paths: paths).path == home.appendingPathComponent("caches/knowledge").path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).isEmpty)
    }
}
