import Engine
import Foundation
import Testing
import TestSupport

/// JSON numbers survive printing and parsing only up to the last bit.
func close(_ value: Any?, _ expected: Double) -> Bool {
    guard let value = value as? Double else { return false }
    return abs(value - expected) < 1e-9
}

@Suite struct ApplyCommandTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    @Test func youtubeJSONSummaryMatchesPython() throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("youtubeJSONSummaryMatchesPython")
            return
        }
        let result = try cli.run(["apply", "--dataset", "youtube", "--lfs", "examples/programs/youtube", "--split", "valid",
                                  "--data-dir", shared.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["dataset"] as? String == "youtube")
        #expect(object["split"] as? String == "valid")
        #expect(object["rows"] as? Int == 120)
        let programs = try #require(object["programs"] as? [[String: Any]])
        #expect(programs.map { $0["name"] as? String } == (1...10).map { "LF\($0)" })
        let valid = try WrenchLoader.load(folder: shared.appendingPathComponent("youtube"), name: "youtube").split(.valid)
        let sources = try SandboxFixtures.examplePrograms("youtube").map(\.source)
        let reference = try ReferenceLabels.compute(sources, texts: valid.texts, classCount: 2)
        for (index, program) in programs.enumerated() {
            let votes = reference[index]
            let covered = votes.filter { $0 >= 0 }.count
            let correct = zip(votes, valid.labels).filter { $0.0 >= 0 && $0.0 == $0.1 }.count
            #expect(close(program["coverage"], Double(covered) / 120))
            #expect(close(program["accuracy"], Double(correct) / Double(max(covered, 1))))
            #expect(program["polarity"] as? [Int] == Array(Set(votes.filter { $0 >= 0 })).sorted())
            #expect(program["errors"] as? Int == 0)
            #expect(program["first_error"] is NSNull)
            #expect((program["path"] as? String)?.hasSuffix("examples/programs/youtube/LF\(index + 1).py") == true)
            for key in ["overlaps", "conflicts"] { #expect((program[key] as? Double).map { (0...1).contains($0) } == true) }
        }
        let totals = try #require(object["totals"] as? [String: Double])
        let anyVote = (0..<120).filter { row in reference.contains { $0[row] >= 0 } }.count
        #expect(close(totals["coverage"], Double(anyVote) / 120))
    }

    /// `apply --errors N`: per program the first N labeled rows it gets wrong, as a Python reference finds them.
    @Test func errorsListTheRowsEachProgramGetsWrong() throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("errorsListTheRowsEachProgramGetsWrong")
            return
        }
        let result = try cli.run(["apply", "--dataset", "youtube", "--lfs", "examples/programs/youtube", "--split", "valid",
                                  "--data-dir", shared.path, "--errors", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let programs = try #require(object["programs"] as? [[String: Any]])
        let dataset = try WrenchLoader.load(folder: shared.appendingPathComponent("youtube"), name: "youtube")
        let valid = try dataset.split(.valid)
        let reference = try ReferenceLabels.compute(try SandboxFixtures.examplePrograms("youtube").map(\.source), texts: valid.texts, classCount: 2)
        var listed = 0
        for (index, program) in programs.enumerated() {
            let expected = valid.labels.indices.filter { row in
                guard let gold = valid.labels[row] else { return false }
                return reference[index][row] >= 0 && reference[index][row] != gold
            }.prefix(3)
            let wrong = try #require(program["wrong"] as? [[String: Any]])
            #expect(wrong.map { $0["row"] as? Int } == expected.map { $0 }, "\(program["name"] ?? "")")
            for (entry, row) in zip(wrong, expected) {
                #expect(entry["id"] as? String == valid.ids[row])
                #expect(entry["text"] as? String == valid.texts[row])
                #expect((entry["vote"] as? String)?.lowercased() == dataset.labelNames[reference[index][row]].lowercased())
                #expect((entry["gold"] as? String)?.lowercased() == dataset.labelNames[valid.labels[row]!].lowercased())
            }
            listed += wrong.count
        }
        #expect(listed > 0, "the youtube programs are wrong somewhere on valid")
        let table = try cli.run(["apply", "--dataset", "youtube", "--lfs", "examples/programs/youtube", "--split", "valid",
                                 "--data-dir", shared.path, "--errors", "1"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("wrong rows (up to 1 a program"))
        let bad = try cli.run(["apply", "--dataset", "youtube", "--lfs", "examples/programs/youtube", "--data-dir", shared.path, "--errors", "0"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--errors: must be at least 1"))
    }

    @Test func demoTableAndSavedMatrix() throws {
        let folder = try TestEnvironment.temporaryFolder("matrix")
        defer { try? FileManager.default.removeItem(at: folder) }
        let matrixFile = folder.appendingPathComponent("L.tsv")
        let result = try cli.run(["apply", "--dataset", "demo", "--lfs", "examples/programs/demo", "--split", "test",
                                  "--save-matrix", matrixFile.path])
        #expect(result.status == 0, "\(result.stderr)")
        for name in (1...5).map({ "LF\($0)" }) { #expect(result.stdout.contains(name)) }
        #expect(result.stdout.contains("all programs: coverage"))
        #expect(result.stdout.contains("sandbox:"))
        let lines = try String(contentsOf: matrixFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "LF1\tLF2\tLF3\tLF4\tLF5")
        #expect(lines.count == 1 + 100)
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: "\t").allSatisfy { ["-1", "0", "1"].contains($0) } })
    }

    @Test func badInputExitsWithStatusTwoAndOneLine() throws {
        let cases: [([String], String)] = [
            (["apply", "--dataset", "nosuch", "--lfs", "examples/programs/demo"], "unknown dataset \"nosuch\""),
            (["apply", "--dataset", "demo", "--lfs", "/nonexistent/programs"], "/nonexistent/programs: no such folder"),
            (["apply", "--dataset", "demo", "--lfs", "examples/programs/demo", "--split", "dev"], "--split"),
            (["apply", "--dataset", "cancer", "--lfs", "examples/programs/demo"], "not present"),
        ]
        for (arguments, needle) in cases {
            let result = try cli.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(needle), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }

    @Test func brokenConfigNamesFileAndKey() throws {
        let folder = try TestEnvironment.temporaryFolder("config")
        defer { try? FileManager.default.removeItem(at: folder) }
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))) as? [String: Any] ?? [:]
        var rag = object["rag"] as? [String: Any] ?? [:]
        rag["chunk_size"] = "big"
        object["rag"] = rag
        let file = folder.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        let result = try cli.run(["datasets", "--config", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(file.path) && result.stderr.contains("rag.chunk_size"), "\(result.stderr)")
    }
}

