import Foundation

/// Splits a byte reader into lines (the last may lack its line feed).
struct LineSplitter {
    let reader: ByteReader
    /// Bytes after the window's start already searched for a line feed.
    private var searched = 0
    private var started = false

    init(reader: ByteReader) {
        self.reader = reader
    }

    /// The next line: its bytes as a range of `reader.bytes` (without the line feed; valid until
    /// the next call) and its 1-based number; nil at the end of the input.
    mutating func next() throws(DatasetError) -> (range: Range<Int>, line: Int)? {
        if !started {
            started = true
            try reader.skipByteOrderMark()
        }
        while true {
            let window = reader.window
            if let base = window.baseAddress, searched < window.count,
               let found = memchr(base + searched, 0x0A, window.count - searched) {
                let length = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                let line = (reader.start..<(reader.start + length), reader.line)
                reader.consume(length + 1, lines: 1)
                searched = 0
                return line
            }
            searched = window.count
            if try reader.fill() { continue }
            guard reader.start < reader.end else { return nil }
            let line = (reader.start..<reader.end, reader.line)
            reader.consume(reader.end - reader.start, lines: 0)
            searched = 0
            return line
        }
    }
}

/// How errors name a row: by its line (a JSONL file) or by its position (rows Python streams from Parquet).
enum RowPlace: Sendable {
    case line, row
}

/// JSON Lines: one JSON object per line, blank lines skipped, each parsed with `JSONScanner`.
struct JSONLinesReader {
    private var lines: LineSplitter
    let place: RowPlace
    /// Rows read so far (blank lines are not rows).
    private(set) var rows = 0
    /// The line of the last row read.
    private(set) var lastLine = 0

    init(reader: ByteReader, place: RowPlace = .line) {
        lines = LineSplitter(reader: reader)
        self.place = place
    }

    var reader: ByteReader { lines.reader }

    /// Calls `body` with a scanner at the next non-blank line's first byte, and what to call the row
    /// in errors; nil at the end of the input.
    mutating func nextObject<Row>(_ body: (inout JSONScanner, String) throws(ScanError) -> Row) throws(DatasetError) -> Row? {
        while let (range, line) = try lines.next() {
            var scanner = JSONScanner(UnsafeBufferPointer(rebasing: reader.bytes[..<range.upperBound]), at: range.lowerBound)
            if scanner.isAtEnd() { continue }
            rows += 1
            lastLine = line
            let name = place == .line ? "line \(line)" : "row \(rows)"
            do throws(ScanError) {
                guard try scanner.peek() == UInt8(ascii: "{") else { throw .invalid(example: nil, "not a JSON object") }
                let row = try body(&scanner, name)
                guard scanner.isAtEnd() else { throw .syntax(at: scanner.position, "text after the object") }
                return row
            } catch {
                throw describe(error, name: name, line: line)
            }
        }
        return nil
    }

    private func describe(_ error: ScanError, name: String, line: Int) -> DatasetError {
        switch error {
        case .needMore: return DatasetError(file: reader.path, example: name, reason: "not valid JSON (the line ends inside a value)")
        case let .syntax(_, message): return DatasetError(file: reader.path, example: name, reason: "not valid JSON (\(message))")
        case let .invalidUTF8(index): return DatasetError(file: reader.path, example: name, reason: reader.utf8Problem(at: index, line: line))
        case let .invalid(id, message): return DatasetError(file: reader.path, example: id ?? name, reason: message)
        }
    }

