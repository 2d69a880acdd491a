import Foundation

/// A saved run read back: its manifest, its fitted models and, on demand, its votes.
public struct LoadedRun: Sendable {
    public var folder: URL
    public var manifest: RunManifest
    public var labelModel: any LabelModel
    public var endModel: (any EndModel)?
    /// The end model's text features (fitted idf); nil without an end model.
    public var features: HashedTFIDF?

    public var classCount: Int { manifest.classes.count }

    /// - Throws: `ExportError` / `ParameterArchiveError` naming the file that is missing or unreadable.
    public static func load(_ folder: URL) throws -> LoadedRun {
        let manifestURL = folder.appendingPathComponent(RunFolder.manifestFile)
        let manifest: RunManifest
        do {
            manifest = try JSONDecoder().decode(RunManifest.self, from: try Data(contentsOf: manifestURL))
        } catch let error as DecodingError {
            throw ExportError(file: manifestURL.path, reason: "not a run manifest (\(JSONReader.describe(error)))")
        } catch {
            throw ExportError(file: manifestURL.path, reason: "cannot read it (\(error.localizedDescription))")
        }
        guard manifest.format <= RunManifest.formatVersion else {
            throw ExportError(file: manifestURL.path, reason: "written by a newer version (format \(manifest.format))")
        }
        func archive(_ name: String) throws -> ParameterArchive {
            let file = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: file.path) else {
                throw ExportError(file: file.path, reason: "missing")
            }
            return try ParameterArchive(decoding: data, file: file.path)
        }
        let labelModel = try LabelModelID.restore(try archive(manifest.labelModel.file))
        var endModel: (any EndModel)?
        var features: HashedTFIDF?
        if let saved = manifest.endModel {
            let stored = try archive(saved.file)
            endModel = try EndModelID.restore(stored)
            features = try HashedTFIDF(archive: stored)
        }
        return LoadedRun(folder: folder, manifest: manifest, labelModel: labelModel, endModel: endModel, features: features)
    }

    /// The saved votes of one split: the row ids and the matrix, one column per program.
    /// - Throws: `ExportError` when the run has no votes for the split or the file is damaged.
    public func votes(_ split: SplitName) throws -> (ids: [String], matrix: LabelMatrix) {
        var reader = try SavedVotes(run: self, split: split)
        var ids: [String] = []
        var matrix = LabelMatrix(rows: 0, columns: manifest.programs.count)
        while let part = try reader.next(limit: 65_536) {
            ids += part.ids
            matrix.append(part.matrix)
        }
        return (ids, matrix)
    }
}

/// A split's saved votes (`votes/<split>.csv`: `id`, then one `lf_<program>` column per program)
/// read as a stream, a run of rows at a time.
public struct SavedVotes {
    private var table: DelimitedTable
    private let file: URL
    private let columns: Int
    private let classCount: Int

