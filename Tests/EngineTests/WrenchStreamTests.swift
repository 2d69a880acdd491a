@testable import Engine
import Foundation
import Testing
import TestSupport

/// The incremental WRENCH reader: the rules of the format, files cut short, and the same rows as
/// Foundation's JSONSerialization on every shared dataset.
@Suite struct WrenchStreamTests {
    static let fields = RowFields(classes: ["ham", "spam"])

    static func error(_ text: String, blockSize: Int = ByteReader.defaultBlockSize) throws -> DatasetError {
        try RowStreamTests.error(text, .wrench, blockSize: blockSize, fields: fields)
    }

    static func rows(_ text: String, blockSize: Int = ByteReader.defaultBlockSize) throws -> RowChunk? {
        let (folder, file) = try RowStreamTests.write(text, name: "train.json")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try RowStreamTests.chunks(file, .wrench, limit: 1000, blockSize: blockSize, fields: fields).first
    }

    static let entry = #"{"label": 1, "data": {"text": "t"}}"#

    @Test(arguments: [1, 7, ByteReader.defaultBlockSize])
    func aFileCutShortNamesTheLineAndTheExample(blockSize: Int) throws {
        let text = "{\n\"0\": \(Self.entry),\n\"1\": {\"label\": 0,\n \"data\": {\"text\": \"cut here"
        let error = try Self.error(text, blockSize: blockSize)
        #expect(error.reason.contains("not valid JSON") && error.reason.contains("ends on line 4"), "\(error)")
        #expect(error.reason.contains("from line 3") && error.example == "1", "\(error)")
        let afterComma = try Self.error("{\"0\": \(Self.entry),", blockSize: blockSize)
        #expect(afterComma.reason.contains("not valid JSON"), "\(afterComma)")
        let open = try Self.error("  {  ", blockSize: blockSize)
        #expect(open.reason.contains("not valid JSON"), "\(open)")
        let empty = try Self.error("", blockSize: blockSize)
        #expect(empty.reason.contains("empty"), "\(empty)")
        let spaces = try Self.error(" \n ", blockSize: blockSize)
        #expect(spaces.reason.contains("empty"), "\(spaces)")
    }

    @Test(arguments: [1, 7, ByteReader.defaultBlockSize])
    func idsMustBeConsecutiveIntegersInFileOrder(blockSize: Int) throws {
        for (key, text) in [("2", "{\"0\": \(Self.entry), \"2\": \(Self.entry)}"),
                            ("01", "{\"0\": \(Self.entry), \"01\": \(Self.entry)}"),
                            ("a", "{\"0\": \(Self.entry), \"a\": \(Self.entry)}"),
                            ("1", "{\"1\": \(Self.entry), \"0\": \(Self.entry)}"),
                            ("-1", "{\"-1\": \(Self.entry)}")] {
            let error = try Self.error(text, blockSize: blockSize)
            #expect(error.example == key, "\(key): \(error)")
            #expect(error.reason.contains("id \"\(key)\""), "\(key): \(error)")
        }
    }

