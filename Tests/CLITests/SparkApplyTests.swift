import Engine
import Foundation
import Testing
import TestSupport

/// A custom dataset with Parquet splits written by pyarrow (valid: 20,000 rows with ids "r0"…, test:
/// 2,000), a home of its own, and programs: what the Spark tests apply with both engines.
struct SparkFixture {
    let folder: URL
    var data: URL { folder.appendingPathComponent("data") }
    var home: URL { folder.appendingPathComponent("home") }

    init(_ name: String) throws {
        folder = try TestEnvironment.temporaryFolder(name)
        let dataset = data.appendingPathComponent("sparkdemo")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try Data(#"{"name": "sparkdemo", "description": "d", "classes": ["ham", "spam"]}"#.utf8).write(to: dataset.appendingPathComponent("dataset.json"))
        let script = """
            import random, sys
            import pyarrow as pa, pyarrow.parquet as pq
            words = "check out my channel please subscribe this song is great love it watch".split()
            generator = random.Random(7)
            for split, rows in (("valid", 20000), ("test", 2000)):
                texts = [" ".join(generator.choice(words) for _ in range(12)) for _ in range(rows)]
                table = pa.table({"id": [f"r{i}" for i in range(rows)], "text": texts,
                                  "label": [("ham", "spam")[i % 2] for i in range(rows)]})
                pq.write_table(table, f"{sys.argv[1]}/{split}.parquet", row_group_size=5000)
            """
        _ = try PythonReference.run(script, arguments: [dataset.path])
    }

    /// A folder of programs, one file each.
    func programs(_ name: String, _ sources: [String: String]) throws -> URL {
        let lfs = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: lfs, withIntermediateDirectories: true)
        for (file, source) in sources { try Data(source.utf8).write(to: lfs.appendingPathComponent(file)) }
        return lfs
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// `apply --engine spark` against a real Spark in local mode (spark-submit of scripts/setup-spark):
/// the votes, the analysis and the containment of hostile programs are those of the local engine.
@Suite(.serialized, .enabled(if: SparkInstall.sparkSubmit != nil, "Spark not installed (scripts/setup-spark)"))
struct SparkApplyTests {
    let cli: CommandRunner
    init() throws { cli = try CommandRunner.locate() }

    static let keywordPrograms = [
        "LF1.py": "def label_function(text):\n    return 1 if \"channel\" in text else -1\n",
        "LF2.py": "def label_function(text):\n    return 0 if \"love\" in text else -1\n",
        "LF3.py": "import re\n\ndef label_function(text):\n    return 1 if re.search(r\"subscribe|check\", text) else (0 if \"song\" in text else -1)\n",
    ]

    func sparkEnvironment(_ fixture: SparkFixture) -> [String: String] {
        // A key in the environment the job must not pass on (its executors' environment is checked by the unit tests).
        ["ALCHEMIST_HOME": fixture.home.path, "ALCHEMIST_SPARK_SUBMIT": SparkInstall.sparkSubmit!.path, "OPENAI_API_KEY": "sk-test-not-for-spark"]
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func votesPerRowIDAreTheLocalEngines() async throws {
        let fixture = try SparkFixture("spark-votes")
        defer { fixture.remove() }
        let lfs = try fixture.programs("lfs", Self.keywordPrograms)
        let matrix = fixture.folder.appendingPathComponent("local.tsv")
        let common = ["apply", "--dataset", "sparkdemo", "--split", "valid", "--lfs", lfs.path, "--data-dir", fixture.data.path, "--json"]
        let local = try await cli.runAsync(common + ["--save-matrix", matrix.path], environment: ["ALCHEMIST_HOME": fixture.home.path])
        #expect(local.status == 0, "\(local.stderr)")

        let started = Date()
        let spark = try await cli.runAsync(common + ["--engine", "spark", "--master", "local[2]", "--keep-work"], environment: sparkEnvironment(fixture))
        let seconds = Date().timeIntervalSince(started)
        #expect(spark.status == 0, "\(spark.stderr.suffix(3000))")
        print("apply --engine spark --master local[2], 20,000 rows × 3 programs: \(String(format: "%.1f", seconds)) s")

        // The votes Spark wrote, by row id, against the local matrix (rows in file order: ids r0, r1, …).
        let jobs = try FileManager.default.contentsOfDirectory(atPath: fixture.home.appendingPathComponent("spark").path)
        let job = try #require(jobs.first { $0.hasPrefix("apply-") })
        let votesFolder = fixture.home.appendingPathComponent("spark/\(job)/votes/valid")
        let read = """
            import sys, pyarrow.parquet as pq
            for r in pq.read_table(sys.argv[1]).to_pylist():
                print(r["id"], r["row"], r["gold"], ",".join(str(v) for v in r["votes"]), sep="\\t")
            """
        var byID: [String: (row: Int, gold: Int, votes: String)] = [:]
        for line in String(decoding: try PythonReference.run(read, arguments: [votesFolder.path]), as: UTF8.self).split(separator: "\n") {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            byID[cells[0]] = (Int(cells[1]) ?? -1, Int(cells[2]) ?? -9, cells[3])
        }
        let localRows = try String(contentsOf: matrix, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: "\t").joined(separator: ",") }
        #expect(byID.count == 20_000 && localRows.count == 20_000)
        let differing = localRows.indices.filter { index in
            guard let spark = byID["r\(index)"] else { return true }
            return spark.votes != localRows[index] || spark.row != index || spark.gold != index % 2
        }
        #expect(differing.isEmpty, "\(differing.count) rows differ, first r\(differing.first ?? -1)")

        // The same analysis, from the job's histogram of vote patterns.
        let localReport = try json(local.stdout), sparkReport = try json(spark.stdout)
        #expect(sparkReport["rows"] as? Int == 20_000)
        #expect(sparkReport["totals"] as? NSDictionary == localReport["totals"] as? NSDictionary)
        let keys = ["name", "polarity", "coverage", "overlaps", "conflicts", "accuracy", "errors", "timeouts", "loaded"]
        let localPrograms = try #require(localReport["programs"] as? [[String: Any]]), sparkPrograms = try #require(sparkReport["programs"] as? [[String: Any]])
        #expect(sparkPrograms.count == 3)
        for (mine, theirs) in zip(localPrograms, sparkPrograms) {
            for key in keys { #expect(String(describing: mine[key]) == String(describing: theirs[key]), "\(key) of \(mine["name"] ?? "")") }
        }
        #expect((sparkReport["sandbox"] as? [String: String])?["os_sandbox"]?.hasPrefix("bubblewrap") == true)
        #expect(spark.stderr.contains("work is kept in"))
    }

    @Test func hostileProgramsAreContainedAsLocally() async throws {
        let fixture = try SparkFixture("spark-hostile")
        defer { fixture.remove() }
        let lfs = try fixture.programs("lfs", [
            "LF1.py": Self.keywordPrograms["LF1.py"]!,
            "reads_passwd.py": "def label_function(text):\n    with open(\"/etc/passwd\") as f:\n        return 1 if f.read() else -1\n",
            "loops.py": "def label_function(text):\n    if \"watch\" in text:\n        while True:\n            pass\n    return -1\n",
            "imports_os.py": "import os\n\ndef label_function(text):\n    return 1 if os.listdir(\"/\") else -1\n",
        ])
        let common = ["apply", "--dataset", "sparkdemo", "--split", "test", "--lfs", lfs.path, "--data-dir", fixture.data.path, "--json"]
        let local = try await cli.runAsync(common, environment: ["ALCHEMIST_HOME": fixture.home.path])
        let spark = try await cli.runAsync(common + ["--engine", "spark", "--master", "local[2]"], environment: sparkEnvironment(fixture))
        #expect(local.status == 0, "\(local.stderr)")
        #expect(spark.status == 0, "\(spark.stderr.suffix(3000))")
        let localPrograms = try #require(try json(local.stdout)["programs"] as? [[String: Any]])
        let sparkPrograms = try #require(try json(spark.stdout)["programs"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: sparkPrograms.map { ($0["name"] as? String ?? "", $0) })
        for mine in localPrograms {
            let name = mine["name"] as? String ?? ""
            let theirs = try #require(byName[name])
            // The same fault, the same message; counts of a stopped program differ (its stop rules hold per partition).
            #expect(theirs["first_error"] as? String == mine["first_error"] as? String, "\(name)")
            #expect(theirs["loaded"] as? Bool == mine["loaded"] as? Bool, "\(name)")
            #expect(theirs["stopped"] as? Bool == mine["stopped"] as? Bool, "\(name)")
            #expect(((theirs["errors"] as? Int) ?? 0 > 0) == ((mine["errors"] as? Int) ?? 0 > 0), "\(name)")
            #expect(theirs["coverage"] as? Double == mine["coverage"] as? Double, "\(name)")
        }
        #expect(byName["loops"]?["stopped"] as? Bool == true)
        #expect(byName["reads_passwd"]?["first_error"] as? String != nil)
        #expect(byName["imports_os"]?["loaded"] as? Bool == false)
        // Without --keep-work the job's folder is gone.
        let left = (try? FileManager.default.contentsOfDirectory(atPath: fixture.home.appendingPathComponent("spark").path)) ?? []
        #expect(left.isEmpty, "\(left)")
    }
}

/// `--engine spark` without Spark, and the worker Spark starts, without Spark.
@Suite struct SparkSetupCLITests {
    let cli: CommandRunner
    init() throws { cli = try CommandRunner.locate() }

    @Test func missingSparkSubmitSaysWhatToRun() async throws {
        let fixture = try SparkFixture("spark-missing")
        defer { fixture.remove() }
        let lfs = try fixture.programs("lfs", SparkApplyTests.keywordPrograms)
        let arguments = ["apply", "--dataset", "sparkdemo", "--lfs", lfs.path, "--data-dir", fixture.data.path, "--engine", "spark"]
        let named = try await cli.runAsync(arguments, environment: ["ALCHEMIST_HOME": fixture.home.path, "ALCHEMIST_SPARK_SUBMIT": "/nonexistent/spark-submit"])
        #expect(named.status == 2)
        #expect(named.stderr.contains("ALCHEMIST_SPARK_SUBMIT: /nonexistent/spark-submit is not an executable file"), "\(named.stderr)")
        #expect(named.stderr.contains("scripts/setup-spark"))
        let absent = try await cli.runAsync(arguments, environment: ["ALCHEMIST_HOME": fixture.home.path, "ALCHEMIST_SPARK_SUBMIT": ""])
        #expect(absent.status == 2)
        #expect(absent.stderr.contains("spark-submit not found at \(fixture.home.path)/tools/spark-venv/bin/spark-submit: run scripts/setup-spark"), "\(absent.stderr)")
    }

    @Test func sparkOptionsNeedTheSparkEngine() async throws {
        let result = try await cli.runAsync(["apply", "--dataset", "demo", "--lfs", "examples/programs/demo", "--input", "x.parquet"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--input needs --engine spark"), "\(result.stderr)")
    }

    @Test func workerAnswersOneLineARowInInputOrder() async throws {
        let folder = try TestEnvironment.temporaryFolder("spark-worker")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lfs = folder.appendingPathComponent("lfs")
        try FileManager.default.createDirectory(at: lfs, withIntermediateDirectories: true)
        try Data("def label_function(text):\n    return 1 if \"channel\" in text else -1\n".utf8).write(to: lfs.appendingPathComponent("LF1.py"))
        try Data("def label_function(text):\n    return 0 if len(text) < 6 else -1\n".utf8).write(to: lfs.appendingPathComponent("LF2.py"))
        var settings = try TestEnvironment.config().sandbox
        settings.windowRows = 2  // several windows, so their order is checked
        let worker = ["spark-worker", "votes", "--lfs", lfs.path, "--classes", #"["ham","spam"]"#, "--sandbox", settings.sandboxSection]
        let rows = """
            {"text": "my channel", "label": "spam"}
            {"text": "hi", "label": 0}
            {"text": "no label here"}
            {"text": "channel", "label": "1"}
            {"text": "short", "label": null}

            """
        let result = try await cli.runAsync(worker, input: Data(rows.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(5)) == ["[1,1,-1]", "[0,-1,0]", "[-1,-1,-1]", "[1,1,-1]", "[-1,-1,0]"])
        let last = try #require(lines.last)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        #expect(summary["rows"] as? Int == 5)
        #expect((summary["reports"] as? [[String: Any]])?.map { $0["name"] as? String } == ["LF1", "LF2"])

        let bad = try await cli.runAsync(worker, input: Data("{\"text\": \"a\"}\n{\"text\": \"b\"}\nnot json\n".utf8))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("stdin") && bad.stderr.contains("line 3"), "\(bad.stderr)")
    }
}
