import Foundation

/// Writes one labeling program: the stages of the plan's mode stream from their models, every
/// call goes to the ledger (also failed and cancelled ones, with what they cost), the program is
/// extracted from the code stage's answer and smoke-tested in the sandbox. Saving is a separate
/// step (`save`), so a caller can show the result first and let the user decide.
public struct GenerationPipeline: Sendable {
    public var plan: GenerationPlan
    /// Makes the chat model for a model entry (provider, base URL and key resolved by the caller).
    public var chatModel: @Sendable (ModelSpec) throws -> any ChatModel
    public var ledger: Ledger?
    public var smokeTester: SmokeTester?
    /// Alchemist with RAG: the knowledge index and the embedder that built it.
    public var retriever: Retriever?

    public init(plan: GenerationPlan, chatModel: @escaping @Sendable (ModelSpec) throws -> any ChatModel,
                ledger: Ledger?, smokeTester: SmokeTester?) {
        self.plan = plan
        self.chatModel = chatModel
        self.ledger = ledger
        self.smokeTester = smokeTester
    }

    /// Runs the stages once.
    /// - Parameter budgetLeft: dollars that may still be spent; a call whose worst case exceeds it is not made.
    /// - Throws: `ProviderError` (after the retries), `BudgetExceeded`, `CancellationError`; the calls
    ///   made before are in the ledger either way.
    public func generate(budgetLeft: Decimal? = nil, emit: @Sendable (GenerationEvent) async -> Void) async throws -> GeneratedProgram {
        let runID = RunID.make()
        try ledger?.record(LedgerRun(id: runID, started: Date(), dataset: plan.dataset, mode: plan.modeFolder,
                                     codeModel: plan.codeModel.id, knowledgeModel: plan.knowledgeModel?.id, prior: plan.prior?.id,
                                     mission: plan.mission, query: plan.query))
        var stages: [StageUsage] = []
        var callIDs: [Int64] = []
        var spent = Decimal(0)
        var knowledge: String?
        var passages: [RetrievedPassage] = []
        var extracts: [String]?

        if plan.mode == .alchemistRAG {
            guard let retriever else {
                throw KnowledgeIndexError(reason: "Alchemist with RAG needs a knowledge index (--knowledge PATH)")
            }
            let (found, usage) = try await retriever.retrieve(plan.query ?? plan.template.priorRequest, k: plan.topK)
            if let usage {
                let cost = TokenCost.cost(model: usage.model, inputTokens: usage.inputTokens, outputTokens: 0)
                spent += cost
                let id = try ledger?.record(LedgerCall(
                    id: nil, runID: runID, stage: "embedding", provider: usage.model.provider.rawValue, model: usage.model.id,
                    prompt: plan.query ?? "", inputTokens: usage.inputTokens, outputTokens: 0, estimated: usage.estimated, cost: cost,
                    latencySeconds: usage.latencySeconds, status: .ok, httpStatus: nil, error: nil, started: Date()))
                callIDs += id.map { [$0] } ?? []
                stages.append(StageUsage(stage: "embedding", model: usage.model.id, inputTokens: usage.inputTokens, outputTokens: 0,
                                         cost: USD(cost), estimated: usage.estimated))
            }
            passages = found
            try ledger?.record(retrieved: passages.map {
                LedgerRetrieval(source: $0.chunk.source, chunk: $0.chunk.index, score: $0.score, text: $0.chunk.text)
            }, runID: runID)
            await emit(.retrieved(passages))
        }

        // The calls to make, in order: RAG map steps (one per passage), then the plan's stages.
        var steps: [(stage: GenerationStage, passage: Int?)] = []
        if plan.mode == .alchemistRAG && plan.chain == .mapReduce { steps += passages.indices.map { (GenerationStage.extract, $0) } }
        steps += plan.stages.map { ($0, nil) }
        for (index, step) in steps.enumerated() {
            let prompt: StagePrompt
            switch step.stage {
            case .extract: prompt = plan.extractPrompt(passages[step.passage!])
            case .knowledge: prompt = plan.mode == .alchemistRAG ? plan.groundedKnowledgePrompt(passages, extracts: extracts) : plan.knowledgePrompt
            case .code: prompt = plan.codePrompt(knowledge: knowledge)
            }
            if let budgetLeft {
                let worst = plan.worstCaseCost(of: step.stage, prompt: prompt)
                if worst > budgetLeft - spent { throw BudgetExceeded(stage: step.stage, worstCase: worst, left: budgetLeft - spent) }
            }
            let model = step.stage == .code ? plan.codeModel : (plan.knowledgeModel ?? plan.codeModel)
            await emit(.stageStarted(stage: step.stage, model: model, prompt: prompt, number: index + 1, of: steps.count))
            let call = try await runCall(stage: step.stage, model: model, prompt: prompt, runID: runID, spentBefore: spent, emit: emit)
            callIDs += call.id.map { [$0] } ?? []
            spent += call.cost
            stages.append(StageUsage(stage: step.stage.rawValue, model: model.id, inputTokens: call.usage.inputTokens,
                                     outputTokens: call.usage.outputTokens, cost: USD(call.cost), estimated: call.usage.estimated))
            await emit(.stageFinished(stage: step.stage, usage: call.usage, cost: call.cost, finishReason: call.finishReason.map { FinishReason($0) }))
            switch step.stage {
            case .extract: extracts = (extracts ?? []) + [call.text]
            case .knowledge: knowledge = call.text
            case .code:
                var program = GeneratedProgram(runID: runID, plan: plan, knowledge: knowledge, retrieved: passages, answer: call.text,
                                               code: nil, extractionError: nil, stages: stages, finalPrompt: prompt, smokeTest: nil,
                                               callIDs: callIDs)
                let code: String
                do {
                    code = try ProgramExtractor.extract(from: call.text)
                } catch {
                    program.extractionError = "\(error)"
                    await emit(.extractionFailed(reason: "\(error)"))
                    return program
                }
                program.code = code
                await emit(.programExtracted(code: code))
                if let smokeTester {
                    let result = try await smokeTester.run(code: code)
                    program.smokeTest = result
                    await emit(.smokeTest(result))
                }
                return program
            }
        }
        throw ProviderError(kind: .badRequest, provider: "pipeline", message: "the mode has no code stage")
    }

