/// Reads a WRENCH split file, one JSON object keyed by example id,
/// `{"0": {"label": 1, "data": {"text": "…"}, "weak_labels": [-1, 1]}, "1": …}`, entry by entry
/// in file order, never holding more than the entries of one chunk.
///
/// Rules: ids are "0", "1", "2", … in file order (unless `idsInAnyOrder`, for the whole-file loader,
/// which sorts the rows afterwards); a null or absent label is an unlabeled row, any
/// other must be an integer class id; `weak_labels`, when some row has them, every row has, of one
/// length, with votes in -1 (abstain) up to the last class id. Other keys are skipped.
struct WrenchRowStream: RowStream {
    private let reader: ByteReader
    var bytesRead: Int? { reader.fileOffset }
    private let idsInAnyOrder: Bool
    private let classCount: Int
    private let textKey: [UInt8]
    private let labelKey: [UInt8]
    private static let dataKey = Array("data".utf8)
    private static let weakKey = Array("weak_labels".utf8)

    private enum Place { case start, firstEntry, nextEntry, finished }
    private var place = Place.start
    private var row = 0
    /// nil until the first row; then whether rows have weak labels and how many.
    private var weakLabelCount: Int??

    init(reader: ByteReader, fields: RowFields, idsInAnyOrder: Bool = false) {
        self.reader = reader
        self.idsInAnyOrder = idsInAnyOrder
        classCount = fields.classes.count
        textKey = Array(fields.text.utf8)
        labelKey = Array(fields.label.utf8)
    }

    mutating func next(limit: Int) throws -> RowChunk? {
        try nextChunk(limit: max(1, limit))
    }

    private struct Entry {
        var id: String
        var text: String
        var label: Int8
        var weakLabels: [Int8]?
    }

    private mutating func nextChunk(limit: Int) throws(DatasetError) -> RowChunk? {
        guard place != .finished else { return nil }
        var chunk = RowChunk(firstRow: row)
        chunk.reserve(min(limit, 4096))
        while chunk.count < limit, let entry = try nextEntry() {
            switch weakLabelCount {
            case nil:
                weakLabelCount = .some(entry.weakLabels?.count)
            case let expected?:
                guard (expected == nil) == (entry.weakLabels == nil) else {
                    throw DatasetError(file: reader.path, example: entry.id, reason: "weak_labels present on some examples and not on others")
                }
                if let expected, let votes = entry.weakLabels, votes.count != expected {
                    throw DatasetError(file: reader.path, example: entry.id,
                                       reason: "has \(votes.count) weak labels, earlier examples have \(expected)")
                }
            }
            chunk.append(id: entry.id, text: entry.text, label: entry.label)
            if let votes = entry.weakLabels {
                if chunk.weakLabels == nil { chunk.weakLabels = [] }
                chunk.weakLabels?.append(votes)
            }
            row += 1
        }
        return chunk.count == 0 ? nil : chunk
    }

    /// The next entry, or nil after the closing brace; reads more of the file as needed and scans
    /// the entry again from its start.
    private mutating func nextEntry() throws(DatasetError) -> Entry? {
        if place == .start { try reader.skipByteOrderMark() }
        while true {
            var scanner = JSONScanner(reader.bytes, at: reader.start)
            let entry: Entry?
            do throws(ScanError) {
                entry = try step(&scanner)
            } catch .needMore {
                guard try reader.fill() else { throw endedEarly() }
                continue
            } catch {
                throw reader.jsonError(error, example: nil)
            }
            reader.consume(scanner.position - reader.start)
            if let entry { return entry }
            if place == .finished {
                try requireNothingAfterTheObject()
                return nil
            }
        }
    }

