import Foundation

/// CSV and TSV by RFC 4180, record by record from a byte reader: fields in double quotes may hold
/// separators, doubled quotes and line breaks; `\r\n`, `\n` and a lone `\r` end records; a blank
/// line is no record. The one parser of delimited text: split files, `TabularFile` and saved votes
/// all read through it.
struct DelimitedRecords {
    /// Where a field lies in `reader.bytes`, without its quotes.
    struct Field {
        var start: Int
        var end: Int
        /// Quoted, with `""` inside that stands for one quote.
        var hasDoubledQuotes: Bool
    }

    let reader: ByteReader
    let separator: UInt8
    /// The current record's fields; valid until the next call of `next()`.
    private(set) var fields: [Field] = []
    /// The 1-based line the current record starts on.
    private(set) var line = 0
    private var started = false

    init(reader: ByteReader, separator: UInt8) {
        self.reader = reader
        self.separator = separator
    }

    var fieldCount: Int { fields.count }

    /// Moves to the next record; false at the end of the input.
    /// - Throws: `DatasetError` naming the line of a quote that never closes, of a stray quote, or of bytes that are not UTF-8.
    mutating func next() throws(DatasetError) -> Bool {
        if !started {
            started = true
            try reader.skipByteOrderMark()
        }
        while true {
            let startLine = reader.line
            switch try scanRecord() {
            case .end:
                return false
            case let .record(length, lines):
                let bytes = UnsafeBufferPointer(rebasing: reader.bytes[reader.start..<(reader.start + length)])
                if let bad = UTF8Check.firstInvalid(in: bytes) {
                    throw DatasetError(file: reader.path, reason: reader.utf8Problem(at: reader.start + bad))
                }
                reader.consume(length, lines: lines)
                line = startLine
                if fields.count == 1 && fields[0].start == fields[0].end { continue }  // a blank line
                return true
            }
        }
    }

