import Foundation

/// Loads datasets in WRENCH JSON: `label.json` plus `train.json`, `valid.json`, `test.json`.
public enum WrenchLoader {
    public static func load(folder: URL, name: String, expectedLabels: [String]? = nil) throws -> Dataset {
        let labelNames = try readLabelFile(folder.appendingPathComponent("label.json"))
        if let expectedLabels, expectedLabels.map({ $0.lowercased() }) != labelNames.map({ $0.lowercased() }) {
            throw DatasetError(file: folder.appendingPathComponent("label.json").path,
                               reason: "classes \(labelNames) do not match the catalog's \(expectedLabels) for \(name)")
        }
        var splits: [SplitName: DatasetSplit] = [:]
        for split in SplitName.allCases {
            let file = folder.appendingPathComponent("\(split.rawValue).json")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            splits[split] = try readSplit(file, split: split, labelNames: labelNames)
        }
        guard !splits.isEmpty else {
            throw DatasetError(file: folder.path, reason: "no train.json, valid.json or test.json in the folder")
        }
        return Dataset(name: name, labelNames: labelNames, location: folder, format: .wrench, splits: splits)
    }

    /// `label.json`: an object mapping "0", "1", … to class names, with no gaps.
    public static func readLabelFile(_ file: URL) throws -> [String] {
        let object = try parseObject(file)
        var names = [String](repeating: "", count: object.count)
        for (key, value) in object {
            guard let id = Int(key), id >= 0, id < object.count else {
                throw DatasetError(file: file.path, reason: "key \"\(key)\" is not a class id in 0…\(object.count - 1)")
            }
            guard let name = value as? String, !name.isEmpty else {
                throw DatasetError(file: file.path, reason: "class \(key) needs a non-empty name")
            }
            names[id] = name
        }
        guard names.count >= 2 else { throw DatasetError(file: file.path, reason: "needs at least two classes") }
        return names
    }

    /// A split file, read through its stream (`WrenchRowStream`: the rules of WRENCH JSON live there).
    /// Unlike the stream, the whole file may have its ids in any order (a file written from a
    /// dictionary, or with sorted keys "0", "1", "10", …): rows are put in numeric order of their
    /// ids, any other ids after them in text order.
    static func readSplit(_ file: URL, split: SplitName, labelNames: [String]) throws -> DatasetSplit {
        let fields = RowFields(classes: labelNames)
        try fields.requireLabelsFit(file: file)
        var stream = WrenchRowStream(reader: try ByteReader(file: file), fields: fields, idsInAnyOrder: true)
        var rows = try stream.collectAll()
        guard rows.count > 0 else { throw DatasetError(file: file.path, reason: "the split has no examples") }
        if !rows.ids.elementsEqual((0..<rows.count).lazy.map(String.init)) { try putInOrderOfIDs(&rows, file: file) }
        return DatasetSplit(rows, name: split)
    }

    /// Sorts rows by id: numeric ids in numeric order, then the others in text order.
    /// - Throws: when an id appears twice.
    static func putInOrderOfIDs(_ rows: inout RowChunk, file: URL) throws {
        var seen = Set<String>(minimumCapacity: rows.count)
        for id in rows.ids where !seen.insert(id).inserted {
            throw DatasetError(file: file.path, example: id, reason: "the id appears twice")
        }
        let numbers = rows.ids.map { Int($0) }
        let order = rows.ids.indices.sorted { a, b in
            switch (numbers[a], numbers[b]) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return rows.ids[a] < rows.ids[b]
            }
        }
        rows.ids = order.map { rows.ids[$0] }
        rows.texts = order.map { rows.texts[$0] }
        rows.labels = order.map { rows.labels[$0] }
        rows.weakLabels = rows.weakLabels.map { weak in order.map { weak[$0] } }
    }

    /// Reads a file that must hold one JSON object, with errors that name the file and the line.
    static func parseObject(_ file: URL) throws -> [String: Any] {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw DatasetError(file: file.path, reason: "cannot read the file (\(JSONReader.describe(error)))")
        }
        try TextValidation.requireUTF8(data, file: file)
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw DatasetError(file: file.path, reason: "not valid JSON (\(JSONReader.describe(error)))")
        }
        guard let object = value as? [String: Any] else {
            throw DatasetError(file: file.path, reason: "expected one JSON object mapping example ids to examples")
        }
        return object
    }
}

enum TextValidation {
    /// Throws with the line and byte offset of the first byte sequence that is not UTF-8.
    static func requireUTF8(_ data: Data, file: URL) throws {
        let valid: Bool = data.withUnsafeBytes { raw in
            String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self) != nil
        }
        if valid { return }
        // Find where: decode line by line.
        var line = 1
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            if String(validating: data[start..<end], as: UTF8.self) == nil {
                throw DatasetError(file: file.path, reason: "line \(line) (byte \(start - data.startIndex)) is not valid UTF-8")
            }
            line += 1
            start = end < data.endIndex ? data.index(after: end) : end
        }
        throw DatasetError(file: file.path, reason: "the file is not valid UTF-8")
    }
}
