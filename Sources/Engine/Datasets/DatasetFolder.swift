import Foundation

/// A dataset folder as `datasets add` and the fetchers of public sources write it: dataset.json
/// (name, description, classes, provenance as `source`), train/valid/test.jsonl with id, text and
/// class name (null when unlabeled), and optionally a README.md. It is written in a hidden folder
/// beside its place, loaded back, and only then renamed into place, so a failure leaves nothing.
enum DatasetFolder {
    struct Contents {
        var name: String
        var description: String
        var classes: [String]
        var ids: [String]
        var texts: [String]
        var labels: [Int?]
        var split: StratifiedSplit
        /// Kept as `source` in dataset.json.
        var source: [String: Any]
        var readme: String?

        var rowCount: Int { texts.count }
    }

    /// Writes `<dataDir>/<name>/`; `replace` swaps out a folder already there.
    /// - Parameter purpose: a word for the staging folder's name (`.medabs.adding-…`).
    @discardableResult
    static func write(_ contents: Contents, into dataDir: URL, replace: Bool, purpose: String) throws -> URL {
        let fileManager = FileManager.default
        let target = dataDir.appendingPathComponent(contents.name)
        if fileManager.fileExists(atPath: target.path), !replace {
            throw DatasetError(file: target.path, reason: "a dataset folder of this name exists (--force replaces it)")
        }
        do { try fileManager.createDirectory(at: dataDir, withIntermediateDirectories: true) } catch {
            throw DatasetError(file: dataDir.path, reason: "cannot create the data folder (\(JSONReader.describe(error)))")
        }
        let staging = dataDir.appendingPathComponent(".\(contents.name).\(purpose)-\(UUID().uuidString.prefix(8))")
        defer { try? fileManager.removeItem(at: staging) }
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            for split in SplitName.allCases {
                let rows = contents.split.rows(of: split)
                guard !rows.isEmpty else { continue }
                try splitLines(contents, rows).write(to: staging.appendingPathComponent("\(split.rawValue).jsonl"))
            }
            try manifest(contents).write(to: staging.appendingPathComponent("dataset.json"))
            if let readme = contents.readme { try Data(readme.utf8).write(to: staging.appendingPathComponent("README.md")) }
            // Answers given by hand to the folder being replaced are kept: they name rows by id.
            let handLabels = target.appendingPathComponent(HandLabels.fileName)
            if replace, fileManager.fileExists(atPath: handLabels.path) {
                try fileManager.copyItem(at: handLabels, to: staging.appendingPathComponent(HandLabels.fileName))
            }
        } catch {
            throw DatasetError(file: staging.path, reason: "cannot write the dataset (\(JSONReader.describe(error)))")
        }
        // What was written must load back with every row, before it takes the name.
        let loaded = try CustomDatasetLoader.load(folder: staging)
        guard loaded.splits.values.map(\.count).reduce(0, +) == contents.rowCount else {
            throw DatasetError(file: staging.path, reason: "the written dataset does not read back with \(contents.rowCount) rows")
        }
        var old: URL?
        if fileManager.fileExists(atPath: target.path) {
            let aside = dataDir.appendingPathComponent(".\(contents.name).replaced-\(UUID().uuidString.prefix(8))")
            do { try fileManager.moveItem(at: target, to: aside) } catch {
                throw DatasetError(file: target.path, reason: "cannot move the old folder aside (\(JSONReader.describe(error)))")
            }
            old = aside
        }
        do { try fileManager.moveItem(at: staging, to: target) } catch {
            if let old { try? fileManager.moveItem(at: old, to: target) }
            throw DatasetError(file: target.path, reason: "cannot move the dataset into place (\(JSONReader.describe(error)))")
        }
        if let old { try? fileManager.removeItem(at: old) }
        return target
    }

    static func splitLines(_ contents: Contents, _ rows: [Int]) throws -> Data {
        var data = Data()
        for row in rows {
            let object: [String: Any] = ["id": contents.ids[row], "text": contents.texts[row],
                                         "label": contents.labels[row].map { contents.classes[$0] } ?? NSNull()]
            data.append(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            data.append(0x0A)
        }
        return data
    }

    static func manifest(_ contents: Contents) throws -> Data {
        let object: [String: Any] = [
            "name": contents.name, "description": contents.description, "classes": contents.classes,
            "format": "jsonl", "text_field": "text", "label_field": "label", "source": contents.source,
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}

extension StratifiedSplit {
    /// Row indices of one split.
    func rows(of split: SplitName) -> [Int] {
        switch split {
        case .train: return train
        case .valid: return valid
        case .test: return test
        }
    }
}
