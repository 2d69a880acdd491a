import Engine
import Foundation

/// The setup screen's choices, kept in `<app home>/settings.json` between launches: the dataset,
/// mode, models and prior by id, and the texts as the user left them. A remembered choice that no
/// longer exists (a model taken out of config.json, a dataset removed) is skipped, never an error.
public struct RememberedSetup: Codable, Sendable, Equatable {
    public var dataset: String?
    public var mode: String?
    public var codeModel: String?
    public var knowledgeModel: String?
    public var prior: String?
    public var mission: String?
    public var query: String?
    public var knowledgePath: String?

    public init(dataset: String? = nil, mode: String? = nil, codeModel: String? = nil, knowledgeModel: String? = nil,
                prior: String? = nil, mission: String? = nil, query: String? = nil, knowledgePath: String? = nil) {
        self.dataset = dataset
        self.mode = mode
        self.codeModel = codeModel
        self.knowledgeModel = knowledgeModel
        self.prior = prior
        self.mission = mission
        self.query = query
        self.knowledgePath = knowledgePath
    }

    enum CodingKeys: String, CodingKey {
        case dataset, mode, codeModel = "code_model", knowledgeModel = "knowledge_model", prior, mission, query
        case knowledgePath = "knowledge_path"
    }
}

extension AppState {
    /// The choices to remember.
    public var rememberedSetup: RememberedSetup {
        RememberedSetup(dataset: dataset?.name, mode: mode.rawValue, codeModel: codeModel?.spec.id,
                        knowledgeModel: knowledgeModel?.spec.id, prior: prior?.id, mission: mission, query: query,
                        knowledgePath: knowledgePath.isEmpty ? nil : knowledgePath)
    }

    /// Takes back what was remembered; the texts only when they belong to the same dataset (they
    /// were written for it), else the dataset template's stay.
    public mutating func restore(_ remembered: RememberedSetup) {
        func index<T>(_ rows: [T], _ id: String?, _ key: (T) -> String) -> Int? {
            id.flatMap { id in rows.firstIndex { key($0) == id } }
        }
        if let row = index(options.datasets, remembered.dataset, \.name) { selection[.dataset] = row }
        if let row = index(options.modes, remembered.mode, \.id) { selection[.mode] = row }
        if let row = index(options.models, remembered.codeModel, \.spec.id) { selection[.codeModel] = row }
        if let row = index(options.models, remembered.knowledgeModel, \.spec.id) { selection[.knowledgeModel] = row }
        if let row = index(options.priors, remembered.prior, \.id) { selection[.prior] = row }
        refreshTexts()
        if remembered.dataset == dataset?.name {
            if let mission = remembered.mission, !mission.isEmpty { self.mission = mission }
            if let query = remembered.query, !query.isEmpty { self.query = query }
        }
        knowledgePath = remembered.knowledgePath ?? ""
    }
}

extension UserSettings {
    /// Remembers the setup choices in `<app home>/settings.json`, keeping the other settings it holds.
    public static func rememberSetup(_ setup: RememberedSetup, appHome: URL) throws {
        let file = file(appHome: appHome)
        var settings = (try? load(from: file)) ?? UserSettings()
        settings.setup = setup
        try settings.save(to: file)
    }
}