@Suite struct OverviewTests {
    @Test func noArgumentsListsDatasetsAndRunsTheDemoOffline() throws {
        let home = try TestEnvironment.temporaryFolder("home")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try CommandRunner.locate().run([], environment: ["ALCHEMIST_HOME": home.path, "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""])
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["youtube", "sms", "imdb", "yelp", "agnews", "medabs", "cancer", "reddit", "french", "finance", "demo"] {
            #expect(result.stdout.contains(name))
        }
        #expect(result.stdout.contains("demo / valid: 100 rows, 5 programs"))
        #expect(result.stdout.contains("all programs: coverage"))
    }
}

@Suite struct FetchCommandTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    /// The shared datasets when present; else a small youtube-shaped dataset made here.
    func mirrorFolder() throws -> (URL, Bool) {
        if let shared = TestEnvironment.sharedDatasets { return (shared, false) }
        let root = try TestEnvironment.temporaryFolder("mirror")
        let youtube = root.appendingPathComponent("youtube")
        try FileManager.default.createDirectory(at: youtube, withIntermediateDirectories: true)
        try Data(#"{"0": "ham", "1": "spam"}"#.utf8).write(to: youtube.appendingPathComponent("label.json"))
        for split in ["train", "valid", "test"] {
            let rows = (0..<50).map { "\"\($0)\": {\"label\": \($0 % 2), \"data\": {\"text\": \"\(split) comment \($0) ✓\"}}" }
            try Data("{\n\(rows.joined(separator: ",\n"))\n}".utf8).write(to: youtube.appendingPathComponent("\(split).json"))
        }
        return (root, true)
    }

    @Test func fetchDownloadsAtomicallyAndFailuresLeaveNothing() throws {
        let (mirror, temporary) = try mirrorFolder()
        defer { if temporary { try? FileManager.default.removeItem(at: mirror) } }
        let server = try LoopbackFileServer(serving: mirror)
        defer { server.stop() }
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: data.path).sorted() }

        // A download cut short leaves no dataset folder and no staging folder.
        let cut = try cli.run(["datasets", "fetch", "youtube", "--data-dir", data.path, "--base-url", "\(server.baseURL)/cut"])
        #expect(cut.status == 2)
        #expect(cut.stderr.contains("youtube"), "\(cut.stderr)")
        #expect(try contents().isEmpty)

        // A dataset the mirror lacks: 404, named with its URL.
        let missing = try cli.run(["datasets", "fetch", "imdb", "--data-dir", data.path, "--base-url", "\(server.baseURL)/nowhere"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("HTTP 404") && missing.stderr.contains("/nowhere/imdb/label.json"), "\(missing.stderr)")
        #expect(try contents().isEmpty)

        // The real thing: byte-identical files, then the dataset loads and lists as present.
        let fetched = try cli.run(["datasets", "fetch", "youtube", "--data-dir", data.path, "--base-url", server.baseURL])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(try contents() == ["youtube"])
        for file in DatasetFetcher.files {
            let original = try Data(contentsOf: mirror.appendingPathComponent("youtube").appendingPathComponent(file))
            #expect(try Data(contentsOf: data.appendingPathComponent("youtube").appendingPathComponent(file)) == original)
        }
        let listed = try cli.run(["datasets", "--data-dir", data.path, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        let youtube = (object?["datasets"] as? [[String: Any]])?.first { $0["name"] as? String == "youtube" }
        #expect(youtube?["present"] as? Bool == true)

        // Fetching again without --force is refused and keeps what is there.
        let again = try cli.run(["datasets", "fetch", "youtube", "--data-dir", data.path, "--base-url", server.baseURL])
        #expect(again.status == 2 && again.stderr.contains("already present"))
        #expect(try contents() == ["youtube"])
    }

    @Test func fetchWithoutASourceSaysHowToAddTheDataset() throws {
        let data = try TestEnvironment.temporaryFolder("data")
        defer { try? FileManager.default.removeItem(at: data) }
        let result = try cli.run(["datasets", "fetch", "reddit", "--data-dir", data.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no public labeled copy") && result.stderr.contains("alchemist datasets add reddit --from FILE"), "\(result.stderr)")
        let neither = try cli.run(["datasets", "fetch", "--data-dir", data.path])
        #expect(neither.status == 2 && neither.stderr.contains("--all"), "\(neither.stderr)")
        let listed = try cli.run(["datasets", "--data-dir", data.path, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]
        let rows = (object?["datasets"] as? [[String: Any]]) ?? []
        let fetchable = Dictionary(uniqueKeysWithValues: rows.compactMap { row in (row["name"] as? String).map { ($0, row["fetchable"] as? Bool) } })
        #expect(fetchable["reddit"] == false && fetchable["cancer"] == true && fetchable["finance"] == true && fetchable["youtube"] == true)
        #expect((rows.first { $0["name"] as? String == "reddit" }?["no_public_source"] as? String)?.contains("datasets add reddit") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path).isEmpty)
    }

    @Test func fetchAllTakesEveryAbsentDatasetWithASource() throws {
        let data = try TestEnvironment.temporaryFolder("data")
        let served = try TestEnvironment.temporaryFolder("served")
        defer {
            try? FileManager.default.removeItem(at: data)
            try? FileManager.default.removeItem(at: served)
        }
        // A server where only the Medical Abstracts files exist: --all fetches medabs and reports every other failure by name.
        let medabs = served.appendingPathComponent("medabs")
        try FileManager.default.createDirectory(at: medabs, withIntermediateDirectories: true)
        var lines = ["condition_label,medical_abstract"]
        for row in 0..<20 { lines.append("\(row % 5 + 1),abstract \(row)") }
        for file in ["medical_tc_train.csv", "medical_tc_test.csv"] { try Data(lines.joined(separator: "\n").utf8).write(to: medabs.appendingPathComponent(file)) }
        let server = try LoopbackFileServer(serving: served)
        defer { server.stop() }
        let result = try cli.run(["datasets", "fetch", "--all", "--data-dir", data.path, "--base-url", server.baseURL])
        #expect(result.status == 2)
        #expect(result.stdout.contains("fetched medabs"), "\(result.stdout)")
        for name in ["youtube", "sms", "imdb", "yelp", "agnews", "cancer", "french", "finance"] {
            #expect(result.stderr.contains("\(name): ") && result.stderr.contains("HTTP 404"), "\(name): \(result.stderr)")
        }
        #expect(!result.stderr.contains("reddit"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path) == ["medabs"])
        let again = try cli.run(["datasets", "fetch", "medabs", "--data-dir", data.path, "--base-url", server.baseURL])
        #expect(again.status == 2 && again.stderr.contains("already present"), "\(again.stderr)")
    }
}

@Suite struct ProgramsCommandTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    @Test func twoProcessesSavingAtOnceGetDistinctNumbers() throws {
        let home = try TestEnvironment.temporaryFolder("lfs")
        defer { try? FileManager.default.removeItem(at: home) }
        let source = home.appendingPathComponent("mine.py")
        try Data("import re\n\ndef label_function(text):\n    return 1 if re.search('free', text) else -1\n".utf8).write(to: source)
        let lfDir = home.appendingPathComponent("programs")
        let group = DispatchGroup()
        let results = ResultBox()
        let cli = self.cli
        for _ in 0..<2 {
            group.enter()
            Thread {
                for _ in 0..<8 {
                    let result = try? cli.run(["programs", "save", "--dataset", "youtube", "--lf-dir", lfDir.path, source.path])
                    results.append(result)
                }
                group.leave()
            }.start()
        }
        group.wait()
        #expect(results.values.count == 16)
        #expect(results.values.allSatisfy { $0?.status == 0 })
        let folder = lfDir.appendingPathComponent("youtube/scriptorium/handwritten")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(Set(names) == Set((1...16).map { "LF\($0).py" }))
        let printed = Set(results.values.compactMap { $0?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(printed.count == 16)
        for name in names {
            let program = ProgramFile.parse(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), name: name)
            #expect(program.cost == 0 && program.metadata?.dataset == "youtube")
            #expect(program.code.contains("def label_function(text):"))
        }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [CommandRunner.Result?] = []
    func append(_ item: CommandRunner.Result?) { lock.lock(); items.append(item); lock.unlock() }
    var values: [CommandRunner.Result?] { lock.lock(); defer { lock.unlock() }; return items }
}
