import Foundation

/// What the generation pipeline reports as it goes, for the terminal and the UI.
public enum GenerationEvent: Sendable {
    /// RAG: the passages retrieved for the request, best first.
    case retrieved([RetrievedPassage])
    case stageStarted(stage: GenerationStage, model: ModelSpec, prompt: StagePrompt, number: Int, of: Int)
    case text(stage: GenerationStage, String)
    case retrying(stage: GenerationStage, attempt: Int, delay: Double, error: ProviderError)
    /// Tokens and cost of the call so far (estimated while streaming) and the program's total so far.
    case usage(stage: GenerationStage, TokenUsage, cost: Decimal, total: Decimal)
    case stageFinished(stage: GenerationStage, usage: TokenUsage, cost: Decimal, finishReason: FinishReason?)
    case programExtracted(code: String)
    case extractionFailed(reason: String)
    case smokeTest(SmokeTestResult)
    /// The program was written to this file (emitted by whoever calls `GenerationPipeline.save`).
    case saved(URL)
}

/// A program the pipeline produced, not yet saved.
public struct GeneratedProgram: Sendable {
    public var runID: String
    public var plan: GenerationPlan
    public var knowledge: String?
    /// RAG: the passages the knowledge was grounded in.
    public var retrieved: [RetrievedPassage] = []
    public var answer: String
    /// nil when the answer held no `label_function`.
    public var code: String?
    public var extractionError: String?
    public var stages: [StageUsage]
    public var finalPrompt: StagePrompt
    public var smokeTest: SmokeTestResult?
    /// Ledger row ids of the calls that made it.
    public var callIDs: [Int64]

    public var inputTokens: Int { stages.reduce(0) { $0 + $1.inputTokens } }
    public var outputTokens: Int { stages.reduce(0) { $0 + $1.outputTokens } }
    /// The stages' total as a `Decimal`, for the budget, the header and the ledger.
    public var cost: Decimal { stages.totalCost.decimal }
    public var estimated: Bool { stages.contains { $0.estimated } }
}

/// Thrown before a call whose worst-case cost would exceed what is left of the budget.
public struct BudgetExceeded: Error, CustomStringConvertible, Sendable {
    public var stage: GenerationStage
    public var worstCase: Decimal
    public var left: Decimal
    public var description: String {
        "budget: the \(stage.rawValue) call could cost up to $\(worstCase) and only $\(left) of the budget is left; nothing was sent"
    }
}
