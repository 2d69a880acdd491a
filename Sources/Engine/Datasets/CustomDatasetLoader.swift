import CSV
import Foundation

/// The `dataset.json` that describes a user's own dataset folder.
public struct CustomDatasetManifest: Sendable, Equatable {
    public var name: String
    public var description: String
    public var classes: [String]
    public var textField: String
    public var labelField: String
    /// wrench, csv or jsonl; nil means: find out from the files present.
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
                    guard let format = DatasetFormat(rawValue: name) else { throw reader.error("format", "expected wrench, csv or jsonl") }
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

/// Loads a custom dataset folder: `dataset.json` plus split files in CSV, JSONL or WRENCH JSON.
/// A label may be a class id or a class name; an empty label leaves the row unlabeled.
public enum CustomDatasetLoader {
    public static func load(folder: URL) throws -> Dataset {
        let manifest = try CustomDatasetManifest.read(folder.appendingPathComponent("dataset.json"))
        let format = try manifest.format ?? detectFormat(folder)
        if format == .wrench {
            var dataset = try WrenchLoader.load(folder: folder, name: manifest.name, expectedLabels: manifest.classes)
            dataset.labelNames = manifest.classes
            return dataset
        }
        var splits: [SplitName: DatasetSplit] = [:]
        for split in SplitName.allCases {
            let file = folder.appendingPathComponent("\(split.rawValue).\(format.rawValue)")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            splits[split] = format == .csv
                ? try readCSV(file, split: split, manifest: manifest)
                : try readJSONL(file, split: split, manifest: manifest)
        }
        guard !splits.isEmpty else {
            throw DatasetError(file: folder.path, reason: "no train/valid/test.\(format.rawValue) in the folder")
        }
        return Dataset(name: manifest.name, labelNames: manifest.classes, location: folder, format: format, splits: splits)
    }

    static func detectFormat(_ folder: URL) throws -> DatasetFormat {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for format in [DatasetFormat.wrench, .csv, .jsonl] {
            let ext = format == .wrench ? "json" : format.rawValue
            if SplitName.allCases.contains(where: { names.contains("\($0.rawValue).\(ext)") }) { return format }
        }
        throw DatasetError(file: folder.path, reason: "found no split files (train/valid/test as .json, .csv or .jsonl)")
    }

    static func readCSV(_ file: URL, split: SplitName, manifest: CustomDatasetManifest) throws -> DatasetSplit {
        let text = try readText(file)
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw DatasetError(file: file.path, reason: "cannot read the CSV header (\(error))")
        }
        guard let header = reader.headerRow, header.contains(manifest.textField) else {
            throw DatasetError(file: file.path, reason: "the header has no column \"\(manifest.textField)\" (text_field in dataset.json)")
        }
        let hasLabels = header.contains(manifest.labelField)
        var ids: [String] = [], texts: [String] = [], labels: [Int?] = []
        var row = 0
        while reader.next() != nil {
            row += 1
            let id = "row \(row)"
            guard let text = reader[manifest.textField] else {
                throw DatasetError(file: file.path, example: id, reason: "has fewer fields than the header")
            }
            ids.append(header.contains("id") ? reader["id"].flatMap { $0.isEmpty ? nil : $0 } ?? String(row - 1) : String(row - 1))
            texts.append(text)
            labels.append(hasLabels ? try parseLabel(reader[manifest.labelField], manifest: manifest, file: file, example: id) : nil)
        }
        if let error = reader.error {
            throw DatasetError(file: file.path, example: "row \(row + 1)", reason: "malformed CSV (\(error))")
        }
        guard !texts.isEmpty else { throw DatasetError(file: file.path, reason: "the split has no examples") }
        return DatasetSplit(name: split, ids: ids, texts: texts, labels: labels, weakLabels: nil)
    }

    static func readJSONL(_ file: URL, split: SplitName, manifest: CustomDatasetManifest) throws -> DatasetSplit {
        let text = try readText(file)
        var ids: [String] = [], texts: [String] = [], labels: [Int?] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let id = "line \(lineNumber)"
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                throw DatasetError(file: file.path, example: id, reason: "not a JSON object")
            }
            guard let text = object[manifest.textField] as? String else {
                throw DatasetError(file: file.path, example: id, reason: "missing string field \"\(manifest.textField)\"")
            }
            switch object["id"] {
            case let string as String where !string.isEmpty: ids.append(string)
            case let number as NSNumber where !JSONReader.isBool(number): ids.append(number.stringValue)
            default: ids.append(String(ids.count))
            }
            texts.append(text)
            let raw: String?
            switch object[manifest.labelField] {
            case nil, is NSNull: raw = nil
            case let string as String: raw = string
            case let number as NSNumber where !JSONReader.isBool(number): raw = number.stringValue
            default: throw DatasetError(file: file.path, example: id, reason: "\(manifest.labelField) must be a class id or name")
            }
            labels.append(try parseLabel(raw, manifest: manifest, file: file, example: id))
        }
        guard !texts.isEmpty else { throw DatasetError(file: file.path, reason: "the split has no examples") }
        return DatasetSplit(name: split, ids: ids, texts: texts, labels: labels, weakLabels: nil)
    }

    static func parseLabel(_ raw: String?, manifest: CustomDatasetManifest, file: URL, example: String) throws -> Int? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let index = manifest.classes.firstIndex(of: raw) { return index }  // a class named "1" is that class, not id 1
        if let id = Int(raw) {
            guard id >= 0, id < manifest.classes.count else {
                throw DatasetError(file: file.path, example: example, reason: "label \(id) is outside 0…\(manifest.classes.count - 1)")
            }
            return id
        }
        if let index = manifest.classes.firstIndex(where: { $0.caseInsensitiveCompare(raw) == .orderedSame }) { return index }
        throw DatasetError(file: file.path, example: example,
                           reason: "label \"\(raw)\" is neither a class id nor one of \(manifest.classes.joined(separator: ", "))")
    }

    static func readText(_ file: URL) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw DatasetError(file: file.path, reason: "cannot read the file (\(JSONReader.describe(error)))")
        }
        try TextValidation.requireUTF8(data, file: file)
        return String(decoding: data, as: UTF8.self)
    }
}
