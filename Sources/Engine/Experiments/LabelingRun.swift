import Foundation

/// The original tool's "label time": label models × seeded runs on the programs' votes, then end
/// models × runs on the soft labels of the best label model's best run.
public struct LabelingRun: Sendable {
    public static let labelModelIDs = ["mv", "wmv", "ds", "snorkel", "fs"]
    public static let endModelIDs = ["lr", "mlp"]

    public var runs = 5
    public var labelModels = LabelingRun.labelModelIDs
    public var endModels = LabelingRun.endModelIDs
    /// 2^featureBits hashed TF-IDF columns for the end models.
    public var featureBits = 18
    /// Where text features are kept between runs; nil computes them every time.
    public var featureCache: FeatureCache?
    /// What rows without any vote are predicted as when scoring label models.
    public var uncovered = UncoveredRows.prior

    /// Rows on which every program abstains: every label model gives them the class prior, which
    /// predicts the majority class. snorkel and WRENCH instead treat them as a uniform tie and
    /// break it at random; `.uniform` does the same, for comparisons with their figures.
    public enum UncoveredRows: String, Sendable, CaseIterable {
        case prior, uniform
    }

    public init() {}

    public static func makeLabelModel(_ id: String) throws -> any LabelModel {
        switch id {
        case "mv": return MajorityVote()
        case "wmv": return WeightedMajorityVote()
        case "ds": return DawidSkene()
        case "snorkel": return SnorkelLabelModel()
        case "fs": return FlyingSquid()
        default: throw LabelModelError("unknown label model \"\(id)\" (known: \(labelModelIDs.joined(separator: ", ")))")
        }
    }

    public static func makeEndModel(_ id: String) throws -> any EndModel {
        switch id {
        case "lr": return LogisticRegression()
        case "mlp": return MultilayerPerceptron()
        default: throw LabelModelError("unknown end model \"\(id)\" (known: \(endModelIDs.joined(separator: ", ")))")
        }
    }

