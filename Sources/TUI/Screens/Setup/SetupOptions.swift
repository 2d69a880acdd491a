import Engine
import Foundation

/// What the setup screen offers, read once from the configuration and the disk.
public struct SetupOptions: Sendable {
    public struct DatasetRow: Sendable, Equatable {
        public var name: String
        public var classCount: Int
        public var isPresent: Bool
        /// Size of the train split on disk ("1.2 MB"), when present.
        public var sizeText: String?
        public var template: PromptTemplate?
        /// Absent ones: whether a public source is known (`f` fetches it), else `a` adds it from a file.
        public var canFetch = false
    }

    public struct ModelRow: Sendable, Equatable {
        public var spec: ModelSpec
        /// False when the model needs a key and its variable is unset.
        public var hasKey: Bool
        /// The variable holding the key, when the model needs one.
        public var keyVariable: String? = nil
        /// `local` models: false when scripts/setup-local-llm has not been run.
        public var isInstalled = true

        /// What the engine's start rule (`GenerationBlocker`) needs to know of it.
        public var readiness: GenerationBlocker.ModelReadiness {
            GenerationBlocker.ModelReadiness(id: spec.id, keyVariable: keyVariable, hasKey: hasKey, isInstalled: isInstalled)
        }

        /// Whether a generation with this model can start now.
        public var isUsable: Bool { hasKey && isInstalled }

        /// Short flags shown after the price.
        public var flags: [String] {
            var flags: [String] = []
            if spec.provider == .builtin { flags.append("offline") }
            if spec.provider == .local { flags.append(isInstalled ? "local" : "not installed") }
            if spec.lowQuality { flags.append("low quality") }
            if !hasKey { flags.append("no key") }
            if spec.retired != nil { flags.append("retired") }
            return flags
        }
    }

    public var datasets: [DatasetRow]
    public var modes: [ModeSpec]
    public var models: [ModelRow]
    public var priors: [PriorTypeSpec]
    public var maxOutputTokens: Int
    /// RAG: passages retrieved per generation and their longest length (config.json `rag`).
    public var topK = RAGSettings.defaults.topK
    public var chunkSize = RAGSettings.defaults.chunkSize
    /// The code model chosen when the user has not chosen: an LLM with a key, else builtin.
    public var defaultModel: String
    /// youtube when present, else demo.
    public var defaultDataset: String

    public init(datasets: [DatasetRow], modes: [ModeSpec], models: [ModelRow], priors: [PriorTypeSpec], maxOutputTokens: Int,
                defaultModel: String = "builtin", defaultDataset: String = "demo") {
        self.datasets = datasets
        self.modes = modes
        self.models = models
        self.priors = priors
        self.maxOutputTokens = maxOutputTokens
        self.defaultModel = defaultModel
        self.defaultDataset = defaultDataset
    }

    /// The options of `config`: every dataset, mode and prior type, and every chat model (the
    /// built-in synthesizer and local models included).
    public static func load(config: AppConfig, paths: AppPaths, keys: APIKeys = APIKeys()) throws -> SetupOptions {
        let templates = try PromptTemplates.bundled()
        let catalog = DatasetCatalog(config: config, paths: paths)
        let datasets = catalog.entries().map { entry in
            DatasetRow(name: entry.name, classCount: entry.labels.count, isPresent: entry.isPresent,
                       sizeText: entry.folder.flatMap(trainSize), template: templates.template(for: entry), canFetch: entry.isFetchable)
        }
        let models = config.models.filter { $0.kind == .chat }.map { model in
            let readiness = GenerationBlocker.ModelReadiness(model, config: config, keys: keys, appHome: paths.appHome)
            return ModelRow(spec: model, hasKey: readiness.hasKey, keyVariable: readiness.keyVariable, isInstalled: readiness.isInstalled)
        }
        var options = SetupOptions(datasets: datasets, modes: config.modes, models: models, priors: config.priorTypes,
                                   maxOutputTokens: config.generation.maxOutputTokens,
                                   defaultModel: GenerationDefaults.codeModel(config: config, keys: keys),
                                   defaultDataset: GenerationDefaults.dataset(catalog))
        options.topK = config.rag.topK
        options.chunkSize = config.rag.chunkSize
        return options
    }

    /// Bytes of the train split's files in `folder`, as text.
    static func trainSize(_ folder: URL) -> String? {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return nil }
        let bytes = names.filter { $0.hasPrefix("train") }.compactMap { name -> Int? in
            (try? manager.attributesOfItem(atPath: folder.appendingPathComponent(name).path))?[.size] as? Int
        }.reduce(0, +)
        return bytes > 0 ? byteText(bytes) : nil
    }

    static func byteText(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        let tenths = bytes * 10 / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
