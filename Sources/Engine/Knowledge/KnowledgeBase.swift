import Foundation

/// Sources → documents → chunks → vectors, kept in a cache folder and reused while the sources,
/// the splitter settings and the embedder are unchanged.
///
/// The freshness key hashes the embedder id, chunk size and overlap, and the bytes of every local
/// file the path covers (the file itself, or every file under the folder holding it). Network
/// sources are keyed by the source list's own bytes (the URLs): their pages are not fetched again
/// to check for changes; `rebuild` forces it.
public struct KnowledgeBase: Sendable {
    public var cacheFolder: URL
    public var chunkSize: Int
    public var chunkOverlap: Int
    public var loader = KnowledgeLoader()

    /// Where indexes are kept: `<data folder>/.knowledge-index`, or `<app home>/caches/knowledge`
    /// when the data folder is read-only (a shared copy, for one).
    /// A folder whose permission bits deny writing counts as read-only even for root, who could write anyway.
    public static func defaultCacheFolder(paths: AppPaths) -> URL {
        let fallback = paths.appHome.appendingPathComponent("caches/knowledge")
        let attributes = try? FileManager.default.attributesOfItem(atPath: paths.dataDir.path)
        guard let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue, mode & 0o222 != 0,
              FileManager.default.isWritableFile(atPath: paths.dataDir.path) else { return fallback }
        let preferred = paths.dataDir.appendingPathComponent(".knowledge-index")
        guard (try? FileManager.default.createDirectory(at: preferred, withIntermediateDirectories: true)) != nil else { return fallback }
        return preferred
    }

    public init(cacheFolder: URL, chunkSize: Int, chunkOverlap: Int) {
        self.cacheFolder = cacheFolder
        self.chunkSize = chunkSize
        self.chunkOverlap = chunkOverlap
    }

    public struct Built: Sendable {
        public var index: VectorIndex
        public var embedder: any Embedder
        public var failures: [KnowledgeFailure]
        public var reused: Bool
        public var file: URL
        public var documents: Int
        /// What embedding the corpus cost (model embedders, fresh builds only).
        public var usage: EmbeddingUsage?

        /// Records the corpus embedding as a run of its own (mode "knowledge-index"), so pricing counts it.
        public func record(in ledger: Ledger, source: String) throws {
            guard let usage, !reused else { return }
            let runID = "index-" + RunID.make()
            let cost = TokenCost.cost(model: usage.model, inputTokens: usage.inputTokens, outputTokens: 0)
            try ledger.record(LedgerRun(id: runID, started: Date(), dataset: "-", mode: "knowledge-index", codeModel: usage.model.id,
                                        knowledgeModel: nil, prior: nil, mission: nil, query: source))
            try ledger.record(LedgerCall(id: nil, runID: runID, stage: "embedding", provider: usage.model.provider.rawValue,
                                         model: usage.model.id, prompt: "\(index.chunks.count) chunks of \(source)",
                                         inputTokens: usage.inputTokens, outputTokens: 0, estimated: usage.estimated, cost: cost,
                                         latencySeconds: usage.latencySeconds, status: .ok, httpStatus: nil, error: nil, started: Date()))
        }
    }

    public func index(_ path: URL, embedder: any Embedder, rebuild: Bool = false,
                      progress: @Sendable (String) -> Void = { _ in }) async throws -> Built {
        var embedder = embedder
        let key = try Self.key(path: path, embedderID: embedder.id, chunkSize: chunkSize, overlap: chunkOverlap)
        let file = cacheFolder.appendingPathComponent("\(key.prefix(24)).json")
        if !rebuild, let data = try? Data(contentsOf: file), let stored = try? JSONDecoder().decode(StoredIndex.self, from: data),
           stored.key == key, let index = try? stored.index() {
            try embedder.restore(state: index.embedderState)
            return Built(index: index, embedder: embedder, failures: [], reused: true, file: file,
                         documents: Set(index.chunks.map(\.source)).count, usage: nil)
        }
        progress("loading sources")
        let loaded = try await loader.load(path)
        let splitter = TextSplitter(chunkSize: chunkSize, overlap: chunkOverlap)
        let chunks = loaded.documents.flatMap { splitter.split($0) }
        guard !chunks.isEmpty else {
            let reasons = loaded.failures.map { "\($0.source): \($0.reason)" }.joined(separator: "; ")
            throw KnowledgeIndexError(reason: "no text found in \(path.path)" + (reasons.isEmpty ? "" : " (\(reasons))"))
        }
        progress("embedding \(chunks.count) chunks")
        let (vectors, usage) = try await embedder.embedCorpus(chunks.map(\.text))
        let index = VectorIndex(chunks: chunks, vectors: vectors, embedderID: embedder.id, embedderState: embedder.state, key: key)
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        // Only complete, failure-free builds are kept: a source that failed is tried again next time.
        if loaded.failures.isEmpty {
            try AtomicFile.write(try JSONEncoder().encode(StoredIndex(index)), to: file)
        }
        return Built(index: index, embedder: embedder, failures: loaded.failures, reused: false, file: file,
                     documents: loaded.documents.count, usage: usage)
    }

    static func key(path: URL, embedderID: String, chunkSize: Int, overlap: Int) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isFolder) else {
            throw KnowledgeIndexError(reason: "\(path.path): no such file or folder")
        }
        // A source list names files relative to its folder, so the whole folder counts.
        let root = isFolder.boolValue || path.pathExtension.lowercased() == "json" ? (isFolder.boolValue ? path : path.deletingLastPathComponent()) : path
        var parts = ["v1", embedderID, "\(chunkSize)", "\(overlap)", path.standardizedFileURL.path]
        if root == path && !isFolder.boolValue {
            parts.append(ContentHash.sha256Hex((try? Data(contentsOf: path)) ?? Data()))
        } else {
            let files = (FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])?.allObjects as? [URL] ?? [])
                .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
                .map { $0.standardizedFileURL.path }.sorted()
            for file in files where !file.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                parts.append(file)
                parts.append(ContentHash.sha256Hex((try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()))
            }
        }
        return ContentHash.sha256Hex(parts.joined(separator: "\n"))
    }
}
