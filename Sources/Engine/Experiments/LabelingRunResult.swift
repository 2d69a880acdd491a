import Foundation

/// Mean and (population) standard deviation over seeded runs.
public struct MeanStd: Sendable, Equatable, Codable {
    public var mean: Double
    public var std: Double

    public init(_ values: [Double]) {
        let count = Double(max(values.count, 1))
        let average = values.reduce(0, +) / count
        mean = average
        std = (values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / count).squareRoot()
    }

    public init(mean: Double, std: Double) {
        self.mean = mean
        self.std = std
    }
}

/// Accuracy and F1 (class 1 for two classes, else weighted) of one split over the runs.
public struct SplitScores: Sendable, Equatable, Codable {
    public var accuracy: MeanStd
    public var f1: MeanStd

    public init(accuracy: MeanStd, f1: MeanStd) {
        self.accuracy = accuracy
        self.f1 = f1
    }

    init(_ summaries: [MetricSummary]) {
        accuracy = MeanStd(summaries.map(\.accuracy))
        f1 = MeanStd(summaries.map(\.f1))
    }
}

public struct ModelScores: Sendable, Equatable {
    public var test: SplitScores
    /// Nil when the valid split is absent or unlabeled.
    public var valid: SplitScores?
    /// Mean seconds per fit.
    public var fitSeconds: Double
    /// Per-class precision/recall on test of the run that was best on valid.
    public var testPerClass: [ClassMetrics]

    public init(test: SplitScores, valid: SplitScores?, fitSeconds: Double, testPerClass: [ClassMetrics] = []) {
        self.test = test
        self.valid = valid
        self.fitSeconds = fitSeconds
        self.testPerClass = testPerClass
    }
}

/// Everything a labeling run measured.
public struct LabelingRunResult: Sendable {
    public var dataset: String
    public var programs: Int
    public var programNames: [String]
    public var runs: Int
    public var coverage: [SplitName: Double]
    /// Keyed by label model id, in the order run.
    public var labelModels: [(id: LabelModelID, scores: ModelScores)]
    public var bestLabelModel: LabelModelID
    /// How the best label model and run were chosen on valid.
    public var selectionMetric: SelectionMetric
    /// Train rows with at least one vote: the rows the end models learn from.
    public var trainingRows: Int
    public var endModels: [(id: EndModelID, scores: ModelScores)]
    public var costUSD: Decimal
    public var seconds: Double
    /// The models a saved run keeps: the best label model's kept run and the best end model's.
    public var fitted: FittedModels?

    public init(dataset: String, programs: Int, programNames: [String], runs: Int, coverage: [SplitName: Double],
                labelModels: [(id: LabelModelID, scores: ModelScores)], bestLabelModel: LabelModelID, selectionMetric: SelectionMetric,
                trainingRows: Int, endModels: [(id: EndModelID, scores: ModelScores)], costUSD: Decimal, seconds: Double,
                fitted: FittedModels? = nil) {
        self.dataset = dataset
        self.programs = programs
        self.programNames = programNames
        self.runs = runs
        self.coverage = coverage
        self.labelModels = labelModels
        self.bestLabelModel = bestLabelModel
        self.selectionMetric = selectionMetric
        self.trainingRows = trainingRows
        self.endModels = endModels
        self.costUSD = costUSD
        self.seconds = seconds
        self.fitted = fitted
    }
}

/// One fitted model of a run: the run (seed) kept, and what that run scored on test.
public struct KeptModel<Model: Sendable>: Sendable {
    public var model: Model
    public var seed: Int
    public var test: MetricSummary
}

/// The fitted models of a labeling run, in memory, for `RunFolder` to save.
public struct FittedModels: Sendable {
    /// The best label model (its id is `LabelingRunResult.bestLabelModel`), from the run best on valid.
    public var labelModel: KeptModel<any LabelModel>
    /// The end model best on valid, from its run best on valid; nil when no end model was trained.
    public var endModel: (id: EndModelID, kept: KeptModel<any EndModel>)?
    /// The end models' hashed TF-IDF features have 2^featureBits columns, fitted on the train texts.
    public var featureBits: Int
    /// Those features as fitted (nil when no end model was trained).
    public var features: HashedTFIDF?
}

/// The valid-split metric the best label model and run are chosen by (`LabelingRun.selectionMetric`).
public enum SelectionMetric: String, Sendable, Equatable {
    case f1, accuracy
    /// No labeled valid rows: the first listed model and its first run are kept, never chosen on test.
    case none
}
