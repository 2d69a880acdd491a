import Engine
import Foundation
import Testing
import TestSupport

/// A split read as a stream has the rows, in order, with the labels, that loading the dataset gives,
/// hand labels included.
@Suite struct SplitSourceTests {
    static func streamed(_ source: SplitSource, chunk: Int) throws -> (ids: [String], texts: [String], labels: [Int?]) {
        var stream = try source.open()
        var ids: [String] = [], texts: [String] = [], labels: [Int?] = []
        while let rows = try stream.next(limit: chunk) {
            #expect(rows.firstRow == ids.count)
            ids += rows.ids
            texts += rows.texts
            labels += rows.labels.map { $0 < 0 ? nil : Int($0) }
        }
        return (ids, texts, labels)
    }

    static func expectSameAsLoaded(_ catalog: DatasetCatalog, _ name: String) throws {
        let dataset = try catalog.load(name)
        for split in SplitName.allCases {
            guard let loaded = dataset.splits[split] else { continue }
            let source = try catalog.splitSource(name, split: split)
            #expect(source.labelNames == dataset.labelNames)
            for chunk in [1, 2, 1000] {
                let rows = try streamed(source, chunk: chunk)
                #expect(rows.ids == loaded.ids, "\(name) \(split) ids")
                #expect(rows.texts == loaded.texts, "\(name) \(split) texts")
                #expect(rows.labels == loaded.labels, "\(name) \(split) labels")
            }
        }
    }

    @Test func aCustomFolderWithHandLabelsStreamsAsItLoads() throws {
        let data = try TestEnvironment.temporaryFolder("split-source")
        defer { try? FileManager.default.removeItem(at: data) }
        let folder = data.appendingPathComponent("notes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(#"{"name": "notes", "description": "d", "classes": ["a", "b"]}"#.utf8).write(to: folder.appendingPathComponent("dataset.json"))
        let train = (0..<7).map { #"{"id": "n\#($0)", "text": "note \#($0)", "label": null}"# }
        try Data(train.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("train.jsonl"))
        try Data("id,text,label\nv0,first,a\nv1,\"second, quoted\",b\n".utf8).write(to: folder.appendingPathComponent("valid.csv"))
        var labels = try HandLabels.load(folder: folder)
        // The first train row of each class moves to valid (n4, n1), the second to test (n0, n5: test has no file of its own); v1 is relabeled.
        for (id, label) in [("n4", "a"), ("n1", "b"), ("n0", "a"), ("n5", "b")] { labels = labels.adding(id: id, label: label, from: .train) }
        labels = labels.adding(id: "v1", label: "a", from: .valid)
        try labels.save()
        let config = try TestEnvironment.config()
        let catalog = DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: data, home: data.appendingPathComponent(".home")))
        try Self.expectSameAsLoaded(catalog, "notes")
        let valid = try Self.streamed(try catalog.splitSource("notes", split: .valid), chunk: 10)
        #expect(valid.ids == ["v0", "v1", "n4", "n1"] && valid.labels == [0, 0, 0, 1])
        #expect(try Self.streamed(try catalog.splitSource("notes", split: .test), chunk: 10).ids == ["n0", "n5"])
        #expect(try Self.streamed(try catalog.splitSource("notes", split: .train), chunk: 10).ids == ["n2", "n3", "n6"])
    }

    @Test func aWrenchFolderStreamsAsItLoads() throws {
        let data = try TestEnvironment.temporaryFolder("split-source-wrench")
        defer { try? FileManager.default.removeItem(at: data) }
        let folder = data.appendingPathComponent("mails")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(#"{"0": "ham", "1": "spam"}"#.utf8).write(to: folder.appendingPathComponent("label.json"))
        try Data(#"{"name": "mails", "description": "d", "classes": ["ham", "spam"], "format": "wrench"}"#.utf8).write(to: folder.appendingPathComponent("dataset.json"))
        func split(_ texts: [String], labels: [Int?]) -> Data {
            let entries = texts.indices.map { #""\#($0)": {"label": \#(labels[$0].map(String.init) ?? "null"), "data": {"text": "\#(texts[$0])"}}"# }
            return Data(("{" + entries.joined(separator: ", ") + "}").utf8)
        }
        try split(["t0", "t1", "t2"], labels: [nil, 1, nil]).write(to: folder.appendingPathComponent("train.json"))
        try split(["v0"], labels: [0]).write(to: folder.appendingPathComponent("valid.json"))
        try HandLabels(file: folder.appendingPathComponent(HandLabels.fileName)).adding(id: "2", label: "spam", from: .train)
            .adding(id: "0", label: "spam", from: .valid).save()
        let config = try TestEnvironment.config()
        let catalog = DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: data, home: data.appendingPathComponent(".home")))
        try Self.expectSameAsLoaded(catalog, "mails")
        #expect(throws: DatasetError.self) { try catalog.splitSource("mails", split: .test) }
    }
}
