@testable import Engine
import Foundation
import Testing
import TestSupport

/// A dataset of three Parquet splits (train 4,000 rows, a third unlabeled; valid and test 300),
/// keyword programs and a run saved by a local `label`: what the Spark label pieces are checked on.
struct SparkLabelFixture {
    let folder: URL
    let run: URL
    var data: URL { folder.appendingPathComponent("data") }
    var home: URL { folder.appendingPathComponent("home") }
    var lfs: URL { folder.appendingPathComponent("lfs") }
    var dataset: URL { data.appendingPathComponent("sparklabel") }

    init(_ name: String, cli: CommandRunner) throws {
        folder = try TestEnvironment.temporaryFolder(name)
        let dataset = folder.appendingPathComponent("data/sparklabel")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try Data(#"{"name": "sparklabel", "description": "d", "classes": ["ham", "spam"]}"#.utf8).write(to: dataset.appendingPathComponent("dataset.json"))
        let script = """
            import random, sys
            import pyarrow as pa, pyarrow.parquet as pq
            words = "check out my channel please subscribe this song is great love it watch".split()
            generator = random.Random(11)
            for split, rows in (("train", 4000), ("valid", 300), ("test", 300)):
                texts = [" ".join(generator.choice(words) for _ in range(generator.randint(0, 9))) for _ in range(rows)]
                labels = [None if split == "train" and i % 3 == 0 else ("ham", "spam")[i % 2] for i in range(rows)]
                table = pa.table({"id": [f"{split}-{i}" for i in range(rows)], "text": texts, "label": labels})
                pq.write_table(table, f"{sys.argv[1]}/{split}.parquet", row_group_size=1000)
            """
        _ = try PythonReference.run(script, arguments: [dataset.path])
        let lfs = folder.appendingPathComponent("lfs")
        try FileManager.default.createDirectory(at: lfs, withIntermediateDirectories: true)
        for (file, source) in SparkApplyTests.keywordPrograms { try Data(source.utf8).write(to: lfs.appendingPathComponent(file)) }
        let label = try cli.run(["label", "--dataset", "sparklabel", "--lfs", lfs.path, "--runs", "1", "--label-models", "mv", "--end-models", "lr",
                                 "--data-dir", folder.appendingPathComponent("data").path, "--json"],
                                environment: ["ALCHEMIST_HOME": folder.appendingPathComponent("home").path])
        guard label.status == 0, let object = try JSONSerialization.jsonObject(with: Data(label.stdout.utf8)) as? [String: Any],
              let path = (object["run"] as? [String: Any])?["path"] as? String else {
            throw SparkJobError(reason: "label failed: \(label.stderr)")
        }
        run = URL(fileURLWithPath: path)
    }

    /// A split's texts in file order, read by pyarrow.
    func texts(_ split: String) throws -> [String] {
        let script = "import json, sys, pyarrow.parquet as pq\nprint(json.dumps(pq.read_table(sys.argv[1]).column('text').to_pylist()))"
        let output = try PythonReference.run(script, arguments: [dataset.appendingPathComponent("\(split).parquet").path])
        return try JSONDecoder().decode([String].self, from: output)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// The pieces `label --engine spark --export` is made of, each against a real Spark (`local[2]`) and
/// against what the local engine computes on the same data: the votes job's text, document
/// frequencies and ordered splits; the sample job; the label job against `RunExport.write`.
@Suite(.serialized, .enabled(if: SparkInstall.sparkSubmit != nil, "Spark not installed (scripts/setup-spark)"))
struct SparkLabelJobTests {
    let cli: CommandRunner
    init() throws { cli = try CommandRunner.locate() }

    @Test func votesSampleAndLabelJobsMatchTheLocalEngine() async throws {
        let fixture = try SparkLabelFixture("spark-label", cli: cli)
        defer { fixture.remove() }
        var environment = ProcessInfo.processInfo.environment
        environment["ALCHEMIST_SPARK_SUBMIT"] = SparkInstall.sparkSubmit?.path
        let spark = try SparkEnvironment.locate(appHome: fixture.home, environment: environment)
        let settings = SparkJobSettings(master: "local[2]")
        let work = try SparkJobSettings.makeWorkFolder(appHome: fixture.home, kind: "label")
        let run = try LoadedRun.load(fixture.run)
        let scan = try ProgramStore.scan(under: fixture.lfs)
        var sandbox = try TestEnvironment.config().sandbox
        sandbox.workers = 1
        let voteWorker = [cli.executable.path, "spark-worker", "votes", "--classes", #"["ham","spam"]"#, "--sandbox", sandbox.sandboxSection]
        let fields = RowFields(text: "text", label: "label", classes: ["ham", "spam"], id: "id")
        let inputs = [SplitName.train, .valid, .test].map { split in
            SparkSplitInput(split: split, paths: [fixture.dataset.appendingPathComponent("\(split.rawValue).parquet").path], format: .parquet, fields: fields)
        }

        // Votes, with the texts kept, document frequencies counted and the evaluation splits in order.
        var started = Date()
        let votes = try await SparkVotesJob(environment: spark, settings: settings).run(
            scan.programs, splits: inputs, worker: voteWorker, work: work,
            options: SparkVotesOptions(keepText: true, featureBits: 12, ordered: [.valid, .test]))
        print("votes job (train 4,000 + valid 300 + test 300 rows, local[2]): \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        let train = try #require(votes[.train])
        var local = HashedTFIDF.DocumentFrequencies(bits: 12)
        let trainTexts = try fixture.texts("train")
        local.count(trainTexts)
        let counted = try #require(train.documentFrequencies)
        #expect(counted.documentCount == 4000 && counted.columnCounts == local.columnCounts)
        #expect(counted.fitted().inverseDocumentFrequency == local.fitted().inverseDocumentFrequency)
        #expect(train.ordered == nil)
        for split in [SplitName.valid, .test] {
            let ordered = try #require(votes[split]?.ordered)
            #expect(ordered.matrix == (try run.votes(split)).matrix, "\(split.rawValue)")
            #expect(ordered.gold == (0..<300).map { LabelMatrix.Vote($0 % 2) }, "\(split.rawValue)")
        }

        // The sample: the covered train rows whose draw is below the threshold, as computed here.
        let saved = try run.votes(.train).matrix
        let covered = (0..<saved.rows).filter { saved.row($0).contains { $0 >= 0 } }
        let threshold = try #require(EndModelRows.drawThreshold(limit: 500, covered: covered.count))
        started = Date()
        let sample = try await SparkSampleJob(environment: spark, settings: settings)
            .run(work: work, threshold: threshold, programs: scan.programs.count, classCount: 2)
        print("sample job: \(String(format: "%.1f", Date().timeIntervalSince(started))) s, \(sample.rows.count) rows")
        let expected = covered.filter { EndModelRows.draw(row: $0) < threshold }
        #expect(sample.rows == expected)
        #expect(sample.texts == expected.map { trainTexts[$0] })
        var expectedVotes = LabelMatrix(rows: 0, columns: scan.programs.count)
        for row in expected { expectedVotes.append(LabelMatrix(rows: [saved.row(row).map(Int.init)])) }
        #expect(sample.votes == expectedVotes)
        #expect(sample.rows.count > 500)

        // The label job against a local export of the same run, in each format.
        let splits: [SplitName] = [.train, .valid, .test]
        for format in [ExportFormat.parquet, .csv, .jsonl] {
            let mine = fixture.folder.appendingPathComponent("spark.\(format.rawValue)")
            let theirs = fixture.folder.appendingPathComponent("local.\(format.rawValue)")
            let export = try await cli.runAsync(["export", "--run", fixture.run.path, "--to", theirs.path, "--splits", "train,valid,test",
                                      "--data-dir", fixture.data.path], environment: ["ALCHEMIST_HOME": fixture.home.path])
            #expect(export.status == 0, "\(export.stderr)")
            started = Date()
            let labeled = try await SparkLabelJob(environment: spark, settings: settings).run(
                run: fixture.run, splits: splits, work: work, output: mine, format: format,
                worker: [cli.executable.path, "spark-worker", "label"])
            print("label job, \(format.rawValue): \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            #expect(labeled.summary.line.replacingOccurrences(of: mine.path, with: theirs.path)
                    == export.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(format.rawValue)")
            #expect(labeled.splits[.train]?.rows == 4000 && labeled.splits[.valid]?.labeledRows == 300)
            let compared = try Self.compare(spark: mine, local: theirs, format: format)
            #expect(compared == "equal 4600", "\(format.rawValue): \(compared)")
        }
        try? FileManager.default.removeItem(at: work)
    }

    /// Reads both outputs (Spark's folder of part files in part order, the local file) with pyarrow,
    /// csv or json; "equal N" when the ids come in the same order and, by id, every cell is the
    /// same (probabilities as numbers), else the first difference.
    static func compare(spark: URL, local: URL, format: ExportFormat) throws -> String {
        let script = """
            import csv, glob, json, os, sys
            import pyarrow.parquet as pq
            spark, local, kind = sys.argv[1:4]
            def read(path):
                files = sorted(glob.glob(os.path.join(path, "part-*"))) if os.path.isdir(path) else [path]
                rows = []
                for name in files:
                    if kind == "parquet":
                        rows += pq.read_table(name).to_pylist()
                    elif kind == "csv":
                        with open(name, newline="", encoding="utf-8") as file:
                            rows += [{k: float(v) if k.startswith("prob_") else v for k, v in row.items()} for row in csv.DictReader(file)]
                    else:
                        with open(name, encoding="utf-8") as file:
                            rows += [json.loads(line) for line in file if line.strip()]
                return rows
            mine, theirs = read(spark), read(local)
            if [r["id"] for r in mine] != [r["id"] for r in theirs]:
                print("ids differ in order or number:", len(mine), len(theirs)); sys.exit()
            if kind == "parquet" and pq.read_schema(sorted(glob.glob(os.path.join(spark, "part-*")))[0]).remove_metadata() != pq.read_schema(local).remove_metadata():
                print("schemas differ"); sys.exit()
            for a, b in zip(sorted(mine, key=lambda r: r["id"]), sorted(theirs, key=lambda r: r["id"])):
                if a != b:
                    print("row", b["id"], "differs:", {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}); sys.exit()
            print("equal", len(mine))
            """
        let output = try PythonReference.run(script, arguments: [spark.path, local.path, format.rawValue])
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// `spark-worker label` on stdin, without Spark.
@Suite struct SparkLabelWorkerCLITests {
    let cli: CommandRunner
    init() throws { cli = try CommandRunner.locate() }

    @Test func labelWorkerAnswersARowALineThenTheTallyAndNamesABadLine() async throws {
        let fixture = try SparkLabelFixture("spark-label-worker", cli: cli)
        defer { fixture.remove() }
        let rows = """
            {"id": "a", "text": "my channel", "gold": 1, "votes": [1, -1, -1]}
            {"id": "b", "text": "nothing here", "gold": -1, "votes": [-1, -1, -1]}

            """
        let result = try await cli.runAsync(["spark-worker", "label", "--run", fixture.run.path], environment: ["OPENAI_API_KEY": "sk-x"], input: Data(rows.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(lines.count == 3)
        #expect(lines[0]["id"] as? String == "a" && lines[0]["label"] as? String == "spam" && lines[0]["label_source"] as? String == "label_model")
        #expect(lines[0]["gold"] as? String == "spam" && lines[0]["lf_LF1"] as? Int == 1)
        #expect(lines[1]["label_source"] as? String == "end_model" && lines[1]["gold"] is NSNull)
        let summary = try #require(lines[2]["summary"] as? [String: Int])
        #expect(summary == ["rows": 2, "label_model": 1, "end_model": 1, "gold_rows": 1, "correct": 1])

        let bad = try await cli.runAsync(["spark-worker", "label", "--run", fixture.run.path], input: Data((rows + #"{"id": "c", "text": "x", "votes": [1]}"# + "\n").utf8))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("stdin") && bad.stderr.contains("line 3") && bad.stderr.contains("3 votes"), "\(bad.stderr)")
    }
}
