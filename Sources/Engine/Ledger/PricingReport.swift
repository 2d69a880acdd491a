import Foundation

/// Which programs and runs a pricing report covers; nil fields match everything.
public struct PricingFilter: Sendable, Equatable {
    public var dataset: String?
    public var mode: String?
    /// The code model a program is filed under.
    public var model: String?
    /// A prior-knowledge type id, or `none` for programs made without one.
    public var prior: String?

    public init(dataset: String? = nil, mode: String? = nil, model: String? = nil, prior: String? = nil) {
        self.dataset = dataset
        self.mode = mode
        self.model = model
        self.prior = prior
    }

    /// The spelling of "no prior" in a filter.
    public static let noPrior = "none"

    public func matches(_ key: PricingKey) -> Bool {
        (dataset == nil || dataset == key.dataset) && (mode == nil || mode == key.mode)
            && (model == nil || model == key.codeModel) && (prior == nil || prior == (key.prior ?? Self.noPrior))
    }
}

/// The grouping of the original pricing script: dataset, mode, code model, prior.
public struct PricingKey: Sendable, Hashable, Comparable {
    public var dataset: String
    public var mode: String
    public var codeModel: String
    public var prior: String?

    public init(dataset: String, mode: String, codeModel: String, prior: String?) {
        self.dataset = dataset
        self.mode = mode
        self.codeModel = codeModel
        self.prior = prior
    }

    public static func < (lhs: PricingKey, rhs: PricingKey) -> Bool {
        (lhs.dataset, lhs.mode, lhs.codeModel, lhs.prior ?? "") < (rhs.dataset, rhs.mode, rhs.codeModel, rhs.prior ?? "")
    }
}

/// A filter value nobody knows: the description names the option and the known values.
public struct PricingError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// What the report is made from: the ledger's rows and the program files under one folder, read once.
public struct PricingSources: Sendable {
    public var runs: [LedgerRun]
    public var calls: [LedgerCall]
    public var ledgerPrograms: [LedgerProgram]
    /// The program files under `lfDir`.
    public var files: [LabelingProgram]
    public var lfDir: URL

    public init(runs: [LedgerRun], calls: [LedgerCall], ledgerPrograms: [LedgerProgram], files: [LabelingProgram], lfDir: URL) {
        self.runs = runs
        self.calls = calls
        self.ledgerPrograms = ledgerPrograms
        self.files = files
        self.lfDir = lfDir
    }

    /// Reads the ledger (none: no rows) and every program file under `lfDir` (an absent folder: no files).
    public static func load(ledger: Ledger?, lfDir: URL) throws -> PricingSources {
        let files = FileManager.default.fileExists(atPath: lfDir.path) ? try ProgramStore.programs(under: lfDir) : []
        return PricingSources(runs: try ledger?.runs() ?? [], calls: try ledger?.calls() ?? [],
                              ledgerPrograms: try ledger?.programs() ?? [], files: files, lfDir: lfDir)
    }

    /// Every (dataset, mode, code model, prior) found in the runs and the program files.
    public var keys: Set<PricingKey> {
        Set(runs.map(\.key) + files.map { PricingReport.key(of: $0, under: lfDir) })
    }

    /// Refuses a filter value that neither the configuration nor the ledger and files know.
    ///
    /// - Throws: `PricingError` naming the option, the value and the known values.
    public func validate(_ filter: PricingFilter, config: AppConfig, catalog: DatasetCatalog) throws {
        let keys = self.keys
        func check(_ value: String?, option: String, what: String, known: [String]) throws {
            guard let value else { return }
            let all = Set(known)
            guard !all.contains(value) else { return }
            throw PricingError(description: "\(option): unknown \(what) \"\(value)\" (known: \(all.sorted().joined(separator: ", ")))")
        }
        try check(filter.dataset, option: "--dataset", what: "dataset", known: catalog.entries().map(\.name) + keys.map(\.dataset))
        try check(filter.mode, option: "--mode", what: "mode", known: config.modes.map(\.id) + keys.map(\.mode))
        try check(filter.model, option: "--model", what: "code model",
                  known: config.models.map(\.id) + ["handwritten"] + keys.map(\.codeModel))
        try check(filter.prior, option: "--prior", what: "prior type",
                  known: config.priorTypes.map(\.id) + [PricingFilter.noPrior] + keys.compactMap(\.prior))
    }
}

/// What labeling a dataset's train split would cost by prompting a model once per text, next to
/// what the dataset's programs cost.
public struct PromptingEstimate: Sendable, Equatable {
    public var dataset: String
    public var model: String
    /// Train rows, each one prompt.
    public var examples: Int
    /// Mean UTF-8 length of a train text, rounded to the nearest byte.
    public var averageTextBytes: Int
    public var inputTokensPerExample: Int
    public var outputTokensPerExample: Int
    /// USD for the whole train split.
    public var cost: Decimal
    /// USD the dataset's programs in the report cost.
    public var programsCost: Decimal
    /// `cost / programsCost` to two decimals; nil when the programs cost nothing.
    public var ratio: Decimal?

