@testable import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// The generate screen's update function: stream events (also out of order and late), errors,
/// cancellation and the keys, without the engine.
@Suite struct GenerationUpdateTests {
    func started() throws -> (AppState, Int) {
        var state = try Fixtures.state(width: 100, height: 30, mode: .alchemist)
        let effects = update(&state, .key(.enter))
        let id = try #require(state.generation?.id)
        #expect(effects.contains(.startGeneration(id: id)))
        #expect(state.screen == .generate)
        return (state, id)
    }

    func prompt(_ text: String) -> StagePrompt { StagePrompt(system: nil, user: text) }

    @Test func streamedTextGrowsInItsStagePaneAndCostsTick() throws {
        var (state, id) = try started()
        let config = try TestEnvironment.config()
        let model = try #require(config.model(id: "gpt-4o-mini"))
        _ = update(&state, .generation(id: id, .stageStarted(stage: .knowledge, model: model, prompt: prompt("a prompt of some length"), number: 1, of: 2)))
        for piece in ["Keywords", " for spam:", " check, out"] { _ = update(&state, .generation(id: id, .text(stage: .knowledge, piece))) }
        _ = update(&state, .generation(id: id, .usage(stage: .knowledge, TokenUsage(inputTokens: 40, outputTokens: 7, estimated: true),
                                                      cost: Decimal(string: "0.00001")!, total: Decimal(string: "0.00001")!)))
        var frame = AppView.render(state).text
        #expect(frame.contains("Keywords for spam: check, out"))
        #expect(frame.contains("<$0.0001 · 40 in / 7 out tokens (est.)"))  // below the fourth decimal, still not $0
        _ = update(&state, .generation(id: id, .stageFinished(stage: .knowledge, usage: TokenUsage(inputTokens: 52, outputTokens: 9, estimated: false),
                                                              cost: Decimal(string: "0.0002")!, finishReason: "stop")))
        frame = AppView.render(state).text
        #expect(frame.contains("Heuristics · gpt-4o-mini ✓"))
        #expect(frame.contains("$0.0002 · 52 in / 9 out tokens "))
        #expect(!frame.contains("9 out tokens (est.)"))
        #expect(!frame.contains("cut at the output cap"))
        #expect(state.generation?.programCost == Decimal(string: "0.0002"))
        // An answer cut at the cap says so (the engine's FinishReason, as the CLI prints it).
        _ = update(&state, .generation(id: id, .stageStarted(stage: .code, model: model, prompt: prompt("code"), number: 2, of: 2)))
        _ = update(&state, .generation(id: id, .stageFinished(stage: .code, usage: TokenUsage(inputTokens: 60, outputTokens: 800, estimated: false),
                                                              cost: Decimal(string: "0.0005")!, finishReason: "max_tokens")))
        #expect(AppView.render(state).text.contains("800 out tokens · cut at the output"))
    }

    @Test func textBeforeItsStageStartIsKeptAndLateEventsOfAnOldGenerationAreIgnored() throws {
        var (state, id) = try started()
        // Out of order: code text arrives before the code stage's start.
        _ = update(&state, .generation(id: id, .text(stage: .code, "def label_function(text):")))
        #expect(state.generation?.codeStage?.text == "def label_function(text):")
        // A late event of a generation that is no longer shown changes nothing.
        #expect(update(&state, .generation(id: id - 1, .text(stage: .code, "stale"))) == [])
        #expect(update(&state, .generationFinished(id: id + 7, try fakeProgram())) == [])
        #expect(state.generation?.codeStage?.text == "def label_function(text):")
    }

    @Test func aFailureShowsTheMessageAndWhatToDoAndEscGoesBack() throws {
        var (state, id) = try started()
        let error = ProviderError(kind: .http, provider: "openai", status: 429, message: "Rate limit reached")
        _ = update(&state, .generationFailed(id: id, message: error.description, advice: error.advice))
        #expect(state.generation?.isBusy == false)
        let frame = AppView.render(state).text
        #expect(frame.contains("Rate limit reached"))
        #expect(frame.contains("what to do: rate limited"))
        #expect(state.statusIsError)
        #expect(update(&state, .key(.escape)) == [.render])
        #expect(state.screen == .setup)
    }

