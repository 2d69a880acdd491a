import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// The generate screen driven by the real engine: the built-in synthesizer writes programs on the
/// demo dataset, the sandbox smoke-tests them, the store saves them, the ledger records them.
@Suite(.serialized) struct GenerateFlowTests {
    struct Setup {
        var home: URL
        var config: AppConfig
        var paths: AppPaths
        var runner: EngineRunner
        var state: AppState
    }

    /// An offline app (no key): the default model is builtin.
    func offline(width: Int = 100, height: Int = 30) throws -> Setup {
        let home = try TestEnvironment.temporaryFolder("tui-generate")
        let config = try TestEnvironment.config()
        let paths = TestEnvironment.paths(config: config, dataDir: nil, home: home)
        let keys = APIKeys(environment: [:], dotEnv: nil)
        let options = try SetupOptions.load(config: config, paths: paths, keys: keys)
        let state = AppState(options: options, width: width, height: height)
        return Setup(home: home, config: config, paths: paths, runner: EngineRunner(config: config, paths: paths, keys: keys), state: state)
    }

    @Test func offlineTheBuiltinSynthesizerStreamsBothStagesAndTheProgramIsSaved() async throws {
        let setup = try offline()
        defer { try? FileManager.default.removeItem(at: setup.home) }
        #expect(setup.state.codeModel?.spec.id == "builtin")
        #expect(setup.state.mode == .alchemist)
        let backend = TestBackend(width: 100, height: 30, script: [
            .key(.enter),
            .waitFor("Heuristics · builtin"),
            .waitFor("Smoke test: valid"),
            .key(.char("s")),
            .waitFor("✓ LF1.py"),
        ])
        let final = await TUIApp.loopOnOwnThread(state: setup.state, backend: backend, runner: setup.runner)
        // The generation ended, so the loop may go back to polling slowly.
        #expect(!setup.runner.isBusy)
        setup.runner.shutdown()
        #expect(backend.timedOut == nil, "waited in vain for \(backend.timedOut ?? "")")
        // Text arrived in pieces: some frame shows the heuristics stage still running with part of its text.
        let streaming = backend.frames.filter { $0.text.contains("Heuristics · builtin") && !$0.text.contains("Heuristics · builtin ✓") }
        #expect(!streaming.isEmpty)
        let last = try #require(backend.frames.last)
        #expect(last.text.contains("def label_function"))
        #expect(last.text.contains("Session: $0, 1 saved"))
        let saved = try ProgramStore.programs(under: setup.paths.lfDir)
        #expect(saved.count == 1)
        #expect(saved.first?.metadata?.codeModel == "builtin")
        #expect(saved.first?.metadata?.mode == "alchemist")
        #expect(final.sessionSaved == 1)
        // The ledger has the run's two calls, both ok.
        let ledger = try Ledger(path: Ledger.defaultPath(appHome: setup.paths.appHome))
        #expect(try ledger.calls().map(\.stage) == ["knowledge", "code"])
    }

    @Test func escCancelsTheCallInFlightAndNothingIsSaved() async throws {
        let setup = try offline()
        defer { try? FileManager.default.removeItem(at: setup.home) }
        let backend = TestBackend(width: 100, height: 30, script: [
            .key(.enter),
            .waitFor("Heuristics · builtin"),
            .key(.escape),
            .waitFor("cancelled: nothing was saved"),
        ])
        let final = await TUIApp.loopOnOwnThread(state: setup.state, backend: backend, runner: setup.runner)
        setup.runner.shutdown()
        #expect(backend.timedOut == nil, "waited in vain for \(backend.timedOut ?? "")")
        #expect(final.generation?.phase == .cancelled)
        #expect((try? ProgramStore.programs(under: setup.paths.lfDir))?.isEmpty ?? true)
    }

    @Test func generateMoreSavesEveryProgramThatLoadsAndTheyDiffer() async throws {
        let setup = try offline()
        defer { try? FileManager.default.removeItem(at: setup.home) }
        var state = setup.state
        state.batchSize = 3
        let backend = TestBackend(width: 100, height: 30, script: [
            .key(.enter), .waitFor("Smoke test: valid"), .key(.char("n")), .waitFor("How many more"), .key(.enter),
            .waitFor("batch done", seconds: 300),
        ])
        let final = await TUIApp.loopOnOwnThread(state: state, backend: backend, runner: setup.runner)
        setup.runner.shutdown()
        #expect(backend.timedOut == nil, "waited in vain for \(backend.timedOut ?? "")")
        let saved = try ProgramStore.programs(under: setup.paths.lfDir)
        // The first program was discarded by `n`; the batch saves what loads.
        #expect(saved.count == final.sessionSaved)
        #expect(saved.count >= 2)
        #expect(Set(saved.map(\.code)).count == saved.count)
        let ledger = try Ledger(path: Ledger.defaultPath(appHome: setup.paths.appHome))
        #expect(try ledger.calls().filter { $0.status == .discarded }.count == 2)  // the first program's two calls
    }
}

/// Alchemist with RAG in the TUI: the retrieved passages get their own pane, each extract call
/// and the knowledge call stream in the knowledge pane, the code stage in the program pane.
@Suite(.serialized) struct RAGGenerateFlowTests {
    @Test func retrievedPassagesShowAndEveryCallStreams() async throws {
        let setup = try GenerateFlowTests().offline(width: 120, height: 40)
        defer { try? FileManager.default.removeItem(at: setup.home) }
        let docs = setup.home.appendingPathComponent("docs")
        try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
        try "Urgent tickets mention outages, servers that are down, and words like asap or immediately.\n\nRoutine tickets ask for a password reset, a new keyboard, or thank the team."
            .write(to: docs.appendingPathComponent("guide.txt"), atomically: true, encoding: .utf8)
        try "Escalate when production is down or customers cannot log in.".write(to: docs.appendingPathComponent("escalation.md"), atomically: true, encoding: .utf8)
        var state = setup.state
        state.selection[.mode] = state.options.modes.firstIndex { $0.id == "alchemist-rag" }
        state.knowledgePath = docs.path
        let backend = TestBackend(width: 120, height: 40, script: [
            .key(.enter),
            .waitFor("Retrieved passages"),
            .waitFor("Smoke test: valid", seconds: 180),
        ])
        let final = await TUIApp.loopOnOwnThread(state: state, backend: backend, runner: setup.runner)
        setup.runner.shutdown()
        #expect(backend.timedOut == nil, "waited in vain for \(backend.timedOut ?? "")")
        let last = try #require(backend.frames.last).text
        #expect(last.contains("guide.txt"))
        #expect(last.contains("knowledge calls"))  // several calls: extracts, then the combining one
        let stages = final.generation?.stages.map(\.stage) ?? []
        #expect(stages.first == .extract)
        #expect(stages.suffix(2) == [.knowledge, .code])
        #expect(final.generation?.passages.isEmpty == false)
    }
}
