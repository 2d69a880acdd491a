@testable import Engine
import Foundation
import Testing
import TestSupport

/// `alchemist generate` end to end: the real executable, the real sandbox for the smoke test, a
/// real SQLite ledger, and the loopback server speaking the OpenAI and Anthropic protocols.
@Suite(.serialized) struct GenerateCommandTests {
    static let key = "sk-generate-test-9f8e7d"
    let server: LoopbackLLMServer
    let runner: CommandRunner
    let home: URL
    let lfDir: URL

    init() throws {
        server = try LoopbackLLMServer(expectKey: Self.key)
        runner = try CommandRunner.locate()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-generate-\(UUID().uuidString)")
        lfDir = home.appendingPathComponent("programs")
    }

    var environment: [String: String] {
        ["ALCHEMIST_HOME": home.path, "OPENAI_API_KEY": Self.key, "ANTHROPIC_API_KEY": Self.key,
         "OPENAI_BASE_URL": server.openAIBaseURL, "ANTHROPIC_BASE_URL": server.anthropicBaseURL]
    }

    func generate(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandRunner.Result {
        try runner.run(["generate", "--dataset", "demo", "--lf-dir", lfDir.path, "--yes"] + arguments,
                       environment: environment.merging(extra) { $1 })
    }

    func ledger() throws -> Ledger { try Ledger(path: home.appendingPathComponent("ledger.sqlite")) }

    static let knowledge = "- A message that mentions an outage or says something is down is urgent.\n\n- Polite requests without a deadline are not urgent.\n"
    static let answer = """
    The rule looks for outage words.

    ```python
    import re

    def label_function(text):
        if re.search(r"\\b(down|outage)\\b", text.lower()):
            return 1
        return -1
    ```
    """

    @Test func alchemistModeStreamsBothStagesSavesTheProgramAndRecordsEveryCall() throws {
        try server.script([
            ["kind": "normal", "text": Self.knowledge, "input_tokens": 200, "output_tokens": 40],
            ["kind": "rate_limit", "retry_after_ms": 100],
            ["kind": "normal", "text": Self.answer, "input_tokens": 500, "output_tokens": 80],
        ])
        let result = try generate(["--mode", "alchemist", "--code-model", "gpt-4o-mini", "--knowledge-model", "claude-haiku-4-5",
                                   "--prior", "keywords"])
        #expect(result.status == 0, "\(result.stderr)\n\(result.stdout)")
        let out = result.stdout
        #expect(out.contains("stage 1/2: knowledge · claude-haiku-4-5 (anthropic)"))
        #expect(out.contains("stage 2/2: code · gpt-4o-mini (openai)"))
        #expect(out.contains("Polite requests without a deadline"))
        #expect(out.contains("↻ openai: HTTP 429"))
        #expect(out.contains("smoke test: valid"))
        // Knowledge on Haiku 4.5 ($1 / $5 per M): 200·1 + 40·5 = 400 µ$; code on gpt-4o-mini ($0.15 / $0.60): 500·0.15 + 80·0.6 = 123 µ$.
        #expect(out.contains("$0.0004"))
        #expect(out.contains("$0.000123"))

        // The program file: header with the code-stage prompt, token totals and the exact cost.
        let folder = lfDir.appendingPathComponent("demo/alchemist/gpt-4o-mini/keywords")
        let file = folder.appendingPathComponent("LF1.py")
        let text = try String(contentsOf: file, encoding: .utf8)
        let program = ProgramFile.parse(text, name: "LF1", path: file)
        #expect(program.inputTokens == 700)
        #expect(program.outputTokens == 120)
        #expect(program.cost == Decimal(string: "0.000523"))
        #expect(program.prompt?.contains("Useful information:\n- A message that mentions an outage") == true)
        #expect(program.prompt?.contains("\n\n- Polite") == false)  // blank lines removed from the knowledge
        #expect(program.metadata?.knowledgeModel == "claude-haiku-4-5")
        #expect(program.metadata?.stages.map(\.stage) == ["knowledge", "code"])
        // The stages' costs, as typed amounts, add up to the header's total.
        #expect(program.metadata?.stages.map(\.cost) == [USD("0.0004")!, USD("0.000123")!])
        #expect(program.totalCost == USD("0.000523")! && program.totalCost.decimal == program.cost)
        #expect(program.code.contains("def label_function(text):"))
        #expect(!text.contains(Self.key))

        // Ledger: one run, two successful calls with their prompts, one program with the file's hash.
        let ledger = try ledger()
        let runs = try ledger.runs()
        #expect(runs.count == 1 && runs[0].mode == "alchemist" && runs[0].prior == "keywords")
        let calls = try ledger.calls()
        #expect(calls.map(\.stage) == ["knowledge", "code"])
        #expect(calls.map(\.status) == [.ok, .ok])
        #expect(calls.map(\.cost) == [Decimal(string: "0.0004")!, Decimal(string: "0.000123")!])
        #expect(calls.allSatisfy { !$0.estimated })
        #expect(calls[1].prompt.contains("Useful information:"))
        let programs = try ledger.programs()
        #expect(programs.count == 1)
        #expect(programs.first?.contentHash == LedgerProgram.contentHash(of: Array(text.utf8)))
        let ledgerBytes = try Data(contentsOf: home.appendingPathComponent("ledger.sqlite"))
        #expect(ledgerBytes.range(of: Data(Self.key.utf8)) == nil)

        // The requests were what the protocols expect.
        let requests = try server.requests()
        #expect(requests.count == 3)
        #expect(requests.flatMap { $0["violations"] as? [String] ?? [] }.isEmpty)
        #expect(requests.map { $0["path"] as? String } == ["/v1/messages", "/v1/chat/completions", "/v1/chat/completions"])

        // Pricing totals come from the ledger.
        let pricing = try runner.run(["pricing", "--lf-dir", lfDir.path, "--json"], environment: environment)
        #expect(pricing.status == 0, "\(pricing.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(pricing.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((json["total_usd"] as? NSNumber)?.decimalValue == Decimal(string: "0.000523"))
        let group = (json["groups"] as? [[String: Any]])?.first ?? [:]
        #expect(group["mode"] as? String == "alchemist" && group["prior"] as? String == "keywords")
        #expect(group["programs"] as? Int == 1 && group["calls"] as? Int == 2)

        // `programs list` shows each program's total and their sum, exact.
        let list = try runner.run(["programs", "list", "--lf-dir", lfDir.path], environment: environment)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("tokens 820  $0.000523\n") && list.stdout.contains("1 programs in \(lfDir.path), total $0.000523\n"),
                "\(list.stdout)")
    }

