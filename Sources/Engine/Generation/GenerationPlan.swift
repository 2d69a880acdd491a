import Foundation

/// The generation modes that run without retrieval.
public enum GenerationMode: String, Sendable, CaseIterable {
    /// ScriptoriumWS: the code model writes the program from the task description alone.
    case scriptorium
    /// Alchemist without RAG: the knowledge model writes prior knowledge, then the code model the program.
    case alchemist
    /// Alchemist with RAG: passages retrieved from the user's documents ground the prior knowledge.
    case alchemistRAG = "alchemist-rag"

    public var usesKnowledge: Bool { self != .scriptorium }
}

/// How retrieved passages become prior knowledge.
public enum RetrievalChain: String, Sendable, CaseIterable {
    /// Each passage → the knowledge model extracts what is relevant; then one call combines.
    case mapReduce = "map-reduce"
    /// All passages in one prompt (cheaper, one call).
    case stuff
}

public enum GenerationStage: String, Sendable, Equatable {
    /// RAG map step: what one retrieved passage holds that answers the request.
    case extract
    case knowledge, code
}

/// The exact prompt of one stage.
public struct StagePrompt: Sendable, Equatable {
    public var system: String?
    public var user: String

    /// How the prompt is kept in program files and the ledger.
    public var rendered: String {
        guard let system else { return user }
        return "[system]\n\(system)\n\n[user]\n\(user)"
    }
}

/// What to generate: the dataset's task, the mode, the models and the editable texts.
public struct GenerationPlan: Sendable {
    public var dataset: String
    public var classCount: Int
    public var template: PromptTemplate
    public var mode: GenerationMode
    public var codeModel: ModelSpec
    /// Alchemist mode only.
    public var knowledgeModel: ModelSpec?
    public var prior: PriorTypeSpec?
    /// Defaults to the template's mission statement.
    public var mission: String
    /// The prior-knowledge request; defaults to the template's request for the prior type.
    public var query: String?
    public var maxOutputTokens: Int
    public var temperature: Double?

    public init(dataset: String, classCount: Int, template: PromptTemplate, mode: GenerationMode, codeModel: ModelSpec,
                knowledgeModel: ModelSpec? = nil, prior: PriorTypeSpec? = nil, mission: String? = nil, query: String? = nil,
                maxOutputTokens: Int = GenerationSettings.defaults.maxOutputTokens, temperature: Double? = nil) {
        self.dataset = dataset
        self.classCount = classCount
        self.template = template
        self.mode = mode
        self.codeModel = codeModel
        self.knowledgeModel = mode.usesKnowledge ? (knowledgeModel ?? codeModel) : nil
        self.prior = mode.usesKnowledge ? prior : nil
        self.mission = mission ?? template.mission
        self.query = mode.usesKnowledge ? (query ?? prior.map { template.priorRequest(for: $0) } ?? template.priorRequest) : nil
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
    }

    public var stages: [GenerationStage] { mode.usesKnowledge ? [.knowledge, .code] : [.code] }

    /// RAG only: how passages are turned into knowledge, how many are retrieved, and how long one
    /// passage can be (the splitter's chunk size, in characters).
    public var chain = RetrievalChain.mapReduce
    public var topK = 3
    public var passageCharacters = 1000

    /// RAG map step for one passage.
    public func extractPrompt(_ passage: RetrievedPassage) -> StagePrompt {
        StagePrompt(system: template.knowledgeSystem, user: """
            Below is a passage from the user's own documents, then a request. Copy out, word for word, \
            every part of the passage that helps answer the request. If nothing in it helps, reply with NONE.

            Passage (from \(passage.chunk.source)):
            \(passage.chunk.text)

            Request: \(query ?? template.priorRequest)
            """)
    }

    /// RAG knowledge stage: the request answered with the extracts (map-reduce) or the passages (stuff).
    public func groundedKnowledgePrompt(_ passages: [RetrievedPassage], extracts: [String]?) -> StagePrompt {
        var blocks: [String] = []
        for (number, passage) in passages.enumerated() {
            let body = extracts.map { $0[number] } ?? passage.chunk.text
            if body.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "NONE" { continue }
            blocks.append("[\(number + 1)] \(passage.chunk.source)\n\(body)")
        }
        let context = blocks.isEmpty ? "(the documents held nothing relevant)" : blocks.joined(separator: "\n\n")
        return StagePrompt(system: template.knowledgeSystem, user: """
            Passages from the user's own documents:

            \(context)

            Using these passages where they apply, and your own knowledge where they do not, answer the request.

            Request: \(query ?? template.priorRequest)
            """)
    }

    /// Stage 1 of Alchemist: the knowledge model answers the prior-knowledge request.
    public var knowledgePrompt: StagePrompt {
        StagePrompt(system: template.knowledgeSystem, user: query ?? template.priorRequest)
    }

    /// The code stage; `knowledge` is stage 1's answer (Alchemist) and goes first as "useful information".
    public func codePrompt(knowledge: String?) -> StagePrompt {
        var parts: [String] = []
        if let knowledge {
            let compact = knowledge.split(whereSeparator: \.isNewline)
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
            parts.append("Useful information:\n\(compact)")
        }
        parts += [mission, template.labelingInstruction, template.signature]
        return StagePrompt(system: template.codeSystem, user: parts.joined(separator: "\n\n"))
    }

    /// The folder name of the mode in the program store and the experiment log.
    public var modeFolder: String { mode.rawValue }

    /// The most `count` programs can cost before anything is sent: every call the pipeline makes
    /// (for RAG with map-reduce one `extract` per retrieved passage first), each reading the
    /// longest input it can get (passages of `passageCharacters`, an earlier answer of
    /// `maxOutputTokens`) and writing its whole output allowance. The CLI's confirmation and the
    /// TUI's setup screen both show this.
    public func worstCaseCost(count: Int = 1) -> Decimal {
        let longestAnswer = String(repeating: "x", count: 4 * maxOutputTokens)
        let longestPassage = RetrievedPassage(chunk: KnowledgeChunk(source: "document", title: nil, index: 0, start: 0,
                                                                     text: String(repeating: "x", count: passageCharacters)), score: 1)
        var total = Decimal(0)
        if mode == .alchemistRAG {
            let passages = [RetrievedPassage](repeating: longestPassage, count: topK)
            if chain == .mapReduce {
                total += worstCaseCost(of: .extract, prompt: extractPrompt(longestPassage)) * Decimal(topK)
                total += worstCaseCost(of: .knowledge, prompt: groundedKnowledgePrompt(passages, extracts: passages.map { _ in longestAnswer }))
            } else {
                total += worstCaseCost(of: .knowledge, prompt: groundedKnowledgePrompt(passages, extracts: nil))
            }
        } else if mode == .alchemist {
            total += worstCaseCost(of: .knowledge, prompt: knowledgePrompt)
        }
        total += worstCaseCost(of: .code, prompt: codePrompt(knowledge: mode.usesKnowledge ? longestAnswer : nil))
        return total * Decimal(max(0, count))
    }

    /// The most a call of `stage` can cost: its prompt's estimated input plus every allowed output token.
    public func worstCaseCost(of stage: GenerationStage, prompt: StagePrompt) -> Decimal {
        let model = stage == .code ? codeModel : (knowledgeModel ?? codeModel)
        let request = ChatRequest(model: model, system: prompt.system, messages: [ChatMessage(.user, prompt.user)],
                                  maxOutputTokens: maxOutputTokens)
        return TokenCost.cost(model: model, inputTokens: request.estimatedInputTokens, outputTokens: maxOutputTokens)
    }
}
