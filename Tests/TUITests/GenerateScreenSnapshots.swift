@testable import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// The generate screen mid-stream and finished, at the usual sizes, built from events with fixed
/// numbers so the frames are the same on every machine.
@Suite struct GenerateScreenSnapshots {
    static let sizes = [(80, 24), (120, 40), (Chrome.minimumWidth, Chrome.minimumHeight)]

    func streaming(width: Int, height: Int) throws -> AppState {
        var state = try Fixtures.state(width: width, height: height, mode: .alchemist)
        _ = update(&state, .key(.enter))
        let id = try #require(state.generation?.id)
        let model = try #require(try TestEnvironment.config().model(id: "gpt-4o-mini"))
        func send(_ event: GenerationEvent) { _ = update(&state, .generation(id: id, event)) }
        send(.stageStarted(stage: .knowledge, model: model, prompt: StagePrompt(system: nil, user: String(repeating: "p", count: 400)), number: 1, of: 2))
        send(.text(stage: .knowledge, "Urgent (1): words like \"down\", \"outage\", \"asap\"; 90 % of 20 rows.\nRoutine (0): \"thanks\", \"password\"."))
        send(.stageFinished(stage: .knowledge, usage: TokenUsage(inputTokens: 112, outputTokens: 31, estimated: false),
                            cost: Decimal(string: "0.0000354")!, finishReason: "stop"))
        send(.stageStarted(stage: .code, model: model, prompt: StagePrompt(system: nil, user: String(repeating: "c", count: 800)), number: 2, of: 2))
        send(.text(stage: .code, "```python\nimport re\n\ndef label_function(text):\n    if re.search(r\"\\b(down|outage|asap)\\b\", text.lower()):\n        return 1\n"))
        return state
    }

    @Test(arguments: sizes)
    func streamingFrame(width: Int, height: Int) throws {
        try Snapshot.check(AppView.render(try streaming(width: width, height: height)), named: "generate-streaming-\(width)x\(height)")
    }

    @Test(arguments: sizes)
    func finishedFrame(width: Int, height: Int) throws {
        var state = try streaming(width: width, height: height)
        let id = try #require(state.generation?.id)
        let code = "import re\n\ndef label_function(text):\n    if re.search(r\"\\b(down|outage|asap)\\b\", text.lower()):\n        return 1\n    return -1\n"
        _ = update(&state, .generation(id: id, .stageFinished(stage: .code, usage: TokenUsage(inputTokens: 230, outputTokens: 52, estimated: false),
                                                              cost: Decimal(string: "0.0000657")!, finishReason: "stop")))
        _ = update(&state, .generation(id: id, .programExtracted(code: code)))
        let smoke = SmokeTestResult(split: "valid", rows: 100, coverage: 0.31, accuracy: 0.903, votesPerClass: [0, 31], loadError: nil,
                                    errors: 0, timeouts: 0, firstError: nil)
        _ = update(&state, .generation(id: id, .smokeTest(smoke)))
        var program = try #require(GenerationUpdateTests().fakeProgram() as GeneratedProgram?)
        program.code = code
        program.smokeTest = smoke
        program.stages = [StageUsage(stage: "knowledge", model: "gpt-4o-mini", inputTokens: 112, outputTokens: 31, cost: USD("0.0000354")!, estimated: false),
                          StageUsage(stage: "code", model: "gpt-4o-mini", inputTokens: 230, outputTokens: 52, cost: USD("0.0000657")!, estimated: false)]
        _ = update(&state, .generationFinished(id: id, program))
        let buffer = AppView.render(state)
        #expect(buffer.text.contains("def label_function") || height < 20)
        for y in 0..<buffer.height { #expect(DisplayWidth.of(buffer.row(y)) == width) }
        try Snapshot.check(buffer, named: "generate-finished-\(width)x\(height)")
    }
}