    @Test func escWhileRunningCancelsAndTheCancelledMessageEndsIt() throws {
        var (state, id) = try started()
        _ = update(&state, .generation(id: id, .text(stage: .knowledge, "some")))
        #expect(update(&state, .key(.escape)) == [.cancelGeneration, .render])
        #expect(state.screen == .generate)
        _ = update(&state, .generationCancelled(id: id))
        #expect(state.generation?.phase == .cancelled)
        #expect(AppView.render(state).text.contains("cancelled: nothing was saved"))
    }

    @Test func saveIsRefusedUntilTheProgramLoadsAndThenAskedOnce() throws {
        var (state, id) = try started()
        _ = update(&state, .key(.char("s")))
        #expect(state.status == "s save: still writing")
        var program = try fakeProgram()
        program.smokeTest = SmokeTestResult(split: "valid", rows: 10, coverage: 0, accuracy: nil, votesPerClass: [0, 0],
                                            loadError: "SyntaxError: bad", errors: 0, timeouts: 0, firstError: nil)
        _ = update(&state, .generationFinished(id: id, program))
        #expect(update(&state, .key(.char("s"))) == [.render])
        #expect(state.status == "s save: does not load")
        #expect(update(&state, .key(.char("e"))) == [.editProgram(id: id)])
        _ = update(&state, .programEdited(id: id, code: "def label_function(text):\n    return -1\n",
                                          SmokeTestResult(split: "valid", rows: 10, coverage: 0, accuracy: nil, votesPerClass: [0, 0],
                                                          loadError: nil, errors: 0, timeouts: 0, firstError: nil)))
        #expect(update(&state, .key(.char("s"))) == [.saveProgram(id: id), .render])
        _ = update(&state, .programSaved(id: id, URL(fileURLWithPath: "/tmp/lfs/demo/alchemist/gpt-4o-mini/heuristics/LF1.py")))
        #expect(state.sessionSaved == 1)
        #expect(update(&state, .key(.char("s"))) == [.render])
        #expect(state.status == "s save: saved already")
    }

    @Test func regenerateDiscardsAnUnsavedProgramAndStartsANewGeneration() throws {
        var (state, id) = try started()
        _ = update(&state, .generationFinished(id: id, try fakeProgram()))
        let effects = update(&state, .key(.char("r")))
        let next = try #require(state.generation?.id)
        #expect(next == id + 1)
        #expect(effects == [.discardProgram(id: id), .startGeneration(id: next), .render])
    }

    @Test func nAsksHowManyMoreAndRefusesABadCount() throws {
        var (state, id) = try started()
        _ = update(&state, .generationFinished(id: id, try fakeProgram()))
        #expect(update(&state, .key(.char("n"))) == [.render])
        #expect(state.editing?.target == .batchCount)
        #expect(state.editing?.editor.text == "5")
        state.press(.backspace, .char("0"))
        #expect(update(&state, .key(.enter)) == [.render])
        #expect(state.statusIsError && state.status.contains("1 to 50"))
        state.press(.backspace, .char("3"))
        let effects = update(&state, .key(.enter))
        let next = try #require(state.generation?.id)
        #expect(effects == [.discardProgram(id: id), .startGeneration(id: next), .render])
        #expect(state.generation?.remaining == 2)
        #expect(state.generation?.inBatch == true)
        #expect(state.batchSize == 3)
    }

    @Test func theEditorChangesTheMissionAndCtrlXDropsChanges() throws {
        var state = try Fixtures.state()
        let original = state.mission
        state.press(.char("m"))
        #expect(state.editing?.target == .mission)
        state.press(.char(" "), .char("Q"), .char("q"))  // q types, it does not quit
        #expect(AppView.render(state).text.contains("Mission statement"))
        state.press(.escape)
        #expect(state.mission == original + " Qq")
        state.press(.char("m"), .backspace, .backspace, .ctrl("x"))
        #expect(state.mission == original + " Qq")
        state.press(.char("R"))
        #expect(state.mission == original)
    }

    @Test func ragNeedsAKnowledgePathBeforeItStarts() throws {
        var state = try Fixtures.state(mode: .alchemistRAG)
        #expect(update(&state, .key(.enter)) == [.render])
        #expect(state.screen == .setup)
        #expect(state.status.contains("knowledge path"))
        // K opens the picker on the working folder; t switches to typing the path.
        let effects = update(&state, .key(.char("K")))
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        #expect(effects == [.listFolder(here), .render])
        state.press(.char("t"), .char("d"), .char("o"), .char("c"), .char("s"), .enter)
        #expect(state.picker == nil)
        #expect(state.knowledgePath == "docs")
        #expect(state.generationChoices?.knowledgePath == "docs")
        #expect(AppView.render(state).text.contains("Sources: docs"))
    }

