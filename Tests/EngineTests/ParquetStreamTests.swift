@testable import Engine
import Foundation
import Testing
import TestSupport

/// Parquet split files streamed from pyarrow in batches (only where python3 has pyarrow).
@Suite struct ParquetStreamTests {
    static var hasPyarrow: Bool {
        if (try? PythonReference.run("import pyarrow")) != nil { return true }
        FileHandle.standardError.write(Data("skipped ParquetStreamTests: python3 has no pyarrow (./scripts/setup installs it)\n".utf8))
        return false
    }

    /// Writes `rows` rows: id i, text "row i …", label "spam"/1/None in turn.
    static func write(rows: Int, name: String = "train.parquet") throws -> (folder: URL, file: URL) {
        let folder = try TestEnvironment.temporaryFolder("parquet-stream")
        let file = folder.appendingPathComponent(name)
        _ = try PythonReference.run("""
            import sys, pyarrow as pa, pyarrow.parquet as pq
            n = int(sys.argv[2])
            texts = ["row %d é \\"q\\" 😀\\nnext" % i for i in range(n)]
            labels = [["spam", "1", None][i % 3] for i in range(n)]
            pq.write_table(pa.table({"id": list(range(n)), "text": texts, "label": labels, "other": [1.5] * n}), sys.argv[1], row_group_size=4)
            """, arguments: [file.path, String(rows)])
        return (folder, file)
    }

    @Test func chunksOfThreeGiveTheRowsOfOneChunk() throws {
        guard Self.hasPyarrow else { return }
        let (folder, file) = try Self.write(rows: 10)
        defer { try? FileManager.default.removeItem(at: folder) }
        let fields = RowFields(classes: ["ham", "spam"])
        let whole = try RowStreamTests.chunks(file, .parquet, limit: 100, fields: fields)
        let all = try #require(whole.first)
        #expect(whole.count == 1)
        #expect(all.texts == (0..<10).map { "row \($0) é \"q\" 😀\nnext" })
        #expect(all.ids == (0..<10).map(String.init))
        #expect(all.labels == (0..<10).map { [1, 1, -1][$0 % 3] })
        for blockSize in [7, ByteReader.defaultBlockSize] {
            let pieces = try RowStreamTests.chunks(file, .parquet, limit: 3, blockSize: blockSize, fields: fields)
            #expect(pieces.map(\.count) == [3, 3, 3, 1])
            #expect(pieces.map(\.firstRow) == [0, 3, 6, 9])
            #expect(pieces.flatMap(\.texts) == all.texts)
            #expect(pieces.flatMap(\.labels) == all.labels)
        }
        // A custom dataset may have Parquet split files.
        try Data(#"{"name": "p", "description": "d", "classes": ["ham", "spam"]}"#.utf8).write(to: folder.appendingPathComponent("dataset.json"))
        let dataset = try CustomDatasetLoader.load(folder: folder)
        #expect(dataset.format == .parquet)
        #expect(try dataset.split(.train).texts == all.texts)
    }

    @Test func aMissingTextColumnOrABrokenFileIsSaid() throws {
        guard Self.hasPyarrow else { return }
        let (folder, file) = try Self.write(rows: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        let noColumn = try #require(throws: DatasetError.self) {
            _ = try RowStreamTests.chunks(file, .parquet, limit: 3, fields: RowFields(text: "body", classes: ["ham", "spam"]))
        }
        #expect(noColumn.reason.contains("no column \"body\""), "\(noColumn)")
        let broken = folder.appendingPathComponent("broken.parquet")
        try Data("not parquet".utf8).write(to: broken)
        let error = try #require(throws: DatasetError.self) {
            _ = try RowStreamTests.chunks(broken, .parquet, limit: 3, fields: RowFields(classes: ["ham", "spam"]))
        }
        #expect(error.file == broken.path && error.reason.contains("Parquet"), "\(error)")
    }

    @Test func withoutPyarrowTheErrorSaysToRunSetup() throws {
        guard Self.hasPyarrow else { return }
        let (folder, file) = try Self.write(rows: 3)
        defer { try? FileManager.default.removeItem(at: folder) }
        // python3 -S -s: without site-packages, so pyarrow cannot be imported.
        let python = try ParquetProcess(file: file, columns: nil, required: nil, python: ["python3", "-S", "-s"])
        var lines = JSONLinesReader(reader: ByteReader(descriptor: python.descriptor, path: file.path, closes: false))
        #expect(try lines.nextObject { (scanner, _) throws(ScanError) in try JSONLinesReader.cells(&scanner) } == nil)
        let error = try #require(throws: DatasetError.self) { try python.finish() }
        #expect(error.reason.contains("pyarrow is not installed") && error.reason.contains("./scripts/setup"), "\(error)")
    }

    @Test func droppingTheStreamEarlyEndsPython() throws {
        guard Self.hasPyarrow else { return }
        let (folder, file) = try Self.write(rows: 200_000)
        defer { try? FileManager.default.removeItem(at: folder) }
        let python = try ParquetProcess(file: file, columns: nil, required: "text", batchSize: 16)
        let pid = python.processIdentifier
        var lines = JSONLinesReader(reader: ByteReader(descriptor: python.descriptor, path: file.path, closes: false, blockSize: 64), place: .row)
        let first = try lines.nextObject { (scanner, _) throws(ScanError) in try JSONLinesReader.cells(&scanner) }
        #expect(first?["text"]?.hasPrefix("row 0 ") == true)
        #expect(kill(pid, 0) == 0)  // still running: it has far more rows to write
        _ = consume python
        _ = consume lines
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }
}
