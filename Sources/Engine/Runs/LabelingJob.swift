import Foundation

/// A whole labeling run as front ends start it: apply the programs to every split in the sandbox
/// (or take the dataset's own weak labels), run the label and end models, analyse each program on
/// the valid split, and record the result in the experiment log.
public struct LabelingJob: Sendable {
    /// Where the votes come from.
    public enum Votes: Sendable {
        case programs([LabelingProgram])
        /// The WRENCH `weak_labels` shipped with the dataset.
        case datasetWeakLabels
    }

    public var dataset: Dataset
    /// The train split, streamed from its file; nil reads `dataset`'s train split.
    public var train: TrainSource?
    /// The train split's votes when a Spark job applied the programs there: the job's histogram,
    /// features and sample feed the run, and its vote files are saved with the run.
    public var remoteTrain: RemoteTrain?

    public struct RemoteTrain: Sendable {
        public var votes: TrainVotes
        public var reports: [ProgramReport]
        /// The job's vote files (a folder of Parquet part files) and the split's rows.
        public var voteFiles: URL
        public var rows: Int

        public init(votes: TrainVotes, reports: [ProgramReport], voteFiles: URL, rows: Int) {
            self.votes = votes
            self.reports = reports
            self.voteFiles = voteFiles
            self.rows = rows
        }
    }
    public var votes: Votes
    /// Handed to the run, less the label models too few programs cannot fit (see `labelingRun`).
    public var settings: LabelingSettings
    public var sandbox: SandboxSettings
    /// The exp_log folder; nil records nothing.
    public var experimentLogFolder: URL?
    /// `<app home>/runs`: where the run is saved (`RunFolder`); nil saves nothing.
    public var runsFolder: URL?
    /// A chat model and the dataset's prompt template, to estimate labeling the train rows by prompting.
    public var promptingModel: ModelSpec?
    public var promptTemplate: PromptTemplate?

    public init(dataset: Dataset, votes: Votes, settings: LabelingSettings = LabelingSettings(), sandbox: SandboxSettings = .defaults,
                experimentLogFolder: URL? = nil, runsFolder: URL? = nil) {
        self.runsFolder = runsFolder
        self.dataset = dataset
        self.votes = votes
        self.settings = settings
        self.sandbox = sandbox
        self.experimentLogFolder = experimentLogFolder
    }

    /// How the experiment log names the source of the votes.
    public var provenance: LabelingProvenance {
        switch votes {
        case .datasetWeakLabels:
            return LabelingProvenance(mode: "wrench", prior: nil, model: "human")
        case .programs(let programs):
            guard let metadata = programs.first?.metadata else { return LabelingProvenance(mode: "handwritten", prior: nil, model: "none") }
            return LabelingProvenance(mode: metadata.mode, prior: metadata.prior, model: metadata.codeModel)
        }
    }

    /// Programs applied, or the dataset's own labeling functions.
    public var programCount: Int {
        switch votes {
        case .programs(let programs): return programs.count
        case .datasetWeakLabels: return (train?.inMemory ?? dataset.splits[.train])?.weakLabels?.first?.count ?? 0
        }
    }

    /// The programs' total cost; programs without a recorded cost count as free.
    public var programsCost: Decimal {
        guard case .programs(let programs) = votes else { return 0 }
        return programs.reduce(Decimal(0)) { $0 + ($1.cost ?? 0) }
    }

    /// Refuses no label model, fewer than one run, and no programs.
    public func validate() throws {
        try settings.validate()
        if case .programs(let programs) = votes, programs.isEmpty { throw LabelModelError("no labeling programs to apply") }
    }

    /// The steps `run` takes for `programCount` programs, in order (FlyingSquid left out below 3).
    public func plannedSteps(programCount: Int) -> [LabelingStep] {
        var steps: [LabelingStep] = []
        if case .programs = votes {
            steps += SplitName.allCases.filter {
                $0 == .train ? remoteTrain == nil && (train != nil || dataset.splits[.train] != nil) : dataset.splits[$0] != nil
            }.map(LabelingStep.apply)
        }
        steps += effectiveLabelModels(programCount: programCount).map(LabelingStep.labelModel)
        if !settings.endModels.isEmpty { steps += [.features] + settings.endModels.map(LabelingStep.endModel) }
        return steps
    }