    @Test func theFilePickerWalksFoldersAndChoosesOne() throws {
        var state = try Fixtures.state(width: 100, height: 30, mode: .alchemistRAG)
        let root = URL(fileURLWithPath: "/data/project")
        state.push(.picker(FilePicker(folder: root)))
        _ = update(&state, .folderListed(root, [.init(name: "docs", isFolder: true), .init(name: "guide.txt", isFolder: false)], error: nil))
        var frame = AppView.render(state).text
        #expect(frame.contains("/data/project"))
        #expect(frame.contains("› docs/"))  // the first entry after ".."
        #expect(update(&state, .key(.enter)) == [.listFolder(root.appendingPathComponent("docs")), .render])
        _ = update(&state, .folderListed(root.appendingPathComponent("docs"), [.init(name: "rules.md", isFolder: false)], error: nil))
        state.press(.enter)  // a file: chosen
        #expect(state.knowledgePath == "/data/project/docs/rules.md")
        #expect(state.picker == nil)
        // A folder can be chosen too (space on it), and an unreadable one shows why.
        state.push(.picker(FilePicker(folder: root)))
        _ = update(&state, .folderListed(root, nil, error: "cannot read /data/project: permission denied"))
        frame = AppView.render(state).text
        #expect(frame.contains("permission denied"))
        #expect(update(&state, .key(.escape)) == [.render])
        #expect(state.picker == nil)
        #expect(state.knowledgePath == "/data/project/docs/rules.md")
    }

    @Test func wideTextInAStreamKeepsEveryRowTheScreenWidth() throws {
        var (state, id) = try started()
        for piece in ["垃圾邮件 ", "通常包含 ", "🎉🎉 free ", "prizes ", "and ", "ＵＲＬｓ ", "e\u{301}motions"] {
            _ = update(&state, .generation(id: id, .text(stage: .knowledge, piece)))
        }
        let buffer = AppView.render(state)
        #expect(buffer.text.contains("垃圾邮件"))
        for y in 0..<buffer.height { #expect(DisplayWidth.of(buffer.row(y)) == buffer.width) }
    }

    func fakeProgram() throws -> GeneratedProgram {
        let config = try TestEnvironment.config()
        let template = try #require(try PromptTemplates.bundled().byDataset["youtube"])
        let plan = GenerationPlan(dataset: "demo", classCount: 2, template: template, mode: .scriptorium,
                                  codeModel: try #require(config.model(id: "gpt-4o-mini")), knowledgeModel: nil, prior: nil,
                                  mission: nil, query: nil, maxOutputTokens: 100)
        return GeneratedProgram(runID: "r", plan: plan, knowledge: nil, answer: "x", code: "def label_function(text):\n    return 0\n",
                                extractionError: nil, stages: [], finalPrompt: StagePrompt(system: nil, user: "p"), smokeTest: nil, callIDs: [])
    }
}

/// The read-only viewer of experiment logs.
@Suite struct TextViewerTests {
    @Test func aLoadedLogShowsScrollsAndCloses() throws {
        var state = try Fixtures.state(width: 80, height: 24)
        let text = (1...60).map { "row \($0) of the log" }.joined(separator: "\n")
        _ = update(&state, .fileLoaded(URL(fileURLWithPath: "/logs/demo.txt"), text: text, error: nil))
        var frame = AppView.render(state)
        #expect(frame.text.contains("demo.txt"))
        #expect(frame.text.contains("row 1 of the log"))
        #expect(frame.text.contains("lines 1–21 of 60"))
        state.press(.pageDown)
        frame = AppView.render(state)
        #expect(!frame.text.contains("row 1 of the log"))
        #expect(frame.text.contains("row 21 of the log"))
        state.press(.char("G"))
        #expect(AppView.render(state).text.contains("lines 40–60 of 60"))
        state.press(.char("q"))  // closes the viewer, does not quit the app
        #expect(state.viewer == nil)
        for y in 0..<frame.height { #expect(DisplayWidth.of(frame.row(y)) == 80) }
    }

    @Test func anUnreadableLogIsAnError() throws {
        var state = try Fixtures.state()
        _ = update(&state, .fileLoaded(URL(fileURLWithPath: "/logs/x.txt"), text: nil, error: "cannot read /logs/x.txt: no such file"))
        #expect(state.viewer == nil)
        #expect(state.statusIsError && state.status.contains("no such file"))
    }
}
