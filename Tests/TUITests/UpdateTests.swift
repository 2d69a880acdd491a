import Engine
import Testing
import TestSupport
@testable import TUI

@Suite struct UpdateTests {
    @Test func theInitialStateSelectsAPresentDatasetAndACallableModel() throws {
        let state = try Fixtures.state()
        #expect(state.dataset?.name == "demo")
        #expect(state.dataset?.isPresent == true)
        #expect(state.codeModel?.hasKey == true)
        #expect(state.codeModel?.spec.retired == nil)
        #expect(state.mode == .scriptorium)
        #expect(state.focus == .dataset)
        #expect(state.mission.contains("ticket"))
    }

    @Test func theDefaultsAreAlchemistAndTheDefaultModelOfTheKeys() throws {
        let options = try Fixtures.options()
        let state = AppState(options: options)
        #expect(state.mode == .alchemist)
        #expect(state.codeModel?.spec.id == "gpt-4o-mini")  // the fixture has an OpenAI key
        #expect(state.knowledgeModel?.spec.id == "gpt-4o-mini")
        var offline = options
        offline.defaultModel = "builtin"
        #expect(AppState(options: offline).codeModel?.spec.id == "builtin")
    }

    @Test func tabCyclesThroughActivePanesOnly() throws {
        var state = try Fixtures.state()
        var seen: [Pane] = []
        for _ in 0..<4 {
            state.press(.tab)
            seen.append(state.focus)
        }
        // scriptorium: the knowledge model and prior panes are skipped
        #expect(seen == [.mode, .codeModel, .dataset, .mode])
        state.press(.backTab, .backTab)
        #expect(state.focus == .codeModel)
    }

    @Test func choosingAlchemistBringsTheKnowledgePanesBack() throws {
        var state = try Fixtures.state()
        #expect(!state.isActive(.knowledgeModel))
        #expect(!state.isActive(.prior))
        state.press(.tab, .char("j"))
        #expect(state.mode == .alchemist)
        #expect(state.isActive(.knowledgeModel))
        #expect(state.isActive(.prior))
        state.press(.tab, .tab, .tab, .tab)
        #expect(state.focus == .dataset)  // mode → code → knowledge → prior → dataset
        state.press(.tab, .char("k"))
        #expect(state.mode == .scriptorium)
        #expect(state.focusablePanes == [.dataset, .mode, .codeModel])
    }

    @Test func selectionStaysInBounds() throws {
        var state = try Fixtures.state()
        state.press(.tab)  // mode: 3 rows
        #expect(update(&state, .key(.up)) == [])  // already at the top: nothing to redraw
        #expect(state.selected(.mode) == 0)
        state.press(.down, .down, .down, .down)
        #expect(state.selected(.mode) == 2)
        state.press(.char("g"))
        #expect(state.selected(.mode) == 0)
        state.press(.char("G"))
        #expect(state.selected(.mode) == state.options.modes.count - 1)
    }

    @Test func changingDatasetOrPriorRefreshesMissionAndQuery() throws {
        var state = try Fixtures.state()
        state.press(.char("g"))
        #expect(state.dataset?.name == state.options.datasets[0].name)
        #expect(state.dataset?.isPresent == false)
        #expect(state.status.contains("f fetches it"))
        #expect(!state.mission.contains("ticket"))
        state.press(.tab, .char("j"), .tab, .tab, .tab)  // alchemist, then to the prior pane
        #expect(state.focus == .prior)
        state.press(.char("j"))
        #expect(state.prior?.id == "keywords")
        #expect(state.query.contains("keywords"))
    }

    @Test func helpToggleQuitAndOtherMessages() throws {
        var state = try Fixtures.state()
        let before = state.selected(.dataset)
        state.press(.char("?"))
        #expect(state.showsHelp)
        state.press(.char("k"))  // not bound in the overlay
        #expect(state.selected(.dataset) == before)
        state.press(.escape)
        #expect(!state.showsHelp)
        #expect(update(&state, .key(.char("q"))) == [.quit])
        #expect(update(&state, .key(.ctrlC)) == [.quit])
        #expect(update(&state, .tick) == [])
        #expect(update(&state, .resize(width: 100, height: 30)) == [.render])
        #expect(state.width == 100 && state.height == 30)
        #expect(update(&state, .status("working")) == [.render])
        #expect(state.status == "working")
    }

    @Test func worstCaseCostFollowsTheChoices() throws {
        var state = try Fixtures.state()
        let scriptorium = try #require(state.worstCaseCost)
        #expect(scriptorium > 0)
        state.press(.tab, .char("j"))
        let alchemist = try #require(state.worstCaseCost)
        #expect(alchemist > scriptorium)  // two stages
        // The screen shows the engine's rule, with the retrieval settings of config.json (RAG's extract calls counted).
        state.press(.char("j"))
        let plan = try #require(state.plan)
        #expect(plan.mode == .alchemistRAG && plan.topK == TestEnvironment.configRAG.topK && plan.passageCharacters == TestEnvironment.configRAG.chunkSize)
        #expect(state.worstCaseCost == plan.worstCaseCost())
        #expect(try #require(state.worstCaseCost) > alchemist)
    }
}

@Suite struct SandboxWarningTests {
    /// Programs run without the OS sandbox only when the user said so, and the screen keeps saying it.
    @Test func theSandboxWarningStaysOnTheStatusLine() throws {
        var state = try Fixtures.state(width: 120, height: 40)
        _ = update(&state, .sandboxChecked(warning: "UNSAFE: programs run without an OS sandbox (--unsafe-no-os-sandbox)"))
        _ = update(&state, .status("a later status"))
        let screen = AppView.render(state).text
        #expect(screen.contains("⚠ UNSAFE: programs run without an OS sandbox"), "\(screen)")
        #expect(screen.contains("a later status"))
        _ = update(&state, .sandboxChecked(warning: nil))
        #expect(!AppView.render(state).text.contains("UNSAFE"))
    }
}
