import Foundation

/// What the user chose for a generation session, already parsed: the CLI builds it from flags,
/// the TUI from its panes.
public struct GenerationChoices: Sendable {
    public var dataset: String
    public var mode: GenerationMode
    public var codeModel: ModelSpec
    /// Used by the modes that write prior knowledge first; nil means the code model.
    public var knowledgeModel: ModelSpec?
    public var prior: PriorTypeSpec
    /// nil: the dataset template's.
    public var mission: String?
    public var query: String?
    /// Alchemist with RAG: a knowledge-source JSON file, a folder or a file of documents.
    public var knowledgePath: String?
    public var chain: RetrievalChain = .mapReduce
    /// builtin, openai or local.
    public var embedder = "builtin"
    public var embeddingModel = "text-embedding-3-small"
    public var topK: Int?
    /// Sends every non-local call to this base URL.
    public var baseURL: String?
    /// local models: a GGUF file to serve instead of the configured one.
    public var modelFile: String?
    public var localProtocol: LocalLLMServer.WireProtocol = .openai
    public var maxOutputTokens: Int?
    /// Run each new program on the valid split before offering to save it.
    public var smokeTest = true
    /// Seconds between the built-in synthesizer's tokens (0: as fast as it can).
    public var builtinPace: Double = 0

    public init(dataset: String, mode: GenerationMode, codeModel: ModelSpec, knowledgeModel: ModelSpec? = nil, prior: PriorTypeSpec) {
        self.dataset = dataset
        self.mode = mode
        self.codeModel = codeModel
        self.knowledgeModel = knowledgeModel
        self.prior = prior
    }

    /// The knowledge model actually used: nil for scriptorium.
    public var resolvedKnowledgeModel: ModelSpec? { mode.usesKnowledge ? (knowledgeModel ?? codeModel) : nil }
}

/// The defaults both front ends use when the user has not chosen.
public enum GenerationDefaults {
    /// An LLM whose key is present (gpt-4o-mini, then claude-haiku-4-5), else the offline synthesizer.
    public static func codeModel(config: AppConfig, keys: APIKeys) -> String {
        for candidate in ["gpt-4o-mini", "claude-haiku-4-5"] {
            if let model = config.model(id: candidate), let variable = ChatModels.keyVariable(model, config: config),
               keys.value(variable) != nil { return candidate }
        }
        return "builtin"
    }

    /// youtube when it is on disk, else the project's demo dataset.
    public static func dataset(_ catalog: DatasetCatalog) -> String {
        catalog.entry(named: "youtube")?.isPresent == true ? "youtube" : "demo"
    }
}