    /// Saves the program in the store's folder for its dataset, mode, code model and prior, and
    /// records it in the ledger. A program that does not load is refused unless `force`.
    public func save(_ program: GeneratedProgram, store: ProgramStore, force: Bool = false) throws -> URL {
        guard let code = program.code else {
            throw ProgramStoreError(path: store.root.path, reason: "no program to save: \(program.extractionError ?? "no code")")
        }
        if let smoke = program.smokeTest, !smoke.loads, !force {
            throw ProgramStoreError(path: store.root.path,
                                    reason: "the program does not load (\(smoke.loadError ?? "")); save it anyway with --save-broken")
        }
        let metadata = ProgramMetadata(dataset: plan.dataset, mode: plan.modeFolder, codeModel: plan.codeModel.id,
                                       knowledgeModel: plan.knowledgeModel?.id, prior: plan.prior?.id, stages: program.stages,
                                       created: ProgramMetadata.now(), runID: program.runID)
        let (url, text) = try store.save(code: code, prompt: program.finalPrompt.rendered, inputTokens: program.inputTokens,
                                         outputTokens: program.outputTokens, cost: program.cost, metadata: metadata)
        try ledger?.record(LedgerProgram(runID: program.runID, path: url.path, contentHash: LedgerProgram.contentHash(of: Array(text.utf8)),
                                         cost: program.cost, saved: Date()))
        return url
    }

    /// Marks the calls of a program the user threw away.
    public func discard(_ program: GeneratedProgram) throws {
        for id in program.callIDs { try ledger?.setStatus(callID: id, .discarded) }
    }

    struct CallResult {
        var id: Int64?
        var text: String
        var usage: TokenUsage
        var cost: Decimal
        var finishReason: String?
    }

    private func runCall(stage: GenerationStage, model: ModelSpec, prompt: StagePrompt, runID: String, spentBefore: Decimal,
                         emit: @Sendable (GenerationEvent) async -> Void) async throws -> CallResult {
        var request = ChatRequest(model: model, system: prompt.system, messages: [ChatMessage(.user, prompt.user)],
                                  maxOutputTokens: plan.maxOutputTokens, temperature: plan.temperature)
        request.purpose = ChatRequest.Purpose(rawValue: stage.rawValue)
        let started = Date()
        let clock = ContinuousClock.now
        var text = ""
        var usage = TokenUsage(inputTokens: request.estimatedInputTokens, outputTokens: 0, estimated: true)
        var finishReason: String?
        var providerName = model.provider.rawValue
        func record(_ status: CallStatus, _ error: Error?) throws -> Int64? {
            let cost = TokenCost.cost(model: model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                                      cachedInputTokens: usage.cachedInputTokens)
            let providerError = error as? ProviderError
            return try ledger?.record(LedgerCall(
                id: nil, runID: runID, stage: stage.rawValue, provider: providerName, model: model.id, prompt: prompt.rendered,
                inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, estimated: usage.estimated, cost: cost,
                latencySeconds: (ContinuousClock.now - clock).seconds, status: status, httpStatus: providerError?.status,
                error: error.map { "\($0)" }, started: started))
        }
        do {
            let chat = try chatModel(model)
            providerName = chat.providerName
            for try await event in chat.stream(request) {
                switch event {
                case .text(let piece):
                    text += piece
                    if usage.estimated { usage.outputTokens = TokenEstimate.tokens(text) }
                    let cost = TokenCost.cost(model: model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens)
                    await emit(.text(stage: stage, piece))
                    await emit(.usage(stage: stage, usage, cost: cost, total: spentBefore + cost))
                case .usage(let reported):
                    usage = reported
                case .finished(let reason):
                    finishReason = reason
                case .retrying(let attempt, let delay, let error):
                    await emit(.retrying(stage: stage, attempt: attempt, delay: delay, error: error))
                }
            }
        } catch is CancellationError {
            _ = try? record(.cancelled, nil)
            throw CancellationError()
        } catch {
            _ = try? record(.failed, error)
            throw error
        }
        if Task.isCancelled {
            _ = try? record(.cancelled, nil)
            throw CancellationError()
        }
        let cost = TokenCost.cost(model: model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens,
                                  cachedInputTokens: usage.cachedInputTokens)
        await emit(.usage(stage: stage, usage, cost: cost, total: spentBefore + cost))
        let id = try record(.ok, nil)
        return CallResult(id: id, text: text, usage: usage, cost: cost, finishReason: finishReason)
    }
}