    /// The answer allowance: a class id is one or two tokens.
    public static let outputTokensPerExample = 2
    /// The paper's annotator model.
    public static let defaultModelID = "gpt-3.5-turbo-0125"


    /// The estimate for prompting `model` once per train text with the template's annotator prompt,
    /// filled with a text of the split's average length.
    public static func compute(dataset: String, trainTexts: [String], template: PromptTemplate, model: ModelSpec,
                               programsCost: Decimal) -> PromptingEstimate {
        let count = trainTexts.count
        let totalBytes = trainTexts.reduce(0) { $0 + $1.utf8.count }
        let average = count == 0 ? 0 : (2 * totalBytes + count) / (2 * count)
        let prompt = template.annotatorPrompt(for: String(repeating: "x", count: average))
        let input = TokenEstimate.message(prompt)
        let cost = Decimal(count) * TokenCost.cost(model: model, inputTokens: input, outputTokens: outputTokensPerExample)
        var ratio: Decimal?
        if programsCost > 0 {
            var exact = cost / programsCost
            var rounded = Decimal()
            NSDecimalRound(&rounded, &exact, 2, .plain)
            ratio = rounded
        }
        return PromptingEstimate(dataset: dataset, model: model.id, examples: count, averageTextBytes: average,
                                 inputTokensPerExample: input, outputTokensPerExample: outputTokensPerExample,
                                 cost: cost, programsCost: programsCost, ratio: ratio)
    }
}

/// The report of `alchemist pricing`: what programs cost, by group and by run, and what prompting a
/// model to label each dataset would cost instead.
///
/// Groups price the program files present under the folder. A file whose path is in the ledger's
/// programs table with the same content hash is priced by the ledger (the cost recorded with the
/// program row) and grouped by its run; any other file (copied in, saved by hand, made before the
/// ledger, or edited since) is priced from its header's `$[…]` and grouped by its metadata, else by
/// its folders `<dataset>/<mode>/<code-model>/[<prior>/]`. A ledger program under the folder whose
/// file is gone or holds other contents is only counted (`ledgerProgramsGone`): what it cost stays
/// in its run's calls.
public struct PricingReport: Sendable {
    public struct Group: Sendable, Equatable {
        public var key: PricingKey
        public var programs: Int
        public var ledgerPrograms: Int
        public var headerPrograms: Int
        /// Header-priced programs whose file has no cost line (counted at $0).
        public var unpricedPrograms: Int
        /// Ledger programs under the folder whose file is gone or no longer has the recorded contents.
        public var ledgerProgramsGone: Int
        /// Ledger calls of the group's runs, whatever their status.
        public var calls: Int
        /// USD of the group's programs.
        public var cost: Decimal
        /// USD of all the group's ledger calls, failed and discarded ones included.
        public var callsCost: Decimal
    }

    public struct Run: Sendable, Equatable {
        public var run: LedgerRun
        public var programs: Int
        public var calls: Int
        /// USD of all the run's calls.
        public var cost: Decimal
        /// True when any of its calls had estimated token counts.
        public var estimated: Bool
    }

    /// A dataset that got no prompting estimate, and why.
    public struct SkippedEstimate: Sendable, Equatable {
        public var dataset: String
        public var reason: String

        public init(dataset: String, reason: String) {
            self.dataset = dataset
            self.reason = reason
        }
    }

    /// Where prompting estimates come from.
    public struct EstimateSource: Sendable {
        public var catalog: DatasetCatalog
        public var templates: PromptTemplates
        public var model: ModelSpec

        public init(catalog: DatasetCatalog, templates: PromptTemplates, model: ModelSpec) {
            self.catalog = catalog
            self.templates = templates
            self.model = model
        }
    }

    public var filter: PricingFilter
    public var groups: [Group]
    public var runs: [Run]
    public var promptingEstimates: [PromptingEstimate]
    public var skippedEstimates: [SkippedEstimate]

    /// USD of the programs in the report.
    public var total: Decimal { groups.reduce(Decimal(0)) { $0 + $1.cost } }
    /// USD of every call of the runs in the report.
    public var spent: Decimal { runs.reduce(Decimal(0)) { $0 + $1.cost } }
    public var programCount: Int { groups.reduce(0) { $0 + $1.programs } }

