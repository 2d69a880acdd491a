import Foundation

/// The original tool's "label time": label models × seeded runs on the programs' votes, then end
/// models × runs on the soft labels of the best label model's best run.
public struct LabelingRun: Sendable {
    public var settings: LabelingSettings

    public init(settings: LabelingSettings = LabelingSettings()) { self.settings = settings }

    /// A run on a dataset in memory: its train split is read from there, its votes from `matrices`.
    public func run(dataset: Dataset, programNames: [String], matrices: [SplitName: LabelMatrix], cost: Decimal,
                    progress: @Sendable (LabelingProgress) -> Void = { _ in }) throws -> LabelingRunResult {
        guard let votes = matrices[.train] else { throw LabelModelError("a labeling run needs votes on the train and test splits") }
        try LabelModelInput.validate(votes, classCount: dataset.classCount, validation: nil)
        return try run(dataset: dataset, train: .local(votes, train: TrainSource(rows: try dataset.split(.train))), programNames: programNames,
                       matrices: matrices, cost: cost, progress: progress)
    }

    /// - Parameters:
    ///   - dataset: its valid and test splits (in memory).
    ///   - train: the train split's votes as patterns, its features and its end-model rows.
    ///   - matrices: votes on valid and test (valid may be absent); a train entry is not read.
    ///   - progress: `.step` counts of each model's runs and of the text features, as they finish.
    /// - Throws: `CancellationError` between runs once the current task is cancelled.
    public func run(dataset: Dataset, train: TrainVotes, programNames: [String],
                    matrices: [SplitName: LabelMatrix], cost: Decimal,
                    progress: @Sendable (LabelingProgress) -> Void = { _ in }) throws -> LabelingRunResult {
        let started = ContinuousClock.now
        let k = dataset.classCount
        let test = try dataset.split(.test)
        guard let testVotes = matrices[.test] else { throw LabelModelError("a labeling run needs votes on the train and test splits") }
        guard test.isLabeled else {
            throw LabelModelError("the test split of \(dataset.name) has unlabeled rows: metrics need gold labels on test")
        }
        let testGold = test.labels.map { $0 ?? 0 }
        var validation: LabeledMatrix?
        if let valid = dataset.splits[.valid], valid.isLabeled, let votes = matrices[.valid] {
            validation = LabeledMatrix(matrix: votes, labels: valid.labels.map { $0 ?? 0 })
        }
        let selection = Self.selectionMetric(classCount: k, validLabels: validation?.labels)
        let validGold = validation?.labels

        var coverage: [SplitName: Double] = [.train: train.coverage]
        for (split, votes) in matrices where split != .train { coverage[split] = Metrics.coverage(votes) }

        // Label models, fitted from the train votes' patterns (counted once) and predicting once per
        // pattern. The best is chosen on valid only: without valid labels, the first model and its
        // first run are kept, never a choice made on test.
        let trainPatterns = train.patterns
        try LabelModelInput.validate(trainPatterns.votes, classCount: k, validation: validation)
        var labelResults: [(id: LabelModelID, scores: ModelScores)] = []
        var best: (id: LabelModelID, score: Double, perPattern: ProbabilityMatrix, kept: KeptModel<any LabelModel>)?
        for id in settings.labelModels {
            let outcome = try seededRuns(.labelModel(id), testGold: testGold, validGold: validGold, classCount: k,
                                         selection: selection, progress: progress) { run in
                var model = id.make()
                let fitStart = ContinuousClock.now
                try model.fit(trainPatterns, classCount: k, validation: validation, seed: UInt64(run))
                let fitSeconds = (ContinuousClock.now - fitStart).seconds
                let tieBreak = TieBreakPolicy.random(seed: UInt64(run))
                let fitted = model
                let predictions = try predict(model, test: testVotes, validation: validation, tieBreak)
                return RunResult(fitSeconds: fitSeconds, test: predictions.test, valid: predictions.valid,
                                 keep: { (fitted, try fitted.predictProbabilities(trainPatterns.votes)) })
            }
            labelResults.append((id, outcome.scores))
            if best.map({ outcome.validScore > $0.score }) ?? true {
                best = (id, outcome.validScore, outcome.kept.1,
                        KeptModel(model: outcome.kept.0, seed: outcome.keptSeed, test: outcome.keptTest))
            }
        }
        guard let best else { throw LabelModelError("no label model to run") }

        // End models on the soft labels of the covered train rows (a seeded sample of them when
        // `endModelRows` caps it), gathered block by block from a pass over the train split.
        var endResults: [(id: EndModelID, scores: ModelScores)] = []
        var bestEnd: (id: EndModelID, score: Double, kept: KeptModel<any EndModel>)?
        var fittedFeatures: HashedTFIDF?
        var trainingRows = 0
        if !settings.endModels.isEmpty {
            progress(.step(.features, done: 0, total: 1))
            let source = try train.features(settings.featureBits)
            fittedFeatures = source
            let rows = try train.gather(best.perPattern, source, settings.endModelRows)
            trainingRows = rows.rowCount
            guard trainingRows > 0 else { throw LabelModelError("the programs vote on no train row: nothing for the end models to learn") }
            let testFeatures = source.transform(test.texts)
            let validData = validation.flatMap { labeled in
                dataset.splits[.valid].map { (features: source.transform($0.texts), labels: labeled.labels) }
            }
            progress(.step(.features, done: 1, total: 1))
            for id in settings.endModels {
                let outcome = try seededRuns(.endModel(id), testGold: testGold, validGold: validGold, classCount: k,
                                             selection: selection, progress: progress) { run in
                    var model = id.make()
                    let fitStart = ContinuousClock.now
                    try model.fit(rows, validation: validData, seed: UInt64(run))
                    let fitted = model
                    return RunResult(fitSeconds: (ContinuousClock.now - fitStart).seconds, test: model.predict(testFeatures),
                                     valid: validData.map { model.predict($0.features) }, keep: { fitted })
                }
                endResults.append((id, outcome.scores))
                if bestEnd.map({ outcome.validScore > $0.score }) ?? true {
                    bestEnd = (id, outcome.validScore, KeptModel(model: outcome.kept, seed: outcome.keptSeed, test: outcome.keptTest))
                }
            }
        }
        return LabelingRunResult(
            dataset: dataset.name, programs: trainPatterns.columns, programNames: programNames, runs: settings.runs, coverage: coverage,
            labelModels: labelResults, bestLabelModel: best.id, selectionMetric: selection, trainingRows: trainingRows,
            endModels: endResults, costUSD: cost, seconds: (ContinuousClock.now - started).seconds,
            fitted: FittedModels(labelModel: best.kept, endModel: bestEnd.map { ($0.id, $0.kept) },
                                 featureBits: settings.featureBits, features: fittedFeatures))
    }

