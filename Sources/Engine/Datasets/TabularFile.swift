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

    public static func read(_ file: URL) throws -> TabularFile {
        guard let format = Format.of(file) else {
            throw DatasetError(file: file.path, reason: "unknown file type \".\(file.pathExtension)\" (expected .csv, .tsv, .jsonl, .json or .parquet)")
        }
        let rows: [Row]
        var columns: [String] = []
        switch format {
        case .csv, .tsv:
            (columns, rows) = try DelimitedText.parse(try text(of: file), separator: format == .tsv ? "\t" : ",", file: file.path)
        case .jsonl:
            rows = try jsonLines(try text(of: file), file: file.path)
        case .json:
            rows = try jsonArray(try Data(contentsOf: file), file: file.path)
        case .parquet:
            rows = try jsonLines(try ParquetReader.jsonLines(of: file), file: file.path, positions: true)
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

    static func text(of file: URL) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw DatasetError(file: file.path, reason: "cannot read the file (\(JSONReader.describe(error)))")
        }
        try TextValidation.requireUTF8(data, file: file)
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
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

    static func jsonLines(_ text: String, file: String, positions: Bool = false) throws -> [Row] {
        var rows: [Row] = []
        var line = 0
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let trimmed = piece.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let any: Any
            do { any = try JSONSerialization.jsonObject(with: Data(trimmed.utf8)) } catch {
                throw DatasetError(file: file, example: positions ? "row \(rows.count + 1)" : "line \(line)", reason: "not valid JSON")
            }
            rows.append(try object(any, file: file, line: positions ? rows.count + 1 : line))
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

/// CSV and TSV by RFC 4180: fields in double quotes may hold separators, doubled quotes and line
/// breaks; `\r\n` and `\n` end records; the first record is the header.
enum DelimitedText {
    static func parse(_ text: String, separator: Character, file: String) throws -> (columns: [String], rows: [TabularFile.Row]) {
        var records: [(line: Int, fields: [String])] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var quotedAt = 0
        var line = 1
        var recordLine = 1
        var afterQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            field = ""
            fields = []
            afterQuote = false
        }
        let sep = separator.unicodeScalars.first ?? ","
        while let scalar = next() {
            if inQuotes {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else {
                            inQuotes = false
                            afterQuote = true
                            pending = following
                        }
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
                quotedAt = line
            case "\"":
                throw DatasetError(file: file, example: "line \(line)", reason: "a quote inside an unquoted field (quote the whole field and double the quote)")
            case sep:
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r":
                if let following = next(), following != "\n" { pending = following }
                endRecord()
                line += 1
                recordLine = line
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default:
                if afterQuote {
                    throw DatasetError(file: file, example: "line \(line)", reason: "text after a closing quote (a quote inside a quoted field must be doubled)")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw DatasetError(file: file, example: "line \(quotedAt)", reason: "a quoted field is never closed (unbalanced quote)")
        }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        guard let header = records.first else { throw DatasetError(file: file, reason: "the file is empty") }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        if let duplicate = columns.first(where: { name in columns.filter { $0 == name }.count > 1 }) {
            throw DatasetError(file: file, example: "line 1", reason: "the header names column \"\(duplicate)\" twice")
        }
        var rows: [TabularFile.Row] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                throw DatasetError(file: file, example: "line \(record.line)",
                                   reason: "\(record.fields.count) fields where the header has \(columns.count)")
            }
            var values: [String: String] = [:]
            for (name, value) in zip(columns, record.fields) where !value.isEmpty { values[name] = value }
            rows.append(TabularFile.Row(line: record.line, values: values))
        }
        return (columns, rows)
    }
}

/// Parquet through pyarrow in a trusted Python process (the user's own file, not a program): its
/// rows come back as JSON lines.
enum ParquetReader {
    static let script = """
        import json, sys
        try:
            import pyarrow.parquet as pq
        except ImportError:
            sys.stderr.write("pyarrow is not installed: ./scripts/setup installs it (or pip install pyarrow)\\n")
            sys.exit(3)
        table = pq.read_table(sys.argv[1])
        out = sys.stdout
        for batch in table.to_batches(65536):
            for row in batch.to_pylist():
                out.write(json.dumps(row, default=str, ensure_ascii=False))
                out.write("\\n")
        """

    static func jsonLines(of file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw DatasetError(file: file.path, reason: "cannot start python3 to read Parquet (\(error.localizedDescription))")
        }
        let errorText = PipeDrain(errors.fileHandleForReading)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let message = String(decoding: errorText.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            throw DatasetError(file: file.path, reason: message.isEmpty ? "cannot read it as Parquet" : "cannot read it as Parquet: \(message.split(separator: "\n").last.map(String.init) ?? message)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
