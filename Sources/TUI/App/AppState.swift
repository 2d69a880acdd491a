import Engine
import Foundation

/// The panes of the setup screen, in focus order.
public enum Pane: String, Sendable, CaseIterable, Hashable {
    case dataset, mode, codeModel, knowledgeModel, prior

    public var title: String {
        switch self {
        case .dataset: return "Dataset"
        case .mode: return "Mode"
        case .codeModel: return "Code model"
        case .knowledgeModel: return "Knowledge model"
        case .prior: return "Prior knowledge"
        }
    }

    /// Panes that only matter when the mode writes prior knowledge first.
    public var needsKnowledge: Bool { self == .knowledgeModel || self == .prior }
}

/// Everything the TUI shows; changed only by `update`.
public struct AppState: Sendable {
    public var options: SetupOptions
    public var focus: Pane = .dataset
    public var selection: [Pane: Int] = [:]
    public var mission = ""
    public var query = ""
    public var status = ""
    public var showsHelp = false
    public var width: Int
    public var height: Int

    public init(options: SetupOptions, width: Int = 80, height: Int = 24) {
        self.options = options
        self.width = width
        self.height = height
        let firstPresent = options.datasets.firstIndex { $0.isPresent } ?? 0
        selection[.dataset] = firstPresent
        selection[.codeModel] = options.models.firstIndex { $0.hasKey && $0.spec.retired == nil }
            ?? options.models.firstIndex { $0.spec.retired == nil } ?? 0
        selection[.knowledgeModel] = selection[.codeModel]
        refreshTexts()
        status = "\(options.datasets.filter(\.isPresent).count) of \(options.datasets.count) datasets on disk"
    }

    public func selected(_ pane: Pane) -> Int { selection[pane] ?? 0 }

    public func rowCount(_ pane: Pane) -> Int {
        switch pane {
        case .dataset: return options.datasets.count
        case .mode: return options.modes.count
        case .codeModel, .knowledgeModel: return options.models.count
        case .prior: return options.priors.count
        }
    }

    public var dataset: SetupOptions.DatasetRow? { options.datasets[safe: selected(.dataset)] }
    public var mode: GenerationMode { options.modes[safe: selected(.mode)].flatMap { GenerationMode(rawValue: $0.id) } ?? .scriptorium }
    public var codeModel: SetupOptions.ModelRow? { options.models[safe: selected(.codeModel)] }
    public var knowledgeModel: SetupOptions.ModelRow? { options.models[safe: selected(.knowledgeModel)] }
    public var prior: PriorTypeSpec? { options.priors[safe: selected(.prior)] }

    /// Whether `pane` takes part in the current mode (the knowledge panes do not for scriptorium).
    public func isActive(_ pane: Pane) -> Bool { !pane.needsKnowledge || mode.usesKnowledge }

    /// The panes Tab moves through.
    public var focusablePanes: [Pane] { Pane.allCases.filter(isActive) }

    /// The mission and query of the selected dataset and prior type.
    mutating func refreshTexts() {
        mission = dataset?.template?.mission ?? ""
        if let template = dataset?.template {
            query = prior.map { template.priorRequest(for: $0) } ?? template.priorRequest
        } else {
            query = ""
        }
    }

    /// The plan of one generation with the current choices; nil when a choice is missing.
    public var plan: GenerationPlan? {
        guard let dataset, let template = dataset.template, let code = codeModel?.spec else { return nil }
        return GenerationPlan(dataset: dataset.name, classCount: dataset.classCount, template: template, mode: mode,
                              codeModel: code, knowledgeModel: knowledgeModel?.spec, prior: prior, mission: mission,
                              query: mode.usesKnowledge ? query : nil, maxOutputTokens: options.maxOutputTokens)
    }

    /// Worst case of one generation: every stage writes its whole output allowance (the code stage
    /// also reads a knowledge answer of that size).
    public var worstCaseCost: Decimal? {
        guard let plan else { return nil }
        return plan.stages.reduce(Decimal(0)) { total, stage in
            let prompt = stage == .code
                ? plan.codePrompt(knowledge: plan.mode.usesKnowledge ? String(repeating: "x", count: 4 * plan.maxOutputTokens) : nil)
                : plan.knowledgePrompt
            return total + plan.worstCaseCost(of: stage, prompt: prompt)
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
