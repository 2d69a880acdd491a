import Foundation

/// Where a saved labeling run is and what it is called.
public struct SavedRun: Sendable, Equatable {
    public var id: String
    public var folder: URL

    public init(id: String, folder: URL) {
        self.id = id
        self.folder = folder
    }
}

/// A labeling run kept on disk under `<app home>/runs/<dataset>/<run id>/`: `run.json`
/// (`RunManifest` plus the run's metrics), the best label model (`label-model.bin`), the best end
/// model with its text features (`end-model.bin`), and the votes of every split
/// (`votes/<split>.csv`: `id`, then one `lf_<program>` column per program).
public enum RunFolder {
    public static let manifestFile = "run.json"
    static let labelModelFile = "label-model.bin"
    static let endModelFile = "end-model.bin"

    /// What a run saves beside its result.
    public struct Contents: Sendable {
        /// Its valid and test splits; train comes from `train`.
        public var dataset: Dataset
        /// The train split's rows, for the ids of its votes (nil when a Spark job's files hold them).
        public var train: TrainSource?
        public var result: LabelingRunResult
        public var matrices: [SplitName: LabelMatrix]
        /// The programs applied, in column order; nil for the dataset's own weak labels.
        public var programs: [LabelingProgram]?
        public var settings: LabelingSettings
        /// Splits whose votes a Spark job wrote (a folder of Parquet part files and its rows): moved
        /// into the run as they are, instead of a CSV written from `matrices`.
        public var sparkVotes: [SplitName: (folder: URL, rows: Int)] = [:]
    }

