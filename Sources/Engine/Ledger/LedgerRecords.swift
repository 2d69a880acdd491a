import Foundation

/// What became of one LLM call.
public enum CallStatus: String, Sendable, Codable, CaseIterable {
    /// The call returned and its output was used.
    case ok
    /// The provider or the connection failed.
    case failed
    /// The user (or a timeout) stopped the call.
    case cancelled
    /// The call returned, but its output was thrown away (say, no program could be extracted).
    case discarded
}

/// One generation session: a dataset, a mode and the models that worked on it.
///
/// Nothing here carries an API key, and the ledger never stores one.
public struct LedgerRun: Sendable, Equatable {
    public var id: String
    /// Kept to the millisecond.
    public var started: Date
    public var dataset: String
    public var mode: String
    public var codeModel: String
    public var knowledgeModel: String?
    public var prior: String?
    public var mission: String?
    /// The RAG question, in `alchemist-rag` mode.
    public var query: String?

    public init(id: String, started: Date, dataset: String, mode: String, codeModel: String,
                knowledgeModel: String? = nil, prior: String? = nil, mission: String? = nil, query: String? = nil) {
        self.id = id
        self.started = started
        self.dataset = dataset
        self.mode = mode
        self.codeModel = codeModel
        self.knowledgeModel = knowledgeModel
        self.prior = prior
        self.mission = mission
        self.query = query
    }
}

/// One paid (or attempted) LLM call of a run, kept even when its output was discarded.
///
/// Nothing here carries an API key, and the ledger never stores one.
public struct LedgerCall: Sendable, Equatable {
    /// Assigned by the ledger when the call is recorded; a value given to `record` is ignored.
    public var id: Int64?
    public var runID: String
    /// e.g. "knowledge" or "code".
    public var stage: String
    public var provider: String
    public var model: String
    /// The prompt as sent (the messages joined), without any credential.
    public var prompt: String
    public var inputTokens: Int
    public var outputTokens: Int
    /// True when the provider sent no usage and the token counts are estimates.
    public var estimated: Bool
    /// USD, exact.
    public var cost: Decimal
    public var latencySeconds: Double
    public var status: CallStatus
    public var httpStatus: Int?
    public var error: String?
    /// Kept to the millisecond.
    public var started: Date

    public init(id: Int64? = nil, runID: String, stage: String, provider: String, model: String, prompt: String,
                inputTokens: Int, outputTokens: Int, estimated: Bool, cost: Decimal, latencySeconds: Double,
                status: CallStatus, httpStatus: Int? = nil, error: String? = nil, started: Date) {
        self.id = id
        self.runID = runID
        self.stage = stage
        self.provider = provider
        self.model = model
        self.prompt = prompt
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.estimated = estimated
        self.cost = cost
        self.latencySeconds = latencySeconds
        self.status = status
        self.httpStatus = httpStatus
        self.error = error
        self.started = started
    }
}

/// A program file saved by a run, with the cost of the calls that produced it.
public struct LedgerProgram: Sendable, Equatable {
    public var runID: String
    /// Absolute path of the program file; one row per path.
    public var path: String
    /// SHA-256 of the file's bytes in lowercase hex (`LedgerProgram.contentHash(of:)`): a file at this
    /// path with other contents (edited, or another program saved under a reused name) is not this program.
    public var contentHash: String
    /// USD, exact.
    public var cost: Decimal
    /// Kept to the millisecond.
    public var saved: Date

    public init(runID: String, path: String, contentHash: String, cost: Decimal, saved: Date) {
        self.runID = runID
        self.path = path
        self.contentHash = contentHash
        self.cost = cost
        self.saved = saved
    }

    /// The content hash of a program file: SHA-256 of its bytes, 64 lowercase hex digits.
    public static func contentHash<Bytes: Collection<UInt8>>(of bytes: Bytes) -> String {
        ContentHash.sha256Hex(Data(bytes))
    }
}

/// A passage a RAG run retrieved, as the ledger keeps it (the knowledge layer's own type stays above the ledger).
public struct LedgerRetrieval: Sendable, Equatable {
    public var source: String
    /// The chunk's index in its source.
    public var chunk: Int
    public var score: Double
    public var text: String

    public init(source: String, chunk: Int, score: Double, text: String) {
        self.source = source
        self.chunk = chunk
        self.score = score
        self.text = text
    }
}
