@testable import Engine
import Foundation
import Testing
import TestSupport

/// Reading a user's file of rows: every format, RFC 4180's corners, and errors that name the line.
@Suite struct TabularFileTests {
    func write(_ name: String, _ bytes: Data) throws -> (URL, URL) {
        let folder = try TestEnvironment.temporaryFolder("tabular")
        let file = folder.appendingPathComponent(name)
        try bytes.write(to: file)
        return (folder, file)
    }

    @Test func csvFollowsRFC4180WithABOMAndCRLF() throws {
        let csv = "\u{FEFF}id,text,label\r\n1,\"hello, world\",ham\r\n2,\"she said \"\"hi\"\"\",spam\r\n3,\"two\r\nlines\",\r\n4,plain,ham"
        let (folder, file) = try write("rows.csv", Data(csv.utf8))
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = try TabularFile.read(file)
        #expect(table.columns == ["id", "text", "label"])  // the BOM is not part of the first name
        #expect(table.rows.map { $0.values["text"] } == ["hello, world", "she said \"hi\"", "two\r\nlines", "plain"])
        #expect(table.rows.map(\.line) == [2, 3, 4, 6])  // the row after a field with a line break starts on line 6
        #expect(table.rows[2].values["label"] == nil)
        #expect(table.textColumns.contains("text") && !table.textColumns.contains("id"))
    }

    @Test func tsvJSONLinesAndAJSONArray() throws {
        let (folder, tsv) = try write("rows.tsv", Data("text\tlabel\na, b\t1\nc\t0\n".utf8))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try TabularFile.read(tsv).rows.map { $0.values["text"] } == ["a, b", "c"])
        let jsonl = folder.appendingPathComponent("rows.jsonl")
        try Data("{\"text\": \"x\", \"label\": 1, \"ok\": true}\n\n{\"text\": \"y\", \"label\": null}\n".utf8).write(to: jsonl)
        let lines = try TabularFile.read(jsonl)
        #expect(lines.rows.map(\.line) == [1, 3])
        #expect(lines.rows[0].values == ["text": "x", "label": "1", "ok": "true"])
        #expect(lines.rows[1].values["label"] == nil)
        let array = folder.appendingPathComponent("rows.json")
        try Data("[{\"text\": \"x\", \"id\": 7}, {\"text\": \"y\", \"id\": 8}]".utf8).write(to: array)
        #expect(try TabularFile.read(array).rows.map { $0.values["id"] } == ["7", "8"])
    }

    @Test func malformedFilesNameTheLine() throws {
        let cases: [(String, String, String)] = [
            ("open.csv", "text,label\nfine,1\n\"never closed,1\n", "line 3"),
            ("count.csv", "text,label\nfine,1\ntoo,many,fields\n", "line 3"),
            ("stray.csv", "text,label\nab\"c,1\n", "line 2"),
            ("bad.jsonl", "{\"text\": \"a\"}\n{\"text\": \n", "line 2"),
            ("list.jsonl", "{\"text\": [1, 2]}\n", "holds a list"),
        ]
        for (name, content, expected) in cases {
            let (folder, file) = try write(name, Data(content.utf8))
            defer { try? FileManager.default.removeItem(at: folder) }
            let error = try #require(throws: DatasetError.self) { try TabularFile.read(file) }
            #expect(error.description.contains(file.path) && error.description.contains(expected), "\(name): \(error)")
        }
        let (folder, file) = try write("rows.xlsx", Data("x".utf8))
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: DatasetError.self) { try TabularFile.read(file) }
    }

    @Test func parquetWrittenByPyarrow() throws {
        guard (try? PythonReference.run("import pyarrow")) != nil else {
            FileHandle.standardError.write(Data("skipped parquetWrittenByPyarrow: python3 has no pyarrow (./scripts/setup installs it)\n".utf8))
            return
        }
        let folder = try TestEnvironment.temporaryFolder("parquet")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rows.parquet")
        _ = try PythonReference.run("""
            import sys, pyarrow as pa, pyarrow.parquet as pq
            pq.write_table(pa.table({"id": [10, 11, 12], "text": ["é, \\"quoted\\"", "two\\nlines", None], "label": ["a", None, "b"]}), sys.argv[1])
            """, arguments: [file.path])
        let table = try TabularFile.read(file)
        #expect(table.rows.count == 3)
        #expect(table.rows.map { $0.values["text"] } == ["é, \"quoted\"", "two\nlines", nil])
        #expect(table.rows.map { $0.values["id"] } == ["10", "11", "12"])
        let broken = folder.appendingPathComponent("broken.parquet")
        try Data("not parquet".utf8).write(to: broken)
        let error = try #require(throws: DatasetError.self) { try TabularFile.read(broken) }
        #expect(error.description.contains("Parquet"), "\(error)")
    }
}
