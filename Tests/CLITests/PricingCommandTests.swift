import Engine
import Foundation
import Testing
import TestSupport

@Suite struct PricingCommandTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    func d(_ text: String) -> Decimal { Decimal(string: text)! }

    /// An app home with a ledger and a program folder:
    /// - run-1 youtube/alchemist/gpt-4o-mini/keywords, calls $0.0004 and $0.0001 (estimated usage), one program at $0.0005;
    /// - a copied-in youtube/scriptorium/gpt-4o program whose header says $0.00125;
    /// - a demo/scriptorium/handwritten program whose header says $0.0002.
    func makeHome() throws -> (home: URL, lfDir: URL) {
        let home = try TestEnvironment.temporaryFolder("pricing")
        let lfDir = home.appendingPathComponent("lfs")
        let store = ProgramStore(root: lfDir)
        func save(_ dataset: String, _ mode: String, _ model: String, _ prior: String?, cost: String) throws -> URL {
            let metadata = ProgramMetadata(dataset: dataset, mode: mode, codeModel: model, knowledgeModel: nil, prior: prior, stages: [],
                                           created: "2026-01-01T00:00:00Z", runID: "r")
            let text = try ProgramFile.render(prompt: "Write it.", inputTokens: 100, outputTokens: 50, cost: d(cost), metadata: metadata,
                                              code: "def label_function(text):\n    return -1\n")
            return try store.saveNext(text, in: store.folder(dataset: dataset, mode: mode, codeModel: model, prior: prior))
        }
        let ledger = try Ledger(path: Ledger.defaultPath(appHome: home))
        let started = Date(timeIntervalSince1970: 1_767_225_600)
        try ledger.record(LedgerRun(id: "run-1", started: started, dataset: "youtube", mode: "alchemist", codeModel: "gpt-4o-mini",
                                    prior: "keywords"))
        for (cost, estimated) in [("0.0004", false), ("0.0001", true)] {
            try ledger.record(LedgerCall(runID: "run-1", stage: "code", provider: "openai", model: "gpt-4o-mini", prompt: "p",
                                         inputTokens: 1000, outputTokens: 300, estimated: estimated, cost: d(cost), latencySeconds: 1,
                                         status: .ok, started: started))
        }
        let file = try save("youtube", "alchemist", "gpt-4o-mini", "keywords", cost: "0.0005")
        try ledger.record(LedgerProgram(runID: "run-1", path: file.path, contentHash: LedgerProgram.contentHash(of: try Data(contentsOf: file)),
                                        cost: d("0.0005"), saved: started))
        _ = try save("youtube", "scriptorium", "gpt-4o", nil, cost: "0.00125")
        _ = try save("demo", "scriptorium", "handwritten", nil, cost: "0.0002")
        return (home, lfDir)
    }

    @Test func jsonTotalsGroupsRunsAndEstimates() throws {
        let (home, lfDir) = try makeHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try cli.run(["pricing", "--json", "--lf-dir", lfDir.path], environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        // Exact decimals in the text: 0.0005 + 0.00125 + 0.0002.
        #expect(result.stdout.contains("\"total_usd\": 0.00195,"), "\(result.stdout)")
        #expect(result.stdout.contains("\"spent_usd\": 0.0005,"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(groups.map { $0["dataset"] as? String } == ["demo", "youtube", "youtube"])
        #expect(groups.map { $0["code_model"] as? String } == ["handwritten", "gpt-4o-mini", "gpt-4o"])
        #expect(groups.map { $0["ledger_programs"] as? Int } == [0, 1, 0])
        #expect(groups.map { $0["calls"] as? Int } == [0, 2, 0])
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.count == 1 && runs.first?["run_id"] as? String == "run-1" && runs.first?["estimated"] as? Bool == true)
        #expect(runs.first?["programs"] as? Int == 1 && runs.first?["calls"] as? Int == 2)
        // The bundled demo dataset is on disk; youtube is not in the project's data folder.
        let estimates = try #require(object["prompting_estimate"] as? [[String: Any]])
        #expect(estimates.map { $0["dataset"] as? String } == ["demo"])
        #expect(estimates.first?["examples"] as? Int == 400 && estimates.first?["model"] as? String == "gpt-3.5-turbo-0125")
        let skipped = try #require(object["prompting_estimate_skipped"] as? [[String: Any]])
        #expect(skipped.map { $0["dataset"] as? String } == ["youtube"])

        let scriptorium = try cli.run(["pricing", "--json", "--lf-dir", lfDir.path, "--mode", "scriptorium", "--prior", "none"],
                                      environment: ["ALCHEMIST_HOME": home.path])
        #expect(scriptorium.status == 0, "\(scriptorium.stderr)")
        #expect(scriptorium.stdout.contains("\"total_usd\": 0.00145,") && scriptorium.stdout.contains("\"runs\": [],"), "\(scriptorium.stdout)")
        let mini = try cli.run(["pricing", "--json", "--lf-dir", lfDir.path, "--model", "gpt-4o-mini", "--dataset", "youtube"],
                               environment: ["ALCHEMIST_HOME": home.path])
        #expect(mini.stdout.contains("\"total_usd\": 0.0005,"), "\(mini.stdout)")
    }

    @Test func youtubeEstimateAgainstItsTrainSplit() throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("youtubeEstimateAgainstItsTrainSplit")
            return
        }
        let (home, lfDir) = try makeHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try cli.run(["pricing", "--json", "--lf-dir", lfDir.path, "--data-dir", shared.path, "--dataset", "youtube"],
                                 environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let estimate = try #require((object["prompting_estimate"] as? [[String: Any]])?.first)
        // Recomputed here: mean UTF-8 length of the train texts, the annotator prompt filled with that many bytes,
        // ceil(bytes / 4) + 4 input tokens and 2 output tokens at $0.50 / $1.50 per million.
        let train = try WrenchLoader.load(folder: shared.appendingPathComponent("youtube"), name: "youtube").split(.train).texts
        #expect(train.count == 1586 && estimate["examples"] as? Int == 1586)
        let average = Int((Double(train.reduce(0) { $0 + $1.utf8.count }) / Double(train.count)).rounded())
        let prompt = try #require(try PromptTemplates.bundled().byDataset["youtube"]).annotatorPrompt
        let input = (prompt.utf8.count - 6 + average + 3) / 4 + 4
        #expect(estimate["input_tokens_per_example"] as? Int == input)
        let cost = Decimal(1586) * (Decimal(input) * d("0.5") + d("3")) / 1_000_000
        #expect(result.stdout.contains("\"cost_usd\": \(cost), \"programs_usd\": 0.00175,"), "\(result.stdout)")

        let text = try cli.run(["pricing", "--lf-dir", lfDir.path, "--data-dir", shared.path], environment: ["ALCHEMIST_HOME": home.path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("labeling youtube's 1,586 train texts by prompting gpt-3.5-turbo-0125 once each: $"), "\(text.stdout)")
        #expect(text.stdout.contains("its programs cost $0.00175: ") && text.stdout.contains("× less"), "\(text.stdout)")
        #expect(text.stdout.contains("total $0.00195 for 3 programs (1 priced by the ledger, 2 by their file headers); all calls of these runs: $0.0005"))
        #expect(text.stdout.contains("run-1") && text.stdout.contains("$0.0005 *"), "\(text.stdout)")
    }

    @Test func badInputExitsWithTwo() throws {
        let (home, lfDir) = try makeHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let cases: [([String], String)] = [
            (["--mode", "bogus"], "alchemist: --mode: unknown mode \"bogus\" (known: alchemist, alchemist-rag, scriptorium)"),
            (["--dataset", "nope"], "alchemist: --dataset: unknown dataset \"nope\""),
            (["--model", "gpt-7"], "alchemist: --model: unknown code model \"gpt-7\""),
            (["--prior", "vibes"], "alchemist: --prior: unknown prior type \"vibes\""),
            (["--annotator-model", "text-embedding-3-small"], "alchemist: --annotator-model: unknown chat model \"text-embedding-3-small\""),
        ]
        for (arguments, message) in cases {
            let result = try cli.run(["pricing", "--lf-dir", lfDir.path] + arguments, environment: ["ALCHEMIST_HOME": home.path])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        // A damaged ledger is named.
        let broken = try TestEnvironment.temporaryFolder("pricing-broken")
        defer { try? FileManager.default.removeItem(at: broken) }
        try Data(String(repeating: "garbage ", count: 200).utf8).write(to: broken.appendingPathComponent("ledger.sqlite"))
        let result = try cli.run(["pricing", "--lf-dir", lfDir.path], environment: ["ALCHEMIST_HOME": broken.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("alchemist: \(broken.appendingPathComponent("ledger.sqlite").path): "), "\(result.stderr)")
    }

    @Test func withoutLedgerOrProgramsItSaysSoAndCreatesNothing() throws {
        let home = try TestEnvironment.temporaryFolder("pricing-empty")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try cli.run(["pricing"], environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no ledger yet") && result.stdout.contains("total $0.00 for 0 programs"), "\(result.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).isEmpty)
    }
}
