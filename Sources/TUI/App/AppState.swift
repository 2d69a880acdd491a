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

/// The screens of the app.
public enum Screen: String, Sendable, Hashable {
    case setup, generate, programs, results, settings, handLabel, addDataset
}

/// Which text of the setup screen the editor overlay is changing.
public enum EditedText: String, Sendable, Hashable {
    case mission, query, knowledgePath
    /// How many programs "generate more" writes.
    case batchCount
    /// Where the results screen exports a saved run.
    case exportPath
    /// Where the results screen writes a saved run's programs.
    case programsExportPath
    /// The file of new texts the results screen labels with a saved run.
    case predictInput
    /// The file "add a dataset" reads, typed instead of picked (a folder opens the picker there).
    case datasetFile

    public var title: String {
        switch self {
        case .mission: return "Mission statement"
        case .query: return "Prior-knowledge query"
        case .knowledgePath: return "Knowledge path (a source-list JSON file, a folder or a file)"
        case .batchCount: return "How many more programs? (1–50; each one that loads is saved)"
        case .exportPath: return "Export the train split to (.csv, .jsonl, .parquet, or .json for WRENCH)"
        case .programsExportPath: return "Export the run's programs to the folder (apply.py, labeling_functions.py)"
        case .predictInput: return "Label the texts of the file (.csv, .tsv, .jsonl, .json or .parquet) with this run"
        case .datasetFile: return "Dataset file (.csv, .tsv, .jsonl, .json or .parquet) or a folder"
        }
    }

    /// One-line texts: enter closes their editor.
    public var isOneLine: Bool { self == .knowledgePath || self == .batchCount || self == .exportPath || self == .datasetFile
        || self == .programsExportPath || self == .predictInput }
}

/// Everything the TUI shows; changed only by `update`.
public struct AppState: Sendable {
    /// The saved run the export-path editor writes (set by `x` on the results screen).
    public var exportingRun: URL?
    public var options: SetupOptions
    public var screen: Screen = .setup
    public var focus: Pane = .dataset
    public var selection: [Pane: Int] = [:]
    public var mission = ""
    public var query = ""
    /// Alchemist with RAG: where the knowledge comes from.
    public var knowledgePath = ""
    /// What lies over the screen, bottom first; the last one takes the keys (`Overlay`).
    public var overlays: [Overlay] = []
    public var status = ""
    /// Shown in the error role until the next status.
    public var statusIsError = false
    /// Kept before the status while it holds: programs run without the OS sandbox, or cannot run.
    public var sandboxWarning: String?
    public var width: Int
    public var height: Int
    /// Counts ticks while engine work runs (spinners).
    public var tick = 0
    /// The generate screen, once a generation has started.
    public var generation: GenerationView?
    public var nextGenerationID = 1
    /// What this app session has spent on generations, and the programs it saved.
    public var sessionSpend = Decimal(0)
    public var sessionSaved = 0
    /// Programs "generate more" makes in one go.
    public var batchSize = 5
    /// The programs browser, once opened.
    public var programs: ProgramsBrowser?
    /// The labeling run and its results, once started.
    public var results: ResultsView?
    /// Where esc from the browser or the results goes back to.
    public var previousScreen: Screen = .setup
    /// The settings screen, once opened.
    public var settings: SettingsView?
    /// The hand-labeling screen, once opened.
    public var handLabel: HandLabelView?
    /// The add-a-dataset screen, while a file is being made a dataset.
    public var addDataset: AddDatasetView?
    /// Each dataset's classes, rows per split and balance for the setup screen, by name (`DatasetInfo`).
    public var datasetInfo: [String: DatasetInfo] = [:]
    /// The theme in use and why colours may be off (--no-color, NO_COLOR).
    public var theme: Theme = .builtIn
    public var colorPolicy = ColorPolicy()
    /// A dataset being downloaded: its name and the progress of its current file.
    public var fetch: (dataset: String, file: String, received: Int64, expected: Int64?)?

    public init(options: SetupOptions, width: Int = 80, height: Int = 24) {
        self.options = options
        self.width = width
        self.height = height
        selection[.dataset] = options.datasets.firstIndex { $0.name == options.defaultDataset && $0.isPresent }
            ?? options.datasets.firstIndex { $0.isPresent } ?? 0
        let defaultModel = options.models.firstIndex { $0.spec.id == options.defaultModel && $0.isUsable }
            ?? options.models.firstIndex { $0.isUsable && $0.spec.retired == nil } ?? 0
        selection[.codeModel] = defaultModel
        selection[.knowledgeModel] = defaultModel
        selection[.mode] = options.modes.firstIndex { $0.id == GenerationMode.alchemist.rawValue } ?? 0
        refreshTexts()
        status = "\(options.datasets.filter(\.isPresent).count) of \(options.datasets.count) datasets on disk · enter generates a program"
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

    /// The mission and query of the selected dataset and prior type (the templates' defaults).
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
        var plan = GenerationPlan(dataset: dataset.name, classCount: dataset.classCount, template: template, mode: mode,
                                  codeModel: code, knowledgeModel: mode.usesKnowledge ? knowledgeModel?.spec : nil, prior: prior,
                                  mission: mission, query: mode.usesKnowledge ? query : nil, maxOutputTokens: options.maxOutputTokens)
        plan.topK = options.topK
        plan.passageCharacters = options.chunkSize
        return plan
    }

    /// Worst case of one generation (`GenerationPlan.worstCaseCost`, the rule the CLI uses too).
    public var worstCaseCost: Decimal? { plan?.worstCaseCost() }

    /// Why a generation cannot start with the current choices, or nil when it can: the engine's
    /// rule (`GenerationBlocker`, which `alchemist generate` follows too), with the key that fixes the path.
    public var generationBlocker: String? {
        var models = [codeModel]
        if mode.usesKnowledge { models.append(knowledgeModel) }
        guard let blocker = GenerationBlocker.first(dataset: dataset?.name, datasetPresent: dataset?.isPresent ?? false,
                                                    datasetFetchable: dataset?.canFetch ?? true,
                                                    hasTemplate: dataset?.template != nil, mode: mode,
                                                    models: models.compactMap { $0?.readiness }, knowledgePath: knowledgePath) else { return nil }
        return blocker == .noKnowledgePath ? "\(blocker): K chooses one" : blocker.description
    }

    /// The choices of one generation session, for the engine.
    public var generationChoices: GenerationChoices? {
        guard let dataset, let code = codeModel?.spec, let prior else { return nil }
        var choices = GenerationChoices(dataset: dataset.name, mode: mode, codeModel: code,
                                        knowledgeModel: mode.usesKnowledge ? knowledgeModel?.spec : nil, prior: prior)
        choices.mission = mission
        choices.query = mode.usesKnowledge ? query : nil
        let path = knowledgePath.trimmingCharacters(in: .whitespaces)
        choices.knowledgePath = mode == .alchemistRAG && !path.isEmpty ? path : nil
        // The built-in synthesizer streams at a readable pace, like a model would.
        choices.builtinPace = 0.004
        return choices
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
