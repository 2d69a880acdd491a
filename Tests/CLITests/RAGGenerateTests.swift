@testable import Engine
import Foundation
import Testing
import TestSupport

/// Alchemist with RAG end to end: real documents on disk, the real loader, splitter and index,
/// the loopback LLM server for every model call (and for embeddings with --embedder openai).
@Suite(.serialized) struct RAGGenerateTests {
    static let key = "sk-rag-test-31415"
    let server: LoopbackLLMServer
    let runner: CommandRunner
    let home: URL
    let knowledge: URL

    static let topics = [
        ("Outages", "When a service is down or there is an outage, customers write that nothing works and ask for help right away. "),
        ("Politeness", "Polite requests that say please or when you can are usually not urgent and can wait for the next working day. "),
        ("Deadlines", "Messages that name a deadline such as today, tonight or asap need an answer before that time. "),
        ("Billing", "Questions about invoices and refunds are handled by the billing team within three working days. "),
        ("Security", "Reports of a stolen password or a breach are urgent and go to the security desk immediately. "),
    ]

    init() throws {
        server = try LoopbackLLMServer(expectKey: Self.key)
        runner = try CommandRunner.locate()
        home = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-rag-\(UUID().uuidString)")
        knowledge = home.appendingPathComponent("knowledge")
        try FileManager.default.createDirectory(at: knowledge, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home.appendingPathComponent("data"), withIntermediateDirectories: true)
        // Five topics, each long enough to be its own chunk (config.json: 1,000 characters).
        let text = Self.topics.map { "# \($0.0)\n\n" + String(repeating: $0.1, count: 6) }.joined(separator: "\n\n")
        try text.write(to: knowledge.appendingPathComponent("support-guide.md"), atomically: true, encoding: .utf8)
    }

    var environment: [String: String] {
        ["ALCHEMIST_HOME": home.path, "OPENAI_API_KEY": Self.key, "ANTHROPIC_API_KEY": Self.key,
         "OPENAI_BASE_URL": server.openAIBaseURL, "ANTHROPIC_BASE_URL": server.anthropicBaseURL]
    }

    func ledger() throws -> Ledger { try Ledger(path: home.appendingPathComponent("ledger.sqlite")) }

    static let answer = "```python\ndef label_function(text):\n    return 1 if 'outage' in text.lower() else -1\n```\n"

