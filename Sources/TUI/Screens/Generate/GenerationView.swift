import Engine
import Foundation

/// The generate screen's state: what each stage has streamed so far, the program, its smoke test,
/// what it cost. Changed only by `apply` (engine events) and the update function (keys).
public struct GenerationView: Sendable {
    public enum Phase: Sendable, Equatable {
        /// Opening the session: starting a local server, building the knowledge index.
        case preparing
        case running
        /// The program (or the reason there is none) is shown; the user decides.
        case finished
        case failed(message: String, advice: String)
        case cancelled
    }

    /// One stage's pane.
    public struct StagePane: Sendable {
        public var stage: GenerationStage
        /// nil when text arrived before the stage's start.
        public var model: ModelSpec?
        public var number: Int
        public var of: Int
        public var prompt: String
        public var text = ""
        /// Input tokens estimated from the prompt until the provider reports them.
        public var usage: TokenUsage
        public var cost = Decimal(0)
        public var isFinished = false
        public var finishReason: FinishReason?
        /// The last retry notice, shown until text arrives.
        public var retry: String?
    }

    /// Which generation these events belong to; events of older ones are ignored.
    public var id: Int
    public var phase: Phase = .preparing
    public var preparation: [String] = []
    public var passages: [RetrievedPassage] = []
    public var stages: [StagePane] = []
    public var program: GeneratedProgram?
    public var code: String?
    public var extractionError: String?
    public var smokeTest: SmokeTestResult?
    /// The program's spend so far (ticks while streaming): the pipeline's running total.
    public var programCost = Decimal(0)
    /// Where the program was saved, once it is.
    public var savedURL: URL?
    /// "generate N more": programs left to make after this one, and how many of the batch were saved.
    public var remaining = 0
    public var batchSaved = 0
    /// Part of a "generate more" batch: programs that load are saved without asking.
    public var inBatch = false
    /// Scroll state of the two stream panes (knowledge side, code side).
    public var knowledgeViewport = Viewport()
    public var codeViewport = Viewport()
    /// First line shown of the finished program.
    public var codeScroll = 0
    /// Which pane pgup/pgdn scroll: false the knowledge side, true the code side.
    public var focusesCode = true

    public init(id: Int) { self.id = id }

    public var isBusy: Bool { phase == .preparing || phase == .running }

    /// The text streamed by the stages before the code stage (extracts, knowledge), with headers
    /// when there is more than one.
    public var knowledgeStages: [StagePane] { stages.filter { $0.stage != .code } }
    public var codeStage: StagePane? { stages.last { $0.stage == .code } }

    public var inputTokens: Int { stages.reduce(0) { $0 + $1.usage.inputTokens } }
    public var outputTokens: Int { stages.reduce(0) { $0 + $1.usage.outputTokens } }
    public var isEstimated: Bool { stages.contains { $0.usage.estimated } }

    /// Applies one pipeline event. Text or usage for a stage that has not started (events out of
    /// order) opens its pane first, so nothing is lost.
    public mutating func apply(_ event: GenerationEvent) {
        switch event {
        case .retrieved(let found):
            passages = found
        case .stageStarted(let stage, let model, let prompt, let number, let of):
            phase = .running
            stages.append(StagePane(stage: stage, model: model, number: number, of: of, prompt: prompt.rendered,
                                    usage: TokenUsage(inputTokens: TokenEstimate.tokens(prompt.rendered), outputTokens: 0, estimated: true)))
        case .text(let stage, let piece):
            let index = paneIndex(stage)
            stages[index].text += piece
            stages[index].retry = nil
        case .retrying(let stage, let attempt, let delay, let error):
            stages[paneIndex(stage)].retry = String(format: "↻ %@ — retry %d in %.1f s", error.message, attempt, delay)
        case .usage(let stage, let usage, let cost, let total):
            let index = paneIndex(stage)
            stages[index].usage = usage
            stages[index].cost = cost
            programCost = total
        case .stageFinished(let stage, let usage, let cost, let reason):
            let index = paneIndex(stage)
            // The final cost replaces the stage's last reported one in the running total.
            programCost += cost - stages[index].cost
            stages[index].usage = usage
            stages[index].cost = cost
            stages[index].isFinished = true
            stages[index].finishReason = reason
        case .programExtracted(let found):
            code = found
        case .extractionFailed(let reason):
            extractionError = reason
        case .smokeTest(let result):
            smokeTest = result
        case .saved(let url):
            savedURL = url
        }
    }

    /// The pane of the latest `stage`, opened when missing.
    private mutating func paneIndex(_ stage: GenerationStage) -> Int {
        if let index = stages.lastIndex(where: { $0.stage == stage && !$0.isFinished }) ?? stages.lastIndex(where: { $0.stage == stage }) {
            return index
        }
        phase = .running
        stages.append(StagePane(stage: stage, model: nil, number: stages.count + 1, of: stages.count + 1, prompt: "",
                                usage: TokenUsage(inputTokens: 0, outputTokens: 0, estimated: true)))
        return stages.count - 1
    }

    /// The pipeline returned its program.
    public mutating func finish(_ result: GeneratedProgram) {
        program = result
        code = result.code
        extractionError = result.extractionError
        smokeTest = result.smokeTest ?? smokeTest
        programCost = result.cost
        phase = .finished
    }

    /// Whether the program may be saved as it is (it exists and loads).
    public var canSave: Bool {
        guard phase == .finished, savedURL == nil, code != nil else { return false }
        return smokeTest?.loads ?? true
    }
}