    /// The text of field `index` of the current record.
    func field(_ index: Int) -> String {
        let field = fields[index]
        let raw = UnsafeBufferPointer(rebasing: reader.bytes[field.start..<field.end])
        guard field.hasDoubledQuotes else { return String(decoding: raw, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: raw.count) { out in
            var written = 0
            var index = 0
            while index < raw.count {
                out[written] = raw[index]
                written += 1
                index += raw[index] == UInt8(ascii: "\"") ? 2 : 1
            }
            return written
        }
    }

    /// True when field `index` of the current record is empty.
    func isEmpty(_ index: Int) -> Bool { fields[index].start == fields[index].end }

    private enum Scan {
        case end
        /// A record of `length` bytes (with its line break) holding `lines` line breaks.
        case record(length: Int, lines: Int)
    }

    /// Scans one record from the window's start into `fields`, reading more and scanning again
    /// when the record runs past the window.
    private mutating func scanRecord() throws(DatasetError) -> Scan {
        while true {
            if let scan = try scanInWindow() { return scan }
            _ = try reader.fill()  // at the end of the input, the next scan knows the record is complete
        }
    }

    /// nil when the window ends before the record does (and the input goes on).
    private mutating func scanInWindow() throws(DatasetError) -> Scan? {
        let bytes = reader.bytes
        let end = bytes.count
        let atEnd = reader.reachedEnd
        var index = reader.start
        var lines = 0
        fields.removeAll(keepingCapacity: true)
        if index == end { return atEnd ? .end : nil }
        let quote = UInt8(ascii: "\""), lineFeed = UInt8(0x0A), carriageReturn = UInt8(0x0D)
        while true {
            // One field from `index`.
            if index < end && bytes[index] == quote {
                let quoteLine = reader.line + lines
                index += 1
                let fieldStart = index
                var doubled = false
                while true {
                    guard index < end else {
                        if atEnd {
                            throw DatasetError(file: reader.path, example: "line \(quoteLine)",
                                               reason: "a quoted field is never closed (unbalanced quote)")
                        }
                        return nil
                    }
                    let byte = bytes[index]
                    if byte == quote {
                        guard index + 1 < end else {
                            if atEnd { break }
                            return nil
                        }
                        if bytes[index + 1] == quote {
                            doubled = true
                            index += 2
                            continue
                        }
                        break
                    }
                    if byte == lineFeed { lines += 1 }
                    index += 1
                }
                fields.append(Field(start: fieldStart, end: index, hasDoubledQuotes: doubled))
                index += 1  // the closing quote
                if index < end, bytes[index] != separator, bytes[index] != lineFeed, bytes[index] != carriageReturn {
                    throw DatasetError(file: reader.path, example: "line \(reader.line + lines)",
                                       reason: "text after a closing quote (a quote inside a quoted field must be doubled)")
                }
            } else {
                let fieldStart = index
                while index < end {
                    let byte = bytes[index]
                    if byte == separator || byte == lineFeed || byte == carriageReturn { break }
                    if byte == quote {
                        throw DatasetError(file: reader.path, example: "line \(reader.line + lines)",
                                           reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    index += 1
                }
                if index == end && !atEnd { return nil }
                fields.append(Field(start: fieldStart, end: index, hasDoubledQuotes: false))
            }
            // After the field: a separator, a line break or the end of the input.
            guard index < end else {
                if !atEnd { return nil }
                return .record(length: index - reader.start, lines: lines)
            }
            let byte = bytes[index]
            if byte == separator {
                index += 1
                if index == end && !atEnd { return nil }
                if index == end {  // a separator at the very end: one more, empty field
                    fields.append(Field(start: index, end: index, hasDoubledQuotes: false))
                    return .record(length: index - reader.start, lines: lines)
                }
                continue
            }
            if byte == carriageReturn {
                guard index + 1 < end || atEnd else { return nil }
                index += index + 1 < end && bytes[index + 1] == lineFeed ? 2 : 1
            } else {
                index += 1
            }
            return .record(length: index - reader.start, lines: lines + 1)
        }
    }
}

/// A header row and the records after it, checked to have a field per column.
struct DelimitedTable {
    var records: DelimitedRecords
    /// Column names from the header (trimmed of spaces).
    let columns: [String]

    /// Reads the header.
    /// - Throws: for an empty file or a header that names a column twice.
    init(reader: ByteReader, separator: UInt8) throws(DatasetError) {
        var records = DelimitedRecords(reader: reader, separator: separator)
        guard try records.next() else { throw DatasetError(file: reader.path, reason: "the file is empty") }
        var columns: [String] = []
        var seen: Set<String> = []
        for index in 0..<records.fieldCount {
            let name = records.field(index).trimmingCharacters(in: .whitespaces)
            guard seen.insert(name).inserted else {
                throw DatasetError(file: reader.path, example: "line \(records.line)", reason: "the header names column \"\(name)\" twice")
            }
            columns.append(name)
        }
        self.records = records
        self.columns = columns
    }

    var path: String { records.reader.path }

    /// Moves to the next row; false at the end.
    /// - Throws: also for a row whose field count differs from the header's.
    mutating func next() throws(DatasetError) -> Bool {
        guard try records.next() else { return false }
        guard records.fieldCount == columns.count else {
            throw DatasetError(file: path, example: "line \(records.line)",
                               reason: "\(records.fieldCount) fields where the header has \(columns.count)")
        }
        return true
    }
}

/// A CSV or TSV split file as a stream of rows: the text, label and id columns.
struct DelimitedRowStream: RowStream {
    private var table: DelimitedTable
    var bytesRead: Int? { table.records.reader.fileOffset }
    private let fields: RowFields
    private let textColumn: Int
    private let labelColumn: Int?
    private let idColumn: Int?
    private var row = 0

    init(reader: ByteReader, separator: UInt8, fields: RowFields) throws(DatasetError) {
        table = try DelimitedTable(reader: reader, separator: separator)
        guard let text = table.columns.firstIndex(of: fields.text) else {
            throw DatasetError(file: reader.path, reason: "the header has no column \"\(fields.text)\" (text_field in dataset.json)")
        }
        textColumn = text
        labelColumn = table.columns.firstIndex(of: fields.label)
        idColumn = table.columns.firstIndex(of: fields.id)
        self.fields = fields
    }

    mutating func next(limit: Int) throws -> RowChunk? {
        try nextChunk(limit: max(1, limit))
    }

    mutating func nextChunk(limit: Int) throws(DatasetError) -> RowChunk? {
        var chunk = RowChunk(firstRow: row)
        chunk.reserve(min(limit, 4096))
        while chunk.count < limit, try table.next() {
            let records = table.records
            var label: Int8 = -1
            if let labelColumn, !records.isEmpty(labelColumn) {
                do throws(RowFields.LabelError) {
                    label = Int8(try fields.classID(of: records.field(labelColumn)) ?? -1)
                } catch {
                    throw DatasetError(file: table.path, example: "row \(row + 1)", reason: "\(error.reason) (line \(records.line))")
                }
            }
            let id = idColumn.flatMap { records.isEmpty($0) ? nil : records.field($0) } ?? String(row)
            chunk.append(id: id, text: records.field(textColumn), label: label)
            row += 1
        }
        return chunk.count == 0 ? nil : chunk
    }
}