    /// The whole-file loader still takes ids in any order (files written from a dictionary, or with
    /// sorted keys) and puts the rows in numeric order of their ids; an id twice is an error.
    @Test func theWholeFileLoaderSortsIDsTheStreamDoesNot() throws {
        let ids = ["1", "10", "0", "2", "x", "3", "4", "5", "6", "7", "8", "9"]
        let text = "{" + ids.map { "\"\($0)\": {\"label\": 0, \"data\": {\"text\": \"t\($0)\"}, \"weak_labels\": [\(Int($0).map { $0 % 2 } ?? -1)]}" }.joined(separator: ", ") + "}"
        let (folder, file) = try RowStreamTests.write(text, name: "train.json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let split = try WrenchLoader.readSplit(file, split: .train, labelNames: ["ham", "spam"])
        let sorted = (0...10).map(String.init) + ["x"]
        #expect(split.ids == sorted)
        #expect(split.texts == sorted.map { "t\($0)" })
        #expect(split.weakLabels == sorted.map { [Int($0).map { $0 % 2 } ?? -1] })
        let error = try #require(throws: DatasetError.self) { _ = try RowStreamTests.chunks(file, .wrench, limit: 5, fields: Self.fields) }
        #expect(error.example == "1", "\(error)")  // the first id is not "0"
        try Data("{\"0\": \(Self.entry), \"1\": \(Self.entry), \"0\": \(Self.entry)}".utf8).write(to: file)
        let twice = try #require(throws: DatasetError.self) { _ = try WrenchLoader.readSplit(file, split: .train, labelNames: ["ham", "spam"]) }
        #expect(twice.example == "0" && twice.reason.contains("twice"), "\(twice)")
    }

    @Test func labelsAndWeakLabelsFollowTheRules() throws {
        let rows = try #require(try Self.rows(#"{"0": {"label": null, "data": {"text": "a"}}, "1": {"data": {"text": "b"}, "label": 1.0}, "2": {"data": {"x": [1, {"y": "z"}], "text": "c"}}}"#))
        #expect(rows.labels == [-1, 1, -1])
        #expect(rows.texts == ["a", "b", "c"])
        #expect(rows.weakLabels == nil)
        let cases: [(String, String, String)] = [
            (#"{"0": {"label": 2, "data": {"text": "a"}}}"#, "0", "outside 0…1"),
            (#"{"0": {"label": "1", "data": {"text": "a"}}}"#, "0", "not an integer"),
            (#"{"0": {"label": 0.5, "data": {"text": "a"}}}"#, "0", "outside"),
            (#"{"0": {"label": 0, "data": {"text": 5}}}"#, "0", "data.text is not a string"),
            (#"{"0": {"label": 0, "data": "a"}}"#, "0", "missing \"data\" object"),
            (#"{"0": {"label": 0}}"#, "0", "missing \"data\" object"),
            (#"{"0": [1]}"#, "0", "expected an object"),
            (#"{"0": {"label": 0, "weak_labels": [0, 2], "data": {"text": "a"}}}"#, "0", "weak label 2 is outside -1…1"),
            (#"{"0": {"label": 0, "weak_labels": null, "data": {"text": "a"}}}"#, "0", "not a list of integers"),
            (#"{"0": {"label": 0, "weak_labels": [0, "1"], "data": {"text": "a"}}}"#, "0", "not a list of integers"),
            (#"{"0": {"label": 0, "data": {"text": "a"}}, "1": {"label": 0, "weak_labels": [0], "data": {"text": "b"}}}"#, "1", "present on some"),
            (#"{"0": {"label": 0, "weak_labels": [0], "data": {"text": "a"}}, "1": {"label": 0, "data": {"text": "b"}}}"#, "1", "present on some"),
        ]
        for (text, example, reason) in cases {
            let error = try Self.error(text)
            #expect(error.example == example && error.reason.contains(reason), "\(text): \(error)")
        }
    }

    @Test func syntaxErrorsNameTheLine() throws {
        let missingComma = try Self.error("{\"0\": \(Self.entry)\n\"1\": \(Self.entry)}")
        #expect(missingComma.reason.contains("line 2"), "\(missingComma)")
        let after = try Self.error("{\"0\": \(Self.entry)}\n\nx")
        #expect(after.reason.contains("line 3") && after.reason.contains("after the end"), "\(after)")
        let array = try Self.error("[\(Self.entry)]")
        #expect(array.reason.contains("expected one JSON object"), "\(array)")
        #expect(try Self.rows("\u{FEFF}{\"0\": \(Self.entry)}\n\n")?.texts == ["t"])  // a byte order mark and trailing blank lines
        #expect(try Self.rows("{}") == nil)
    }

    @Test func chunksResumeWhereTheLastEnded() throws {
        let text = "{" + (0..<1000).map { "\"\($0)\": {\"label\": \($0 % 2), \"data\": {\"text\": \"row \($0) é\"}, \"weak_labels\": [\($0 % 2), -1]}" }.joined(separator: ",\n") + "}"
        let (folder, file) = try RowStreamTests.write(text, name: "train.json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let reader = try ByteReader(file: file, blockSize: 4096)
        var stream = WrenchRowStream(reader: reader, fields: Self.fields)
        var next = 0
        while let chunk = try stream.next(limit: 37) {
            #expect(chunk.firstRow == next)
            #expect(chunk.texts == (next..<(next + chunk.count)).map { "row \($0) é" })
            #expect(chunk.ids == (next..<(next + chunk.count)).map(String.init))
            #expect(chunk.weakLabels?.count == chunk.count)
            next += chunk.count
        }
        #expect(next == 1000)
        #expect(reader.capacity == 4096)  // flat: one block, never the file (\(text.utf8.count) bytes)
    }

    /// The streamed rows are exactly those JSONSerialization reads, on every shared WRENCH file.
    @Test(arguments: ["youtube", "sms", "imdb", "yelp", "agnews", "french"])
    func sharedDatasetsStreamAsJSONSerializationReadsThem(name: String) throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("sharedDatasetsStreamAsJSONSerializationReadsThem(\(name))")
            return
        }
        let folder = shared.appendingPathComponent(name)
        let classes = try WrenchLoader.readLabelFile(folder.appendingPathComponent("label.json"))
        for split in SplitName.allCases {
            let file = folder.appendingPathComponent("\(split.rawValue).json")
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let reference = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: [String: Any]])
            var stream = try SplitFile.open(file, format: .wrench, fields: RowFields(classes: classes))
            var row = 0
            var mismatches = 0
            while let chunk = try stream.next(limit: 500) {
                #expect(chunk.firstRow == row)
                for index in 0..<chunk.count {
                    let id = String(row + index)
                    let entry = try #require(reference[id], "\(file.path): no \(id)")
                    let text = (entry["data"] as? [String: Any])?["text"] as? String
                    let label = (entry["label"] as? NSNumber)?.intValue ?? -1
                    let weak = (entry["weak_labels"] as? [NSNumber])?.map { Int8($0.intValue) }
                    if chunk.ids[index] != id || chunk.texts[index] != text || Int(chunk.labels[index]) != label
                        || chunk.weakLabels?[index] != weak {
                        mismatches += 1
                    }
                }
                row += chunk.count
            }
            #expect(row == reference.count, "\(file.path)")
            #expect(mismatches == 0, "\(file.path)")
        }
    }
}
