import Engine
import Foundation
import Testing
import TestSupport

/// `label --engine spark --export` against a real Spark in local mode: on a 100,000-row Parquet
/// train split it saves the same label model and end model as the local engine and writes the same
/// labels, as a folder of Parquet part files; `export --engine spark` of that run writes them again,
/// and `predict --engine spark`, with and without the programs, labels new rows as a local predict does.
@Suite(.serialized, .enabled(if: SparkInstall.sparkSubmit != nil, "Spark not installed (scripts/setup-spark)"))
struct SparkLabelTests {
    let cli: CommandRunner
    init() throws { cli = try CommandRunner.locate() }

    /// A custom dataset: train.parquet (100,000 rows), valid.jsonl and test.jsonl (1,000 labeled rows each).
    static func dataset(in folder: URL) throws -> URL {
        let data = folder.appendingPathComponent("data")
        let dataset = data.appendingPathComponent("sparkscale")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try Data(#"{"name": "sparkscale", "description": "d", "classes": ["ham", "spam"]}"#.utf8).write(to: dataset.appendingPathComponent("dataset.json"))
        let script = """
            import json, random, sys
            import pyarrow as pa, pyarrow.parquet as pq
            words = "check out my channel please subscribe this song is great love it watch".split()
            generator = random.Random(11)
            def rows(count, prefix):
                texts = [" ".join(generator.choice(words) for _ in range(generator.randint(4, 14))) for _ in range(count)]
                labels = ["spam" if ("subscribe" in t or "channel" in t) and generator.random() < 0.9 else "ham" for t in texts]
                return [f"{prefix}{i}" for i in range(count)], texts, labels
            ids, texts, labels = rows(100000, "t")
            pq.write_table(pa.table({"id": ids, "text": texts, "label": labels}), f"{sys.argv[1]}/train.parquet", row_group_size=20000)
            for split in ("valid", "test"):
                ids, texts, labels = rows(1000, split[0])
                with open(f"{sys.argv[1]}/{split}.jsonl", "w") as f:
                    for i, t, l in zip(ids, texts, labels):
                        f.write(json.dumps({"id": i, "text": t, "label": l}) + "\\n")
            """
        _ = try PythonReference.run(script, arguments: [dataset.path])
        return data
    }

    @Test func labelsOnSparkAsTheLocalEngineDoes() async throws {
        let folder = try TestEnvironment.temporaryFolder("spark-label")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = try Self.dataset(in: folder)
        let lfs = folder.appendingPathComponent("lfs")
        try FileManager.default.createDirectory(at: lfs, withIntermediateDirectories: true)
        let programs = [
            "LF1.py": "def label_function(text):\n    return 1 if \"subscribe\" in text else -1\n",
            "LF2.py": "def label_function(text):\n    return 0 if \"love\" in text else -1\n",
            "LF3.py": "import re\n\ndef label_function(text):\n    return 1 if re.search(r\"channel|check\", text) else (0 if \"song\" in text else -1)\n",
        ]
        for (file, source) in programs { try Data(source.utf8).write(to: lfs.appendingPathComponent(file)) }
        let common = ["label", "--dataset", "sparkscale", "--lfs", lfs.path, "--data-dir", data.path, "--runs", "1",
                      "--label-models", "mv,snorkel,ds", "--end-models", "lr", "--end-model-rows", "3000", "--json"]
        let localHome = folder.appendingPathComponent("home-local"), sparkHome = folder.appendingPathComponent("home-spark")
        let localOut = folder.appendingPathComponent("local.parquet"), sparkOut = folder.appendingPathComponent("spark.parquet")
        let local = try await cli.runAsync(common + ["--export", localOut.path], environment: ["ALCHEMIST_HOME": localHome.path])
        #expect(local.status == 0, "\(local.stderr.suffix(2000))")
        let started = Date()
        let spark = try await cli.runAsync(common + ["--export", sparkOut.path, "--engine", "spark", "--master", "local[2]"],
                                environment: ["ALCHEMIST_HOME": sparkHome.path, "ALCHEMIST_SPARK_SUBMIT": SparkInstall.sparkSubmit!.path,
                                              "OPENAI_API_KEY": "sk-test-not-for-spark"])
        print("label --engine spark --master local[2] --export, 100,000 Parquet rows × 3 programs: \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        #expect(spark.status == 0, "\(spark.stderr.suffix(3000))")
        guard local.status == 0, spark.status == 0 else { return }

        let localReport = try #require(try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any])
        let sparkReport = try #require(try JSONSerialization.jsonObject(with: Data(spark.stdout.utf8)) as? [String: Any])
        // Every figure but the times: fit seconds dropped, keys sorted.
        func canonical(_ value: Any?) throws -> String {
            func strip(_ value: Any) -> Any {
                if let object = value as? [String: Any] {
                    return object.filter { $0.key != "fit_seconds" }.mapValues(strip)
                }
                if let array = value as? [Any] { return array.map(strip) }
                return value
            }
            let stripped = strip(try #require(value))
            guard JSONSerialization.isValidJSONObject(stripped) else { return String(describing: stripped) }
            return String(decoding: try JSONSerialization.data(withJSONObject: stripped, options: [.sortedKeys]), as: UTF8.self)
        }
        for key in ["training_rows", "best_label_model", "coverage", "label_models", "end_models"] {
            #expect(try canonical(sparkReport[key]) == canonical(localReport[key]), "\(key)")
        }
        // The same fitted models, byte for byte.
        func runFolder(_ report: [String: Any]) throws -> URL {
            URL(fileURLWithPath: try #require((report["run"] as? [String: Any])?["path"] as? String))
        }
        for file in ["label-model.bin", "end-model.bin"] {
            #expect(try Data(contentsOf: runFolder(sparkReport).appendingPathComponent(file))
                    == Data(contentsOf: runFolder(localReport).appendingPathComponent(file)), "\(file)")
        }
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: sparkOut.path, isDirectory: &isFolder) && isFolder.boolValue, "a folder of part files")
        // The same rows, sorted by id: every column.
        let compare = """
            import sys
            import pyarrow.parquet as pq
            a = pq.read_table(sys.argv[1]).sort_by("id").to_pylist()
            b = pq.read_table(sys.argv[2]).sort_by("id").to_pylist()
            assert len(a) == len(b) == int(sys.argv[3]), (len(a), len(b))
            assert list(a[0].keys()) == list(b[0].keys()), (list(a[0].keys()), list(b[0].keys()))
            bad = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
            assert not bad, (len(bad), a[bad[0]], b[bad[0]])
            print("same", len(a))
            """
        func same(_ expected: URL, _ written: URL, rows: Int) throws -> Bool {
            String(decoding: try PythonReference.run(compare, arguments: [expected.path, written.path, String(rows)]), as: UTF8.self)
                .contains("same \(rows)")
        }
        #expect(try same(localOut, sparkOut, rows: 100_000))

        let sparkEnvironment = ["ALCHEMIST_HOME": sparkHome.path, "ALCHEMIST_SPARK_SUBMIT": SparkInstall.sparkSubmit!.path]
        let sparkRun = try runFolder(sparkReport).path, localRun = try runFolder(localReport).path
        // The run exported again on Spark; a local export of its train split says to use Spark.
        let again = folder.appendingPathComponent("again.parquet")
        let export = try await cli.runAsync(["export", "--run", sparkRun, "--to", again.path, "--engine", "spark", "--master", "local[2]"],
                                 environment: sparkEnvironment)
        #expect(export.status == 0, "\(export.stderr.suffix(3000))")
        #expect(export.stdout.contains("100000 rows") || export.stdout.contains("100,000 rows"), "\(export.stdout)")
        #expect(try same(localOut, again, rows: 100_000))
        let refused = try await cli.runAsync(["export", "--run", sparkRun, "--to", folder.appendingPathComponent("x.csv").path, "--data-dir", data.path],
                                  environment: sparkEnvironment)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("alchemist export --engine spark"), "\(refused.stderr)")
        let localRunOnSpark = try await cli.runAsync(["export", "--run", localRun, "--to", folder.appendingPathComponent("y.parquet").path,
                                           "--engine", "spark"], environment: sparkEnvironment)
        #expect(localRunOnSpark.status != 0)
        #expect(localRunOnSpark.stderr.contains("labeled with --engine local"), "\(localRunOnSpark.stderr)")

        // New rows (the test split's file): the same labels from Spark as from a local predict, with the programs and without.
        let newRows = data.appendingPathComponent("sparkscale/test.jsonl").path
        for withPrograms in [true, false] {
            let flag = withPrograms ? ["--with-programs"] : []
            let name = withPrograms ? "with-programs" : "end-model"
            let expected = folder.appendingPathComponent("predict-local-\(name).parquet")
            let written = folder.appendingPathComponent("predict-spark-\(name).parquet")
            let local = try await cli.runAsync(["predict", "--run", localRun, "--input", newRows, "--output", expected.path, "--json"] + flag,
                                    environment: ["ALCHEMIST_HOME": localHome.path])
            #expect(local.status == 0, "\(local.stderr.suffix(2000))")
            let spark = try await cli.runAsync(["predict", "--run", sparkRun, "--input", newRows, "--output", written.path, "--json",
                                     "--engine", "spark", "--master", "local[2]"] + flag, environment: sparkEnvironment)
            #expect(spark.status == 0, "\(spark.stderr.suffix(3000))")
            guard local.status == 0, spark.status == 0 else { continue }
            let localSummary = try #require(try JSONSerialization.jsonObject(with: Data(local.stdout.utf8)) as? [String: Any])
            let sparkSummary = try #require(try JSONSerialization.jsonObject(with: Data(spark.stdout.utf8)) as? [String: Any])
            for key in ["rows", "label_model_rows", "end_model_rows", "gold_rows", "accuracy"] {
                #expect(String(describing: sparkSummary[key]) == String(describing: localSummary[key]), "\(name): \(key)")
            }
            #expect(try same(expected, written, rows: 1000), "\(name)")
        }
    }
}
