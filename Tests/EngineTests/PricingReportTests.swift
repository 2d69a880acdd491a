import Engine
import Foundation
import Testing
import TestSupport

/// A ledger and a program folder filled by hand, in a temporary folder.
struct PricingFixture {
    let folder: URL
    let ledger: Ledger
    let lfDir: URL
    let store: ProgramStore
    static let code = "def label_function(text):\n    return -1\n"

    init() throws {
        folder = try TestEnvironment.temporaryFolder("pricing")
        ledger = try Ledger(path: Ledger.defaultPath(appHome: folder.appendingPathComponent("home")))
        lfDir = folder.appendingPathComponent("programs")
        store = ProgramStore(root: lfDir)
    }

    /// Saves a program file whose header says `headerCost`.
    @discardableResult
    func saveFile(dataset: String, mode: String, model: String, prior: String?, headerCost: String, runID: String = "copied",
                  in root: ProgramStore? = nil) throws -> URL {
        let store = root ?? self.store
        let metadata = ProgramMetadata(dataset: dataset, mode: mode, codeModel: model, knowledgeModel: nil, prior: prior, stages: [],
                                       created: "2026-01-01T00:00:00Z", runID: runID)
        let text = try ProgramFile.render(prompt: "Write it.", inputTokens: 10, outputTokens: 5, cost: Decimal(string: headerCost)!,
                                          metadata: metadata, code: Self.code)
        return try store.saveNext(text, in: store.folder(dataset: dataset, mode: mode, codeModel: model, prior: prior))
    }

    func run(_ id: String, _ dataset: String, _ mode: String, _ model: String, _ prior: String?, minute: Double) throws {
        try ledger.record(LedgerRun(id: id, started: Date(timeIntervalSince1970: 1_767_225_600 + 60 * minute), dataset: dataset,
                                    mode: mode, codeModel: model, prior: prior))
    }

    func call(_ runID: String, _ cost: String, estimated: Bool = false, status: CallStatus = .ok) throws {
        try ledger.record(LedgerCall(runID: runID, stage: "code", provider: "openai", model: "m", prompt: "p", inputTokens: 100,
                                     outputTokens: 50, estimated: estimated, cost: Decimal(string: cost)!, latencySeconds: 0.5,
                                     status: status, started: Date(timeIntervalSince1970: 1_767_225_600)))
    }

    func program(_ runID: String, _ url: URL, _ cost: String) throws {
        let hash = LedgerProgram.contentHash(of: try Data(contentsOf: url))
        try ledger.record(LedgerProgram(runID: runID, path: url.path, contentHash: hash, cost: Decimal(string: cost)!,
                                        saved: Date(timeIntervalSince1970: 1_767_225_700)))
    }

    /// The scenario most tests use:
    /// - run-1 youtube/alchemist/gpt-4o-mini/keywords: calls 0.0001 + 0.0002 + 0.00005 (discarded, estimated);
    ///   one program in the ledger at 0.0003 (its header claims 9.99), one outside the program folder.
    /// - run-2 youtube/scriptorium/gpt-4o: calls 0.001 + 0 (failed); LF1 at 0.001, and LF2 at 0.002 whose file was
    ///   deleted, so that a copied-in file (header $0.0005, not in the ledger) was then saved under the same name.
    /// - a plain Python file in sms/scriptorium/handwritten/ (no header at all).
    /// - run-3 sms/alchemist/claude-haiku-4-5/description: one estimated call of 0.003, no program.
    func fillScenario() throws {
        try run("run-1", "youtube", "alchemist", "gpt-4o-mini", "keywords", minute: 0)
        try run("run-2", "youtube", "scriptorium", "gpt-4o", nil, minute: 1)
        try run("run-3", "sms", "alchemist", "claude-haiku-4-5", "description", minute: 2)
        try call("run-1", "0.0001")
        try call("run-1", "0.0002")
        try call("run-1", "0.00005", estimated: true, status: .discarded)
        try call("run-2", "0.001")
        try call("run-2", "0", status: .failed)
        try call("run-3", "0.003", estimated: true)
        try program("run-1", try saveFile(dataset: "youtube", mode: "alchemist", model: "gpt-4o-mini", prior: "keywords",
                                          headerCost: "9.99", runID: "run-1"), "0.0003")
        let elsewhere = ProgramStore(root: folder.appendingPathComponent("elsewhere"))
        try program("run-1", try saveFile(dataset: "youtube", mode: "alchemist", model: "gpt-4o-mini", prior: "keywords",
                                          headerCost: "1", runID: "run-1", in: elsewhere), "1")
        try program("run-2", try saveFile(dataset: "youtube", mode: "scriptorium", model: "gpt-4o", prior: nil, headerCost: "0.001",
                                          runID: "run-2"), "0.001")
        let gone = try saveFile(dataset: "youtube", mode: "scriptorium", model: "gpt-4o", prior: nil, headerCost: "0.002", runID: "run-2")
        try program("run-2", gone, "0.002")
        try FileManager.default.removeItem(at: gone)
        try saveFile(dataset: "youtube", mode: "scriptorium", model: "gpt-4o", prior: nil, headerCost: "0.0005")
        let plain = try store.folder(dataset: "sms", mode: "scriptorium", codeModel: "handwritten", prior: nil)
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        try Data(Self.code.utf8).write(to: plain.appendingPathComponent("LF1.py"))
    }

