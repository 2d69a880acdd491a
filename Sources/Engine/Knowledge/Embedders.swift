import Foundation

/// The embedder a user names: `builtin` (offline TF-IDF), `openai` (the embeddings endpoint, billed),
/// or `local` (all-MiniLM-L6-v2 in a Python child process, after `scripts/setup-local-embeddings`).
public enum Embedders {
    public static let names = ["builtin", "openai", "local"]

    public static func make(_ name: String, config: AppConfig, keys: APIKeys, model: String = "text-embedding-3-small",
                            appHome: URL? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            baseURLOverride: String? = nil) throws -> any Embedder {
        switch name {
        case "builtin":
            return BuiltinEmbedder()
        case "openai":
            guard let spec = config.model(id: model), spec.kind == .embedding else {
                let known = config.models.filter { $0.kind == .embedding }.map(\.id).joined(separator: ", ")
                throw KnowledgeIndexError(reason: "--embedding-model: unknown embedding model \"\(model)\" (known: \(known))")
            }
            let endpoint = spec.provider == .openaiCompatible ? config.providers.openaiCompatible : config.providers.openai
            var base = spec.baseURL ?? endpoint.baseURL
            if spec.provider == .openai, let fromEnvironment = environment["OPENAI_BASE_URL"], !fromEnvironment.isEmpty { base = fromEnvironment }
            if let baseURLOverride, !baseURLOverride.isEmpty { base = baseURLOverride }
            var key: String?
            if let variable = endpoint.apiKeyEnv {
                key = keys.value(variable)
                if key == nil && spec.provider == .openai {
                    throw KnowledgeIndexError(reason: "\(variable) is not set (the openai embedder needs it); set it in the environment or a .env file, or use --embedder builtin")
                }
            }
            return OpenAIEmbedder(model: spec, baseURL: base, apiKey: key)
        case "local":
            let home = appHome ?? AppPaths.appHome(configured: config.paths.appHome, environment: environment,
                                                   base: config.sourceFile.deletingLastPathComponent())
            return LocalEmbedder(python: LocalEmbedder.defaultPython(appHome: home))
        default:
            throw KnowledgeIndexError(reason: "--embedder: expected \(names.joined(separator: ", ")), found \"\(name)\"")
        }
    }
}
