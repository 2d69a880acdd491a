import Foundation

/// What a labeling run is asked to do: a `LabelingJob` hands its settings to the `LabelingRun`.
/// The defaults are the init's.
public struct LabelingSettings: Sendable, Equatable {
    /// Seeded runs per model.
    public var runs: Int
    /// In this order; without valid labels the first is kept.
    public var labelModels: [LabelModelID]
    /// Trained on the best label model's soft labels; empty for none.
    public var endModels: [EndModelID]
    /// 2^featureBits hashed TF-IDF columns for the end models.
    public var featureBits: Int
    /// What rows a label model cannot decide (no vote, or tied classes) are predicted as.
    public var uncovered: UncoveredRows
    /// At most this many covered train rows for the end models, a seeded uniform sample; nil for all.
    public var endModelRows: Int?

    /// Rows on which every program abstains, and rows whose top classes tie.
    /// - `learned` (default): the class most frequent among such rows of the labeled valid split
    ///   (see `UndecidedRows`); without valid labels it behaves as `prior`.
    /// - `prior`: every label model gives no-vote rows the class prior, which predicts the majority
    ///   class; ties are drawn at random (seeded).
    /// - `uniform`: no-vote rows are a uniform tie drawn at random, as snorkel and WRENCH do.
    public enum UncoveredRows: String, Sendable, CaseIterable {
        case learned, prior, uniform
    }

    public init(runs: Int = 5, labelModels: [LabelModelID] = LabelModelID.allCases, endModels: [EndModelID] = EndModelID.allCases,
                featureBits: Int = 18, uncovered: UncoveredRows = .learned, endModelRows: Int? = nil) {
        self.runs = runs
        self.labelModels = labelModels
        self.endModels = endModels
        self.featureBits = featureBits
        self.uncovered = uncovered
        self.endModelRows = endModelRows
    }

    /// The hashed feature columns an end model may ask for: 2^8 to 2^24.
    public static let featureBitsRange = HashedTFIDF.bitsRange

    /// Refuses fewer than one run, no label model, a model named twice, and feature bits out of range.
    public func validate() throws {
        guard runs >= 1 else { throw LabelModelError("runs: must be at least 1") }
        guard Self.featureBitsRange.contains(featureBits) else {
            throw LabelModelError("feature bits: expected \(Self.featureBitsRange.lowerBound)…\(Self.featureBitsRange.upperBound), found \(featureBits)")
        }
        guard !labelModels.isEmpty else { throw LabelModelError("name at least one label model") }
        if let endModelRows, endModelRows < 1 { throw LabelModelError("end model rows: must be at least 1, found \(endModelRows)") }
        if let twice = labelModels.first(where: { id in labelModels.filter { $0 == id }.count > 1 }) {
            throw LabelModelError("label model \"\(twice.rawValue)\" is named twice")
        }
        if let twice = endModels.first(where: { id in endModels.filter { $0 == id }.count > 1 }) {
            throw LabelModelError("end model \"\(twice.rawValue)\" is named twice")
        }
    }
}
