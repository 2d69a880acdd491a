import Foundation

/// Tokens and cost of one LLM call that went into a program.
public struct StageUsage: Codable, Sendable, Equatable {
    public var stage: String
    public var model: String
    public var inputTokens: Int
    public var outputTokens: Int
    /// Stored as its decimal text, e.g. "0.0012345".
    public var cost: USD
    /// True when the provider sent no usage and the counts are estimates.
    public var estimated: Bool

    public init(stage: String, model: String, inputTokens: Int, outputTokens: Int, cost: USD, estimated: Bool) {
        self.stage = stage
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cost = cost
        self.estimated = estimated
    }

    enum CodingKeys: String, CodingKey {
        case stage, model, inputTokens = "input_tokens", outputTokens = "output_tokens", cost, estimated
    }
}

extension Sequence where Element == StageUsage {
    /// The stages' costs added up, exactly: a program's total.
    public var totalCost: USD { map(\.cost).sum() }
}

/// Provenance kept in a program file's JSON metadata line.
public struct ProgramMetadata: Codable, Sendable, Equatable {
    public var dataset: String
    public var mode: String
    public var codeModel: String
    public var knowledgeModel: String?
    public var prior: String?
    public var stages: [StageUsage]
    /// ISO 8601, UTC.
    public var created: String
    public var runID: String
    public var engineVersion: String

    public init(dataset: String, mode: String, codeModel: String, knowledgeModel: String?, prior: String?,
                stages: [StageUsage], created: String, runID: String, engineVersion: String = EngineInfo.version) {
        self.dataset = dataset
        self.mode = mode
        self.codeModel = codeModel
        self.knowledgeModel = knowledgeModel
        self.prior = prior
        self.stages = stages
        self.created = created
        self.runID = runID
        self.engineVersion = engineVersion
    }

    enum CodingKeys: String, CodingKey {
        case dataset, mode, codeModel = "code_model", knowledgeModel = "knowledge_model", prior, stages, created
        case runID = "run_id", engineVersion = "engine_version"
    }

    /// The `created` stamp of a program saved now (ISO 8601, UTC).
    public static func now() -> String { ISO8601DateFormatter().string(from: Date()) }

    /// What the recorded stages cost together.
    public var totalCost: USD { stages.totalCost }
}

/// A labeling program: Python source defining `label_function`, with how it was made and what it cost.
public struct LabelingProgram: Sendable, Equatable {
    /// Display name, e.g. "LF3" or a path relative to the folder it was found in.
    public var name: String
    public var path: URL?
    /// The final prompt that produced the code, when known.
    public var prompt: String?
    public var inputTokens: Int?
    public var outputTokens: Int?
    /// The amount in the header's `# cost:` line, when there is one.
    public var cost: Decimal?
    public var metadata: ProgramMetadata?
    /// The code below the header.
    public var code: String
    /// The whole file as Python sees it (header included, so error line numbers match the file).
    public var source: String

    public init(name: String, path: URL? = nil, prompt: String? = nil, inputTokens: Int? = nil, outputTokens: Int? = nil,
                cost: Decimal? = nil, metadata: ProgramMetadata? = nil, code: String, source: String? = nil) {
        self.name = name
        self.path = path
        self.prompt = prompt
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cost = cost
        self.metadata = metadata
        self.code = code
        self.source = source ?? code
    }

    /// What the program cost: the sum of its recorded stages, else the header's amount, else zero.
    public var totalCost: USD {
        if let metadata, !metadata.stages.isEmpty { return metadata.totalCost }
        return cost.map(USD.init) ?? .zero
    }
}
