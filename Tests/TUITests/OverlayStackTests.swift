import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// The one overlay stack: the top takes every key, closing it hands the keys to the one below.
@Suite struct OverlayStackTests {
    @Test func theTopOverlayTakesTheKeysAndClosingItUncoversTheOneBelow() throws {
        var state = try Fixtures.state()
        state.press(.char("?"))
        #expect(state.overlays == [.help])
        // News that opens a viewer while the help is up lands on top of it.
        _ = update(&state, .fileLoaded(URL(fileURLWithPath: "/logs/run.txt"), text: "line one\nline two", error: nil))
        #expect(state.overlays.count == 2 && state.viewer != nil && !state.showsHelp)
        #expect(AppView.render(state).text.contains("run.txt"))
        // q closes the viewer (its own key), it does not quit the app; the help is back on top.
        #expect(update(&state, .key(.char("q"))) == [.render])
        #expect(state.overlays == [.help])
        #expect(AppView.render(state).text.contains("Keys: setup"))
        // Keys of the screen below do nothing while the help is up; esc pops it.
        let before = state.selected(.dataset)
        #expect(update(&state, .key(.char("j"))) == [])
        #expect(state.selected(.dataset) == before)
        #expect(update(&state, .key(.escape)) == [.render])
        #expect(state.overlays.isEmpty)
        state.press(.char("k"))
        #expect(state.selected(.dataset) == before - 1)
    }

    @Test func aConfirmDialogDoesItsEffectOnlyOnYesAndShowsItsKeysOnTheBottomLine() throws {
        var state = try Fixtures.state()
        let dialog = ConfirmDialog(title: "Start over?", message: "Reset the texts.")
        state.push(.confirm(dialog, onYes: [.openSettings]))
        let frame = AppView.render(state)
        #expect(frame.text.contains("Start over?"))
        #expect(frame.row(frame.height - 1).hasPrefix(" y confirm  n/esc cancel"))
        #expect(update(&state, .key(.char("q"))) == [])
        #expect(update(&state, .key(.ctrlC)) == [.quit])
        #expect(update(&state, .key(.escape)) == [.render])
        #expect(state.overlays.isEmpty)
        state.push(.confirm(dialog, onYes: [.openSettings]))
        #expect(update(&state, .key(.char("y"))) == [.openSettings, .render])
        #expect(state.overlays.isEmpty)
    }

    @Test func thePickerGivesWayToTheEditorWhenThePathIsTyped() throws {
        var state = try Fixtures.state(mode: .alchemistRAG)
        _ = update(&state, .key(.char("K")))
        #expect(state.picker != nil)
        state.press(.char("t"))
        #expect(state.overlays.count == 1)
        #expect(state.editing?.target == .knowledgePath)
        state.press(.char("x"), .enter)
        #expect(state.overlays.isEmpty && state.knowledgePath == "x")
    }
}

/// A key that cannot be used now says why in the help bar and answers a press with the same words.
@Suite struct DisabledBindingTests {
    @Test func aDisabledKeyCarriesItsReasonAndComesLastInTheBar() throws {
        let items = KeyBindings.helpBarItems(for: .generate, disabled: [.saveProgram: "still writing"])
        let save = try #require(items.first { $0.text == "s save" })
        #expect(save.label == "s save (still writing)")
        #expect(items.filter { $0.disabledReason == nil }.count == items.count - 1)
        #expect(items.map(\.text) == KeyBindings.helpBarItems(for: .generate).map(\.text))  // keys keep their places
        // Overlays show their own keys only.
        #expect(KeyBindings.helpBar(for: .confirmDialog, withGlobal: false) == "y confirm  n/esc cancel")
    }

