import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One answer of hand labeling: a row of a dataset and the class a person gave it.
public struct HandLabel: Sendable, Equatable {
    /// The example id, as the split's file writes it.
    public var id: String
    /// The class name (not its id, so a reordered class list cannot change the answer).
    public var label: String
    /// The split the row was in when it was labeled (ids are unique per split, not per dataset).
    public var from: SplitName
    /// Where the labeled row belongs: a train row moves to valid or test (`HandLabels.destination`),
    /// a valid or test row stays where it is.
    public var split: SplitName
    public var at: Date

    public init(id: String, label: String, from: SplitName, split: SplitName, at: Date) {
        self.id = id
        self.label = label
        self.from = from
        self.split = split
        self.at = at
    }

    /// The row it labels: its split of origin and id.
    public var key: HandLabels.RowKey { HandLabels.RowKey(split: from, id: id) }
}

/// The labels a person gave a dataset's rows by hand: `hand-labels.jsonl` in the dataset's folder,
/// one JSON object per line (`{"at", "from", "id", "label", "split"}`). A value: `adding` and
/// `removingLast` change it, `save` rewrites the whole file atomically (a temporary file in the same
/// folder, fsync, rename), so a crash loses at most the answer being written.
public struct HandLabels: Sendable, Equatable {
    public static let fileName = "hand-labels.jsonl"

    /// A row of the dataset: its split and id.
    public struct RowKey: Sendable, Hashable {
        public var split: SplitName
        public var id: String
        public init(split: SplitName, id: String) {
            self.split = split
            self.id = id
        }
    }

    public let file: URL
    /// In the order they were given.
    public private(set) var labels: [HandLabel]
    /// Lines of the file that could not be read, each naming its line; they are dropped on the next save.
    public private(set) var warnings: [String]

    public init(file: URL, labels: [HandLabel] = [], warnings: [String] = []) {
        self.file = file
        self.labels = labels
        self.warnings = warnings
    }

    /// The hand labels of the dataset in `folder`; none when the file does not exist. A malformed
    /// line is skipped and reported in `warnings` rather than failing the dataset.
    /// - Throws: `DatasetError` when the file exists but cannot be read.
    public static func load(folder: URL) throws -> HandLabels {
        let file = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return HandLabels(file: file) }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw DatasetError(file: file.path, reason: "cannot read the hand labels (\(JSONReader.describe(error)))")
        }
        var labels: [HandLabel] = []
        var warnings: [String] = []
        for (offset, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) else { continue }
            do { labels.append(try parse(Data(line))) } catch {
                warnings.append("\(file.path): line \(offset + 1): \(error) (skipped)")
            }
        }
        return HandLabels(file: file, labels: labels, warnings: warnings)
    }

    struct LineError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ line: Data) throws -> HandLabel {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
            throw LineError(description: "not a JSON object")
        }
        func text(_ key: String) throws -> String {
            guard let value = object[key] as? String, !value.isEmpty else { throw LineError(description: "\"\(key)\" is missing or not a text") }
            return value
        }
        func split(_ key: String) throws -> SplitName {
            guard let split = SplitName(rawValue: try text(key)) else { throw LineError(description: "\"\(key)\" is not train, valid or test") }
            return split
        }
        let from = try split("from"), to = try split("split")
        guard to != .train, from == .train || from == to else {
            throw LineError(description: "a row from \(from.rawValue) cannot go to \(to.rawValue)")
        }
        guard let at = RecordText.date(try text("at")) else { throw LineError(description: "\"at\" is not an ISO 8601 date") }
        return HandLabel(id: try text("id"), label: try text("label"), from: from, split: to, at: at)
    }

    /// The one rule of where a hand-labeled row goes: a valid or test row stays; the k-th train row
    /// of a class (counting from 0) goes to valid when k is even and to test when k is odd, so both
    /// get balanced shares of every class.
    public func destination(of label: String, from split: SplitName) -> SplitName {
        guard split == .train else { return split }
        let earlier = labels.filter { $0.label == label && $0.from == .train }.count
        return earlier % 2 == 0 ? .valid : .test
    }

    /// These labels with one more answer at the end (its split from `destination`); an answer for a
    /// row labeled before replaces the old one.
    public func adding(id: String, label: String, from split: SplitName, at date: Date = Date()) -> HandLabels {
        var copy = self
        let key = RowKey(split: split, id: id)
        copy.labels.removeAll { $0.key == key }
        copy.labels.append(HandLabel(id: id, label: label, from: split, split: copy.destination(of: label, from: split), at: date))
        return copy
    }

    /// These labels without the last answer.
    public func removingLast() -> HandLabels {
        var copy = self
        _ = copy.labels.popLast()
        return copy
    }

    public func contains(_ key: RowKey) -> Bool { labels.contains { $0.key == key } }

    /// Hand labels per class name, in the order of `labelNames` (unknown names are not counted).
    public func counts(labelNames: [String]) -> [Int] {
        labelNames.map { name in labels.filter { $0.label == name }.count }
    }

    /// The file's text: one line per label, keys sorted.
    public var text: String {
        labels.map { label in
            let object: [String: String] = ["id": label.id, "label": label.label, "from": label.from.rawValue,
                                            "split": label.split.rawValue, "at": RecordText.date(label.at)]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        }.joined()
    }

    /// Rewrites the whole file: a temporary file in the same folder, flushed to disk, then renamed over it.
    /// - Throws: `DatasetError` naming the file when it cannot be written.
    public func save() throws {
        let folder = file.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(Self.fileName).\(UUID().uuidString.prefix(8)).tmp")
        do {
            guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
                throw LineError(description: "cannot create \(temp.path)")
            }
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            guard rename(temp.path, file.path) == 0 else { throw LineError(description: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw DatasetError(file: file.path, reason: "cannot write the hand labels (\(error))")
        }
        // The rename itself survives a crash once the folder is flushed too.
        let descriptor = open(folder.path, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
