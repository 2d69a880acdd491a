import ArgumentParser
import Engine
import Foundation

struct KnowledgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knowledge",
        abstract: "Build and inspect the knowledge index that Alchemist with RAG retrieves from.",
        subcommands: [Index.self, Search.self])

    struct IndexOptions: ParsableArguments {
        @Argument(help: "A knowledge-source JSON file, a folder or a file of documents.")
        var path: String

        @Option(help: "builtin (offline), openai or local.")
        var embedder = "builtin"

        @Option(name: .customLong("embedding-model"), help: "Embedding model for --embedder openai.")
        var embeddingModel = "text-embedding-3-small"

        @Flag(help: "Build the index again even when the sources look unchanged.")
        var rebuild = false

        func build(_ common: CommonOptions) async throws -> KnowledgeBase.Built {
            let (config, paths) = try common.load()
            let chosen = try Embedders.make(embedder, config: config, keys: APIKeys(), model: embeddingModel, appHome: paths.appHome)
            return try await KnowledgeCommand.buildIndex(path, embedder: chosen, config: config, paths: paths, rebuild: rebuild)
        }
    }

    /// Loads, splits and embeds `path` (or reuses its index), reports skipped sources on stderr and
    /// records a fresh corpus embedding in the ledger. Shared by `knowledge` and `generate`.
    static func buildIndex(_ path: String, embedder: any Embedder, config: AppConfig, paths: AppPaths,
                           rebuild: Bool = false, ledger: Ledger? = nil) async throws -> KnowledgeBase.Built {
        try await KnowledgeIndexing.build(path, embedder: embedder, config: config, paths: paths, rebuild: rebuild, ledger: ledger) { line in
            FileHandle.standardError.write(Data("knowledge: \(line)\n".utf8))
        }
    }

    struct Index: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load, split and embed the sources; keep the index for reuse.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var options: IndexOptions

        func run() async throws {
            try await reportingBadInput {
                let started = ContinuousClock.now
                let built = try await options.build(common)
                let sources = Set(built.index.chunks.map(\.source)).count
                print("\(built.index.chunks.count) chunks from \(sources) sources, embedder \(built.index.embedderID)"
                      + (built.reused ? ", reused" : ", built") + " in \(ContinuousClock.now - started)")
                print("index: \(built.file.path)" + (built.failures.isEmpty ? "" : " (not kept: \(built.failures.count) sources failed)"))
                if !built.failures.isEmpty { throw ExitCode(1) }
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the passages retrieval finds for a request.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var options: IndexOptions

        @Argument(help: "The request, e.g. the prior-knowledge query.")
        var query: String

        @Option(name: .customLong("top-k"), help: "Passages to show.")
        var topK = 3

        @Flag(help: "Print JSON.")
        var json = false

        func run() async throws {
            try await reportingBadInput {
                guard topK >= 1 else { throw BadInput("--top-k: must be at least 1") }
                let built = try await options.build(common)
                let (passages, _) = try await Retriever(index: built.index, embedder: built.embedder).retrieve(query, k: topK)
                if json {
                    let rows: [[String: Any]] = passages.enumerated().map { rank, passage in
                        ["rank": rank + 1, "source": passage.chunk.source, "chunk": passage.chunk.index,
                         "start": passage.chunk.start, "score": passage.score, "text": passage.chunk.text]
                    }
                    let data = try JSONSerialization.data(withJSONObject: ["query": query, "passages": rows], options: [.prettyPrinted, .sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                    return
                }
                for (rank, passage) in passages.enumerated() {
                    print(String(format: "[%d] score %.3f · %@ · chunk %d (offset %d)", rank + 1, passage.score, passage.chunk.source,
                                 passage.chunk.index, passage.chunk.start))
                    print(passage.chunk.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
                }
            }
        }
    }
}
