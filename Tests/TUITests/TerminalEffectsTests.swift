import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// Effects the loop carries out on the terminal itself: the clipboard through the backend, the
/// editor without API keys.
@Suite struct TerminalEffectsTests {
    @Test func copyPathGoesToTheClipboardThroughTheBackend() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var state = try Fixtures.state()
        state.programs = try fixture.browser()
        state.screen = .programs
        let url = try #require(state.programs?.selectedEntry?.url)
        var probe = state
        let effects = update(&probe, .key(.char("y")))
        #expect(effects.contains(.programs(.copyPath(url))), "\(effects)")
        let backend = TestBackend(width: 80, height: 24, keys: [.char("y")])
        _ = TUIApp.loop(state: state, backend: backend)
        #expect(backend.controls == [ProgramsActions.copyPath(url).escape])
        #expect(backend.controls.first?.hasPrefix("\u{1B}]52;c;") == true)
    }

    @Test func theEditorRunsWithoutAPIKeys() throws {
        setenv("ALCHEMIST_TEST_API_KEY", "sk-must-not-reach-the-editor", 1)
        defer { unsetenv("ALCHEMIST_TEST_API_KEY") }
        #expect(ExternalEditor.environment(["OPENAI_API_KEY": "a", "ANTHROPIC_API_KEY": "b", "PATH": "/bin"]) == ["PATH": "/bin"])
        // A real editor command that writes its environment into the file it is given.
        setenv("VISUAL", "sh -c 'env > \"$0\"'", 1)
        defer { unsetenv("VISUAL") }
        let backend = TestBackend(width: 80, height: 24)
        let seen = try #require(ExternalEditor.edit("original", suffix: ".txt", backend: backend))
        #expect(seen.contains("PATH="))
        #expect(!seen.contains("sk-must-not-reach-the-editor"))
        #expect(!seen.contains("ALCHEMIST_TEST_API_KEY"))
    }
}

/// A runner shutting down stops its own work only: sandbox workers of other work in the process
/// (another runner, the CLI's applier, a test running beside it) keep running.
@Suite struct RunnerShutdownTests {
    @Test func shuttingARunnerDownLeavesOtherWorkersAlone() async throws {
        let config = try TestEnvironment.config()
        let home = try TestEnvironment.temporaryFolder("runner-shutdown")
        defer { try? FileManager.default.removeItem(at: home) }
        let runner = EngineRunner(config: config, paths: TestEnvironment.paths(config: config, dataDir: nil, home: home))
        let texts = try SandboxFixtures.demoTexts(limit: 240)
        let sources = ["import re\ndef label_function(t):\n    return 1 if re.search('down|crash', t, re.I) else -1\n",
                       "def label_function(t):\n    return 0 if 'please' in t.lower() else -1\n"]
        let programs = sources.enumerated().map { LabelingProgram(name: "p\($0.offset)", code: $0.element) }
        var settings = config.sandbox
        settings.workers = 2
        settings.batchSize = 20
        let applying = Task { try await ProgramApplier(settings: settings).apply(programs, to: texts, classCount: 2) }
        let hammering = Task {
            while !Task.isCancelled {
                runner.shutdown()
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        let outcome = try await applying.value
        hammering.cancel()
        #expect(outcome.restarts == 0)
        let reference = try ReferenceLabels.compute(sources, texts: texts, classCount: 2)
        #expect(outcome.matrix.column(0) == reference[0])
        #expect(outcome.matrix.column(1) == reference[1])
    }
}
