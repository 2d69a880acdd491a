import Engine
import Foundation
import Testing
import TestSupport

@Suite struct LabelCommandTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    @Test func youtubeWithItsOwnWeakLabelsWritesJSONLogAndCSV() throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("youtubeWithItsOwnWeakLabelsWritesJSONLogAndCSV")
            return
        }
        let home = try TestEnvironment.temporaryFolder("label")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try cli.run(["label", "--dataset", "youtube", "--dataset-weak-labels", "--data-dir", shared.path, "--runs", "2",
                                  "--feature-bits", "14", "--json"], environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["dataset"] as? String == "youtube")
        #expect(object["programs"] as? Int == 10)
        let coverage = try #require(object["coverage"] as? [String: Double])
        #expect(Set(coverage.keys) == ["train", "valid", "test"])
        let labelModels = try #require(object["label_models"] as? [String: [String: Any]])
        #expect(Set(labelModels.keys) == ["mv", "wmv", "ds", "snorkel", "fs"])
        for (id, scores) in labelModels {
            let test = try #require(scores["test"] as? [String: [String: Double]], "\(id)")
            #expect((test["accuracy"]?["mean"]).map { (0.7...1).contains($0) } == true, "\(id): \(test)")
            #expect(test["f1"]?["std"] != nil)
            #expect(scores["valid"] != nil && scores["fit_seconds"] != nil)
        }
        let best = try #require(object["best_label_model"] as? String)
        #expect(labelModels[best] != nil)
        let endModels = try #require(object["end_models"] as? [String: [String: Any]])
        #expect(Set(endModels.keys) == ["lr", "mlp"])
        let lr = try #require((endModels["lr"]?["test"] as? [String: [String: Double]])?["accuracy"]?["mean"])
        #expect(lr > 0.85)
        #expect(object["cost_usd"] as? Double == 0)
        // The log and one CSV row.
        let log = home.appendingPathComponent("exp_log/youtube/wrench_human.txt")
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("label model") && text.contains("snorkel") && text.contains("← best"))
        let csv = try String(contentsOf: home.appendingPathComponent("exp_log/results.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 2)
        #expect(csv.first == Substring(ExperimentLog.csvHeader))
        #expect(csv.last?.contains(",youtube,wrench,,human,10,2,") == true)
    }

    @Test func demoProgramsLabelEndToEndWithoutSharedData() throws {
        let home = try TestEnvironment.temporaryFolder("label")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try cli.run(["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--runs", "2", "--feature-bits", "12",
                                  "--label-models", "mv,ds", "--end-models", "lr"], environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("mv ") && result.stdout.contains("ds ") && result.stdout.contains("lr "))
        #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("exp_log/demo/handwritten_none.txt").path))
    }

    @Test func withTwoProgramsFlyingSquidIsLeftOutAndTheRestRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["LF1.py", "LF2.py"] {
            try FileManager.default.copyItem(at: TestEnvironment.repositoryRoot.appendingPathComponent("examples/programs/demo/\(name)"),
                                             to: folder.appendingPathComponent(name))
        }
        let home = folder.appendingPathComponent("home")
        let result = try cli.run(["label", "--dataset", "demo", "--lfs", folder.path, "--runs", "1", "--end-models", "", "--json"],
                                 environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("fs left out"))
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let models = (json["label_models"] as? [String: Any])?.keys.sorted() ?? []
        #expect(models == ["ds", "mv", "snorkel", "wmv"])
        let only = try cli.run(["label", "--dataset", "demo", "--lfs", folder.path, "--label-models", "fs", "--end-models", ""],
                               environment: ["ALCHEMIST_HOME": home.path])
        #expect(only.status == 2 && only.stderr.contains("at least 3 programs"))
    }

    @Test func aTestSplitWithoutLabelsIsRefusedForMetrics() throws {
        let data = try TestEnvironment.temporaryFolder("unlabeled")
        defer { try? FileManager.default.removeItem(at: data) }
        let folder = data.appendingPathComponent("tickets")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(#"{"name": "tickets", "description": "Urgent or routine.", "classes": ["routine", "urgent"]}"#.utf8)
            .write(to: folder.appendingPathComponent("dataset.json"))
        try Data("text,label\nserver down now,urgent\nprinter toner please,routine\n".utf8).write(to: folder.appendingPathComponent("train.csv"))
        try Data("text,label\nvpn broken,\nnew mouse,\n".utf8).write(to: folder.appendingPathComponent("test.csv"))
        let result = try cli.run(["label", "--dataset", "tickets", "--lfs", "examples/programs/demo", "--data-dir", data.path, "--runs", "1"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("test split of tickets has unlabeled rows"), "\(result.stderr)")
    }

    @Test func badInputIsRefusedWithStatusTwo() throws {
        let empty = try TestEnvironment.temporaryFolder("empty")
        defer { try? FileManager.default.removeItem(at: empty) }
        let cases: [([String], String)] = [
            (["label", "--dataset", "demo", "--lf-dir", empty.path], "demo has no enabled programs yet"),
            (["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--dataset-weak-labels"], "either --lfs"),
            (["label", "--dataset", "demo", "--dataset-weak-labels"], "no weak_labels"),
            (["label", "--dataset", "demo", "--lfs", empty.path], "no .py labeling programs"),
            (["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--label-models", "mv,magic"], "unknown label model \"magic\" (known: mv, wmv, ds, snorkel, fs)"),
            (["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--end-models", "svm"], "unknown end model \"svm\" (known: lr, mlp)"),
            (["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--uncovered", "maybe"], "--uncovered"),
            (["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--runs", "0"], "runs: must be at least 1"),
            (["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--feature-bits", "30"], "feature bits: expected 8…24, found 30"),
            (["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--label-models", "mv,mv"], "label model \"mv\" is named twice"),
        ]
        for (arguments, needle) in cases {
            let result = try cli.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(needle), "\(arguments): \(result.stderr)")
        }
    }
}
