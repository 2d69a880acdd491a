@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct DatasetTests {
    /// Split sizes and per-class counts computed by Python's json module, as the reference.
    static let referenceScript = """
    import json, sys, os
    folder = sys.argv[1]
    labels = json.load(open(os.path.join(folder, "label.json")))
    out = {"classes": len(labels)}
    for split in ("train", "valid", "test"):
        rows = json.load(open(os.path.join(folder, split + ".json")))
        counts = [0] * len(labels)
        for row in rows.values():
            counts[row["label"]] += 1
        weak = [len(r["weak_labels"]) for r in rows.values() if "weak_labels" in r]
        out[split] = {"n": len(rows), "counts": counts, "lfs": weak[0] if weak else 0,
                      "first": rows["0"]["data"]["text"], "last": rows[str(len(rows) - 1)]["data"]["text"]}
    print(json.dumps(out))
    """

    @Test(arguments: ["youtube", "sms", "imdb", "yelp", "agnews", "french"])
    func sharedDatasetLoadsAsPythonReadsIt(name: String) throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("sharedDatasetLoadsAsPythonReadsIt(\(name))")
            return
        }
        let config = try TestEnvironment.config()
        let home = try TestEnvironment.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let dataset = try DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: shared, home: home)).load(name)
        let reference = try #require(try JSONSerialization.jsonObject(
            with: PythonReference.run(Self.referenceScript, arguments: [shared.appendingPathComponent(name).path])) as? [String: Any])
        #expect(dataset.classCount == reference["classes"] as? Int)
        #expect(dataset.labelNames == config.dataset(named: name)?.labels)
        for split in SplitName.allCases {
            let rows = try dataset.split(split)
            let expected = try #require(reference[split.rawValue] as? [String: Any])
            #expect(rows.count == expected["n"] as? Int)
            #expect(rows.classCounts(classCount: dataset.classCount) == expected["counts"] as? [Int])
            #expect(rows.isLabeled)
            #expect(rows.texts.first == expected["first"] as? String)
            #expect(rows.texts.last == expected["last"] as? String)
            #expect((rows.weakLabels?.first?.count ?? 0) == expected["lfs"] as? Int)
        }
    }

    @Test func demoDatasetShipsWithTheProject() throws {
        let config = try TestEnvironment.config()
        let home = try TestEnvironment.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let emptyData = try TestEnvironment.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: emptyData) }
        // Even with another data folder, the bundled demo is found.
        let catalog = DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: emptyData, home: home))
        let entry = try #require(catalog.entry(named: "demo"))
        #expect(entry.origin == .custom && entry.isPresent)
        #expect(catalog.entry(named: "youtube")?.isPresent == false)
        let demo = try catalog.load("demo")
        #expect(demo.labelNames == ["routine", "urgent"])
        #expect(try demo.split(.train).count >= 300)
        #expect(try demo.split(.valid).isLabeled)
    }

    // MARK: malformed WRENCH input

    func writeWrench(_ files: [String: Data]) throws -> URL {
        let folder = try TestEnvironment.temporaryFolder("wrench")
        for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    func loadError(_ files: [String: Data]) throws -> DatasetError? {
        let folder = try writeWrench(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try WrenchLoader.load(folder: folder, name: "x")
            return nil
        } catch let error as DatasetError {
            return error
        }
    }

    let labels = Data(#"{"0": "ham", "1": "spam"}"#.utf8)

    @Test func badJSONNamesTheFile() throws {
        let error = try #require(try loadError(["label.json": labels, "train.json": Data(#"{"0": {"label": 1, "data": {"text": "a"}"#.utf8)]))
        #expect(error.file.hasSuffix("train.json"))
        #expect(error.reason.contains("not valid JSON"))
    }

    @Test func labelOutOfRangeNamesTheExample() throws {
        let error = try #require(try loadError(["label.json": labels, "valid.json": Data(#"{"0": {"label": 1, "data": {"text": "a"}}, "1": {"label": 5, "data": {"text": "b"}}}"#.utf8)]))
        #expect(error.file.hasSuffix("valid.json"))
        #expect(error.example == "1")
        #expect(error.reason.contains("outside"))
    }

    @Test func missingTextNamesTheExample() throws {
        let error = try #require(try loadError(["label.json": labels, "test.json": Data(#"{"0": {"label": 1, "data": {"title": "a"}}}"#.utf8)]))
        #expect(error.example == "0")
        #expect(error.reason.contains("data.text"))
    }

    @Test func emptySplitIsAnError() throws {
        let error = try #require(try loadError(["label.json": labels, "train.json": Data("{}".utf8)]))
        #expect(error.reason.contains("no examples"))
    }

    @Test func nonUTF8BytesAreReportedWithTheirLine() throws {
        var bytes = Data("{\n\"0\": {\"label\": 0, \"data\": {\"text\": \"ok\"}},\n\"1\": {\"label\": 1, \"data\": {\"text\": \"".utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0xFF])
        bytes.append(Data("\"}}\n}".utf8))
        let error = try #require(try loadError(["label.json": labels, "train.json": bytes]))
        #expect(error.reason.contains("line 3"))
        #expect(error.reason.contains("UTF-8"))
    }

    @Test func inconsistentWeakLabelsAreReported() throws {
        let text = #"{"0": {"label": 0, "weak_labels": [-1, 1], "data": {"text": "a"}}, "1": {"label": 1, "weak_labels": [1], "data": {"text": "b"}}}"#
        let error = try #require(try loadError(["label.json": labels, "train.json": Data(text.utf8)]))
        #expect(error.example == "1")
    }

    @Test func aFiveMegabyteTextLoadsWhole() throws {
        let big = String(repeating: "spam ", count: 1_048_576)
        let object: [String: Any] = ["0": ["label": 1, "data": ["text": big]], "1": ["label": 0, "data": ["text": "short"]]]
        let folder = try writeWrench(["label.json": labels, "train.json": try JSONSerialization.data(withJSONObject: object)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataset = try WrenchLoader.load(folder: folder, name: "big")
        #expect(try dataset.split(.train).texts[0].utf8.count == big.utf8.count)
        #expect(try dataset.split(.train).labels == [1, 0])
    }

    @Test func labelFileWithAGapIsRejected() throws {
        let error = try #require(try loadError(["label.json": Data(#"{"0": "a", "2": "b"}"#.utf8), "train.json": Data("{}".utf8)]))
        #expect(error.file.hasSuffix("label.json"))
    }

    // MARK: custom datasets

    func customFolder(manifest: String, files: [String: String]) throws -> URL {
        let folder = try TestEnvironment.temporaryFolder("custom")
        try Data(manifest.utf8).write(to: folder.appendingPathComponent("dataset.json"))
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    let manifest = #"{"name": "tickets", "description": "Urgent or routine tickets.", "classes": ["routine", "urgent"], "text_field": "body", "label_field": "kind"}"#

    @Test func csvWithQuotesNamesAndUnlabeledRows() throws {
        let csv = "id,body,kind\n1,\"Server down, \"\"now\"\"\nplease\",urgent\n2,printer toner,0\n3,no label yet,\n"
        let folder = try customFolder(manifest: manifest, files: ["train.csv": csv])
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataset = try CustomDatasetLoader.load(folder: folder)
        let train = try dataset.split(.train)
        #expect(train.texts == ["Server down, \"now\"\nplease", "printer toner", "no label yet"])
        #expect(train.labels == [1, 0, nil])
        #expect(dataset.format == .csv)
    }

    @Test func csvWithUnknownLabelNamesTheRow() throws {
        let folder = try customFolder(manifest: manifest, files: ["valid.csv": "body,kind\na,routine\nb,critical\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try CustomDatasetLoader.load(folder: folder)
        } throws: { error in
            let error = error as? DatasetError
            return error?.example == "row 2" && error?.reason.contains("critical") == true
        }
    }

    @Test func csvWithoutTheTextColumnSaysWhichColumn() throws {
        let folder = try customFolder(manifest: manifest, files: ["train.csv": "text,kind\na,0\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try CustomDatasetLoader.load(folder: folder)
        } throws: { error in (error as? DatasetError)?.reason.contains("\"body\"") == true }
    }

    @Test func jsonlLoadsAndBadLinesAreNamed() throws {
        let good = "{\"body\": \"disk full\", \"kind\": 1}\n\n{\"body\": \"café order\", \"kind\": \"routine\"}\n"
        let folder = try customFolder(manifest: manifest, files: ["train.jsonl": good, "test.jsonl": "{\"body\": \"x\"}\n{oops\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try CustomDatasetLoader.load(folder: folder)
        } throws: { error in (error as? DatasetError)?.example == "line 2" }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("test.jsonl"))
        let dataset = try CustomDatasetLoader.load(folder: folder)
        #expect(try dataset.split(.train).texts == ["disk full", "café order"])
        #expect(try dataset.split(.train).labels == [1, 0])
    }

    @Test func manifestErrorsNameTheKey() throws {
        let folder = try customFolder(manifest: #"{"name": "t", "description": "d", "classes": ["only"]}"#, files: ["train.csv": "text\na\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try CustomDatasetLoader.load(folder: folder)
        } throws: { error in
            let error = error as? DatasetError
            return error?.file.hasSuffix("dataset.json") == true && error?.reason.contains("classes") == true
        }
    }
}

@Suite struct ClassBalanceTests {
    /// An unlabeled split has no balance ("unlabeled", not "0% each"); a partly labeled one says how
    /// many rows the shares are of; shares add up to 1.
    @Test func balanceOfLabeledPartlyLabeledAndUnlabeledSplits() {
        let names = ["ham", "spam"]
        let unlabeled = DatasetSplit(name: .train, ids: ["1", "2"], texts: ["a", "b"], labels: [nil, nil], weakLabels: nil)
        #expect(unlabeled.classBalance(classCount: 2) == nil)
        #expect(unlabeled.balanceText(labelNames: names) == "unlabeled")
        let partly = DatasetSplit(name: .train, ids: ["1", "2", "3", "4", "5"], texts: ["a", "b", "c", "d", "e"],
                                  labels: [0, 0, 0, 1, nil], weakLabels: nil)
        #expect(partly.balanceText(labelNames: names) == "ham 75%, spam 25% of 4 labeled")
        let shares = partly.classBalance(classCount: 2)?.shares ?? []
        #expect(abs(shares.reduce(0, +) - 1) < 1e-12)
        let labeled = DatasetSplit(name: .valid, ids: ["1", "2"], texts: ["a", "b"], labels: [1, 1], weakLabels: nil)
        #expect(labeled.balanceText(labelNames: names) == "ham 0%, spam 100%")
    }
}