    /// Writes the run into a hidden folder, then renames it into place.
    /// - Throws: `ExportError` when the folder cannot be written; `LabelModelError` when the result
    ///   carries no fitted models.
    public static func save(_ contents: Contents, runsFolder: URL, id: String = RunID.make()) throws -> SavedRun {
        let result = contents.result, dataset = contents.dataset
        guard let fitted = result.fitted else { throw LabelModelError("the labeling run kept no fitted model to save") }
        let parent = runsFolder.appendingPathComponent(dataset.name)
        let target = parent.appendingPathComponent(id)
        let staging = parent.appendingPathComponent(".\(id).saving")
        do {
            try FileManager.default.createDirectory(at: staging.appendingPathComponent("votes"), withIntermediateDirectories: true)
            let columnNames = columns(contents)
            var splits: [String: RunManifest.SplitFile] = [:]
            for split in SplitName.allCases {
                if let (folder, rows) = contents.sparkVotes[split] {
                    let file = "votes/\(split.rawValue).parquet"
                    try FileManager.default.moveItem(at: folder, to: staging.appendingPathComponent(file))
                    splits[split.rawValue] = RunManifest.SplitFile(rows: rows, votes: file)
                    continue
                }
                guard let matrix = contents.matrices[split] else { continue }
                var rows: any RowStream
                if split == .train, let train = contents.train {
                    rows = try train.open()
                } else if let inMemory = dataset.splits[split] {
                    rows = try TrainSource(rows: inMemory).open()
                } else {
                    continue
                }
                let file = "votes/\(split.rawValue).csv"
                try writeVotes(matrix, ids: &rows, columns: columnNames, to: staging.appendingPathComponent(file))
                splits[split.rawValue] = RunManifest.SplitFile(rows: matrix.rows, votes: file)
            }
            try AtomicFile.write(try LabelModelID.archive(fitted.labelModel.model).encoded(),
                                 to: staging.appendingPathComponent(labelModelFile))
            var endModel: RunManifest.SavedModel?
            if let (endID, kept) = fitted.endModel.map({ ($0.id, $0.kept) }) {
                var archive = try EndModelID.archive(kept.model)
                guard let features = fitted.features else { throw LabelModelError("the labeling run kept an end model without its text features") }
                features.archive(into: &archive)
                archive.names["classes"] = dataset.labelNames
                try AtomicFile.write(try archive.encoded(), to: staging.appendingPathComponent(endModelFile))
                endModel = RunManifest.SavedModel(id: endID.rawValue, file: endModelFile, seed: kept.seed,
                                                  testAccuracy: kept.test.accuracy, testF1: kept.test.f1)
            }
            let label = fitted.labelModel
            let manifest = RunManifest(
                format: RunManifest.formatVersion, id: id, created: ISO8601DateFormatter().string(from: Date()),
                engineVersion: EngineInfo.version, dataset: dataset.name, classes: dataset.labelNames,
                votes: contents.programs == nil ? "dataset_weak_labels" : "programs",
                programs: programEntries(contents, columns: columnNames),
                settings: RunManifest.Settings(runs: contents.settings.runs, labelModels: result.labelModels.map(\.id),
                                               endModels: result.endModels.map(\.id), featureBits: contents.settings.featureBits,
                                               uncovered: contents.settings.uncovered.rawValue, selectionMetric: result.selectionMetric.rawValue),
                labelModel: RunManifest.SavedModel(id: result.bestLabelModel.rawValue, file: labelModelFile, seed: label.seed,
                                                   testAccuracy: label.test.accuracy, testF1: label.test.f1),
                endModel: endModel, splits: splits, programsCostUSD: USD(result.costUSD),
                engine: contents.sparkVotes.isEmpty ? nil : "spark")
            try AtomicFile.write(try manifestData(manifest, metrics: result.reportObject), to: staging.appendingPathComponent(manifestFile))
            if rename(staging.path, target.path) != 0 {
                throw ExportError(file: target.path, reason: "cannot move the saved run into place (\(String(cString: strerror(errno))))")
            }
            return SavedRun(id: id, folder: target)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    static func columns(_ contents: Contents) -> [String] {
        if let programs = contents.programs { return ProgramColumns.names(for: programs) }
        return contents.result.programNames.map { "lf_" + $0 }
    }

    static func programEntries(_ contents: Contents, columns: [String]) -> [RunManifest.Program] {
        guard let programs = contents.programs else {
            return zip(contents.result.programNames, columns).map {
                RunManifest.Program(name: $0, column: $1, path: nil, sha256: nil, costUSD: .zero)
            }
        }
        return zip(programs, columns).map { program, column in
            RunManifest.Program(name: program.name, column: column, path: program.path?.path,
                                sha256: ContentHash.sha256Hex(program.source), costUSD: program.totalCost)
        }
    }

    /// The manifest's keys, with the run's metrics beside them.
    static func manifestData(_ manifest: RunManifest, metrics: [String: Any]) throws -> Data {
        let encoder = JSONEncoder()
        var object = try JSONSerialization.jsonObject(with: try encoder.encode(manifest)) as? [String: Any] ?? [:]
        object["metrics"] = metrics
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// One line per row: the id `ids` streams, then the row's votes.
    static func writeVotes(_ matrix: LabelMatrix, ids: inout any RowStream, columns: [String], to file: URL) throws {
        let writer = try TableWriter(to: file, format: .csv, columns: ["id"] + columns)
        var row = 0
        while let chunk = try ids.next(limit: TrainSource.chunkRows) {
            guard row + chunk.count <= matrix.rows else { break }
            for id in chunk.ids {
                try writer.write([.text(id)] + matrix.row(row).map { .integer(Int($0)) })
                row += 1
            }
        }
        guard row == matrix.rows else {
            throw ExportError(file: file.path, reason: "the split has other rows than it had when it was labeled (\(matrix.rows) votes)")
        }
        try writer.finish()
    }

    // MARK: Finding runs

    /// A run by its folder's path, or by its id under `runsFolder` (any dataset); `latest` is the
    /// newest run of all.
    /// - Throws: `ExportError` saying where it looked.
    public static func resolve(_ idOrPath: String, runsFolder: URL) throws -> URL {
        let asPath = URL(fileURLWithPath: (idOrPath as NSString).expandingTildeInPath)
        if FileManager.default.fileExists(atPath: asPath.appendingPathComponent(manifestFile).path) { return asPath }
        let runs = list(runsFolder: runsFolder)
        if idOrPath == "latest", let newest = runs.last { return newest.folder }
        if let match = runs.first(where: { $0.id == idOrPath }) { return match.folder }
        let known = runs.suffix(5).map(\.id).joined(separator: ", ")
        throw ExportError(file: idOrPath, reason: "no saved run with this id or path under \(runsFolder.path)" + (known.isEmpty ? " (there is none yet: run `alchemist label`)" : " (newest: \(known))"))
    }

    /// Saved runs, oldest first (ids sort by time), optionally of one dataset.
    public static func list(runsFolder: URL, dataset: String? = nil) -> [SavedRun] {
        let manager = FileManager.default
        let datasets = dataset.map { [$0] } ?? ((try? manager.contentsOfDirectory(atPath: runsFolder.path)) ?? []).filter { !$0.hasPrefix(".") }
        var runs: [SavedRun] = []
        for name in datasets {
            let folder = runsFolder.appendingPathComponent(name)
            for id in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where !id.hasPrefix(".") {
                let run = folder.appendingPathComponent(id)
                if manager.fileExists(atPath: run.appendingPathComponent(manifestFile).path) { runs.append(SavedRun(id: id, folder: run)) }
            }
        }
        return runs.sorted { $0.id < $1.id }
    }
}

extension RunManifest {
    /// One line per saved run for listings: id, dataset, programs, the kept models and their test accuracy.
    public var summaryLine: String {
        var text = "\(id)  \(dataset)  \(programs.count) \(votes == "programs" ? "programs" : "weak-label columns")"
        text += String(format: "  label model %@ (test acc %.3f)", labelModel.id, labelModel.testAccuracy)
        if let endModel { text += String(format: "  end model %@ (test acc %.3f)", endModel.id, endModel.testAccuracy) }
        return text
    }
}
