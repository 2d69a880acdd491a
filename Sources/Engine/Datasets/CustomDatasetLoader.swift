import Foundation

/// The `dataset.json` that describes a user's own dataset folder.
public struct CustomDatasetManifest: Sendable, Equatable {
    public var name: String
    public var description: String
    public var classes: [String]
    public var textField: String
    public var labelField: String
    /// wrench, csv, tsv, jsonl or parquet; nil means: find out from the files present.
    public var format: DatasetFormat?

    public static func read(_ file: URL) throws -> CustomDatasetManifest {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw DatasetError(file: file.path, reason: "cannot read the file (\(JSONReader.describe(error)))")
        }
        do {
            var reader = try JSONReader.parse(data, file: file.path)
            let formatName = try reader.optionalString("format")
            let manifest = CustomDatasetManifest(
                name: try reader.string("name"), description: try reader.string("description"),
                classes: try reader.stringArray("classes"), textField: try reader.optionalString("text_field") ?? "text",
                labelField: try reader.optionalString("label_field") ?? "label",
                format: try formatName.map { name in
                    guard let format = DatasetFormat(rawValue: name) else { throw reader.error("format", "expected wrench, csv, tsv, jsonl or parquet") }
                    return format
                })
            if reader.has("source") { _ = try reader.object("source") }  // provenance, for people and `datasets` listings
            try reader.finish()
            guard manifest.classes.count >= 2 else { throw reader.error("classes", "needs at least two class names") }
            guard Set(manifest.classes).count == manifest.classes.count else { throw reader.error("classes", "class names must be distinct") }
            return manifest
        } catch let error as JSONReadError {
            throw DatasetError(file: error.file, reason: error.keyPath.isEmpty ? error.reason : "\(error.keyPath): \(error.reason)")
        }
    }
}

/// Loads a custom dataset folder: `dataset.json` plus split files in CSV, TSV, JSONL, Parquet or
/// WRENCH JSON. A label may be a class id or a class name; an empty label leaves the row unlabeled.
/// Without a `format` in `dataset.json`, each split is read in the format its file has (train.jsonl
/// beside valid.csv is fine); `.json` split files make it a WRENCH folder.
public enum CustomDatasetLoader {
    public static func load(folder: URL) throws -> Dataset {
        let manifest = try CustomDatasetManifest.read(folder.appendingPathComponent("dataset.json"))
        let format = try manifest.format ?? detectFormat(folder)
        if format == .wrench {
            var dataset = try WrenchLoader.load(folder: folder, name: manifest.name, expectedLabels: manifest.classes)
            dataset.labelNames = manifest.classes
            return dataset
        }
        let fields = Self.fields(manifest)
        let formats = Self.formats(manifest)
        var splits: [SplitName: DatasetSplit] = [:]
        var splitFormats: [SplitName: SplitFileFormat] = [:]
        for split in SplitName.allCases {
            guard let (url, fileFormat) = try splitFile(folder, split, formats: formats) else { continue }
            splits[split] = try SplitFile.readSplit(url, format: fileFormat, fields: fields, name: split)
            splitFormats[split] = fileFormat
        }
        guard let first = SplitName.allCases.lazy.compactMap({ splitFormats[$0] }).first else {
            let names = formats.map { "." + $0.fileExtension }.joined(separator: ", ")
            throw DatasetError(file: folder.path, reason: "no train, valid or test split file (\(names)) in the folder")
        }
        return Dataset(name: manifest.name, labelNames: manifest.classes, location: folder, format: first, splits: splits)
    }

    /// The file of `split` in a table-format folder and its format; nil when the split has none.
    /// - Throws: when two files claim the split (`train.csv` and `train.jsonl`).
    static func splitFile(_ folder: URL, _ split: SplitName, formats: [SplitFileFormat]) throws -> (URL, SplitFileFormat)? {
        let present = formats.filter { FileManager.default.fileExists(atPath: file(folder, split, $0).path) }
        guard let format = present.first else { return nil }
        guard present.count == 1 else {
            throw DatasetError(file: folder.path, reason: "has \(present.map { "\(split.rawValue).\($0.fileExtension)" }.joined(separator: " and ")): keep one \(split.rawValue) file, or name its format in dataset.json")
        }
        return (file(folder, split, format), format)
    }

    /// The split file formats a folder with this manifest is searched for, in order.
    static func formats(_ manifest: CustomDatasetManifest) -> [SplitFileFormat] {
        manifest.format.map { [$0] } ?? tableFormats
    }

    /// The formats of split files other than WRENCH, in the order a folder is searched.
    static let tableFormats: [SplitFileFormat] = [.csv, .tsv, .jsonl, .parquet]

    static func file(_ folder: URL, _ split: SplitName, _ format: SplitFileFormat) -> URL {
        folder.appendingPathComponent("\(split.rawValue).\(format.fileExtension)")
    }

    /// The format of the folder's split files: WRENCH when any is `.json`, else the first format found.
    static func detectFormat(_ folder: URL) throws -> DatasetFormat {
        for format in [SplitFileFormat.wrench] + tableFormats
        where SplitName.allCases.contains(where: { FileManager.default.fileExists(atPath: file(folder, $0, format).path) }) {
            return format
        }
        throw DatasetError(file: folder.path, reason: "found no split files (train/valid/test as .json, .csv, .tsv, .jsonl or .parquet)")
    }

    static func readCSV(_ file: URL, split: SplitName, manifest: CustomDatasetManifest) throws -> DatasetSplit {
        try SplitFile.readSplit(file, format: .csv, fields: fields(manifest), name: split)
    }

    static func readJSONL(_ file: URL, split: SplitName, manifest: CustomDatasetManifest) throws -> DatasetSplit {
        try SplitFile.readSplit(file, format: .jsonl, fields: fields(manifest), name: split)
    }

    static func fields(_ manifest: CustomDatasetManifest) -> RowFields {
        RowFields(text: manifest.textField, label: manifest.labelField, classes: manifest.classes)
    }
}
