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
            splits[split] = try readSplit(file, split: split, classCount: labelNames.count)
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

    static func readSplit(_ file: URL, split: SplitName, classCount: Int) throws -> DatasetSplit {
        let object = try parseObject(file)
        guard !object.isEmpty else { throw DatasetError(file: file.path, reason: "the split has no examples") }
        // Ids are usually "0", "1", …: keep numeric order, put any other ids after them in text order.
        let keys = object.keys.sorted { a, b in
            switch (Int(a), Int(b)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        var texts: [String] = []
        var labels: [Int?] = []
        var weak: [[Int]] = []
        var hasWeak: Bool?
        texts.reserveCapacity(keys.count)
        labels.reserveCapacity(keys.count)
        for key in keys {
            guard let entry = object[key] as? [String: Any] else {
                throw DatasetError(file: file.path, example: key, reason: "expected an object with label and data")
            }
            guard let data = entry["data"] as? [String: Any] else {
                throw DatasetError(file: file.path, example: key, reason: "missing \"data\" object")
            }
            guard let text = data["text"] as? String else {
                throw DatasetError(file: file.path, example: key, reason: data["text"] == nil ? "missing data.text" : "data.text is not a string")
            }
            texts.append(text)
            switch entry["label"] {
            case nil, is NSNull:
                labels.append(nil)
            case let number as NSNumber where !JSONReader.isBool(number):
                guard let label = Int(exactly: number.doubleValue), label >= 0, label < classCount else {
                    throw DatasetError(file: file.path, example: key, reason: "label \(number) is outside 0…\(classCount - 1)")
                }
                labels.append(label)
            default:
                throw DatasetError(file: file.path, example: key, reason: "label is not an integer")
            }
            let votes = entry["weak_labels"]
            if hasWeak == nil { hasWeak = votes != nil }
            guard hasWeak == (votes != nil) else {
                throw DatasetError(file: file.path, example: key, reason: "weak_labels present on some examples and not on others")
            }
            if let votes {
                guard let list = votes as? [NSNumber] else {
                    throw DatasetError(file: file.path, example: key, reason: "weak_labels is not a list of integers")
                }
                let ints = try list.map { number -> Int in
                    guard let vote = Int(exactly: number.doubleValue), vote >= -1, vote < classCount else {
                        throw DatasetError(file: file.path, example: key, reason: "weak label \(number) is outside -1…\(classCount - 1)")
                    }
                    return vote
                }
                if let first = weak.first, first.count != ints.count {
                    throw DatasetError(file: file.path, example: key, reason: "has \(ints.count) weak labels, earlier examples have \(first.count)")
                }
                weak.append(ints)
            }
        }
        return DatasetSplit(name: split, ids: keys, texts: texts, labels: labels, weakLabels: hasWeak == true ? weak : nil)
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
