@testable import Engine
import Foundation
import Testing
import TestSupport

/// The parts of the Spark jobs that hold without Spark: the sample's draw in `spark_job.py` against
/// `EndModelRows.draw`, document frequencies read back from their sparse form, the voted rows the
/// label worker and the sample reader parse.
@Suite struct SparkJobPartsTests {
    @Test func theJobsDrawIsEndModelRowsDrawBitForBit() throws {
        // spark_job.py's draw and MASK, run by python3 without pyspark (only those definitions are executed).
        let script = """
            import ast, sys
            tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
            kept = [node for node in tree.body
                    if (isinstance(node, ast.FunctionDef) and node.name == "draw")
                    or (isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "MASK" for t in node.targets))]
            names = {}
            exec(compile(ast.Module(body=kept, type_ignores=[]), sys.argv[1], "exec"), names)
            for line in sys.stdin:
                print(names["draw"](int(line)))
            """
        let rows = Array(0...1000) + [(1 << 40) + 7, Int(Int32.max), Int.max]
        let output = try PythonReference.run(script, arguments: [try SparkSubmission.jobScript().path],
                                             input: Data(rows.map(String.init).joined(separator: "\n").utf8 + [0x0A]))
        let draws = String(decoding: output, as: UTF8.self).split(separator: "\n").map { UInt64($0) }
        #expect(draws.count == rows.count)
        let differing = zip(rows, draws).filter { EndModelRows.draw(row: $0) != $1 }
        #expect(differing.isEmpty, "first differing row: \(differing.first.map { "\($0.0)" } ?? "")")
    }

    @Test func documentFrequenciesReadBackAsCountedHere() throws {
        let texts = ["Check out my channel", "love this song", "", "my channel, my song!", "ünïcode wörds 42"]
        var counter = HashedTFIDF.DocumentFrequencies(bits: 10)
        counter.count(texts)
        let sparse = SparkDocumentFrequencies(counter)
        #expect(sparse.columns.count == counter.columnCounts.filter { $0 > 0 }.count)
        let data = try JSONEncoder().encode(sparse)
        let back = try JSONDecoder().decode(SparkDocumentFrequencies.self, from: data).counter()
        #expect(back.documentCount == 5 && back.columnCounts == counter.columnCounts)
        #expect(back.fitted().inverseDocumentFrequency == counter.fitted().inverseDocumentFrequency)

        #expect(throws: SparkJobError.self) { try HashedTFIDF.DocumentFrequencies(bits: 30, documents: 1, columns: []) }
        let outside = try #require(throws: SparkJobError.self) { try HashedTFIDF.DocumentFrequencies(bits: 8, documents: 2, columns: [(256, 1)]) }
        #expect(outside.reason.contains("column 256"))
        #expect(throws: SparkJobError.self) { try HashedTFIDF.DocumentFrequencies(bits: 8, documents: 2, columns: [(3, 1), (3, 1)]) }
        #expect(throws: SparkJobError.self) { try HashedTFIDF.DocumentFrequencies(bits: 8, documents: 2, columns: [(3, 3)]) }
    }

    @Test func votedRowsParseAndNameTheBadLine() throws {
        let lines = """
            {"id": "a", "text": "first", "gold": 1, "votes": [1, -1]}
            {"row": 7, "text": "second \\u00e9", "votes": [0, 0], "extra": {"x": [1]}}

            """
        var reader = SparkVotedRows(reader: ByteReader(bytes: Array(lines.utf8), path: "stdin"), programs: 2, classCount: 2)
        let chunk = try #require(try reader.next(limit: 10))
        #expect(chunk.ids == ["a", ""] && chunk.rows == [-1, 7] && chunk.texts == ["first", "second é"] && chunk.gold == [1, -1])
        #expect(chunk.votes == LabelMatrix(rows: [[1, -1], [0, 0]]))
        #expect(try reader.next(limit: 10) == nil)

        for (bad, reason) in [(#"{"text": "x", "votes": [1]}"#, "a list of 2 votes"), (#"{"text": "x", "votes": [1, 2]}"#, "not a class id"),
                              (#"{"votes": [1, 1]}"#, "missing string field \"text\"")] {
            var reader = SparkVotedRows(reader: ByteReader(bytes: Array((lines + bad + "\n").utf8), path: "stdin"), programs: 2, classCount: 2)
            let error = try #require(throws: DatasetError.self) { _ = try reader.next(limit: 10) }
            #expect(error.description.contains("stdin") && error.description.contains("line 3") && error.description.contains(reason), "\(error)")
        }
    }
}