    @Test func scriptoriumModeMakesNProgramsAndDiscardsAnAnswerWithoutCode() throws {
        try server.script([
            ["kind": "normal", "text": Self.answer],
            ["kind": "no_code"],
            ["kind": "no_usage", "text": Self.answer.replacingOccurrences(of: "down|outage", with: "asap|urgent")],
        ])
        let result = try generate(["--mode", "scriptorium", "--code-model", "claude-haiku-4-5", "--count", "3"])
        #expect(result.status == 1)  // one of three was not saved
        #expect(result.stdout.contains("program 3 of 3"))
        #expect(result.stdout.contains("not saved"))
        #expect(result.stdout.contains("(est.)"))
        let folder = lfDir.appendingPathComponent("demo/scriptorium/claude-haiku-4-5")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["LF1.py", "LF2.py"])
        let calls = try ledger().calls()
        #expect(calls.map(\.status) == [.ok, .discarded, .ok])
        #expect(calls.map(\.estimated) == [false, false, true])
        #expect(try ledger().runs().count == 3)
        let second = try String(contentsOf: folder.appendingPathComponent("LF2.py"), encoding: .utf8)
        #expect(second.contains("asap|urgent"))
        #expect(second.contains("\"estimated\":true"))
    }

    @Test func failuresAreReportedWithAdviceAndRecorded() throws {
        try server.script([["kind": "insufficient_quota"]])
        let quota = try generate(["--mode", "scriptorium"])
        #expect(quota.status == 1)
        #expect(quota.stdout.contains("insufficient_quota"))
        #expect(quota.stdout.contains("out of credit"))
        #expect(try ledger().calls().map(\.status) == [.failed])
        #expect(try ledger().calls().first?.httpStatus == 429)

        try server.script([["kind": "error_after_200", "deltas_before": 4]])
        let broken = try generate(["--mode", "scriptorium", "--code-model", "claude-haiku-4-5"])
        #expect(broken.status == 1)
        let last = try #require(try ledger().calls().last)
        #expect(last.status == .failed && last.estimated && last.outputTokens > 0 && last.cost > 0)
        #expect(!FileManager.default.fileExists(atPath: lfDir.appendingPathComponent("demo").path))
    }

    @Test func aProgramThatDoesNotLoadIsKeptOnlyWhenTheUserInsists() throws {
        let forbidden = "```python\nimport os\n\ndef label_function(text):\n    return 1 if os.sep in text else -1\n```\n"
        try server.script([["kind": "normal", "text": forbidden], ["kind": "normal", "text": forbidden]])
        let refused = try generate(["--mode", "scriptorium"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("does not load"))
        #expect(refused.stdout.contains("--save-broken"))
        #expect(!FileManager.default.fileExists(atPath: lfDir.appendingPathComponent("demo").path))
        #expect(try ledger().calls().map(\.status) == [.discarded])
        let kept = try generate(["--mode", "scriptorium", "--save-broken"])
        #expect(kept.status == 0, "\(kept.stdout)")
        #expect(FileManager.default.fileExists(atPath: lfDir.appendingPathComponent("demo/scriptorium/gpt-4o-mini/LF1.py").path))
        #expect(try ledger().programs().count == 1)
    }

    @Test func withoutAnyKeyTheBuiltinSynthesizerWritesProgramsOfflineForFree() throws {
        try server.reset()
        let result = try runner.run(["generate", "--dataset", "demo", "--lf-dir", lfDir.path, "--mode", "alchemist", "--prior", "keywords",
                                     "--count", "3"],
                                    environment: ["ALCHEMIST_HOME": home.path, "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""])
        #expect(result.status == 0, "\(result.stderr)\(result.stdout)")
        #expect(result.stdout.contains("stage 1/2: knowledge · builtin (builtin)"))
        #expect(result.stdout.contains("Keywords for"))
        #expect(result.stdout.contains("smoke test: valid"))
        let files = try FileManager.default.contentsOfDirectory(atPath: lfDir.appendingPathComponent("demo/alchemist/builtin/keywords").path)
        #expect(files.sorted() == ["LF1.py", "LF2.py", "LF3.py"])
        let calls = try ledger().calls()
        #expect(calls.count == 6 && calls.allSatisfy { $0.provider == "builtin" && $0.cost == 0 && $0.status == .ok })
        #expect(try server.requests().isEmpty)  // nothing went to any server
    }

    @Test func aMissingKeyNamesTheVariableAndSendsNothing() throws {
        try server.reset()
        let result = try runner.run(["generate", "--dataset", "demo", "--lf-dir", lfDir.path, "--yes", "--mode", "scriptorium",
                                     "--code-model", "gpt-4o-mini",
                                     "--config", TestEnvironment.repositoryRoot.appendingPathComponent("config.json").path],
                                    environment: ["ALCHEMIST_HOME": home.path, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": server.openAIBaseURL],
                                    in: home.creatingDirectory())
        #expect(result.status == 2)
        // The setup screen's words (GenerationBlocker): the model, the variable, where to set it.
        #expect(result.stderr.contains("gpt-4o-mini needs OPENAI_API_KEY: set it in the environment or a .env file"), "\(result.stderr)")
        #expect(try server.requests().isEmpty)
    }

    @Test func aDotEnvFileInTheWorkingFolderProvidesTheKey() throws {
        let folder = try home.appendingPathComponent("project").creatingDirectory()
        try "OPENAI_API_KEY=\(Self.key)\n".write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try server.script([["kind": "normal", "text": Self.answer]])
        let result = try runner.run(["generate", "--dataset", "demo", "--lf-dir", lfDir.path, "--yes", "--mode", "scriptorium",
                                     "--config", TestEnvironment.repositoryRoot.appendingPathComponent("config.json").path],
                                    environment: ["ALCHEMIST_HOME": home.path, "OPENAI_API_KEY": "", "OPENAI_BASE_URL": server.openAIBaseURL],
                                    in: folder)
        #expect(result.status == 0, "\(result.stderr)\(result.stdout)")
        #expect(try server.requests().first?["key_ok"] as? Bool == true)
    }

    @Test func theBudgetStopsBeforeACallThatCouldExceedIt() throws {
        try server.reset()
        let result = try generate(["--mode", "scriptorium", "--budget", "0.0001"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("budget:"))
        #expect(try server.requests().isEmpty)
        let bad = try generate(["--mode", "scriptorium", "--budget", "lots"])
        #expect(bad.status == 2 && bad.stderr.contains("--budget"))
    }

    @Test func badInputNamesTheOption() throws {
        for (arguments, fragment) in [(["--mode", "rag"], "--mode"), (["--prior", "vibes"], "--prior"),
                                      (["--code-model", "gpt-99"], "--code-model"), (["--count", "0"], "--count")] {
            let result = try generate(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(fragment), "\(result.stderr)")
        }
    }

    @Test func ctrlCCancelsTheCallInFlightSavesNothingAndRecordsTheSpend() async throws {
        try server.script([["kind": "slow", "delay": 0.2, "text": String(repeating: "thinking ", count: 300), "chunk_size": 9]])
        let process = Process()
        process.executableURL = runner.executable
        process.arguments = ["generate", "--dataset", "demo", "--lf-dir", lfDir.path, "--yes", "--mode", "scriptorium"]
        process.currentDirectoryURL = TestEnvironment.repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipes = try ProcessLaunch.run(process)
        let output = PythonReference.ErrorCollector(pipes.stdout)
        let errors = PythonReference.ErrorCollector(pipes.stderr)
        try await Task.sleep(for: .seconds(2))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stdout = String(decoding: output.wait(), as: UTF8.self)
        _ = errors.wait()
        #expect(process.terminationStatus == 130)
        #expect(stdout.contains("cancelled"))
        #expect(stdout.contains("thinking"))
        #expect(!FileManager.default.fileExists(atPath: lfDir.appendingPathComponent("demo").path))
        let calls = try ledger().calls()
        #expect(calls.count == 1)
        #expect(calls.first?.status == .cancelled)
        #expect((calls.first?.outputTokens ?? 0) > 0 && (calls.first?.cost ?? 0) > 0)
    }
}

extension URL {
    func creatingDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: self, withIntermediateDirectories: true)
        return self
    }
}