    /// The chosen label models that can be fitted on `programCount` programs (FlyingSquid needs three).
    func effectiveLabelModels(programCount: Int) -> [LabelModelID] {
        settings.labelModels.filter { $0.minimumPrograms <= programCount }
    }

    /// The run `run` starts: this job's settings, less the label models `programCount` programs cannot fit.
    func labelingRun(programCount: Int) -> LabelingRun {
        var handed = settings
        handed.labelModels = effectiveLabelModels(programCount: programCount)
        return LabelingRun(settings: handed)
    }

    /// Runs the job. Progress comes as `.planned` first, then `.step` counts and `.note`s.
    /// - Throws: `CancellationError` when the task is cancelled (nothing is recorded then);
    ///   `LabelModelError`, `DatasetError` or `SandboxError` when the run cannot be done.
    public func run(progress: @escaping @Sendable (LabelingProgress) -> Void = { _ in }) async throws -> LabelingOutcome {
        try validate()
        try Task.checkCancellation()
        var notes: [String] = []
        let plan = labelingRun(programCount: programCount)
        let leftOut = LabelModelID.allCases.filter { settings.labelModels.contains($0) && !plan.settings.labelModels.contains($0) }
        if let id = leftOut.first, plan.settings.labelModels.isEmpty {
            throw LabelModelError("\(id.name) needs at least \(id.minimumPrograms) programs, and no other label model was chosen")
        }
        notes += leftOut.map { "\($0.rawValue) left out: \($0.name) needs at least \($0.minimumPrograms) programs" }
        progress(.planned(plannedSteps(programCount: programCount)))
        for note in notes { progress(.note(note)) }

        let trainRows = remoteTrain != nil ? nil : try train ?? TrainSource(rows: try dataset.split(.train))
        let scan = try trainRows.map(scanTrain) ?? TrainScan()
        var (matrices, names, reports) = try await collectVotes(train: trainRows, scan: scan, progress: progress)
        try Task.checkCancellation()

        let cost = programsCost
        let trainVotes: TrainVotes
        if let remoteTrain {
            trainVotes = remoteTrain.votes
            reports[.train] = remoteTrain.reports
        } else {
            guard let votes = matrices[.train], let trainRows else { throw LabelModelError("a labeling run needs votes on the train and test splits") }
            try LabelModelInput.validate(votes, classCount: dataset.classCount, validation: nil)
            trainVotes = .local(votes, train: trainRows, fitted: scan.features)
        }
        let result = try plan.run(dataset: dataset, train: trainVotes, programNames: names, matrices: matrices, cost: cost, progress: progress)
        try Task.checkCancellation()

        let (analysis, totals, split) = analyse(matrices: matrices, names: names, reports: reports, trainGold: scan.gold)
        let prompting = promptingModel.flatMap { model in scan.prompting.map { PromptingCostEstimate(model: model, tally: $0) } }
        var outcome = LabelingOutcome(result: result, analysis: analysis, totals: totals, analysisSplit: split, provenance: provenance,
                                      programsCost: cost, prompting: prompting, notes: notes)
        if let runsFolder {
            var programs: [LabelingProgram]?
            if case .programs(let list) = votes { programs = list }
            var contents = RunFolder.Contents(dataset: dataset, train: trainRows, result: result, matrices: matrices, programs: programs,
                                              settings: plan.settings)
            if let remoteTrain { contents.sparkVotes[.train] = (remoteTrain.voteFiles, remoteTrain.rows) }
            outcome.savedRun = try RunFolder.save(contents, runsFolder: runsFolder)
        }
        if let experimentLogFolder {
            let log = ExperimentLog(folder: experimentLogFolder)
            let origin = provenance
            outcome.logFile = try log.record(result, mode: origin.mode, prior: origin.prior, model: origin.model, runID: outcome.savedRun?.id)
            outcome.resultsFile = log.resultsFile
        }
        return outcome
    }