    /// Every member of the object at the scanner, as text: strings as they are, numbers as written
    /// (1.0 as 1), booleans as true/false; null members are left out.
    /// - Throws: for a member that holds a list or an object.
    static func cells(_ scanner: inout JSONScanner) throws(ScanError) -> [String: String] {
        var values: [String: String] = [:]
        scanner.position += 1  // {
        var more = try scanner.peek() != UInt8(ascii: "}")
        if !more { scanner.position += 1 }
        while more {
            let key = scanner.string(try scanner.scanString())
            try scanner.expect(UInt8(ascii: ":"), "':' after a key")
            switch try scanner.peek() {
            case UInt8(ascii: "\""):
                values[key] = scanner.string(try scanner.scanString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                values[key] = scanner.cellText(try scanner.scanNumber())
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                throw .invalid(example: nil, "column \"\(key)\" holds a list or an object, not a value")
            default:
                switch try scanner.scanLiteral() {
                case .true: values[key] = "true"
                case .false: values[key] = "false"
                case .null: values[key] = nil
                }
            }
            more = try scanner.nextMember(close: UInt8(ascii: "}"))
        }
        return values
    }
}

/// A JSONL split file (or Parquet rows as JSON lines) as a stream of rows: the text, label and id
/// members of each object.
struct JSONLinesRowStream: RowStream {
    private var lines: JSONLinesReader
    var bytesRead: Int? { lines.reader.fileOffset }
    private let fields: RowFields
    private let textKey: [UInt8]
    private let labelKey: [UInt8]
    private let idKey: [UInt8]

    init(reader: ByteReader, fields: RowFields, place: RowPlace = .line) {
        lines = JSONLinesReader(reader: reader, place: place)
        self.fields = fields
        textKey = Array(fields.text.utf8)
        labelKey = Array(fields.label.utf8)
        idKey = Array(fields.id.utf8)
    }

    mutating func next(limit: Int) throws -> RowChunk? {
        try nextChunk(limit: max(1, limit))
    }

    mutating func nextChunk(limit: Int) throws(DatasetError) -> RowChunk? {
        var chunk = RowChunk(firstRow: lines.rows)
        chunk.reserve(min(limit, 4096))
        let fields = fields, textKey = textKey, labelKey = labelKey
        while chunk.count < limit {
            let index = lines.rows
            guard let (id, text, label) = try lines.nextObject({ (scanner, name) throws(ScanError) in
                try Self.row(&scanner, name: name, index: index, fields: fields, textKey: textKey, labelKey: labelKey, idKey: idKey)
            }) else { break }
            chunk.append(id: id, text: text, label: label)
        }
        return chunk.count == 0 ? nil : chunk
    }

    private static func row(_ scanner: inout JSONScanner, name: String, index: Int, fields: RowFields,
                            textKey: [UInt8], labelKey: [UInt8], idKey: [UInt8]) throws(ScanError) -> (String, String, Int8) {
        var text: String?
        var rawLabel: String?
        var id: String?
        scanner.position += 1  // {
        var more = try scanner.peek() != UInt8(ascii: "}")
        if !more { scanner.position += 1 }
        while more {
            let key = try scanner.scanString()
            try scanner.expect(UInt8(ascii: ":"), "':' after a key")
            let first = try scanner.peek()
            let isNumber = first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
            if scanner.matches(key, textKey) {
                guard first == UInt8(ascii: "\"") else { throw .invalid(example: nil, "missing string field \"\(fields.text)\"") }
                text = scanner.string(try scanner.scanString())
            } else if scanner.matches(key, labelKey) {
                if first == UInt8(ascii: "\"") {
                    rawLabel = scanner.string(try scanner.scanString())
                } else if isNumber {
                    rawLabel = scanner.cellText(try scanner.scanNumber())
                } else if first == UInt8(ascii: "n"), try scanner.scanLiteral() == .null {
                    rawLabel = nil
                } else {
                    throw .invalid(example: nil, "\(fields.label) must be a class id or name")
                }
            } else if scanner.matches(key, idKey) {
                if first == UInt8(ascii: "\"") {
                    id = scanner.string(try scanner.scanString())
                } else if isNumber {
                    id = scanner.cellText(try scanner.scanNumber())
                } else {
                    try scanner.skipValue()
                    id = nil
                }
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember(close: UInt8(ascii: "}"))
        }
        guard let text else { throw .invalid(example: nil, "missing string field \"\(fields.text)\"") }
        var label: Int8 = -1
        if let rawLabel {
            do throws(RowFields.LabelError) {
                label = Int8(try fields.classID(of: rawLabel) ?? -1)
            } catch {
                throw .invalid(example: nil, error.reason)
            }
        }
        return (id.flatMap { $0.isEmpty ? nil : $0 } ?? String(index), text, label)
    }
}
