import Engine
import Foundation
import Testing
import TestSupport

/// `label` saves its run; `export` and `predict` read it back. Every file is read by Python.
@Suite(.serialized) struct RunExportTests {
    let cli: CommandRunner
    let home: URL

    init() throws {
        cli = try CommandRunner.locate()
        home = try TestEnvironment.temporaryFolder("runs")
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Labels the demo dataset with the demo programs and returns `label --json`'s object.
    func labelDemo(_ extra: [String] = []) throws -> [String: Any] {
        let result = try cli.run(["label", "--dataset", "demo", "--lfs", "examples/programs/demo", "--runs", "2", "--feature-bits", "12",
                                  "--label-models", "mv,ds,snorkel", "--end-models", "lr", "--json"] + extra,
                                 environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result.stdout)
    }

    /// Reads an exported file with Python (csv, json, pyarrow) and returns what it found.
    func readBack(_ file: URL) throws -> [String: Any] {
        let script = """
            import csv, json, sys
            path = sys.argv[1]
            if path.endswith(".csv"):
                rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
                columns = list(rows[0].keys())
            elif path.endswith(".jsonl"):
                rows = [json.loads(line) for line in open(path, encoding="utf-8")]
                columns = list(rows[0].keys())
            elif path.endswith(".parquet"):
                import pyarrow.parquet as pq
                table = pq.read_table(path)
                rows = table.to_pylist()
                columns = table.column_names
            else:
                data = json.load(open(path, encoding="utf-8"))
                rows = [dict(label=v["label"], weak=v["weak_labels"], **v["data"]) for v in data.values()]
                columns = sorted(rows[0].keys())
            probs = [c for c in columns if c.startswith("prob_")]
            sums = [sum(float(r[c]) for c in probs) for r in rows]
            print(json.dumps({"rows": len(rows), "columns": columns, "min_sum": min(sums), "max_sum": max(sums),
                              "labels": sorted({str(r["label"]) for r in rows}),
                              "sources": sorted({r["label_source"] for r in rows}),
                              "ids": [str(r["id"]) for r in rows],
                              "final": [str(r["label"]) for r in rows],
                              "votes": [[int(r[c]) for c in columns if c.startswith("lf_")] for r in rows] if "weak" not in rows[0] else [r["weak"] for r in rows]}))
            """
        return try json(String(decoding: try PythonReference.run(script, arguments: [file.path]), as: UTF8.self))
    }

    @Test func labelSavesTheRunAndEveryFormatReadsBack() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let exportFile = home.appendingPathComponent("out/train.csv")
        let object = try labelDemo(["--export", exportFile.path])
        let run = try #require(object["run"] as? [String: String])
        #expect(object["export"] as? String == exportFile.path)
        let folder = URL(fileURLWithPath: try #require(run["path"]))
        #expect(folder.deletingLastPathComponent().lastPathComponent == "demo")
        #expect(folder.path.hasPrefix(home.appendingPathComponent("runs").path))
        for file in ["run.json", "label-model.bin", "end-model.bin", "votes/train.csv", "votes/valid.csv", "votes/test.csv"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path), "\(file)")
        }
        // run.json: programs with the SHA-256 of their files, settings, seeds, metrics, cost.
        let manifest = try json(try String(contentsOf: folder.appendingPathComponent("run.json"), encoding: .utf8))
        #expect(manifest["id"] as? String == run["id"] && manifest["dataset"] as? String == "demo")
        let programs = try #require(manifest["programs"] as? [[String: Any]])
        #expect(programs.count == 5)
        for program in programs {
            let path = try #require(program["path"] as? String)
            #expect(program["sha256"] as? String == ContentHash.sha256Hex(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
        #expect((manifest["settings"] as? [String: Any])?["label_models"] as? [String] == ["mv", "ds", "snorkel"])
        #expect((manifest["label_model"] as? [String: Any])?["seed"] != nil && (manifest["end_model"] as? [String: Any])?["id"] as? String == "lr")
        #expect(((manifest["metrics"] as? [String: Any])?["label_models"] as? [String: Any])?.count == 3)
        #expect(manifest["programs_cost_usd"] as? String != nil)

        let trainRows = try DatasetCatalog(config: try TestEnvironment.config(),
                                           paths: TestEnvironment.paths(config: try TestEnvironment.config(), dataDir: nil, home: home)).load("demo")
        let counts = SplitName.allCases.map { trainRows.splits[$0]?.count ?? 0 }
        let csv = try readBack(exportFile)
        let expected = ["id", "text", "label", "label_source", "prob_routine", "prob_urgent", "label_model_label", "end_model_label", "gold",
                        "lf_LF1", "lf_LF2", "lf_LF3", "lf_LF4", "lf_LF5"]
        #expect(csv["columns"] as? [String] == expected)
        #expect(csv["rows"] as? Int == counts[0])
        for format in ["jsonl", "parquet", "json"] {
            let file = home.appendingPathComponent("all.\(format)")
            let result = try cli.run(["export", "--run", try #require(run["id"]), "--to", file.path, "--splits", "train,valid,test"],
                                     environment: ["ALCHEMIST_HOME": home.path])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stdout.contains("wrote \(counts.reduce(0, +)) rows"), "\(result.stdout)")
            let back = try readBack(file)
            #expect(back["rows"] as? Int == counts.reduce(0, +), "\(format)")
            #expect(abs((back["min_sum"] as? Double ?? 0) - 1) < 1e-6 && abs((back["max_sum"] as? Double ?? 0) - 1) < 1e-6, "\(format)")
            #expect(back["labels"] as? [String] == (format == "json" ? ["0", "1"] : ["routine", "urgent"]), "\(format)")
            #expect(Set(back["sources"] as? [String] ?? []).isSubset(of: ["label_model", "end_model"]), "\(format)")
            #expect((back["votes"] as? [[Int]])?.allSatisfy { $0.count == 5 && $0.allSatisfy { (-1...1).contains($0) } } == true)
            if format != "json" { #expect(back["columns"] as? [String] == expected, "\(format)") }
            // The train rows of every format are the CSV's rows, in order, with the same labels.
            #expect(Array((back["final"] as? [String] ?? []).prefix(counts[0])).count == counts[0])
            if format != "json" { #expect(Array((back["final"] as? [String] ?? []).prefix(counts[0])) == csv["final"] as? [String]) }
        }
    }

    @Test func predictReproducesTheRunsTestAccuracyAndItsLabels() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let object = try labelDemo()
        let id = try #require((object["run"] as? [String: String])?["id"])
        let test = home.appendingPathComponent("test.csv")
        let export = try cli.run(["export", "--run", id, "--to", test.path, "--splits", "test"], environment: ["ALCHEMIST_HOME": home.path])
        #expect(export.status == 0, "\(export.stderr)")
        // The end model alone scores on the test split what the run's kept end model scored.
        let out = home.appendingPathComponent("predicted.jsonl")
        let predicted = try cli.run(["predict", "--run", id, "--input", test.path, "--output", out.path, "--label-column", "gold", "--json"],
                                    environment: ["ALCHEMIST_HOME": home.path])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let summary = try json(predicted.stdout)
        let manifest = try json(try String(contentsOf: URL(fileURLWithPath: try #require((object["run"] as? [String: String])?["path"]))
            .appendingPathComponent("run.json"), encoding: .utf8))
        let runAccuracy = try #require((manifest["end_model"] as? [String: Any])?["test_accuracy"] as? Double)
        #expect(summary["accuracy"] as? Double == runAccuracy)
        #expect(summary["end_model_rows"] as? Int == summary["rows"] as? Int)
        // With the programs: the same votes and the same final labels as the export of the test split.
        let withPrograms = home.appendingPathComponent("with-programs.csv")
        let applied = try cli.run(["predict", "--run", id, "--input", test.path, "--output", withPrograms.path, "--label-column", "gold",
                                   "--with-programs"], environment: ["ALCHEMIST_HOME": home.path])
        #expect(applied.status == 0, "\(applied.stderr)")
        let exported = try readBack(test), predictedBack = try readBack(withPrograms)
        #expect(predictedBack["ids"] as? [String] == exported["ids"] as? [String])
        #expect(predictedBack["votes"] as? [[Int]] == exported["votes"] as? [[Int]])
        #expect(predictedBack["final"] as? [String] == exported["final"] as? [String])
        // Read seven rows at a time (windows far smaller than the file), the same file comes out.
        var config = try json(try String(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"), encoding: .utf8))
        var sandbox = try #require(config["sandbox"] as? [String: Any])
        sandbox["window_rows"] = 7
        config["sandbox"] = sandbox
        let small = home.appendingPathComponent("small-windows.json")
        try JSONSerialization.data(withJSONObject: config).write(to: small)
        let windowed = home.appendingPathComponent("windowed.csv")
        let inWindows = try cli.run(["predict", "--run", id, "--input", test.path, "--output", windowed.path, "--label-column", "gold",
                                     "--with-programs", "--config", small.path], environment: ["ALCHEMIST_HOME": home.path])
        #expect(inWindows.status == 0, "\(inWindows.stderr)")
        #expect(try Data(contentsOf: windowed) == Data(contentsOf: withPrograms))
    }

    @Test func labelWithoutLfsUsesTheDatasetsEnabledPrograms() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let lfDir = home.appendingPathComponent("programs")
        let folder = lfDir.appendingPathComponent("demo/handwritten/none")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["LF1.py", "LF2.py", "LF3.py", "LF4.py", "LF5.py"] {
            try FileManager.default.copyItem(at: TestEnvironment.repositoryRoot.appendingPathComponent("examples/programs/demo/\(name)"),
                                             to: folder.appendingPathComponent(name))
        }
        try ProgramStates.modify(root: lfDir) { $0.setEnabled(folder.appendingPathComponent("LF2.py"), false) }
        let result = try cli.run(["label", "--dataset", "demo", "--lf-dir", lfDir.path, "--runs", "1", "--feature-bits", "10",
                                  "--end-models", "lr", "--json"], environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        #expect(object["programs"] as? Int == 4)
        let none = try cli.run(["label", "--dataset", "demo", "--lf-dir", home.appendingPathComponent("empty").path],
                               environment: ["ALCHEMIST_HOME": home.path])
        #expect(none.status == 2 && none.stderr.contains("demo has no enabled programs yet"), "\(none.stderr)")
        // A program changed after the run is refused by predict --with-programs, naming it.
        let id = try #require((object["run"] as? [String: String])?["id"])
        try Data("\n# edited\n".utf8).append(to: folder.appendingPathComponent("LF3.py"))
        let input = home.appendingPathComponent("new.csv")
        try Data("text\nserver down now\nnew mouse please\n".utf8).write(to: input)
        let changed = try cli.run(["predict", "--run", id, "--input", input.path, "--output", home.appendingPathComponent("p.csv").path,
                                   "--with-programs"], environment: ["ALCHEMIST_HOME": home.path])
        #expect(changed.status == 2 && changed.stderr.contains("LF3.py: program handwritten/none/LF3 changed since run"), "\(changed.stderr)")
        let plain = try cli.run(["predict", "--run", "latest", "--input", input.path, "--output", home.appendingPathComponent("p.parquet").path],
                                environment: ["ALCHEMIST_HOME": home.path])
        #expect(plain.status == 0 && plain.stdout.contains("wrote 2 rows"), "\(plain.stderr)")
    }

    @Test func badRunsAndFilesAreRefusedNamingThem() throws {
        defer { try? FileManager.default.removeItem(at: home) }
        let environment = ["ALCHEMIST_HOME": home.path]
        let unknown = try cli.run(["export", "--run", "20990101T000000-deadbeef", "--to", home.appendingPathComponent("x.csv").path],
                                  environment: environment)
        #expect(unknown.status == 2 && unknown.stderr.contains("no saved run"), "\(unknown.stderr)")
        let empty = try cli.run(["runs"], environment: environment)
        #expect(empty.status == 0 && empty.stdout.contains("no saved runs"), "\(empty.stdout)")
        let object = try labelDemo()
        let id = try #require((object["run"] as? [String: String])?["id"])
        let listed = try json(try cli.run(["runs", "--dataset", "demo", "--json"], environment: environment).stdout)
        #expect((listed["runs"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
        let badFormat = try cli.run(["export", "--run", id, "--to", home.appendingPathComponent("x.xlsx").path], environment: environment)
        #expect(badFormat.status == 2 && badFormat.stderr.contains(".csv, .jsonl, .parquet or .json"), "\(badFormat.stderr)")
        let badSplit = try cli.run(["export", "--run", id, "--to", home.appendingPathComponent("x.csv").path, "--splits", "train,dev"],
                                   environment: environment)
        #expect(badSplit.status == 2 && badSplit.stderr.contains("unknown split \"dev\""), "\(badSplit.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("x.csv").path))
        // A damaged model file is named.
        let folder = URL(fileURLWithPath: try #require((object["run"] as? [String: String])?["path"]))
        let model = folder.appendingPathComponent("end-model.bin")
        let bytes = try Data(contentsOf: model)
        try bytes.prefix(bytes.count - 10).write(to: model)
        let damaged = try cli.run(["export", "--run", folder.path, "--to", home.appendingPathComponent("y.csv").path], environment: environment)
        #expect(damaged.status == 2 && damaged.stderr.contains("end-model.bin"), "\(damaged.stderr)")
    }
}

extension Data {
    fileprivate func append(to file: URL) throws {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: self)
    }
}
