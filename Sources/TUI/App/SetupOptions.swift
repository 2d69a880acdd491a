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
    }

    public struct ModelRow: Sendable, Equatable {
        public var spec: ModelSpec
        /// False when the model needs a key and its variable is unset.
        public var hasKey: Bool
    }

    public var datasets: [DatasetRow]
    public var modes: [ModeSpec]
    public var models: [ModelRow]
    public var priors: [PriorTypeSpec]
    public var maxOutputTokens: Int

    public init(datasets: [DatasetRow], modes: [ModeSpec], models: [ModelRow], priors: [PriorTypeSpec], maxOutputTokens: Int) {
        self.datasets = datasets
        self.modes = modes
        self.models = models
        self.priors = priors
        self.maxOutputTokens = maxOutputTokens
    }

    /// The options of `config`: every dataset, mode and prior type, and the chat models that can be called.
    public static func load(config: AppConfig, paths: AppPaths, keys: APIKeys = APIKeys()) throws -> SetupOptions {
        let templates = try PromptTemplates.bundled()
        let datasets = DatasetCatalog(config: config, paths: paths).entries().map { entry in
            DatasetRow(name: entry.name, classCount: entry.labels.count, isPresent: entry.isPresent,
                       sizeText: entry.folder.flatMap(trainSize), template: templates.template(for: entry))
        }
        let models = config.models.filter { $0.kind == .chat && $0.provider != .builtin }.map { model in
            ModelRow(spec: model, hasKey: ChatModels.keyVariable(model, config: config).map { keys.value($0) != nil } ?? true)
        }
        return SetupOptions(datasets: datasets, modes: config.modes, models: models, priors: config.priorTypes,
                            maxOutputTokens: config.generation.maxOutputTokens)
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