    /// - Parameters:
    ///   - matrices: votes on train, valid and test (valid may be absent).
    ///   - progress: short descriptions of the step in progress.
    public func run(dataset: Dataset, programNames: [String], matrices: [SplitName: LabelMatrix], cost: Decimal,
                    progress: @Sendable (String) -> Void = { _ in }) throws -> LabelingRunResult {
        let started = ContinuousClock.now
        let k = dataset.classCount
        let train = try dataset.split(.train), test = try dataset.split(.test)
        guard let trainVotes = matrices[.train], let testVotes = matrices[.test] else {
            throw LabelModelError("a labeling run needs votes on the train and test splits")
        }
        guard test.isLabeled else {
            throw LabelModelError("the test split of \(dataset.name) has unlabeled rows: metrics need gold labels on test")
        }
        let testGold = test.labels.map { $0 ?? 0 }
        var validation: LabeledMatrix?
        if let valid = dataset.splits[.valid], valid.isLabeled, let votes = matrices[.valid] {
            validation = LabeledMatrix(matrix: votes, labels: valid.labels.map { $0 ?? 0 })
        }
        let selection = Self.selectionMetric(classCount: k, validLabels: validation?.labels)
        func score(_ summary: MetricSummary) -> Double { selection == "f1" ? summary.f1 : summary.accuracy }

        var coverage: [SplitName: Double] = [:]
        for (split, votes) in matrices { coverage[split] = Metrics.coverage(votes) }

        // Label models.
        var labelResults: [(id: String, scores: ModelScores)] = []
        var best: (id: String, score: Double, probabilities: ProbabilityMatrix)?
        for id in labelModels {
            var testSummaries: [MetricSummary] = [], validSummaries: [MetricSummary] = []
            var fitTime = 0.0
            var bestRun: (score: Double, probabilities: ProbabilityMatrix, perClass: [ClassMetrics])?
            for run in 0..<runs {
                progress("label model \(id), run \(run + 1)/\(runs)")
                var model = try Self.makeLabelModel(id)
                let fitStart = ContinuousClock.now
                try model.fit(trainVotes, classCount: k, validation: validation, seed: UInt64(run))
                fitTime += (ContinuousClock.now - fitStart).seconds
                let tieBreak = TieBreakPolicy.random(seed: UInt64(run))
                let testSummary = try Metrics.summary(predicted: try predict(model, testVotes, tieBreak), gold: testGold, classCount: k)
                testSummaries.append(testSummary)
                var runScore = score(testSummary)  // without valid labels, runs are compared on nothing better
                if let validation {
                    let validSummary = try Metrics.summary(predicted: try predict(model, validation.matrix, tieBreak),
                                                           gold: validation.labels, classCount: k)
                    validSummaries.append(validSummary)
                    runScore = score(validSummary)
                }
                if bestRun == nil || runScore > bestRun!.score {
                    bestRun = (runScore, try model.predictProbabilities(trainVotes), testSummary.perClass)
                }
            }
            let scores = ModelScores(test: SplitScores(testSummaries), valid: validSummaries.isEmpty ? nil : SplitScores(validSummaries),
                                     fitSeconds: fitTime / Double(max(runs, 1)), testPerClass: bestRun?.perClass ?? [])
            labelResults.append((id, scores))
            let modelScore = validSummaries.isEmpty ? score(testSummaries.first!) : (selection == "f1" ? scores.valid!.f1.mean : scores.valid!.accuracy.mean)
            if let bestRun, best == nil || modelScore > best!.score { best = (id, modelScore, bestRun.probabilities) }
        }
        guard let best else { throw LabelModelError("no label model to run") }

        // End models on the soft labels of the covered train rows.
        let covered = (0..<trainVotes.rows).filter { row in trainVotes.row(row).contains { $0 >= 0 } }
        var endResults: [(id: String, scores: ModelScores)] = []
        if !endModels.isEmpty {
            guard !covered.isEmpty else { throw LabelModelError("the programs vote on no train row: nothing for the end models to learn") }
            progress("text features")
            // Fitted on all train texts; one matrix for all splits, so the cache holds a dataset once.
            let splitTexts = [train.texts, dataset.splits[.valid]?.texts ?? [], test.texts]
            let allTexts = splitTexts.flatMap { $0 }
            let all: SparseMatrix
            if let featureCache {
                all = featureCache.features(fitTexts: train.texts, texts: allTexts, bits: featureBits)
            } else {
                var source = HashedTFIDF(bits: featureBits)
                source.fit(train.texts)
                all = source.transform(allTexts)
            }
            let validStart = splitTexts[0].count, testStart = validStart + splitTexts[1].count
            let trainFeatures = all.rows(covered)
            var targets = ProbabilityMatrix(rows: covered.count, classes: k)
            for (index, row) in covered.enumerated() {
                for label in 0..<k { targets[index, label] = best.probabilities[row, label] }
            }
            let testFeatures = all.rows(Array(testStart..<(testStart + test.count)))
            let validData = validation.map { (all.rows(Array(validStart..<testStart)), $0.labels) }
            for id in endModels {
                var testSummaries: [MetricSummary] = [], validSummaries: [MetricSummary] = []
                var fitTime = 0.0
                var bestRun: (score: Double, perClass: [ClassMetrics])?
                for run in 0..<runs {
                    progress("end model \(id), run \(run + 1)/\(runs)")
                    var model = try Self.makeEndModel(id)
                    let fitStart = ContinuousClock.now
                    try model.fit(trainFeatures, targets: targets, validation: validData, seed: UInt64(run))
                    fitTime += (ContinuousClock.now - fitStart).seconds
                    let testSummary = try Metrics.summary(predicted: model.predict(testFeatures), gold: testGold, classCount: k)
                    testSummaries.append(testSummary)
                    var runScore = score(testSummary)
                    if let validData {
                        let validSummary = try Metrics.summary(predicted: model.predict(validData.0), gold: validData.1, classCount: k)
                        validSummaries.append(validSummary)
                        runScore = score(validSummary)
                    }
                    if bestRun == nil || runScore > bestRun!.score { bestRun = (runScore, testSummary.perClass) }
                }
                endResults.append((id, ModelScores(test: SplitScores(testSummaries), valid: validSummaries.isEmpty ? nil : SplitScores(validSummaries),
                                                   fitSeconds: fitTime / Double(max(runs, 1)), testPerClass: bestRun?.perClass ?? [])))
            }
        }
        return LabelingRunResult(
            dataset: dataset.name, programs: trainVotes.columns, programNames: programNames, runs: runs, coverage: coverage,
            labelModels: labelResults, bestLabelModel: best.id, selectionMetric: selection, trainingRows: covered.count,
            endModels: endResults, costUSD: cost, seconds: (ContinuousClock.now - started).seconds)
    }

    /// The model's predictions, with rows that have no vote handled as `uncovered` says.
    func predict(_ model: any LabelModel, _ votes: LabelMatrix, _ tieBreak: TieBreakPolicy) throws -> [Int] {
        var probabilities = try model.predictProbabilities(votes)
        if uncovered == .uniform {
            for row in 0..<votes.rows where !votes.row(row).contains(where: { $0 >= 0 }) {
                for label in 0..<probabilities.classes { probabilities[row, label] = 1 / Double(probabilities.classes) }
            }
        }
        return probabilities.argmax(tieBreak: tieBreak)
    }

    /// F1 for two-class tasks whose minority class is under 30 % of valid (sms-like), else accuracy.
    static func selectionMetric(classCount: Int, validLabels: [Int]?) -> String {
        guard classCount == 2, let labels = validLabels, !labels.isEmpty else { return "accuracy" }
        let positives = Double(labels.filter { $0 == 1 }.count) / Double(labels.count)
        return min(positives, 1 - positives) < 0.3 ? "f1" : "accuracy"
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
