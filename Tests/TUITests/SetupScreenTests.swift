import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

@Suite struct SetupScreenTests {
    /// The rows of `frame` that contain `text`.
    func rows(_ buffer: CellBuffer, containing text: String) -> [Int] {
        (0..<buffer.height).filter { buffer.row($0).contains(text) }
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func showsTheChoicesAndTheCost(width: Int, height: Int) throws {
        let state = try Fixtures.state(width: width, height: height)
        let buffer = SetupScreen.render(state)
        let text = buffer.text
        #expect(buffer.width == width && buffer.height == height)
        #expect(text.contains("Alchemist · setup"))
        #expect(text.contains("demo"))
        #expect(text.contains("absent — a adds"))  // the named datasets without a public source, above demo
        #expect(text.contains("demo: loading…"))  // the info line until the runner has read it
        #expect(text.contains("scriptorium"))
        #expect(text.contains("gpt-4o-mini"))
        #expect(text.contains("$0.15/$0.60"))
        #expect(text.contains("no key"))  // Anthropic models: no key in the fixture
        #expect(text.contains("Worst case per program: $"))
        #expect(text.contains("(unused"))  // scriptorium: knowledge panes dimmed
        #expect(text.contains("q quit"))
        // every row is exactly the screen width in columns
        for y in 0..<height { #expect(DisplayWidth.of(buffer.row(y)) == width) }
    }

    @Test func theFocusedPaneHasAFocusedBorderAndTheOthersDoNot() throws {
        var state = try Fixtures.state()
        var buffer = SetupScreen.render(state)
        let datasetTop = try #require(rows(buffer, containing: "▸ Dataset").first)
        #expect(buffer[0, datasetTop].style.role == .borderFocused)
        #expect(buffer[0, datasetTop].style.bold)
        let codeTop = try #require(rows(buffer, containing: "Code model").first)
        #expect(buffer[0, codeTop].style.role == .border)
        state.press(.tab, .tab)
        buffer = SetupScreen.render(state)
        #expect(buffer[0, codeTop].style.role == .borderFocused)
        #expect(buffer[0, datasetTop].style.role == .border)
        #expect(buffer.text.contains("▸ Code model"))
    }

    @Test func theKnowledgePanesAreMutedForScriptoriumOnly() throws {
        var state = try Fixtures.state(width: 120, height: 40)
        var buffer = SetupScreen.render(state)
        let top = try #require(rows(buffer, containing: "Knowledge model").first)
        let x = try #require(buffer.row(top).range(of: "┐┌").map { buffer.row(top).distance(from: buffer.row(top).startIndex, to: $0.lowerBound) + 1 })
        #expect(buffer[x, top].style.role == .muted)
        #expect(buffer[x + 3, top + 1].style.role == .muted)
        state.press(.tab, .char("j"))
        buffer = SetupScreen.render(state)
        #expect(buffer[x, top].style.role == .border)
        #expect(!buffer.text.contains("(unused"))
        #expect(buffer.text.contains("Query:   "))
    }

    @Test func theSelectedRowOfTheFocusedPaneIsReversed() throws {
        let state = try Fixtures.state()
        let buffer = SetupScreen.render(state)
        let y = try #require(rows(buffer, containing: "› demo").first)
        #expect(buffer[1, y].style.role == .selection)
        #expect(buffer[1, y].style.reverse)
    }

    @Test(arguments: [(59, 16), (60, 15), (30, 8)])
    func belowTheMinimumSizeItSaysSo(width: Int, height: Int) throws {
        let buffer = SetupScreen.render(try Fixtures.state(width: width, height: height))
        let expected = "terminal too small: \(width)×\(height), need 60×16"
        #expect(buffer.text.contains(DisplayWidth.truncate(expected, to: width)))
        #expect(!buffer.text.contains("Dataset"))
    }

    @Test func theMinimumSizeShowsTheWholeScreen() throws {
        let buffer = SetupScreen.render(try Fixtures.state(width: 60, height: 16))
        #expect(buffer.text.contains("Dataset"))
        #expect(buffer.text.contains("Worst case per program"))
        #expect(buffer.row(15).contains("quit"))
    }

    @Test func theHelpOverlayListsTheScreensBindingsAndTheGlobalOnes() throws {
        var state = try Fixtures.state(width: 120, height: 40)
        state.press(.char("?"))
        let text = SetupScreen.render(state).text
        #expect(text.contains("Keys: setup"))
        for binding in KeyBindings.all where binding.scope == .setup || binding.scope == .global { #expect(text.contains(DisplayWidth.truncate(binding.longHelp, to: 30).dropLast())) }
    }

    @Test func theLoopDrawsTheFirstFrameAndQuitsOnQ() throws {
        let backend = TestBackend(width: 80, height: 24, keys: [.tab, .char("j"), .char("q")])
        let state = TUIApp.loop(state: try Fixtures.state(), backend: backend)
        #expect(state.mode == .alchemist)
        #expect(backend.script.isEmpty)
        let first = try #require(backend.frames.first)
        #expect(first.rows.count == 24)
        #expect(first.text.contains("Alchemist · setup"))
        #expect(first.roles[1][0] == .borderFocused)
    }
}

@Suite struct SetupScreenSnapshots {
    @Test(arguments: [(80, 24), (120, 40), (SetupScreen.minimumWidth, SetupScreen.minimumHeight)])
    func setupScreen(width: Int, height: Int) throws {
        try Snapshot.check(SetupScreen.render(try Fixtures.state(width: width, height: height)), named: "setup-\(width)x\(height)")
    }
}

/// The setup screen says why a generation cannot start in the engine's words (`GenerationBlocker`,
/// which `alchemist generate` refuses with), adding only the key that fixes it.
@Suite struct GenerationBlockerScreenTests {
    @Test func theSetupScreenFollowsTheEnginesRule() throws {
        var state = try Fixtures.state(mode: .alchemistRAG)
        state.knowledgePath = ""
        let expected = try #require(GenerationBlocker.first(
            dataset: state.dataset?.name, datasetPresent: state.dataset?.isPresent ?? false, hasTemplate: state.dataset?.template != nil,
            mode: .alchemistRAG, models: [state.codeModel, state.knowledgeModel].compactMap { $0?.readiness }, knowledgePath: ""))
        #expect(state.generationBlocker == "\(expected): K chooses one")
        state.knowledgePath = "docs"
        #expect(state.generationBlocker == GenerationBlocker.first(
            dataset: state.dataset?.name, datasetPresent: state.dataset?.isPresent ?? false, hasTemplate: state.dataset?.template != nil,
            mode: .alchemistRAG, models: [state.codeModel, state.knowledgeModel].compactMap { $0?.readiness }, knowledgePath: "docs")?.description)
        // An absent dataset: the engine's sentence, word for word.
        if let absent = state.options.datasets.firstIndex(where: { !$0.isPresent }) {
            state.selection[.dataset] = absent
            #expect(state.generationBlocker == GenerationBlocker.datasetAbsent(state.options.datasets[absent].name, fetchable: state.options.datasets[absent].canFetch).description)
        }
    }
}
