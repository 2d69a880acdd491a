@testable import Engine
import Foundation
import Testing
import TestSupport

/// The worst case of a generation, the one rule the CLI's confirmation and the TUI's setup screen show.
@Suite struct GenerationCostTests {
    func plan(_ mode: GenerationMode) throws -> GenerationPlan {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        let catalog = DatasetCatalog(config: config, paths: paths)
        let template = try PromptTemplates.bundled().template(for: try #require(catalog.entry(named: "demo")))
        let model = try #require(config.model(id: "gpt-4o-mini"))
        return GenerationPlan(dataset: "demo", classCount: 2, template: template, mode: mode, codeModel: model,
                              knowledgeModel: mode.usesKnowledge ? model : nil, prior: config.priorTypes.first, maxOutputTokens: 800)
    }

    @Test func everyCallOfEveryModeIsCounted() throws {
        let scriptorium = try plan(.scriptorium)
        let longest = String(repeating: "x", count: 4 * 800)
        #expect(scriptorium.worstCaseCost() == scriptorium.worstCaseCost(of: .code, prompt: scriptorium.codePrompt(knowledge: nil)))

        let alchemist = try plan(.alchemist)
        #expect(alchemist.worstCaseCost() == alchemist.worstCaseCost(of: .knowledge, prompt: alchemist.knowledgePrompt)
            + alchemist.worstCaseCost(of: .code, prompt: alchemist.codePrompt(knowledge: longest)))

        // RAG map-reduce: one extract per retrieved passage, then the combining call, then the code.
        var rag = try plan(.alchemistRAG)
        rag.topK = 4
        rag.passageCharacters = 1000
        let passage = RetrievedPassage(chunk: KnowledgeChunk(source: "document", title: nil, index: 0, start: 0,
                                                             text: String(repeating: "x", count: 1000)), score: 1)
        let passages = [RetrievedPassage](repeating: passage, count: 4)
        let extract = rag.worstCaseCost(of: .extract, prompt: rag.extractPrompt(passage))
        let combine = rag.worstCaseCost(of: .knowledge, prompt: rag.groundedKnowledgePrompt(passages, extracts: passages.map { _ in longest }))
        let code = rag.worstCaseCost(of: .code, prompt: rag.codePrompt(knowledge: longest))
        #expect(extract > 0)
        #expect(rag.worstCaseCost() == extract * 4 + combine + code)
        var fewer = rag
        fewer.topK = 2
        #expect(fewer.worstCaseCost() < rag.worstCaseCost())
        var stuff = rag
        stuff.chain = .stuff
        #expect(stuff.worstCaseCost() < rag.worstCaseCost())
        #expect(rag.worstCaseCost(count: 3) == rag.worstCaseCost() * 3)
    }
}

/// The batch rule both front ends follow: save what loads, discard the rest, go on.
@Suite struct GenerationBatchTests {
    func program(code: String?, loads: Bool?, error: String? = nil) throws -> GeneratedProgram {
        let plan = try GenerationCostTests().plan(.scriptorium)
        var program = GeneratedProgram(runID: "r", plan: plan, knowledge: nil, answer: "", code: code, extractionError: error,
                                       stages: [], finalPrompt: plan.codePrompt(knowledge: nil), callIDs: [])
        program.smokeTest = loads.map { loads in
            SmokeTestResult(split: "valid", rows: 10, coverage: 0.5, accuracy: nil, votesPerClass: [1, 1],
                            loadError: loads ? nil : "SyntaxError: invalid syntax (line 1)", errors: 0, timeouts: 0, firstError: nil)
        }
        return program
    }

    @Test func whatLoadsIsSavedAndTheRestDiscardedWithTheReason() throws {
        #expect(GenerationBatch.decision(for: try program(code: "def label_function(t):\n    return 1\n", loads: true)) == .save)
        #expect(GenerationBatch.decision(for: try program(code: "def label_function(t):\n    return 1\n", loads: nil)) == .save)
        #expect(GenerationBatch.decision(for: try program(code: "x", loads: false))
            == .discard("the program does not load: SyntaxError: invalid syntax (line 1)"))
        #expect(GenerationBatch.decision(for: try program(code: "x", loads: false), keepBroken: true) == .save)
        #expect(GenerationBatch.decision(for: try program(code: nil, loads: nil, error: "the answer has no ```python block"))
            == .discard("the answer has no ```python block"))
    }
}
