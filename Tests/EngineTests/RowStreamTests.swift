@testable import Engine
import Foundation
import Testing
import TestSupport

/// Split files of every format read as streams of row chunks: the same rows whatever the chunk and
/// block sizes, and errors that name the file and the line.
@Suite struct RowStreamTests {
    /// Ten rows with what is hard to read: separators, quotes, line breaks, tabs, backslashes,
    /// non-ASCII text and an emoji (a surrogate pair when escaped); labels by id, by name, in
    /// another letter case, and missing.
    static let rows: [(id: String, text: String, label: String?)] = [
        ("a1", "plain", "0"),
        ("a2", "comma, here", "spam"),
        ("a3", "she said \"hi\"", "HAM"),
        ("a4", "two\nlines", nil),
        ("a5", "tab\there", "1"),
        ("a6", "café 日本語", "ham"),
        ("a7", "emoji 😀 end", "spam"),
        ("a8", "back\\slash / and \u{01} control", nil),
        ("a9", "", "0"),
        ("a10", "last", "spam"),
    ]
    static let classes = ["ham", "spam"]
    static let expectedLabels: [Int8] = [0, 1, 0, -1, 1, 0, 1, -1, 0, 1]

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "/": out += "\\/"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            case _ where scalar.value > 0xFFFF:  // a surrogate pair
                let value = scalar.value - 0x10000
                out += String(format: "\\ud%03x\\ud%03x", 0x800 + (value >> 10), 0xC00 + (value & 0x3FF))
            case "é": out += "\\u00e9"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func csvField(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The ten rows in a format, with `newline` between rows and (unless `finalNewline` is false) after the last.
    static func file(_ format: SplitFileFormat, newline: String = "\n", finalNewline: Bool = true) -> String {
        var lines: [String] = []
        switch format {
        case .csv, .tsv:
            let separator = format == .csv ? "," : "\t"
            lines.append(["id", "text", "label"].joined(separator: separator))
            for row in rows { lines.append([row.id, csvField(row.text), row.label ?? ""].joined(separator: separator)) }
        case .jsonl:
            for (index, row) in rows.enumerated() {
                let label = row.label.map { Int($0) != nil && index % 2 == 0 ? $0 : jsonString($0) } ?? "null"
                lines.append("{\"id\": \(jsonString(row.id)), \"text\": \(jsonString(row.text)), \"extra\": [1, {\"x\": null}], \"label\": \(label)}")
                if index == 4 { lines.append("   ") }  // a blank line is no row
            }
        case .wrench:
            lines.append("{")
            for (index, row) in rows.enumerated() {
                let label = row.label.map { name in classes.firstIndex { $0.lowercased() == name.lowercased() } ?? Int(name) ?? -1 }
                let comma = index == rows.count - 1 ? "" : ","
                lines.append("  \"\(index)\": {\"label\": \(label.map(String.init) ?? "null"), \"data\": {\"text\": \(jsonString(row.text)), \"n\": 1.5e3}, \"weak_labels\": [-1, \(index % 2)]}\(comma)")
            }
            lines.append("}")
        case .parquet:
            preconditionFailure("written by Python")
        }
        return lines.joined(separator: newline) + (finalNewline ? newline : "")
    }

    static let fields = RowFields(classes: classes)

    /// All chunks of a file read with the given limit and block size.
    static func chunks(_ file: URL, _ format: SplitFileFormat, limit: Int, blockSize: Int = ByteReader.defaultBlockSize,
                       fields: RowFields = fields) throws -> [RowChunk] {
        var stream = try SplitFile.open(file, format: format, fields: fields, blockSize: blockSize)
        var chunks: [RowChunk] = []
        while let chunk = try stream.next(limit: limit) { chunks.append(chunk) }
        #expect(try stream.next(limit: limit) == nil)  // stays at the end
        return chunks
    }

    static func write(_ text: String, name: String) throws -> (folder: URL, file: URL) {
        try write(Data(text.utf8), name: name)
    }

    static func write(_ data: Data, name: String) throws -> (folder: URL, file: URL) {
        let folder = try TestEnvironment.temporaryFolder("rowstream")
        let file = folder.appendingPathComponent(name)
        try data.write(to: file)
        return (folder, file)
    }

    /// Chunks of 3 and one chunk of 100 give the same rows, with firstRow right, at every block size.
    static func checkTenRows(_ file: URL, _ format: SplitFileFormat, ids: [String]) throws {
        let whole = try chunks(file, format, limit: 100)
        #expect(whole.count == 1)
        let all = try #require(whole.first)
        #expect(all.firstRow == 0)
        #expect(all.texts == rows.map(\.text), "\(format)")
        #expect(all.labels == expectedLabels, "\(format)")
        #expect(all.ids == ids, "\(format)")
        for blockSize in [7, 1, 64, ByteReader.defaultBlockSize] {
            let pieces = try chunks(file, format, limit: 3, blockSize: blockSize)
            #expect(pieces.map(\.count) == [3, 3, 3, 1], "\(format), blocks of \(blockSize)")
            #expect(pieces.map(\.firstRow) == [0, 3, 6, 9])
            #expect(pieces.flatMap(\.texts) == all.texts, "\(format), blocks of \(blockSize)")
            #expect(pieces.flatMap(\.labels) == all.labels)
            #expect(pieces.flatMap(\.ids) == all.ids)
            #expect(pieces.compactMap(\.weakLabels).flatMap { $0 } == (all.weakLabels ?? []))
        }
    }

    @Test(arguments: [SplitFileFormat.csv, .tsv, .jsonl, .wrench])
    func everyFormatGivesTheSameRowsInAnyChunksAndBlocks(format: SplitFileFormat) throws {
        let ids = format == .wrench ? (0..<10).map(String.init) : Self.rows.map(\.id)
        for (newline, final) in [("\n", true), ("\n", false), ("\r\n", true), ("\r\n", false)] {
            let (folder, file) = try Self.write(Self.file(format, newline: newline, finalNewline: final), name: "train.\(format.fileExtension)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try Self.checkTenRows(file, format, ids: ids)
        }
    }

    @Test func wrenchWeakLabelsAndUnknownKeys() throws {
        let (folder, file) = try Self.write(Self.file(.wrench), name: "train.json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let all = try #require(try Self.chunks(file, .wrench, limit: 100).first)
        #expect(all.weakLabels == (0..<10).map { [-1, Int8($0 % 2)] })
        let csv = try Self.write(Self.file(.csv), name: "train.csv")
        defer { try? FileManager.default.removeItem(at: csv.folder) }
        #expect(try Self.chunks(csv.file, .csv, limit: 100).first?.weakLabels == nil)
    }

    @Test func withoutAnIdColumnTheIdIsTheRowNumber() throws {
        let (folder, file) = try Self.write("body,kind\r\nx,urgent\r\n\r\ny,\r\nz,0", name: "t.csv")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fields = RowFields(text: "body", label: "kind", classes: ["routine", "urgent"])
        let rows = try #require(try Self.chunks(file, .csv, limit: 10, blockSize: 3, fields: fields).first)
        #expect(rows.ids == ["0", "1", "2"])
        #expect(rows.texts == ["x", "y", "z"])
        #expect(rows.labels == [1, -1, 0])
        let jsonl = try Self.write("{\"body\": \"x\", \"id\": 7}\n{\"body\": \"y\", \"id\": \"\"}\n{\"body\": \"z\"}", name: "t.jsonl")
        defer { try? FileManager.default.removeItem(at: jsonl.folder) }
        let lines = try #require(try Self.chunks(jsonl.file, .jsonl, limit: 10, fields: fields).first)
        #expect(lines.ids == ["7", "1", "2"])
        #expect(lines.labels == [-1, -1, -1])
    }

    @Test func escapesAndSurrogatePairsDecode() throws {
        let line = #"{"text": "q\" b\\ s\/ \b\f\n\r\t \u00e9\u65e5 \ud83d\ude00 \uD834\uDD1E end"}"#
        let (folder, file) = try Self.write(line, name: "e.jsonl")
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = "q\" b\\ s/ \u{08}\u{0C}\n\r\t é日 😀 𝄞 end"
        for blockSize in [1, 5, 7, 100] {
            #expect(try Self.chunks(file, .jsonl, limit: 5, blockSize: blockSize).first?.texts == [expected])
        }
        let reference = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(reference?["text"] as? String == expected)
    }

    // MARK: errors

    static func error(_ text: String, _ format: SplitFileFormat, blockSize: Int = ByteReader.defaultBlockSize,
                      fields: RowFields = fields) throws -> DatasetError {
        try error(Data(text.utf8), format, blockSize: blockSize, fields: fields)
    }

    static func error(_ data: Data, _ format: SplitFileFormat, blockSize: Int = ByteReader.defaultBlockSize,
                      fields: RowFields = fields) throws -> DatasetError {
        let (folder, file) = try write(data, name: "bad.\(format.fileExtension)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: DatasetError.self) { _ = try chunks(file, format, limit: 2, blockSize: blockSize, fields: fields) }
        #expect(error.file == file.path)
        return error
    }

    @Test(arguments: [1, 7, ByteReader.defaultBlockSize])
    func csvQuoteNeverClosedNamesTheLineWhereTheFieldStarts(blockSize: Int) throws {
        let error = try Self.error("text,label\na,1\n\"b, still\nc,1\nd,1\n", .csv, blockSize: blockSize)
        #expect(error.example == "line 3", "\(error)")
        #expect(error.reason.contains("never closed"))
        // Cut inside a quote, without a final line break.
        let cut = try Self.error("text\tlabel\r\n\"open", .tsv, blockSize: blockSize)
        #expect(cut.example == "line 2" && cut.reason.contains("never closed"), "\(cut)")
    }

    @Test func csvRowsWithTheWrongFieldCountNameTheirLine() throws {
        let fewer = try Self.error("id,text,label\n1,a,0\n2,\"b\nb\"\n3,c,0\n", .csv)
        #expect(fewer.example == "line 3" && fewer.reason.contains("2 fields where the header has 3"), "\(fewer)")
        let unknown = try Self.error("text,label\na,0\nb,eggs\n", .csv)
        #expect(unknown.example == "row 2" && unknown.reason.contains("eggs") && unknown.reason.contains("line 3"), "\(unknown)")
        let noText = try Self.error("body,label\na,0\n", .csv)
        #expect(noText.reason.contains("\"text\""))
        let empty = try Self.error("", .csv)
        #expect(empty.reason.contains("empty"))
    }

    @Test(arguments: [1, 7, ByteReader.defaultBlockSize])
    func badJSONLinesNameTheLine(blockSize: Int) throws {
        let syntax = try Self.error("{\"text\": \"a\"}\n\n{\"text\": \"b\" \"label\": 1}\n", .jsonl, blockSize: blockSize)
        #expect(syntax.example == "line 3" && syntax.reason.contains("not valid JSON"), "\(syntax)")
        let cut = try Self.error("{\"text\": \"a\"}\n{\"text\": \"b", .jsonl, blockSize: blockSize)
        #expect(cut.example == "line 2", "\(cut)")
        let notText = try Self.error("{\"text\": 5}", .jsonl, blockSize: blockSize)
        #expect(notText.example == "line 1" && notText.reason.contains("\"text\""))
        let array = try Self.error("[1]\n", .jsonl, blockSize: blockSize)
        #expect(array.reason.contains("not a JSON object"))
        let label = try Self.error("{\"text\": \"a\", \"label\": 2}\n", .jsonl, blockSize: blockSize)
        #expect(label.reason.contains("outside 0…1"))
        let after = try Self.error("{\"text\": \"a\"} x\n", .jsonl, blockSize: blockSize)
        #expect(after.example == "line 1", "\(after)")
        let lone = try Self.error(#"{"text": "\ud800 x"}"#, .jsonl, blockSize: blockSize)
        #expect(lone.reason.contains("surrogate"), "\(lone)")
        let control = try Self.error("{\"text\": \"a\u{01}\"}", .jsonl, blockSize: blockSize)
        #expect(control.reason.contains("control character"), "\(control)")
    }

    @Test(arguments: [SplitFileFormat.csv, .tsv, .jsonl, .wrench])
    func invalidUTF8NamesTheLine(format: SplitFileFormat) throws {
        var text = Self.file(format)
        let range = try #require(text.range(of: "日本語"))
        let line = text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
        text.replaceSubrange(range, with: "XYZ")
        var data = Data(text.utf8)
        let at = try #require(data.firstRange(of: Data("XYZ".utf8)))
        data[at.lowerBound] = 0xC3  // a lead byte without its continuation
        for blockSize in [7, ByteReader.defaultBlockSize] {
            let error = try Self.error(data, format, blockSize: blockSize)
            #expect(error.reason.contains("line \(line)") && error.reason.contains("UTF-8"), "\(format): \(error)")
        }
    }

    @Test func anEmptyJSONLinesFileHasNoRows() throws {
        let (folder, file) = try Self.write("\n\n", name: "e.jsonl")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try Self.chunks(file, .jsonl, limit: 3).isEmpty)
    }

    @Test func aMissingFileIsNamed() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-folder/train.csv")
        let error = try #require(throws: DatasetError.self) { _ = try SplitFile.open(missing, format: .csv, fields: Self.fields) }
        #expect(error.file == missing.path && error.reason.contains("cannot read"))
    }

    @Test func formatsOfFileNames() {
        #expect(SplitFile.format(of: URL(fileURLWithPath: "a/train.json")) == .wrench)
        #expect(SplitFile.format(of: URL(fileURLWithPath: "a/train.TSV")) == .tsv)
        #expect(SplitFile.format(of: URL(fileURLWithPath: "a/train.ndjson")) == .jsonl)
        #expect(SplitFile.format(of: URL(fileURLWithPath: "a/train.parquet")) == .parquet)
        #expect(SplitFile.format(of: URL(fileURLWithPath: "a/train.xlsx")) == nil)
    }

    // MARK: the loaders on top

    @Test func customDatasetsReadEachSplitInItsOwnFormat() throws {
        let folder = try TestEnvironment.temporaryFolder("mixed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = #"{"name": "m", "description": "d", "classes": ["ham", "spam"]}"#
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("dataset.json"))
        try Data(Self.file(.jsonl).utf8).write(to: folder.appendingPathComponent("train.jsonl"))
        try Data(Self.file(.csv).utf8).write(to: folder.appendingPathComponent("valid.csv"))
        try Data(Self.file(.tsv, newline: "\r\n").utf8).write(to: folder.appendingPathComponent("test.tsv"))
        let dataset = try CustomDatasetLoader.load(folder: folder)
        #expect(dataset.format == .jsonl)
        for split in SplitName.allCases {
            let rows = try dataset.split(split)
            #expect(rows.texts == Self.rows.map(\.text), "\(split)")
            #expect(rows.labels == Self.expectedLabels.map { $0 < 0 ? nil : Int($0) })
            #expect(rows.ids == Self.rows.map(\.id))
        }
        // Two files for one split: say which.
        try Data(Self.file(.csv).utf8).write(to: folder.appendingPathComponent("train.csv"))
        let error = try #require(throws: DatasetError.self) { try CustomDatasetLoader.load(folder: folder) }
        #expect(error.reason.contains("train.csv and train.jsonl"), "\(error)")
        // A format in dataset.json reads only files of that format.
        try Data(#"{"name": "m", "description": "d", "classes": ["ham", "spam"], "format": "tsv"}"#.utf8)
            .write(to: folder.appendingPathComponent("dataset.json"))
        let tsvOnly = try CustomDatasetLoader.load(folder: folder)
        #expect(tsvOnly.format == .tsv && tsvOnly.splits.keys.sorted { $0.rawValue < $1.rawValue } == [.test])
    }

    @Test func savedVotesAndTablesUseTheSameCSVParser() throws {
        let (columns, rows) = try DelimitedText.parse("id,p1\r\n\"a,1\",0\r\nb,-1", separator: ",", file: "votes.csv")
        #expect(columns == ["id", "p1"])
        #expect(rows.map { $0.values["id"] } == ["a,1", "b"])
        #expect(rows.map(\.line) == [2, 3])
    }
}
