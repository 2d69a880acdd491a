@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct HandLabelsTests {
    func folder() throws -> URL { try TestEnvironment.temporaryFolder("hand-labels") }

    @Test func answersRoundTripThroughTheFile() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var labels = try HandLabels.load(folder: folder)
        #expect(labels.labels.isEmpty)
        let at = Date(timeIntervalSince1970: 1_800_000_000.25)
        labels = labels.adding(id: "7", label: "spam", from: .train, at: at).adding(id: "x/1", label: "ham", from: .valid, at: at)
        try labels.save()
        let again = try HandLabels.load(folder: folder)
        #expect(again == labels)
        #expect(again.labels.map(\.split) == [.valid, .valid])
        let text = try String(contentsOf: folder.appendingPathComponent(HandLabels.fileName), encoding: .utf8)
        #expect(text.hasPrefix(#"{"at":"2027-01-15T08:00:00.250Z","from":"train","id":"7","label":"spam","split":"valid"}"#))
        #expect(text.split(separator: "\n").count == 2)
    }

    @Test func theSplitRuleAlternatesPerClassAndIsStableUnderUndo() throws {
        var labels = HandLabels(file: URL(fileURLWithPath: "/tmp/none/hand-labels.jsonl"))
        for (index, label) in ["a", "a", "b", "a", "b", "a"].enumerated() { labels = labels.adding(id: "\(index)", label: label, from: .train) }
        #expect(labels.labels.map(\.split) == [.valid, .test, .valid, .valid, .test, .test])
        let undone = labels.removingLast()
        #expect(undone.labels.count == 5)
        #expect(undone.destination(of: "a", from: .train) == .test)
        #expect(undone.adding(id: "9", label: "a", from: .train).labels.last?.split == .test)
        // A valid or test row stays where it is, and does not count for train rows.
        #expect(labels.adding(id: "t1", label: "a", from: .test).labels.last?.split == .test)
        #expect(labels.adding(id: "t1", label: "a", from: .test).destination(of: "a", from: .train) == .valid)
        // A second answer for the same row replaces the first.
        #expect(labels.adding(id: "0", label: "b", from: .train).labels.filter { $0.id == "0" }.count == 1)
    }

    @Test func saveReplacesTheFileWholeAndLeavesNoTemporaryFile() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var labels = try HandLabels.load(folder: folder)
        for index in 0..<20 {
            labels = labels.adding(id: "\(index)", label: index % 3 == 0 ? "ham" : "spam", from: .train)
            try labels.save()
        }
        labels = labels.removingLast()
        try labels.save()
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names == [HandLabels.fileName])
        let reread = try HandLabels.load(folder: folder)
        #expect(reread.labels.count == 19)
        #expect(reread.labels.last?.id == "18")
    }

    @Test func aMalformedLineIsSkippedAndReported() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = #"{"at":"2026-01-01T00:00:00.000Z","from":"train","id":"1","label":"ham","split":"test"}"#
        let lines = [good, #"{"at":"2026-01-01T00:00:00.000Z","from":"train","id":"2""#, "", #"{"at":"x","from":"train","id":"3","label":"ham","split":"test"}"#,
                     #"{"at":"2026-01-01T00:00:00.000Z","from":"valid","id":"4","label":"ham","split":"test"}"#]
        try Data(lines.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent(HandLabels.fileName))
        let labels = try HandLabels.load(folder: folder)
        #expect(labels.labels.map(\.id) == ["1"])
        #expect(labels.warnings.count == 3)
        #expect(labels.warnings[0].contains("line 2"))
        #expect(labels.warnings[1].contains("line 4") && labels.warnings[1].contains("ISO 8601"))
        #expect(labels.warnings[2].contains("cannot go to test"))
    }

    /// A WRENCH folder (with weak labels) found by the catalog: train rows move to valid and test
    /// with their weak-label rows, a test row's label is replaced, unknown rows and classes are warned about.
    @Test func theCatalogAppliesHandLabelsToAWrenchFolder() throws {
        let data = try folder()
        defer { try? FileManager.default.removeItem(at: data) }
        let folder = data.appendingPathComponent("mails")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func split(_ rows: [(String, String, Int?, [Int])]) -> Data {
            var object: [String: Any] = [:]
            for (id, text, label, votes) in rows {
                object[id] = ["label": label.map { $0 as Any } ?? NSNull(), "data": ["text": text], "weak_labels": votes]
            }
            return try! JSONSerialization.data(withJSONObject: object)
        }
        try Data(#"{"0": "ham", "1": "spam"}"#.utf8).write(to: folder.appendingPathComponent("label.json"))
        try Data(#"{"name": "mails", "description": "d", "classes": ["ham", "spam"], "format": "wrench"}"#.utf8).write(to: folder.appendingPathComponent("dataset.json"))
        try split([("0", "t0", nil, [0, -1]), ("1", "t1", nil, [1, 1]), ("2", "t2", nil, [-1, 0]), ("3", "t3", nil, [-1, -1])])
            .write(to: folder.appendingPathComponent("train.json"))
        try split([("0", "v0", 0, [0, 0])]).write(to: folder.appendingPathComponent("valid.json"))
        try split([("0", "x0", 1, [1, -1])]).write(to: folder.appendingPathComponent("test.json"))
        let labels = HandLabels(file: folder.appendingPathComponent(HandLabels.fileName))
            .adding(id: "1", label: "spam", from: .train).adding(id: "2", label: "spam", from: .train)
            .adding(id: "0", label: "ham", from: .test).adding(id: "99", label: "ham", from: .train)
            .adding(id: "3", label: "eggs", from: .train)
        try labels.save()

        let config = try TestEnvironment.config()
        let catalog = DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: data, home: data.appendingPathComponent(".home")))
        let dataset = try catalog.load("mails")
        let train = try dataset.split(.train), valid = try dataset.split(.valid), test = try dataset.split(.test)
        #expect(train.ids == ["0", "3"] && train.texts == ["t0", "t3"] && train.weakLabels == [[0, -1], [-1, -1]])
        #expect(valid.ids == ["0", "1"] && valid.texts == ["v0", "t1"] && valid.labels == [0, 1] && valid.weakLabels == [[0, 0], [1, 1]])
        #expect(test.ids == ["0", "2"] && test.texts == ["x0", "t2"] && test.labels == [0, 1] && test.weakLabels == [[1, -1], [-1, 0]])
        #expect(dataset.warnings.count == 2)
        #expect(dataset.warnings.contains { $0.contains("\"99\"") } && dataset.warnings.contains { $0.contains("\"eggs\"") })
        // The files as they are, for the queue.
        let files = try catalog.loadFiles("mails")
        #expect(try files.split(.train).count == 4 && files.warnings.isEmpty)
    }

    /// A custom folder made of one unlabeled train file gets valid and test splits from hand labels.
    @Test func aCustomFolderWithoutLabelsGetsValidAndTestSplits() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(#"{"name": "notes", "description": "d", "classes": ["a", "b"]}"#.utf8).write(to: folder.appendingPathComponent("dataset.json"))
        let rows = (0..<6).map { #"{"id": "n\#($0)", "text": "note \#($0)", "label": null}"# }
        try Data(rows.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("train.jsonl"))
        let plain = try CustomDatasetLoader.load(folder: folder)
        #expect(plain.splits[.valid] == nil)
        var labels = try HandLabels.load(folder: folder)
        for (id, label) in [("n4", "a"), ("n1", "b"), ("n0", "a"), ("n5", "b")] { labels = labels.adding(id: id, label: label, from: .train) }
        try labels.save()
        let dataset = try HandLabels.load(folder: folder).applied(to: plain)
        #expect(try dataset.split(.train).ids == ["n2", "n3"])
        #expect(try dataset.split(.valid).ids == ["n4", "n1"] && dataset.split(.valid).labels == [0, 1])
        #expect(try dataset.split(.test).ids == ["n0", "n5"] && dataset.split(.test).labels == [0, 1])
        #expect(try dataset.split(.valid).weakLabels == nil)
    }

    @Test func theQueueIsSeededAndLeavesOutLabeledRows() throws {
        let train = DatasetSplit(name: .train, ids: (0..<50).map { "r\($0)" }, texts: (0..<50).map { "text \($0)" },
                                 labels: (0..<50).map { $0 % 10 == 0 ? 1 : nil })
        let valid = DatasetSplit(name: .valid, ids: ["r0", "r1"], texts: ["v0", "v1"], labels: [nil, 0])
        let dataset = Dataset(name: "d", labelNames: ["a", "b"], location: URL(fileURLWithPath: "/tmp"), format: .jsonl,
                              splits: [.train: train, .valid: valid])
        let labels = HandLabels(file: URL(fileURLWithPath: "/tmp/x")).adding(id: "r3", label: "a", from: .train)
            .adding(id: "r0", label: "a", from: .valid)
        let queue = HandLabelQueue.random(in: dataset, excluding: labels)
        #expect(queue == HandLabelQueue.random(in: dataset, excluding: labels))
        #expect(queue.rows.count == 50 - 5 - 1)
        #expect(!queue.rows.contains { $0.key == HandLabels.RowKey(split: .train, id: "r3") || $0.split == .valid })
        #expect(queue.rows.map(\.id) != HandLabelQueue.candidates(in: dataset, excluding: labels).map(\.id))
        #expect(Set(queue.rows.map(\.id)) == Set(HandLabelQueue.candidates(in: dataset, excluding: labels).map(\.id)))
        #expect(HandLabelQueue.random(in: dataset, excluding: labels, seed: 14).rows != queue.rows)
    }

    /// The uncovered source: the enabled programs run in the sandbox on the unlabeled train rows not
    /// hand-labeled yet; the rows on which every one abstains stay, in file order.
    @Test func uncoveredRowsAreThoseNoProgramVotesOn() async throws {
        let texts = ["buy now", "hello there", "free money", "see you", "buy free", "lunch?"]
        let train = DatasetSplit(name: .train, ids: (0..<6).map { "r\($0)" }, texts: texts, labels: [nil, nil, nil, nil, nil, 0])
        let dataset = Dataset(name: "d", labelNames: ["ham", "spam"], location: URL(fileURLWithPath: "/tmp"), format: .jsonl, splits: [.train: train])
        let programs = [LabelingProgram(name: "buy", code: "def label_function(text):\n    return 1 if 'buy' in text else -1\n"),
                        LabelingProgram(name: "free", code: "def label_function(text):\n    return 1 if 'free' in text else -1\n")]
        let labels = HandLabels(file: URL(fileURLWithPath: "/tmp/x")).adding(id: "r3", label: "ham", from: .train)
        let queue = try await HandLabelQueue.uncovered(in: dataset, excluding: labels, programs: programs, settings: .defaults)
        #expect(queue.source == .uncovered && queue.rows.map(\.id) == ["r1"])
        await #expect(throws: NoEnabledPrograms.self) {
            try await HandLabelQueue.uncovered(in: dataset, excluding: labels, programs: [], settings: .defaults)
        }
    }
}