    /// Builds the report of `sources` restricted to `filter`; estimates are made when `estimates` is given.
    ///
    /// - Throws: when a dataset needed for an estimate cannot be loaded.
    public static func build(_ sources: PricingSources, filter: PricingFilter = PricingFilter(),
                             estimates: EstimateSource? = nil) throws -> PricingReport {
        let runsByID = Dictionary(sources.runs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let callsByRun = Dictionary(grouping: sources.calls, by: \.runID)
        let root = normalized(sources.lfDir.path)
        var groups: [PricingKey: Group] = [:]
        func add(_ key: PricingKey, _ change: (inout Group) -> Void) {
            guard filter.matches(key) else { return }
            var group = groups[key] ?? Group(key: key, programs: 0, ledgerPrograms: 0, headerPrograms: 0, unpricedPrograms: 0,
                                             ledgerProgramsGone: 0, calls: 0, cost: 0, callsCost: 0)
            change(&group)
            groups[key] = group
        }

        // Programs the ledger knows, under the folder.
        var ledgerByPath: [String: LedgerProgram] = [:]
        for program in sources.ledgerPrograms {
            let path = normalized(program.path)
            if path.hasPrefix(root + "/") { ledgerByPath[path] = program }
        }
        var matched = Set<String>()
        for file in sources.files {
            let path = file.path.map { normalized($0.path) } ?? ""
            if let row = ledgerByPath[path], row.contentHash == LedgerProgram.contentHash(of: file.source.utf8) {
                matched.insert(path)
                let key = runsByID[row.runID]?.key ?? key(of: file, under: sources.lfDir)
                add(key) { $0.programs += 1; $0.ledgerPrograms += 1; $0.cost += row.cost }
            } else {
                add(key(of: file, under: sources.lfDir)) { group in
                    group.programs += 1
                    group.headerPrograms += 1
                    if let cost = file.cost { group.cost += cost } else { group.unpricedPrograms += 1 }
                }
            }
        }
        for (path, row) in ledgerByPath where !matched.contains(path) {
            guard let run = runsByID[row.runID] else { continue }
            add(run.key) { $0.ledgerProgramsGone += 1 }
        }

        // Runs and their calls.
        let programsByRun = Dictionary(grouping: sources.ledgerPrograms, by: \.runID)
        var runs: [Run] = []
        for run in sources.runs where filter.matches(run.key) {
            let calls = callsByRun[run.id] ?? []
            let cost = calls.reduce(Decimal(0)) { $0 + $1.cost }
            runs.append(Run(run: run, programs: programsByRun[run.id]?.count ?? 0, calls: calls.count, cost: cost,
                            estimated: calls.contains(where: \.estimated)))
            add(run.key) { $0.calls += calls.count; $0.callsCost += cost }
        }

        var report = PricingReport(filter: filter, groups: groups.values.sorted { $0.key < $1.key }, runs: runs,
                                   promptingEstimates: [], skippedEstimates: [])
        if let estimates { try report.addEstimates(from: estimates) }
        return report
    }

    /// Estimates for each dataset with programs in the report, and the filtered-to dataset.
    mutating func addEstimates(from source: EstimateSource) throws {
        var names = Set(groups.filter { $0.programs > 0 }.map(\.key.dataset))
        if let dataset = filter.dataset { names.insert(dataset) }
        for name in names.sorted() {
            guard let entry = source.catalog.entry(named: name) else {
                skippedEstimates.append(SkippedEstimate(dataset: name, reason: "not a known dataset"))
                continue
            }
            guard entry.isPresent else {
                skippedEstimates.append(SkippedEstimate(dataset: name, reason: "not on disk"))
                continue
            }
            let texts = try source.catalog.load(name).split(.train).texts
            guard !texts.isEmpty else {
                skippedEstimates.append(SkippedEstimate(dataset: name, reason: "no train texts"))
                continue
            }
            let programsCost = groups.filter { $0.key.dataset == name }.reduce(Decimal(0)) { $0 + $1.cost }
            promptingEstimates.append(PromptingEstimate.compute(
                dataset: name, trainTexts: texts, template: source.templates.template(for: entry), model: source.model,
                programsCost: programsCost))
        }
    }

    /// A file's group (`ProgramPlacement`; `?` for a part neither its metadata nor its folders give).
    static func key(of program: LabelingProgram, under root: URL) -> PricingKey {
        let base = normalized(root.path)
        let path = program.path.map { normalized($0.path) } ?? ""
        let relative = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : nil
        let place = ProgramPlacement(program, relativePath: relative)
        return PricingKey(dataset: place.dataset ?? "?", mode: place.mode ?? "?", codeModel: place.codeModel ?? "?", prior: place.prior)
    }

    /// An absolute path with symbolic links resolved, so the ledger's paths and the listed files compare.
    static func normalized(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}

extension LedgerRun {
    var key: PricingKey { PricingKey(dataset: dataset, mode: mode, codeModel: codeModel, prior: prior) }
}

extension PricingError: InputError {}
