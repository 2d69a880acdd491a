import Foundation

/// The file formats labels leave the tool in, chosen by the output's extension.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, jsonl, parquet
    /// WRENCH JSON: `{"0": {"label": id, "data": {...}, "weak_labels": [...]}, ...}`.
    case wrench = "json"

    /// - Throws: `ExportError` naming the file when the extension is none of csv, jsonl, parquet, json.
    public static func of(_ file: URL) throws -> ExportFormat {
        guard let format = ExportFormat(rawValue: file.pathExtension.lowercased()) else {
            throw ExportError(file: file.path, reason: "cannot tell the format from the extension: use .csv, .jsonl, .parquet or .json (WRENCH)")
        }
        return format
    }
}

public struct ExportError: InputError, Equatable {
    public let file: String
    public let reason: String
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
    public var description: String { "\(file): \(reason)" }
}

/// A typed cell of an exported row.
public enum Cell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case integer(Int)
    case empty
}

/// Writes rows one at a time to a hidden file beside the target and renames it into place at
/// `finish` (so a reader never sees half a file, and a failure leaves the old file or none).
/// Rows are buffered a few hundred kilobytes at a time; nothing else is kept.
/// Parquet is written as JSON lines first, then converted by `python3` with pyarrow in batches.
public final class TableWriter {
    public let target: URL
    public let format: ExportFormat
    public let columns: [String]
    private let temporary: URL
    private let handle: FileHandle
    private var buffer = Data()
    private var rowsWritten = 0
    private var finished = false

    public init(to target: URL, format: ExportFormat, columns: [String]) throws {
        self.target = target
        self.format = format
        self.columns = columns
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw ExportError(file: folder.path, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString.prefix(8)).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: temporary) else {
            throw ExportError(file: target.path, reason: "cannot write in \(folder.path)")
        }
        self.handle = handle
        switch format {
        case .csv: buffer.append(Data((columns.map(Self.csvField).joined(separator: ",") + "\r\n").utf8))
        case .wrench: buffer.append(Data("{".utf8))
        case .jsonl, .parquet: break
        }
    }

    deinit {
        if !finished {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// One row, a cell per column. For WRENCH, `wrench` gives the row's label id, data and weak labels.
    public func write(_ cells: [Cell], wrench: (label: Int, data: [String: Cell], weakLabels: [Int])? = nil) throws {
        precondition(cells.count == columns.count || format == .wrench, "a cell per column")
        switch format {
        case .csv:
            buffer.append(Data((cells.map(Self.csvText).joined(separator: ",") + "\r\n").utf8))
        case .jsonl, .parquet:
            buffer.append(Data(Self.jsonObject(zip(columns, cells).map { ($0, $1) }).utf8))
            buffer.append(0x0A)
        case .wrench:
            guard let wrench else { preconditionFailure("WRENCH rows need their label, data and weak labels") }
            let data = Self.jsonObject(wrench.data.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            let entry = "\(rowsWritten == 0 ? "" : ",")\n\(Self.jsonString(String(rowsWritten))): {\"label\": \(wrench.label), \"data\": \(data), \"weak_labels\": [\(wrench.weakLabels.map(String.init).joined(separator: ", "))]}"
            buffer.append(Data(entry.utf8))
        }
        rowsWritten += 1
        if buffer.count > 1 << 18 { try flush() }
    }

    /// Completes the file and renames it into place; returns the rows written. For Parquet,
    /// `numberColumns` are typed as doubles and `integerColumns` as integers, the rest as strings.
    @discardableResult
    public func finish(numberColumns: Set<String> = [], integerColumns: Set<String> = []) throws -> Int {
        if format == .wrench { buffer.append(Data("\n}\n".utf8)) }
        try flush()
        try handle.synchronize()
        try handle.close()
        finished = true
        do {
            if format == .parquet {
                try ParquetConversion.convert(jsonLines: temporary, to: target, columns: columns,
                                              numberColumns: numberColumns, integerColumns: integerColumns)
                try? FileManager.default.removeItem(at: temporary)
            } else if rename(temporary.path, target.path) != 0 {
                throw ExportError(file: target.path, reason: "cannot move the finished file into place (\(String(cString: strerror(errno))))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return rowsWritten
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch {
            throw ExportError(file: target.path, reason: "cannot write (\(error.localizedDescription))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: Cell texts

    /// RFC 4180: quoted when the field holds a comma, a quote, a CR or an LF; quotes doubled.
    public static func csvField(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func csvText(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): return csvField(text)
        case .number(let value): return numberText(value)
        case .integer(let value): return String(value)
        case .empty: return ""
        }
    }

    /// Shortest text that reads back as the same double.
    static func numberText(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "0"
    }

    static func jsonObject(_ pairs: [(String, Cell)]) -> String {
        "{" + pairs.map { key, cell in
            let value: String
            switch cell {
            case .text(let text): value = jsonString(text)
            case .number(let number): value = numberText(number)
            case .integer(let integer): value = String(integer)
            case .empty: value = "null"
            }
            return jsonString(key) + ": " + value
        }.joined(separator: ", ") + "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// JSON lines to Parquet through `python3` and pyarrow, a batch of rows at a time, with a schema
/// fixed up front (a column of empty cells stays a string column).
enum ParquetConversion {
    static let script = """
        import json, sys
        try:
            import pyarrow as pa, pyarrow.parquet as pq
        except ImportError:
            sys.stderr.write("pyarrow is not installed for this python3 (scripts/setup installs it)\\n"); sys.exit(3)
        spec = json.loads(sys.argv[3])
        kinds = {"number": pa.float64(), "integer": pa.int64(), "text": pa.string()}
        schema = pa.schema([(name, kinds[kind]) for name, kind in spec])
        names = [name for name, _ in spec]
        writer = pq.ParquetWriter(sys.argv[2], schema)
        batch = []
        def flush():
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()
        with open(sys.argv[1], encoding="utf-8") as source:
            for line in source:
                row = json.loads(line)
                batch.append({name: row.get(name) for name in names})
                if len(batch) >= 20000:
                    flush()
        flush()
        writer.close()
        """

    static func convert(jsonLines: URL, to target: URL, columns: [String], numberColumns: Set<String>, integerColumns: Set<String>) throws {
        let spec = columns.map { [$0, numberColumns.contains($0) ? "number" : integerColumns.contains($0) ? "integer" : "text"] }
        let specText = String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)
        let staging = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString.prefix(8)).parquet")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, jsonLines.path, staging.path, specText]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ExportError(file: target.path, reason: "cannot start python3 to write Parquet (\(error.localizedDescription))")
        }
        let drain = PipeDrain(errors.fileHandleForReading)
        process.waitUntilExit()
        let message = String(decoding: drain.wait(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: staging)
            throw ExportError(file: target.path, reason: "cannot write Parquet: \(message.split(separator: "\n").last.map(String.init) ?? "python3 failed")")
        }
        if rename(staging.path, target.path) != 0 {
            try? FileManager.default.removeItem(at: staging)
            throw ExportError(file: target.path, reason: "cannot move the finished file into place")
        }
    }
}