    /// What one pass over the train split gathers before the programs run: its gold labels, its
    /// data key for the vote cache, the end models' document frequencies, the prompting estimate.
    struct TrainScan {
        var gold: [LabelMatrix.Vote] = []
        var dataKey: String?
        var features: HashedTFIDF?
        var prompting: PromptingCostEstimate.Tally?
    }

    func scanTrain(_ train: TrainSource) throws -> TrainScan {
        if case .datasetWeakLabels = votes, let rows = train.inMemory {
            var scan = TrainScan(gold: rows.labels.map { LabelMatrix.Vote($0 ?? -1) })
            if promptingModel != nil, let promptTemplate {
                scan.prompting = PromptingCostEstimate.Tally(template: promptTemplate)
                scan.prompting?.add(rows.texts)
            }
            return scan
        }
        var key = runsFolder == nil ? nil : VoteCache.DataKey(classCount: dataset.classCount, workerScript: try ProgramApplier.workerScript())
        var frequencies = settings.endModels.isEmpty ? nil : HashedTFIDF.DocumentFrequencies(bits: settings.featureBits)
        var prompting = promptingModel == nil ? nil : promptTemplate.map { PromptingCostEstimate.Tally(template: $0) }
        var gold: [LabelMatrix.Vote] = []
        var stream = try train.open()
        while let chunk = try stream.next(limit: TrainSource.chunkRows) {
            try Task.checkCancellation()
            gold += chunk.labels
            key?.add(chunk.texts)
            frequencies?.count(chunk.texts)
            prompting?.add(chunk.texts)
        }
        return TrainScan(gold: gold, dataKey: key?.finish(), features: frequencies?.fitted(), prompting: prompting)
    }

