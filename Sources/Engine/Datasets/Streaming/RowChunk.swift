import Foundation

/// A run of consecutive rows read from one split file.
public struct RowChunk: Sendable {
    /// As written in the file: the WRENCH key, the "id" field or column, else the 0-based row number as text.
    public var ids: [String]
    public var texts: [String]
    /// Class id, or -1 where the row is unlabeled.
    public var labels: [Int8]
    /// WRENCH "weak_labels" when the file has them.
    public var weakLabels: [[Int8]]?
    /// 0-based index of the chunk's first row in the split.
    public var firstRow: Int
    public var count: Int { texts.count }

    public init(ids: [String] = [], texts: [String] = [], labels: [Int8] = [], weakLabels: [[Int8]]? = nil, firstRow: Int) {
        self.ids = ids
        self.texts = texts
        self.labels = labels
        self.weakLabels = weakLabels
        self.firstRow = firstRow
    }

    mutating func reserve(_ rows: Int) {
        ids.reserveCapacity(rows)
        texts.reserveCapacity(rows)
        labels.reserveCapacity(rows)
    }

    mutating func append(id: String, text: String, label: Int8) {
        ids.append(id)
        texts.append(text)
        labels.append(label)
    }
}

/// Reads a split file as consecutive chunks of rows.
public protocol RowStream {
    /// The next chunk of at most `limit` rows (limit >= 1), or nil at the end of the file.
    /// Throws DatasetError naming the file and the line (or the example id) of a bad row.
    mutating func next(limit: Int) throws -> RowChunk?
    /// Bytes of the file consumed so far, where the stream reads a file (for a progress estimate).
    var bytesRead: Int? { get }
}

extension RowStream {
    public var bytesRead: Int? { nil }
}

/// What a reader needs to turn a file's rows into texts and labels.
public struct RowFields: Sendable {
    /// "text" by default (custom datasets: text_field of dataset.json).
    public var text: String
    /// "label" by default (label_field).
    public var label: String
    /// Class names; a label may be a class id or a class name (see `classID(of:)`).
    public var classes: [String]
    /// The field or column of row ids: "id" by default (`predict --id-column`); WRENCH keys are ids.
    public var id: String

    public init(text: String = "text", label: String = "label", classes: [String], id: String = "id") {
        self.text = text
        self.label = label
        self.classes = classes
        self.id = id
    }

    /// The class a label written as text names: nil for an empty one (an unlabeled row); a class's
    /// exact name first (a class named "1" is that class, not id 1), then a class id, then a name in
    /// any letter case.
    /// - Throws: the reason, for a label that names no class.
    public func classID(of raw: String) throws(LabelError) -> Int? {
        let raw = raw.trimmingCharacters(in: .whitespaces)
        if raw.isEmpty { return nil }
        if let index = classes.firstIndex(of: raw) { return index }
        if let id = Int(raw) {
            guard id >= 0, id < classes.count else { throw LabelError(reason: "label \(id) is outside 0…\(classes.count - 1)") }
            return id
        }
        if let index = classes.firstIndex(where: { $0.caseInsensitiveCompare(raw) == .orderedSame }) { return index }
        throw LabelError(reason: "label \"\(raw)\" is neither a class id nor one of \(classes.joined(separator: ", "))")
    }

    /// Labels are kept as Int8: at most 127 classes.
    func requireLabelsFit(file: URL) throws(DatasetError) {
        guard classes.count <= Int(Int8.max) else {
            throw DatasetError(file: file.path, reason: "has \(classes.count) classes; at most \(Int8.max) are supported")
        }
    }

    /// Why a label names no class (the caller adds the file and the row).
    public struct LabelError: Error, Sendable {
        public var reason: String
    }
}

extension RowStream {
    /// Every remaining row, read in chunks of `chunkSize`.
    mutating func collectAll(chunkSize: Int = 8192) throws -> RowChunk {
        var all = RowChunk(firstRow: 0)
        var first = true
        while let chunk = try next(limit: chunkSize) {
            if first { all.firstRow = chunk.firstRow; first = false }
            all.ids += chunk.ids
            all.texts += chunk.texts
            all.labels += chunk.labels
            if let weak = chunk.weakLabels {
                if all.weakLabels == nil { all.weakLabels = [] }
                all.weakLabels?.append(contentsOf: weak)
            }
        }
        return all
    }
}