    /// The text features fitted on every train text, in one pass over the split.
    static func fitFeatures(_ train: TrainSource, bits: Int) throws -> HashedTFIDF {
        var counter = HashedTFIDF.DocumentFrequencies(bits: bits)
        var stream = try train.open()
        while let chunk = try stream.next(limit: TrainSource.chunkRows) {
            try Task.checkCancellation()
            counter.count(chunk.texts)
        }
        return counter.fitted()
    }

    /// What one seeded run of a model produced; `keep` is evaluated only for the run that is kept.
    struct RunResult<Kept> {
        var fitSeconds: Double
        var test: [Int]
        var valid: [Int]?
        var keep: () throws -> Kept
    }

    /// Runs a model `runs` times with seeds 0, 1, …: mean ± std on test and valid, mean fit time, and
    /// what `keep` returns for the run best on valid (the first run when there is no valid split).
    func seededRuns<Kept>(_ step: LabelingStep, testGold: [Int], validGold: [Int]?, classCount k: Int, selection: SelectionMetric,
                          progress: (LabelingProgress) -> Void, run body: (Int) throws -> RunResult<Kept>)
        throws -> (scores: ModelScores, kept: Kept, validScore: Double, keptSeed: Int, keptTest: MetricSummary) {
        func score(_ summary: MetricSummary) -> Double { selection == .f1 ? summary.f1 : summary.accuracy }
        var testSummaries: [MetricSummary] = [], validSummaries: [MetricSummary] = []
        var fitTime = 0.0
        var kept: (score: Double, value: Kept, seed: Int, test: MetricSummary)?
        let name = step.description
        let total = max(settings.runs, 1)
        for run in 0..<total {
            try Task.checkCancellation()
            progress(.step(step, done: run, total: total))
            let result = try body(run)
            fitTime += result.fitSeconds
            let testSummary = try Metrics.summary(predicted: result.test, gold: testGold, classCount: k)
            testSummaries.append(testSummary)
            var runScore = 0.0  // no valid labels: every run scores the same, so the first is kept
            if let valid = result.valid, let validGold {
                let validSummary = try Metrics.summary(predicted: valid, gold: validGold, classCount: k)
                validSummaries.append(validSummary)
                runScore = score(validSummary)
            }
            if kept.map({ runScore > $0.score }) ?? true { kept = (runScore, try result.keep(), run, testSummary) }
        }
        progress(.step(step, done: total, total: total))
        guard let kept else { throw LabelModelError("\(name): no run") }
        let valid = validSummaries.isEmpty ? nil : SplitScores(validSummaries)
        let scores = ModelScores(test: SplitScores(testSummaries), valid: valid, fitSeconds: fitTime / Double(total),
                                 testPerClass: kept.test.perClass)
        let validScore = valid.map { selection == .f1 ? $0.f1.mean : $0.accuracy.mean } ?? 0
        return (scores, kept.value, validScore, kept.seed, kept.test)
    }