    /// One step of the grammar from the window's start: the opening brace, or an entry with the
    /// comma before it, or the closing brace.
    private mutating func step(_ scanner: inout JSONScanner) throws(ScanError) -> Entry? {
        switch place {
        case .start:
            guard try scanner.peek() == UInt8(ascii: "{") else {
                throw .syntax(at: scanner.position, "expected one JSON object mapping example ids to examples")
            }
            scanner.position += 1
            place = .firstEntry
            return nil
        case .firstEntry:
            if try scanner.peek() == UInt8(ascii: "}") {
                scanner.position += 1
                place = .finished
                return nil
            }
            let entry = try entry(&scanner)
            place = .nextEntry
            return entry
        case .nextEntry:
            guard try scanner.nextMember(close: UInt8(ascii: "}")) else {
                place = .finished
                return nil
            }
            return try entry(&scanner)
        case .finished:
            return nil
        }
    }

    /// `"id": {…}` at the scanner's position.
    private func entry(_ scanner: inout JSONScanner) throws(ScanError) -> Entry {
        let keyToken = try scanner.scanString()
        let id = scanner.string(keyToken)
        guard idsInAnyOrder || (!keyToken.hasEscapes && isRowNumber(keyToken, scanner.bytes)) else {
            throw .invalid(example: id, "id \"\(id)\" is not the next example id \"\(row)\" (ids must be 0, 1, 2, … in file order)")
        }
        try scanner.expect(UInt8(ascii: ":"), "':' after the example id")
        guard try scanner.peek() == UInt8(ascii: "{") else {
            throw .invalid(example: id, "expected an object with label and data")
        }
        scanner.position += 1
        var label: Int8 = -1
        var text: String?
        var textProblem = "missing data.text"
        var hasData = false
        var weakLabels: [Int8]?
        var more = try scanner.peek() != UInt8(ascii: "}")
        if !more { scanner.position += 1 }
        while more {
            let key = try scanner.scanString()
            try scanner.expect(UInt8(ascii: ":"), "':' after a key")
            if scanner.matches(key, labelKey) {
                label = try self.label(&scanner, id: id)
            } else if scanner.matches(key, Self.dataKey) {
                guard try scanner.peek() == UInt8(ascii: "{") else { throw .invalid(example: id, "missing \"data\" object") }
                hasData = true
                scanner.position += 1
                var moreData = try scanner.peek() != UInt8(ascii: "}")
                if !moreData { scanner.position += 1 }
                while moreData {
                    let dataKey = try scanner.scanString()
                    try scanner.expect(UInt8(ascii: ":"), "':' after a key")
                    if scanner.matches(dataKey, textKey) {
                        if try scanner.peek() == UInt8(ascii: "\"") {
                            text = scanner.string(try scanner.scanString())
                        } else {
                            try scanner.skipValue()
                            text = nil
                            textProblem = "data.text is not a string"
                        }
                    } else {
                        try scanner.skipValue()
                    }
                    moreData = try scanner.nextMember(close: UInt8(ascii: "}"))
                }
            } else if scanner.matches(key, Self.weakKey) {
                weakLabels = try votes(&scanner, id: id)
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember(close: UInt8(ascii: "}"))
        }
        guard hasData else { throw .invalid(example: id, "missing \"data\" object") }
        guard let text else { throw .invalid(example: id, textProblem) }
        return Entry(id: id, text: text, label: label, weakLabels: weakLabels)
    }

    /// True when the key is the decimal text of the next row's number.
    private func isRowNumber(_ token: JSONStringToken, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = token.end - token.start
        guard length >= 1, length <= 18 else { return false }
        if length > 1 && bytes[token.start] == UInt8(ascii: "0") { return false }
        var value = 0
        for index in token.start..<token.end {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return false }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value == row
    }

    private func label(_ scanner: inout JSONScanner, id: String) throws(ScanError) -> Int8 {
        switch try scanner.peek() {
        case UInt8(ascii: "n"):
            guard try scanner.scanLiteral() == .null else { throw .invalid(example: id, "label is not an integer") }
            return -1
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try scanner.scanNumber()
            guard let value = scanner.integer(number), value >= 0, value < classCount else {
                throw .invalid(example: id, "label \(scanner.text(number)) is outside 0…\(classCount - 1)")
            }
            return Int8(value)
        default:
            try scanner.skipValue()
            throw .invalid(example: id, "label is not an integer")
        }
    }

    private func votes(_ scanner: inout JSONScanner, id: String) throws(ScanError) -> [Int8] {
        guard try scanner.peek() == UInt8(ascii: "[") else {
            try scanner.skipValue()
            throw .invalid(example: id, "weak_labels is not a list of integers")
        }
        scanner.position += 1
        var votes: [Int8] = []
        if try scanner.peek() == UInt8(ascii: "]") {
            scanner.position += 1
            return votes
        }
        repeat {
            let first = try scanner.peek()
            guard first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else {
                try scanner.skipValue()
                throw .invalid(example: id, "weak_labels is not a list of integers")
            }
            let number = try scanner.scanNumber()
            guard let vote = scanner.integer(number), vote >= -1, vote < classCount else {
                throw .invalid(example: id, "weak label \(scanner.text(number)) is outside -1…\(classCount - 1)")
            }
            votes.append(Int8(vote))
        } while try scanner.nextMember(close: UInt8(ascii: "]"))
        return votes
    }

    /// After the closing brace only whitespace may follow, up to the end of the file.
    private func requireNothingAfterTheObject() throws(DatasetError) {
        while true {
            var scanner = JSONScanner(reader.bytes, at: reader.start)
            if !scanner.isAtEnd() {
                throw reader.jsonError(.syntax(at: scanner.position, "text after the end of the object"), example: nil)
            }
            reader.consume(scanner.position - reader.start)
            guard try reader.fill() else { return }
        }
    }

    /// The error for a file that ends before the object is complete.
    private func endedEarly() -> DatasetError {
        var scanner = JSONScanner(reader.bytes, at: reader.start)
        if place == .start && scanner.isAtEnd() {
            return DatasetError(file: reader.path, reason: "not valid JSON: the file is empty (expected one JSON object mapping example ids to examples)")
        }
        let lastLine = reader.line(at: reader.end)
        if place == .start {
            return DatasetError(file: reader.path, reason: "not valid JSON: the file ends on line \(lastLine) before its object starts")
        }
        scanner.skipWhitespace()
        if place == .nextEntry, scanner.position < scanner.bytes.count, scanner.bytes[scanner.position] == UInt8(ascii: ",") {
            scanner.position += 1
            scanner.skipWhitespace()
        }
        let from = reader.line(at: scanner.position)
        return DatasetError(file: reader.path, example: String(row),
                            reason: "not valid JSON: the file ends on line \(lastLine) inside the object (in or after example \"\(row)\", from line \(from)); is it cut short?")
    }
}

extension ByteReader {
    /// A `DatasetError` for a JSON scan error at an index of `bytes`, naming the line.
    func jsonError(_ error: ScanError, example: String?) -> DatasetError {
        switch error {
        case .needMore:
            return DatasetError(file: path, example: example, reason: "not valid JSON: the input ends inside a value")
        case let .syntax(index, message):
            return DatasetError(file: path, example: example, reason: "not valid JSON at line \(line(at: index)): \(message)")
        case let .invalidUTF8(index):
            return DatasetError(file: path, example: example, reason: utf8Problem(at: index))
        case let .invalid(id, message):
            return DatasetError(file: path, example: id ?? example, reason: message)
        }
    }

    /// "line 3 (byte 57) is not valid UTF-8", for the byte at an index of `bytes` (on `line`,
    /// when the caller knows it: the byte may be before the window's start).
    func utf8Problem(at index: Int, line: Int? = nil) -> String {
        "line \(line ?? self.line(at: index)) (byte \(fileOffset(at: index))) is not valid UTF-8"
    }
}
