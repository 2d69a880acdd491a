import Foundation

/// Builds (or reuses) the knowledge index of a source path with the app's settings, and records
/// embedding spend in the ledger. Shared by `generate`, `knowledge` and the TUI.
public enum KnowledgeIndexing {
    /// - Parameter log: progress lines and sources that failed (the rest are indexed).
    public static func build(_ path: String, embedder: any Embedder, config: AppConfig, paths: AppPaths, rebuild: Bool = false,
                             ledger: Ledger? = nil, log: @Sendable (String) -> Void) async throws -> KnowledgeBase.Built {
        let base = KnowledgeBase(cacheFolder: KnowledgeBase.defaultCacheFolder(paths: paths),
                                 chunkSize: config.rag.chunkSize, chunkOverlap: config.rag.chunkOverlap)
        let source = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        let built = try await base.index(source.standardizedFileURL, embedder: embedder, rebuild: rebuild) { step in log(step) }
        for failure in built.failures { log("skipped \(failure.source): \(failure.reason)") }
        if built.usage != nil && !built.reused {
            try built.record(in: try ledger ?? Ledger(path: Ledger.defaultPath(appHome: paths.appHome)), source: source.path)
        }
        return built
    }
}
