import Foundation

/// `run.json` of a saved labeling run: what a later export or prediction needs to read the run back
/// (the dataset, its classes, the programs with their SHA-256, the saved models and seeds, the vote
/// files), beside the run's settings and metrics for a reader.
public struct RunManifest: Codable, Sendable, Equatable {
    public static let formatVersion = 1

    public var format: Int
    public var id: String
    public var created: String
    public var engineVersion: String
    public var dataset: String
    public var classes: [String]
    /// `programs` or `dataset_weak_labels` (the WRENCH votes that came with the dataset).
    public var votes: String
    public var programs: [Program]
    public var settings: Settings
    public var labelModel: SavedModel
    /// Nil when the run trained no end model.
    public var endModel: SavedModel?
    /// Per split: its row count and the file with its votes.
    public var splits: [String: SplitFile]
    public var programsCostUSD: USD
    /// `spark` when the votes were applied on Spark (the vote files are folders of Parquet part
    /// files); nil for this machine.
    public var engine: String?

    public struct Program: Codable, Sendable, Equatable {
        public var name: String
        /// The vote column's name in exports (`ProgramColumns`).
        public var column: String
        /// The file the votes came from; nil for the dataset's own labeling functions.
        public var path: String?
        public var sha256: String?
        public var costUSD: USD
    }

    public struct Settings: Codable, Sendable, Equatable {
        public var runs: Int
        public var labelModels: [LabelModelID]
        public var endModels: [EndModelID]
        public var featureBits: Int
        public var uncovered: String
        public var selectionMetric: String
    }

    /// A fitted model kept by the run: the seed of its run and what that run scored on test.
    public struct SavedModel: Codable, Sendable, Equatable {
        public var id: String
        public var file: String
        public var seed: Int
        public var testAccuracy: Double
        public var testF1: Double
    }

    public struct SplitFile: Codable, Sendable, Equatable {
        public var rows: Int
        public var votes: String
    }

    enum CodingKeys: String, CodingKey {
        case format, id, created, dataset, classes, votes, programs, settings, splits
        case engineVersion = "engine_version", labelModel = "label_model", endModel = "end_model"
        case programsCostUSD = "programs_cost_usd", engine
    }
}

extension RunManifest.Program {
    enum CodingKeys: String, CodingKey {
        case name, column, path, sha256
        case costUSD = "cost_usd"
    }
}

extension RunManifest.Settings {
    enum CodingKeys: String, CodingKey {
        case runs, uncovered
        case labelModels = "label_models", endModels = "end_models", featureBits = "feature_bits", selectionMetric = "selection_metric"
    }
}

extension RunManifest.SavedModel {
    enum CodingKeys: String, CodingKey {
        case id, file, seed
        case testAccuracy = "test_accuracy", testF1 = "test_f1"
    }
}
