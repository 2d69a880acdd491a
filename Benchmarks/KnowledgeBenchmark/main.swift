import Engine
import Foundation

// Index build and query time of the built-in embedder over N chunks of synthetic English-like
// text (default 10,000 chunks of about 1,000 characters), exact cosine search. The reference
// measured in the same run is one pass that lower-cases every chunk and splits it into words:
// the least any text index has to do.

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func benchmark() async throws {
    var chunkCount = 10_000
    var queries = 200
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let argument = arguments.next() {
        switch argument {
        case "--chunks": chunkCount = Int(arguments.next() ?? "") ?? chunkCount
        case "--queries": queries = Int(arguments.next() ?? "") ?? queries
        default: print("usage: KnowledgeBenchmark [--chunks N] [--queries N]"); exit(2)
        }
    }

    var random = SplitMix64(seed: 42)
    func nextRandom() -> UInt64 { random.next() }
    // A vocabulary with a long tail, like real text.
    let vocabulary = (0..<20_000).map { index -> String in
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var word = ""
        var value = index + 1
        repeat { word.append(letters[value % 26]); value /= 26 } while value > 0
        return word
    }
    func word() -> String {
        let r = Double(nextRandom() % 1_000_000) / 1_000_000
        return vocabulary[min(vocabulary.count - 1, Int(pow(r, 3) * Double(vocabulary.count)))]
    }
    let texts = (0..<chunkCount).map { _ -> String in
        var text = ""
        while text.count < 950 { text += word() + (nextRandom() % 12 == 0 ? ". " : " ") }
        return text
    }
    let chunks = texts.enumerated().map { KnowledgeChunk(source: "synthetic", title: nil, index: $0.offset, start: 0, text: $0.element) }
    let queryTexts = (0..<queries).map { _ in (0..<8).map { _ in word() }.joined(separator: " ") }

    let passStart = ContinuousClock.now
    var words = 0
    for text in texts { words += text.lowercased().split(separator: " ").count }
    let pass = seconds(ContinuousClock.now - passStart)

    var embedder = BuiltinEmbedder()
    let buildStart = ContinuousClock.now
    let (vectors, _) = try await embedder.embedCorpus(texts)
    let build = seconds(ContinuousClock.now - buildStart)
    let index = VectorIndex(chunks: chunks, vectors: vectors, embedderID: embedder.id, embedderState: embedder.state, key: "bench")
    let retriever = Retriever(index: index, embedder: embedder)

    let queryStart = ContinuousClock.now
    var hits = 0
    for query in queryTexts { hits += try await retriever.retrieve(query, k: 3).0.count }
    let query = seconds(ContinuousClock.now - queryStart) / Double(queries)

    let saveStart = ContinuousClock.now
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("knowledge-bench-\(UUID().uuidString).json")
    let data = try JSONEncoder().encode(index.chunks)
    try data.write(to: file)
    try? FileManager.default.removeItem(at: file)
    let save = seconds(ContinuousClock.now - saveStart)

    print("chunks: \(chunkCount) (\(words) words), queries: \(queries), top 3, built-in embedder (2^18 hashed TF-IDF columns)")
    print(String(format: "reference pass (lower-case + split every chunk): %.3f s", pass))
    print(String(format: "index build (fit + embed):                    %.3f s  = %.1f× the pass", build, build / pass))
    print(String(format: "query (embed + exact cosine over all chunks): %.2f ms = %.3f× the pass", query * 1000, query / pass))
    print(String(format: "chunk list to JSON and disk:                  %.3f s", save))

}

try await benchmark()