    /// The model's predictions, with rows that have no vote handled as `uncovered` says.
    func predict(_ model: any LabelModel, _ votes: LabelMatrix, _ tieBreak: TieBreakPolicy) throws -> [Int] {
        var probabilities = try model.predictProbabilities(votes)
        if settings.uncovered == .uniform { UndecidedRows.uniformUncovered(&probabilities, votes) }
        return probabilities.argmax(tieBreak: tieBreak)
    }

    /// Test and valid predictions. With `learned` and valid labels, undecided rows of both splits
    /// are resolved by what the valid split's undecided rows were (so the valid score of the
    /// undecided rows is in-sample: slightly optimistic, the same way for every model).
    func predict(_ model: any LabelModel, test: LabelMatrix, validation: LabeledMatrix?,
                 _ tieBreak: TieBreakPolicy) throws -> (test: [Int], valid: [Int]?) {
        guard settings.uncovered == .learned, let validation else {
            return (try predict(model, test, tieBreak), try validation.map { try predict(model, $0.matrix, tieBreak) })
        }
        var validProbabilities = try model.predictProbabilities(validation.matrix)
        var testProbabilities = try model.predictProbabilities(test)
        UndecidedRows.uniformUncovered(&validProbabilities, validation.matrix)
        UndecidedRows.uniformUncovered(&testProbabilities, test)
        let resolver = UndecidedRows(probabilities: validProbabilities, votes: validation.matrix, gold: validation.labels)
        return (resolver.predict(testProbabilities, test, tieBreak: tieBreak),
                resolver.predict(validProbabilities, validation.matrix, tieBreak: tieBreak))
    }

    /// F1 for two-class tasks whose minority class is under 30 % of valid (sms-like), else accuracy;
    /// none without valid labels (the first model and run are kept).
    static func selectionMetric(classCount: Int, validLabels: [Int]?) -> SelectionMetric {
        guard let labels = validLabels, !labels.isEmpty else { return .none }
        guard classCount == 2 else { return .accuracy }
        let positives = Double(labels.filter { $0 == 1 }.count) / Double(labels.count)
        return min(positives, 1 - positives) < 0.3 ? .f1 : .accuracy
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
