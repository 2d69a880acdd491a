import Foundation

/// A user's file of rows: CSV (RFC 4180), TSV, JSONL, a JSON array of objects, or Parquet. Every
/// value is kept as text (nil for an empty or null one), with the line its row starts on, so an
/// error can name file, line and column.
public struct TabularFile: Sendable {
    public struct Row: Sendable {
        /// The line of the file the row starts on (1-based); for a JSON array or Parquet, the row's position + 1.
        public var line: Int
        public var values: [String: String]
    }

    public enum Format: String, Sendable, CaseIterable {
        case csv, tsv, jsonl, json, parquet

        /// The format a file name says, or nil.
        public static func of(_ url: URL) -> Format? {
            switch url.pathExtension.lowercased() {
            case "csv": return .csv
            case "tsv", "tab": return .tsv
            case "jsonl", "ndjson": return .jsonl
            case "json": return .json
            case "parquet", "pq": return .parquet
            default: return nil
            }
        }
    }

    public var file: URL
    public var format: Format
    /// Every column, in the order first seen.
    public var columns: [String]
    public var rows: [Row]
    /// Columns where some value is not a number (text-like columns).
    public var textColumns: Set<String>

    /// - Parameter rowLimit: read only the first rows (a sample to choose columns from); nil reads all.
    public static func read(_ file: URL, rowLimit: Int? = nil) throws -> TabularFile {
        guard let format = Format.of(file) else {
            throw DatasetError(file: file.path, reason: "unknown file type \".\(file.pathExtension)\" (expected .csv, .tsv, .jsonl, .json or .parquet)")
        }
        let rows: [Row]
        var columns: [String] = []
        switch format {
        case .csv, .tsv:
            (columns, rows) = try DelimitedText.parse(try ByteReader(file: file), separator: format == .tsv ? "\t" : ",", limit: rowLimit)
        case .jsonl:
            rows = try jsonLines(JSONLinesReader(reader: try ByteReader(file: file)), limit: rowLimit)
        case .json:
            rows = Array(try jsonArray(try Data(contentsOf: file), file: file.path).prefix(rowLimit ?? Int.max))
        case .parquet:
            let python = try ParquetProcess(file: file, columns: nil, required: nil)
            do {
                rows = try jsonLines(JSONLinesReader(reader: ByteReader(descriptor: python.descriptor, path: file.path, closes: false), place: .row),
                                     limit: rowLimit)
            } catch {
                throw python.failureIfExited() ?? error
            }
            // A sample stops before the end: Python is killed when `python` goes.
            if rowLimit == nil || rows.count < rowLimit! { try python.finish() }
        }
        if columns.isEmpty {
            var seen: Set<String> = []
            for row in rows { for key in row.values.keys.sorted() where seen.insert(key).inserted { columns.append(key) } }
        }
        var textColumns: Set<String> = []
        for row in rows {
            for (key, value) in row.values where !textColumns.contains(key) && Double(value) == nil { textColumns.insert(key) }
        }
        guard !rows.isEmpty else { throw DatasetError(file: file.path, reason: "the file has no rows") }
        return TabularFile(file: file, format: format, columns: columns, rows: rows, textColumns: textColumns)
    }

    /// A JSON value as the text kept for it; nil for null; an error for an object or array.
    static func cell(_ value: Any, key: String, file: String, line: Int) throws -> String? {
        switch value {
        case is NSNull: return nil
        case let string as String: return string
        case let number as NSNumber: return JSONReader.isBool(number) ? (number.boolValue ? "true" : "false") : number.stringValue
        default: throw DatasetError(file: file, example: "line \(line)", reason: "column \"\(key)\" holds a list or an object, not a value")
        }
    }

    static func object(_ any: Any, file: String, line: Int) throws -> Row {
        guard let object = any as? [String: Any] else {
            throw DatasetError(file: file, example: "line \(line)", reason: "not a JSON object")
        }
        var values: [String: String] = [:]
        for (key, value) in object { values[key] = try cell(value, key: key, file: file, line: line) }
        return Row(line: line, values: values)
    }

    /// Every row of a JSON Lines stream, each member as text (`JSONLinesReader.cells`).
    static func jsonLines(_ lines: JSONLinesReader, limit: Int? = nil) throws -> [Row] {
        var lines = lines
        var rows: [Row] = []
        while rows.count < (limit ?? Int.max), let values = try lines.nextObject({ (scanner, _) throws(ScanError) in try JSONLinesReader.cells(&scanner) }) {
            rows.append(Row(line: lines.place == .row ? lines.rows : lines.lastLine, values: values))
        }
        return rows
    }

    static func jsonArray(_ data: Data, file: String) throws -> [Row] {
        let any: Any
        do { any = try JSONSerialization.jsonObject(with: data) } catch {
            throw DatasetError(file: file, reason: "not valid JSON (\(JSONReader.describe(error)))")
        }
        guard let array = any as? [Any] else { throw DatasetError(file: file, reason: "expected a JSON array of objects") }
        return try array.enumerated().map { try object($0.element, file: file, line: $0.offset + 1) }
    }
}

/// A whole CSV or TSV table in memory, read by `DelimitedRecords` (the one parser of delimited text).
enum DelimitedText {
    /// Reads text already in memory (saved votes).
    static func parse(_ text: String, separator: Character, file: String) throws -> (columns: [String], rows: [TabularFile.Row]) {
        try parse(ByteReader(bytes: Array(text.utf8), path: file), separator: separator)
    }

    static func parse(_ reader: ByteReader, separator: Character, limit: Int? = nil) throws(DatasetError) -> (columns: [String], rows: [TabularFile.Row]) {
        var table = try DelimitedTable(reader: reader, separator: separator.asciiValue ?? UInt8(ascii: ","))
        var rows: [TabularFile.Row] = []
        while rows.count < (limit ?? Int.max), try table.next() {
            var values: [String: String] = [:]
            for (index, name) in table.columns.enumerated() where !table.records.isEmpty(index) {
                values[name] = table.records.field(index)
            }
            rows.append(TabularFile.Row(line: table.records.line, values: values))
        }
        return (table.columns, rows)
    }
}