    /// The votes on every split, the programs' names, and per split the sandbox's reports. The train
    /// split is applied as it streams past, window by window.
    func collectVotes(train: TrainSource?, scan: TrainScan, progress: @escaping @Sendable (LabelingProgress) -> Void) async throws
        -> (matrices: [SplitName: LabelMatrix], names: [String], reports: [SplitName: [ProgramReport]]) {
        var matrices: [SplitName: LabelMatrix] = [:]
        var reports: [SplitName: [ProgramReport]] = [:]
        switch votes {
        case .datasetWeakLabels:
            var splits = dataset.splits
            if let rows = train?.inMemory { splits[.train] = rows }
            for (split, rows) in splits {
                guard let weak = rows.weakLabels else {
                    throw LabelModelError("\(dataset.name) has no weak_labels in its \(split.rawValue) split; use labeling programs")
                }
                matrices[split] = LabelMatrix(rows: weak)
            }
            guard matrices[.train] != nil else { throw LabelModelError("the dataset's own weak labels need its train split in memory") }
            return (matrices, (0..<(matrices[.train]?.columns ?? 0)).map { "LF\($0 + 1)" }, [:])
        case .programs(let programs):
            let applier = ProgramApplier(settings: sandbox)
            let cache = runsFolder.map { VoteCache(runsFolder: $0, dataset: dataset.name) }
            let workerScript = cache == nil ? "" : try ProgramApplier.workerScript()
            for split in SplitName.allCases {
                let inMemory = split == .train ? nil : dataset.splits[split]
                guard (split == .train && train != nil) || inMemory != nil else { continue }
                try Task.checkCancellation()
                let step = LabelingStep.apply(split)
                let rowCount = inMemory?.count ?? scan.gold.count
                let total = rowCount * programs.count
                progress(.step(step, done: 0, total: total))
                // Unchanged programs on unchanged texts vote as they did: their votes come from the cache.
                let key = cache == nil ? nil : inMemory.map {
                    VoteCache.dataKey(texts: $0.texts, classCount: dataset.classCount, workerScript: workerScript)
                } ?? scan.dataKey
                // The split's votes, filled column by column: from the cache, then from the sandbox. Made
                // only when the cache has some: else the applier's matrix is the split's, and a large
                // split never holds two copies of its votes while the programs run.
                var matrix: LabelMatrix?
                var splitReports: [ProgramReport?] = programs.map { _ in nil }
                if let cache, let key {
                    for (column, program) in programs.enumerated() {
                        guard let entry = cache.load(source: program.source, dataKey: key, rows: rowCount) else { continue }
                        if matrix == nil { matrix = LabelMatrix(rows: rowCount, columns: programs.count) }
                        matrix?.set(column: column, startRow: 0, votes: entry.votes)
                        splitReports[column] = entry.report
                    }
                }
                let missing = programs.indices.filter { splitReports[$0] == nil }
                let cachedVotes = (programs.count - missing.count) * rowCount
                if missing.count < programs.count {
                    progress(.note("\(split.rawValue): the votes of \(programs.count - missing.count) of \(programs.count) programs come from the vote cache (unchanged programs, unchanged texts)"))
                }
                if !missing.isEmpty {
                    let applied: ApplyOutcome
                    let report: @Sendable (Int, Int) -> Void = { done, _ in progress(.step(step, done: cachedVotes + done, total: total)) }
                    do {
                        if let inMemory {
                            applied = try await applier.apply(missing.map { programs[$0] }, to: inMemory.texts, classCount: dataset.classCount,
                                                              progress: report)
                        } else {
                            guard let train else { continue }
                            applied = try await applier.apply(missing.map { programs[$0] }, windows: RowStreamWindows(try train.open(), byteCount: train.byteCount, knownRows: rowCount),
                                                              classCount: dataset.classCount, progress: report)
                        }
                    } catch {
                        // Once cancelled, the workers may end in other ways; the job's answer is the cancellation.
                        if Task.isCancelled { throw CancellationError() }
                        throw error
                    }
                    guard applied.matrix.rows == rowCount else {
                        throw LabelModelError("the \(split.rawValue) split changed while it was labeled: \(applied.matrix.rows) rows, \(rowCount) before")
                    }
                    // Nothing cached: the applier's matrix is the split's (no copy of a large split's votes).
                    if matrix == nil { matrix = applied.matrix }
                    for (column, program) in missing.enumerated() {
                        let votes = applied.matrix.votes(ofColumn: column)
                        if missing.count < programs.count { matrix?.set(column: program, startRow: 0, votes: votes) }
                        if let cache, let key { cache.store(source: programs[program].source, dataKey: key, votes: votes, report: applied.reports[column]) }
                        splitReports[program] = applied.reports[column]
                    }
                }
                progress(.step(step, done: total, total: total))
                reports[split] = zip(programs, splitReports).compactMap { program, report in
                    guard var report else { return nil }
                    report.name = program.name
                    return report
                }
                matrices[split] = matrix ?? LabelMatrix(rows: rowCount, columns: programs.count)
            }
            return (matrices, programs.map(\.name), reports)
        }
    }

    /// The LF analysis on the valid split (train when there is no valid split), with gold labels
    /// where the split has them, and each program's sandbox faults over all splits.
    func analyse(matrices: [SplitName: LabelMatrix], names: [String], reports: [SplitName: [ProgramReport]], trainGold: [LabelMatrix.Vote])
        -> (analysis: [ProgramAnalysis], totals: MatrixTotals, split: SplitName) {
        let split: SplitName = matrices[.valid] != nil && dataset.splits[.valid] != nil ? .valid : .train
        let gold = split == .train ? trainGold : dataset.splits[split]?.labels.map { LabelMatrix.Vote($0 ?? -1) }
        guard let matrix = matrices[split], let gold, gold.count == matrix.rows else {
            return ([], MatrixTotals(coverage: 0, overlaps: 0, conflicts: 0), split)
        }
        let (statistics, totals) = LabelMatrixAnalysis.analyze(matrix, gold: gold)
        let analysis = statistics.enumerated().map { column, statistic in
            ProgramAnalysis(name: names.indices.contains(column) ? names[column] : "LF\(column + 1)", statistics: statistic,
                            reports: SplitName.allCases.compactMap { reports[$0]?[safeIndex: column] })
        }
        return (analysis, totals, split)
    }
}

extension Array {
    fileprivate subscript(safeIndex index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