    public init(run: LoadedRun, split: SplitName) throws {
        guard let entry = run.manifest.splits[split.rawValue] else {
            throw ExportError(file: run.folder.path, reason: "the run saved no votes for the \(split.rawValue) split")
        }
        file = run.folder.appendingPathComponent(entry.votes)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder), isFolder.boolValue {
            throw ExportError(file: file.path, reason: "run \(run.manifest.id) was labeled on Spark: its votes are Parquet part files; export it with `alchemist export --engine spark`")
        }
        do {
            table = try DelimitedTable(reader: try ByteReader(file: file), separator: UInt8(ascii: ","))
        } catch {
            throw ExportError(file: file.path, reason: "cannot read it (\(error))")
        }
        let programColumns = run.manifest.programs.map(\.column)
        guard table.columns == ["id"] + programColumns else {
            throw ExportError(file: file.path, reason: "expected the columns id, \(programColumns.joined(separator: ", "))")
        }
        columns = programColumns.count
        classCount = run.classCount
    }

    /// The next rows' ids and votes (at most `limit`), or nil at the end of the file.
    public mutating func next(limit: Int) throws -> (ids: [String], matrix: LabelMatrix)? {
        var ids: [String] = []
        var votes: [LabelMatrix.Vote] = []
        votes.reserveCapacity(min(limit, 65_536) * columns)
        while ids.count < limit, try table.next() {
            ids.append(table.records.isEmpty(0) ? "" : table.records.field(0))
            for column in 0..<columns {
                guard !table.records.isEmpty(column + 1), let vote = Int(table.records.field(column + 1)), vote >= -1, vote < classCount else {
                    throw ExportError(file: file.path, reason: "line \(table.records.line): \(table.columns[column + 1]) is not a vote in -1…\(classCount - 1)")
                }
                votes.append(LabelMatrix.Vote(vote))
            }
        }
        guard !ids.isEmpty else { return nil }
        // Without programs there are rows of no votes: their count is the ids'.
        return (ids, columns == 0 ? LabelMatrix(rows: ids.count, columns: 0) : LabelMatrix(columns: columns, values: votes))
    }
}

/// Where a row's final label came from.
public enum LabelSource: String, Sendable {
    /// At least one program voted: the label model's answer.
    case labelModel = "label_model"
    /// No program voted: the end model's answer from the text.
    case endModel = "end_model"
}

/// One row's labels as every export and prediction gives them.
public struct RowLabel: Sendable, Equatable {
    public var label: Int
    public var source: LabelSource
    /// The label model's probabilities where a program voted, else the end model's.
    public var probabilities: [Double]
    /// Nil when no program voted.
    public var labelModelLabel: Int?
    /// Nil when the run has no end model.
    public var endModelLabel: Int?
}

extension LoadedRun {
    /// The one rule that combines a run's models: where a program voted the label model decides,
    /// elsewhere the end model (when the run has none, the label model's answer for a row without
    /// votes, its prior). Ties go to the lowest class id.
    /// - Parameter votes: one row per text; nil labels from the texts alone (end model only).
    public func label(texts: [String], votes: LabelMatrix?) throws -> [RowLabel] {
        let k = classCount
        var labelProbabilities: ProbabilityMatrix?
        if let votes {
            guard votes.rows == texts.count else { throw LabelModelError("\(votes.rows) vote rows for \(texts.count) texts") }
            labelProbabilities = try labelModel.predictProbabilities(votes)
        }
        var endProbabilities: ProbabilityMatrix?
        if let endModel, let features { endProbabilities = endModel.predictProbabilities(features.transform(texts)) }
        guard labelProbabilities != nil || endProbabilities != nil else {
            throw LabelModelError("run \(manifest.id) has no end model: it can label new texts only with its programs (--with-programs)")
        }
        let labelArgmax = labelProbabilities?.argmax(), endArgmax = endProbabilities?.argmax()
        return texts.indices.map { row -> RowLabel in
            let covered: Bool = votes?.row(row).contains(where: { $0 >= 0 }) ?? false
            let labelLabel: Int? = covered ? labelArgmax?[row] : nil
            let endLabel = endArgmax?[row]
            if covered, let labelProbabilities, let labelLabel {
                return RowLabel(label: labelLabel, source: .labelModel, probabilities: Array(labelProbabilities.row(row)),
                                labelModelLabel: labelLabel, endModelLabel: endLabel)
            }
            if let endProbabilities, let endLabel {
                return RowLabel(label: endLabel, source: .endModel, probabilities: Array(endProbabilities.row(row)),
                                labelModelLabel: nil, endModelLabel: endLabel)
            }
            let probabilities = labelProbabilities.map { Array($0.row(row)) } ?? [Double](repeating: 1 / Double(k), count: k)
            return RowLabel(label: labelArgmax?[row] ?? 0, source: .labelModel, probabilities: probabilities,
                            labelModelLabel: nil, endModelLabel: nil)
        }
    }
}