    @Test func mapReduceRetrievesExtractsCombinesAndRecordsEverything() throws {
        try server.script([
            ["kind": "normal", "text": "nothing works, outage, down"],
            ["kind": "normal", "text": "stolen password, breach"],
            ["kind": "normal", "text": "NONE"],
            ["kind": "normal", "text": "- outage and down mean urgent\n\n- breach means urgent\n"],
            ["kind": "normal", "text": Self.answer],
        ])
        let result = try runner.run(["generate", "--dataset", "demo", "--data-dir", home.appendingPathComponent("data").path, "--lf-dir", home.appendingPathComponent("programs").path, "--yes",
                                     "--mode", "alchemist-rag", "--knowledge", knowledge.path, "--query",
                                     "Which words show that a service is down, an outage, or a stolen password?"],
                                    environment: environment)
        #expect(result.status == 0, "\(result.stderr)\(result.stdout)")
        let out = result.stdout
        #expect(out.contains("retrieved 3 passages"))
        #expect(out.contains("stage 1/5: extract"))
        #expect(out.contains("stage 4/5: knowledge"))
        #expect(out.contains("stage 5/5: code"))
        // The passage about outages ranks first.
        let firstPassage = out.components(separatedBy: "\n").first { $0.hasPrefix("[1] ") } ?? ""
        #expect(firstPassage.contains("Outages") || firstPassage.contains("outage"))
        let ledger = try ledger()
        #expect(try ledger.calls().map(\.stage) == ["extract", "extract", "extract", "knowledge", "code"])
        let run = try #require(try ledger.runs().first)
        let passages = try ledger.retrieved(runID: run.id)
        #expect(passages.map(\.rank) == [1, 2, 3])
        #expect(passages.allSatisfy { $0.source.hasSuffix("support-guide.md") && !$0.text.isEmpty })
        // The knowledge prompt holds the extracts, not the NONE answer; the code prompt the combined knowledge.
        let requests = try server.requests()
        let knowledgePrompt = "\(requests[3]["body"] ?? "")"
        #expect(knowledgePrompt.contains("nothing works, outage, down") && !knowledgePrompt.contains("NONE"))
        let file = home.appendingPathComponent("programs/demo/alchemist-rag/gpt-4o-mini/heuristics/LF1.py")
        let program = ProgramFile.parse(try String(contentsOf: file, encoding: .utf8), name: "LF1")
        #expect(program.metadata?.stages.map(\.stage) == ["extract", "extract", "extract", "knowledge", "code"])
        #expect(program.prompt?.contains("outage and down mean urgent") == true)
        // A second run reuses the index.
        try server.script([["kind": "normal", "text": "x"], ["kind": "normal", "text": "x"], ["kind": "normal", "text": "x"],
                           ["kind": "normal", "text": "k"], ["kind": "normal", "text": Self.answer]])
        let again = try runner.run(["generate", "--dataset", "demo", "--data-dir", home.appendingPathComponent("data").path, "--lf-dir", home.appendingPathComponent("programs").path, "--yes",
                                    "--mode", "alchemist-rag", "--knowledge", knowledge.path], environment: environment)
        #expect(again.status == 0)
        #expect(again.stderr.contains("index reused"))
        // The index is kept in the (writable) data folder, hidden from the dataset catalog.
        let kept = try FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent("data/.knowledge-index").path)
        #expect(kept.count == 1 && kept[0].hasSuffix(".json"))
    }

    @Test func stuffChainWithOpenAIEmbeddingsMakesTwoCallsAndPaysForTheQuery() throws {
        try server.script([["kind": "normal", "text": "- outage means urgent"], ["kind": "normal", "text": Self.answer]])
        let result = try runner.run(["generate", "--dataset", "demo", "--data-dir", home.appendingPathComponent("data").path, "--lf-dir", home.appendingPathComponent("programs").path, "--yes",
                                     "--mode", "alchemist-rag", "--knowledge", knowledge.path, "--chain", "stuff",
                                     "--embedder", "openai", "--top-k", "2"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)\(result.stdout)")
        #expect(result.stdout.contains("retrieved 2 passages"))
        #expect(result.stdout.contains("stage 1/2: knowledge"))
        let calls = try ledger().calls()
        // The corpus embedding (a "knowledge-index" run), then the run: query embedding, knowledge, code.
        #expect(calls.map(\.stage) == ["embedding", "embedding", "knowledge", "code"])
        #expect(calls.allSatisfy { $0.stage != "embedding" || ($0.model == "text-embedding-3-small" && $0.cost > 0 && !$0.estimated) })
        #expect(try ledger().runs().map(\.mode).sorted() == ["alchemist-rag", "knowledge-index"])
        let paths = try server.requests().map { $0["path"] as? String ?? "" }
        #expect(paths.filter { $0 == "/v1/embeddings" }.count >= 2)  // the corpus, then the query
    }

    @Test func knowledgeSearchShowsWhatRetrievalFinds() throws {
        let result = try runner.run(["knowledge", "search", "--data-dir", home.appendingPathComponent("data").path, knowledge.path, "stolen password breach", "--top-k", "2", "--json"],
                                    environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let passages = json["passages"] as? [[String: Any]] ?? []
        #expect(passages.count == 2)
        #expect((passages.first?["text"] as? String)?.contains("stolen password") == true)
        let index = try runner.run(["knowledge", "index", "--data-dir", home.appendingPathComponent("data").path, knowledge.path], environment: environment)
        #expect(index.status == 0 && index.stdout.contains("reused"))
        let missing = try runner.run(["knowledge", "index", home.appendingPathComponent("nope").path], environment: environment)
        #expect(missing.status == 2 && missing.stderr.contains("nope"))
    }
}