    func sources() throws -> PricingSources { try PricingSources.load(ledger: ledger, lfDir: lfDir) }
}

@Suite struct PricingReportTests {
    func d(_ text: String) -> Decimal { Decimal(string: text)! }

    func template(_ annotatorPrompt: String) throws -> PromptTemplate {
        let fields = ["code_system", "mission", "labeling_instruction", "signature", "knowledge_system", "prior_request"]
        var object = Dictionary(uniqueKeysWithValues: fields.map { ($0, "x") })
        object["annotator_prompt"] = annotatorPrompt
        return try JSONDecoder().decode(PromptTemplate.self, from: JSONSerialization.data(withJSONObject: object))
    }

    @Test func groupsPriceLedgerProgramsByTheLedgerAndOthersByTheirHeaders() throws {
        let fixture = try PricingFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        try fixture.fillScenario()
        let report = try PricingReport.build(try fixture.sources())
        let keys = report.groups.map { "\($0.key.dataset)/\($0.key.mode)/\($0.key.codeModel)/\($0.key.prior ?? "-")" }
        #expect(keys == ["sms/alchemist/claude-haiku-4-5/description", "sms/scriptorium/handwritten/-",
                         "youtube/alchemist/gpt-4o-mini/keywords", "youtube/scriptorium/gpt-4o/-"])
        let (haiku, plain, mini, gpt4o) = (report.groups[0], report.groups[1], report.groups[2], report.groups[3])
        #expect(haiku.programs == 0 && haiku.calls == 1 && haiku.cost == 0 && haiku.callsCost == d("0.003"))
        #expect(plain.programs == 1 && plain.headerPrograms == 1 && plain.unpricedPrograms == 1 && plain.cost == 0 && plain.calls == 0)
        // The ledger's 0.0003, not the header's 9.99; the program outside the folder is not counted.
        #expect(mini.programs == 1 && mini.ledgerPrograms == 1 && mini.headerPrograms == 0 && mini.cost == d("0.0003"))
        #expect(mini.calls == 3 && mini.callsCost == d("0.00035"))
        // LF1 0.001 (ledger) + LF2 0.0005 (header: the file at the ledger's LF2 path has other contents).
        #expect(gpt4o.programs == 2 && gpt4o.ledgerPrograms == 1 && gpt4o.headerPrograms == 1 && gpt4o.ledgerProgramsGone == 1)
        #expect(gpt4o.cost == d("0.0015") && gpt4o.calls == 2 && gpt4o.callsCost == d("0.001"))
        #expect(report.total == d("0.0018"))
        #expect(report.spent == d("0.00435"))
        #expect(report.programCount == 4)

        #expect(report.runs.map(\.run.id) == ["run-1", "run-2", "run-3"])
        #expect(report.runs.map(\.estimated) == [true, false, true])
        #expect(report.runs.map(\.calls) == [3, 2, 1])
        #expect(report.runs.map(\.programs) == [2, 2, 0])
        #expect(report.runs.map(\.cost) == [d("0.00035"), d("0.001"), d("0.003")])
    }

    @Test func anEditedLedgerProgramIsPricedByItsHeader() throws {
        let fixture = try PricingFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        try fixture.run("run-1", "youtube", "alchemist", "gpt-4o-mini", nil, minute: 0)
        let file = try fixture.saveFile(dataset: "youtube", mode: "alchemist", model: "gpt-4o-mini", prior: nil, headerCost: "0.0007")
        try fixture.program("run-1", file, "0.0007")
        #expect(try PricingReport.build(try fixture.sources()).groups.map(\.ledgerPrograms) == [1])
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("# edited by hand\n".utf8))
        try handle.close()
        let group = try #require(try PricingReport.build(try fixture.sources()).groups.first)
        #expect(group.programs == 1 && group.ledgerPrograms == 0 && group.headerPrograms == 1 && group.ledgerProgramsGone == 1)
        #expect(group.cost == d("0.0007"))
    }

    @Test func filtersNarrowGroupsRunsAndTotals() throws {
        let fixture = try PricingFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        try fixture.fillScenario()
        let sources = try fixture.sources()
        let scriptorium = try PricingReport.build(sources, filter: PricingFilter(mode: "scriptorium"))
        #expect(scriptorium.groups.map(\.key.dataset) == ["sms", "youtube"])
        #expect(scriptorium.runs.map(\.run.id) == ["run-2"])
        #expect(scriptorium.total == d("0.0015") && scriptorium.spent == d("0.001"))
        let noPrior = try PricingReport.build(sources, filter: PricingFilter(prior: "none"))
        #expect(noPrior.groups.map(\.key.codeModel) == ["handwritten", "gpt-4o"])
        let keywords = try PricingReport.build(sources, filter: PricingFilter(prior: "keywords"))
        #expect(keywords.groups.map(\.key.codeModel) == ["gpt-4o-mini"] && keywords.total == d("0.0003"))
        let model = try PricingReport.build(sources, filter: PricingFilter(dataset: "youtube", model: "gpt-4o"))
        #expect(model.groups.count == 1 && model.total == d("0.0015") && model.runs.map(\.run.id) == ["run-2"])
        let sms = try PricingReport.build(sources, filter: PricingFilter(dataset: "sms"))
        #expect(sms.groups.count == 2 && sms.total == 0 && sms.spent == d("0.003"))
        let nothing = try PricingReport.build(sources, filter: PricingFilter(dataset: "sms", mode: "alchemist-rag"))
        #expect(nothing.groups.isEmpty && nothing.runs.isEmpty && nothing.total == 0)
    }

    @Test func unknownFilterValuesAreRefusedWithTheKnownOnes() throws {
        let fixture = try PricingFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        try fixture.fillScenario()
        try fixture.run("run-4", "tickets", "scriptorium", "my-local-model", "hunches", minute: 3)
        let sources = try fixture.sources()
        let config = try TestEnvironment.config()
        let catalog = DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: nil, home: fixture.folder))
        // Known from the configuration, or seen in the ledger and the files.
        for filter in [PricingFilter(dataset: "agnews"), PricingFilter(dataset: "tickets"), PricingFilter(mode: "alchemist-rag"),
                       PricingFilter(model: "gpt-5"), PricingFilter(model: "my-local-model"), PricingFilter(model: "handwritten"),
                       PricingFilter(prior: "none"), PricingFilter(prior: "examples"), PricingFilter(prior: "hunches")] {
            #expect(throws: Never.self, "\(filter)") { try sources.validate(filter, config: config, catalog: catalog) }
        }
        let cases: [(PricingFilter, String)] = [
            (PricingFilter(dataset: "nope"), "--dataset: unknown dataset \"nope\" (known: "),
            (PricingFilter(mode: "bogus"), "--mode: unknown mode \"bogus\" (known: alchemist, alchemist-rag, scriptorium)"),
            (PricingFilter(model: "gpt-7"), "--model: unknown code model \"gpt-7\""),
            (PricingFilter(prior: "vibes"), "--prior: unknown prior type \"vibes\" (known: description, examples, heuristics, hunches, keywords, none)"),
        ]
        for (filter, message) in cases {
            let error = try #require(throws: PricingError.self) { try sources.validate(filter, config: config, catalog: catalog) }
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    @Test func promptingEstimateArithmetic() throws {
        let config = try TestEnvironment.config()
        let turbo = try #require(config.model(id: PromptingEstimate.defaultModelID))  // 0.50 in, 1.50 out per 1M tokens
        let template = try template("Label: [text]")
        // "héllo wörld" is 13 UTF-8 bytes: 13 + 2 + 7 = 22 bytes over 3 texts, 7.33 → an average text of 7 bytes.
        // "Label: " + 7 bytes = 14 bytes → ceil(14 / 4) = 4 tokens + 4 for the message = 8 input tokens.
        // Per text 8 × 0.50 + 2 × 1.50 = 7 µ$; three texts $0.000021.
        let texts = ["héllo wörld", "ab", "abcdefg"]
        let estimate = PromptingEstimate.compute(dataset: "tiny", trainTexts: texts, template: template, model: turbo,
                                                 programsCost: d("0.000007"))
        #expect(estimate.examples == 3 && estimate.averageTextBytes == 7)
        #expect(estimate.inputTokensPerExample == 8 && estimate.outputTokensPerExample == 2)
        #expect(estimate.cost == d("0.000021"))
        #expect(estimate.ratio == 3)
        #expect(PromptingEstimate.compute(dataset: "tiny", trainTexts: texts, template: template, model: turbo,
                                          programsCost: d("0.00002")).ratio == d("1.05"))
        #expect(PromptingEstimate.compute(dataset: "tiny", trainTexts: texts, template: template, model: turbo, programsCost: 0).ratio == nil)
        // Half a byte rounds up: 3 bytes over 2 texts → 2; "Label: xx" is 9 bytes → 3 + 4 = 7 tokens.
        let half = PromptingEstimate.compute(dataset: "tiny", trainTexts: ["a", "ab"], template: template, model: turbo, programsCost: 1)
        #expect(half.averageTextBytes == 2 && half.inputTokensPerExample == 7)
        #expect(TokenEstimate.message("") == 4)
        #expect(TokenEstimate.message("abcde") == 6)
        // The same estimator as a chat request's (one message, no system prompt).
        #expect(ChatRequest(model: try TestEnvironment.config().models[0], system: nil, messages: [ChatMessage(.user, "abcde")],
                            maxOutputTokens: 1).estimatedInputTokens == 6)
    }

    @Test func estimatesCoverDatasetsOnDiskWithProgramsAndTheFilteredOne() throws {
        let fixture = try PricingFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        try fixture.fillScenario()
        try fixture.saveFile(dataset: "demo", mode: "scriptorium", model: "gpt-4o-mini", prior: nil, headerCost: "0.00012")
        let config = try TestEnvironment.config()
        let catalog = DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: nil, home: fixture.folder))
        let turbo = try #require(config.model(id: "gpt-3.5-turbo-0125"))
        let source = PricingReport.EstimateSource(catalog: catalog, templates: try PromptTemplates.bundled(), model: turbo)
        let report = try PricingReport.build(try fixture.sources(), estimates: source)
        // The bundled data folder holds only demo: youtube and sms have programs but are not on disk.
        #expect(report.promptingEstimates.map(\.dataset) == ["demo"])
        #expect(report.skippedEstimates == [PricingReport.SkippedEstimate(dataset: "sms", reason: "not on disk"),
                                            PricingReport.SkippedEstimate(dataset: "youtube", reason: "not on disk")])
        let demo = try #require(report.promptingEstimates.first)
        let train = try catalog.load("demo").split(.train).texts
        let bytes = train.reduce(0) { $0 + $1.utf8.count }
        let average = Int((Double(bytes) / Double(train.count)).rounded())
        let prompt = try PromptTemplates.bundled().template(for: try #require(catalog.entry(named: "demo"))).annotatorPrompt
        let promptBytes = prompt.utf8.count - "[text]".utf8.count + average
        let input = (promptBytes + 3) / 4 + 4
        #expect(demo.examples == train.count && demo.averageTextBytes == average && demo.inputTokensPerExample == input)
        // Per text: input × 0.5 + 2 × 1.5 micro-dollars.
        let perText = (Decimal(input) * d("0.5") + 3) * d("0.000001")
        #expect(demo.cost == Decimal(train.count) * perText)
        #expect(demo.programsCost == d("0.00012"))
        #expect(demo.model == "gpt-3.5-turbo-0125")

        // A dataset filtered to gets its estimate even without programs.
        let agnews = try PricingReport.build(try fixture.sources(), filter: PricingFilter(dataset: "demo", mode: "alchemist"),
                                             estimates: source)
        #expect(agnews.groups.isEmpty)
        #expect(agnews.promptingEstimates.map(\.dataset) == ["demo"] && agnews.promptingEstimates.first?.ratio == nil)
    }

    @Test func jsonHasTheIssuesKeysAndExactAmounts() throws {
        let fixture = try PricingFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        try fixture.fillScenario()
        let report = try PricingReport.build(try fixture.sources(), filter: PricingFilter(dataset: "youtube"))
        let text = report.json()
        #expect(text.contains("\"total_usd\": 0.0018,"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect((object["total_usd"] as? NSNumber)?.doubleValue == 0.0018)
        let groups = try #require(object["groups"] as? [[String: Any]])
        #expect(groups.count == 2)
        for key in ["dataset", "mode", "code_model", "prior", "programs", "calls", "cost_usd"] {
            #expect(groups.allSatisfy { $0.keys.contains(key) }, "\(key)")
        }
        #expect(groups[1]["prior"] is NSNull && groups[0]["prior"] as? String == "keywords")
        let runs = try #require(object["runs"] as? [[String: Any]])
        #expect(runs.map { $0["run_id"] as? String } == ["run-1", "run-2"])
        #expect(runs.map { $0["estimated"] as? Bool } == [true, false])
        #expect(runs.first?["started"] as? String == "2026-01-01T00:00:00.000Z")
        for key in ["run_id", "started", "dataset", "mode", "programs", "calls", "cost_usd", "estimated"] {
            #expect(runs.allSatisfy { $0.keys.contains(key) }, "\(key)")
        }
        #expect((object["prompting_estimate"] as? [Any])?.isEmpty == true)
    }
}
