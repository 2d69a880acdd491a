import Foundation

/// Why a generation cannot start with the choices made: the one list of reasons, in the order to
/// fix them, that the setup screen shows and `alchemist generate` refuses with.
public enum GenerationBlocker: Equatable, Sendable, CustomStringConvertible {
    case noDataset
    /// Not on disk; `fetchable` when `datasets fetch` can get it (else it is added from a file).
    case datasetAbsent(String, fetchable: Bool = true)
    case noTemplate(String)
    case missingKey(model: String, variable: String)
    case notInstalled(model: String)
    case noKnowledgePath

    public var description: String {
        switch self {
        case .noDataset: return "choose a dataset"
        case .datasetAbsent(let name, let fetchable):
            return fetchable ? "\(name) is not on disk: run `alchemist datasets fetch \(name)`"
                : "\(name) is not on disk and has no public source: add it with `alchemist datasets add \(name) --from FILE`"
        case .noTemplate(let name): return "\(name) has no prompt template"
        case .missingKey(let model, let variable): return "\(model) needs \(variable): set it in the environment or a .env file"
        case .notInstalled(let model): return "\(model) is not installed: run ./scripts/setup-local-llm"
        case .noKnowledgePath: return "alchemist-rag needs a knowledge path"
        }
    }

    /// What a model still needs before it can be called: its key, or the local server's install.
    public struct ModelReadiness: Sendable, Equatable {
        public var id: String
        /// The environment variable of its key; nil when it needs none.
        public var keyVariable: String?
        public var hasKey: Bool
        public var isInstalled: Bool

        public init(id: String, keyVariable: String?, hasKey: Bool, isInstalled: Bool) {
            self.id = id
            self.keyVariable = keyVariable
            self.hasKey = hasKey
            self.isInstalled = isInstalled
        }

        /// A configured model as this machine has it: its key among `keys`, a local model's interpreter
        /// under the app home.
        public init(_ model: ModelSpec, config: AppConfig, keys: APIKeys, appHome: URL) {
            let variable = ChatModels.keyVariable(model, config: config)
            self.init(id: model.id, keyVariable: variable, hasKey: variable.map { keys.value($0) != nil } ?? true,
                      isInstalled: model.provider != .local
                          || FileManager.default.isExecutableFile(atPath: LocalLLMServer.defaultPython(appHome: appHome).path))
        }
    }

    /// The first reason the choices cannot run, or nil when they can.
    /// - Parameter models: the code model, then the knowledge model when the mode has a knowledge stage.
    public static func first(dataset: String?, datasetPresent: Bool, datasetFetchable: Bool = true, hasTemplate: Bool, mode: GenerationMode,
                             models: [ModelReadiness], knowledgePath: String?) -> GenerationBlocker? {
        guard let dataset else { return .noDataset }
        guard datasetPresent else { return .datasetAbsent(dataset, fetchable: datasetFetchable) }
        guard hasTemplate else { return .noTemplate(dataset) }
        for model in models {
            if !model.hasKey, let variable = model.keyVariable { return .missingKey(model: model.id, variable: variable) }
            if !model.isInstalled { return .notInstalled(model: model.id) }
        }
        if mode == .alchemistRAG, (knowledgePath ?? "").trimmingCharacters(in: .whitespaces).isEmpty { return .noKnowledgePath }
        return nil
    }
}