    @Test func setupSaysWhyEnterCannotGenerateWithoutAKey() throws {
        let config = try TestEnvironment.config()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-tui-tests-home")
        let paths = TestEnvironment.paths(config: config, dataDir: nil, home: home)
        let options = try SetupOptions.load(config: config, paths: paths, keys: APIKeys(environment: [:], dotEnv: nil))
        var state = AppState(options: options)
        state.selection[.codeModel] = try #require(options.models.firstIndex { $0.spec.id == "gpt-4o-mini" })
        let reason = try #require(state.disabledReasons[.generate])
        #expect(reason.contains("OPENAI_API_KEY"))
        // The bar shows it beside the key, dimmed, after the keys that work.
        let frame = AppView.render(state)
        let bar = frame.row(frame.height - 1)
        #expect(bar.contains("enter generate ("))
        let keyAt = try #require(bar.range(of: "enter generate"))
        let column = bar.distance(from: bar.startIndex, to: keyAt.lowerBound)
        #expect(frame[column, frame.height - 1].style.role == .border)
        #expect(frame[1, frame.height - 1].style.role == .muted)  // q quit, usable
        // A press does nothing but say the same.
        #expect(update(&state, .key(.enter)) == [.render])
        #expect(state.screen == .setup)
        #expect(state.status == "enter generate: \(reason)" && state.statusIsError)
        // With the built-in synthesizer it works.
        state.selection[.codeModel] = try #require(options.models.firstIndex { $0.spec.id == "builtin" })
        #expect(state.disabledReasons[.generate] == nil)
        #expect(update(&state, .key(.enter)).contains(.startGeneration(id: 1)))
    }

    @Test func theGenerateScreenDisablesWhatItsPhaseDoesNotAllow() throws {
        var state = try Fixtures.state()
        _ = update(&state, .key(.enter))
        #expect(state.screen == .generate)
        let writing = state.disabledReasons
        #expect(writing[.saveProgram] == "still writing")
        #expect(writing[.regenerate] != nil && writing[.editProgram] != nil && writing[.discardProgram] != nil)
        #expect(writing[.back] == nil && writing[.label] == nil)
        #expect(update(&state, .key(.char("r"))) == [.render])
        #expect(state.status.hasPrefix("r regenerate: "))
    }
}

/// The one effect interpreter: terminal effects through the backend, the rest through the runner,
/// and the news they make at once back as messages.
@Suite struct EffectInterpreterTests {
    @Test func terminalEffectsGoThroughTheBackendAndFilesComeBackAsMessages() throws {
        let backend = TestBackend(width: 80, height: 24)
        let effects = EffectInterpreter(terminal: backend, runner: nil)
        let state = try Fixtures.state()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("interpreter-\(UUID().uuidString).txt")
        try "a log".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        guard case .fileLoaded(_, let text?, nil)? = effects.perform(.showFile(url), state: state).first else {
            Issue.record("expected the file's text")
            return
        }
        #expect(text == "a log")
        let missing = effects.perform(.showFile(url.appendingPathExtension("gone")), state: state)
        guard case .fileLoaded(_, nil, let error?)? = missing.first else {
            Issue.record("expected an error")
            return
        }
        #expect(error.contains("cannot read"))
        // Engine work without a runner does nothing and says nothing.
        #expect(effects.perform(.editProgram(id: 1), state: state).isEmpty)
        #expect(effects.perform(.openSettings, state: state).isEmpty)
    }

    @Test func withARunnerSettingsOpenAndAnUnknownProgramIsNotEdited() throws {
        let config = try TestEnvironment.config()
        let home = try TestEnvironment.temporaryFolder("interpreter")
        defer { try? FileManager.default.removeItem(at: home) }
        let runner = EngineRunner(config: config, paths: TestEnvironment.paths(config: config, dataDir: nil, home: home))
        let effects = EffectInterpreter(terminal: TestBackend(width: 80, height: 24), runner: runner)
        let state = try Fixtures.state()
        guard case .settingsLoaded? = effects.perform(.openSettings, state: state).first else {
            Issue.record("expected the settings view")
            return
        }
        #expect(effects.perform(.editProgram(id: 99), state: state).isEmpty)
    }
}
