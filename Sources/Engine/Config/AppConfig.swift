import Foundation

/// Everything config.json holds, validated and typed.
public struct AppConfig: Sendable {
    public var version: Int
    public var paths: PathSettings
    public var fetch: FetchSettings
    public var datasets: [DatasetSpec]
    public var modes: [ModeSpec]
    public var priorTypes: [PriorTypeSpec]
    public var models: [ModelSpec]
    public var rag: RAGSettings
    public var sandbox: SandboxSettings
    public var providers = ProviderSettings.defaults
    public var generation = GenerationSettings.defaults
    /// The file this configuration was read from.
    public var sourceFile: URL

    public func dataset(named name: String) -> DatasetSpec? { datasets.first { $0.name == name } }
    public func model(id: String) -> ModelSpec? { models.first { $0.id == id } }
    public func mode(id: String) -> ModeSpec? { modes.first { $0.id == id } }
    public func priorType(id: String) -> PriorTypeSpec? { priorTypes.first { $0.id == id } }
    /// A prior type by its id or its full name, in any case ("heuristics", "Heuristics").
    public func priorType(named text: String) -> PriorTypeSpec? {
        let wanted = text.lowercased()
        return priorTypes.first { $0.id == wanted || $0.name.lowercased() == wanted }
    }
}

public struct PathSettings: Sendable {
    /// Folder of datasets; relative paths are relative to the config file's folder.
    public var dataDir: String
    /// More dataset folders, searched after `dataDir` (a user's own beside the WRENCH copies).
    public var dataDirs: [String] = []
    public var appHome: String?
    public var lfDir: String?
    public var expLogDir: String?
}

public struct FetchSettings: Sendable {
    public var baseURL: String
    public var timeoutSeconds: Int
}

public enum TaskKind: String, Sendable, CaseIterable {
    case binary, multiclass
}

/// One of the named datasets the tool knows (present on disk or not).
public struct DatasetSpec: Sendable, Equatable {
    public var name: String
    public var title: String
    public var task: TaskKind
    public var labels: [String]
    public var description: String
    public var textField: String
    /// Folder name on the public WRENCH mirror, or nil when no mirror is known.
    public var fetchName: String?
}

public struct ModeSpec: Sendable, Equatable {
    public var id: String
    public var name: String
    public var stages: [String]
    public var description: String
}

public struct PriorTypeSpec: Sendable, Equatable {
    public var id: String
    public var name: String
}

public enum ModelProvider: String, Sendable, CaseIterable {
    case openai, anthropic
    case openaiCompatible = "openai-compatible"
    /// A GGUF model served by the app's own llama.cpp server (started and stopped by the app).
    case local
    case builtin
}

public enum ModelKind: String, Sendable, CaseIterable {
    case chat, embedding
}

/// A model with its price in USD per one million tokens, kept as `Decimal` so sums do not drift.
public struct ModelSpec: Sendable, Equatable {
    public var id: String
    public var provider: ModelProvider
    public var kind: ModelKind
    public var apiModel: String
    public var inputPerMTok: Decimal
    public var outputPerMTok: Decimal
    public var cachedInputPerMTok: Decimal?
    public var retired: String?
    public var note: String?
    /// Reasoning models (o-series, GPT-5): no temperature, `max_completion_tokens` only.
    public var reasoning = false
    /// A server of its own (an OpenAI-compatible one); nil uses the provider's base URL.
    public var baseURL: String?
    /// "max_tokens" or "max_completion_tokens"; nil picks by provider (local servers: max_tokens).
    public var maxTokensField: String?
    /// `local` models: a GGUF file, or "smollm2" for the demo model of scripts/setup-local-llm.
    public var modelFile: String?
    /// A demo model whose programs are poor (the UI says so next to its name).
    public var lowQuality = false
}

/// Where each provider is reached and which environment variable holds its key.
public struct ProviderSettings: Sendable, Equatable {
    public struct Endpoint: Sendable, Equatable {
        public var baseURL: String
        /// nil: the provider needs no key (local servers).
        public var apiKeyEnv: String?
    }

    public var openai: Endpoint
    public var anthropic: Endpoint
    public var openaiCompatible: Endpoint

    public static let defaults = ProviderSettings(
        openai: Endpoint(baseURL: "https://api.openai.com/v1", apiKeyEnv: "OPENAI_API_KEY"),
        anthropic: Endpoint(baseURL: "https://api.anthropic.com", apiKeyEnv: "ANTHROPIC_API_KEY"),
        openaiCompatible: Endpoint(baseURL: "http://127.0.0.1:8080/v1", apiKeyEnv: nil))
}

/// How LLM calls are made.
public struct GenerationSettings: Sendable, Equatable {
    public var maxOutputTokens: Int
    /// nil leaves the provider's default.
    public var temperature: Double?
    /// A call with no byte for this long fails (whole seconds).
    public var idleTimeoutSeconds: Int
    public var maxRetries: Int

    public static let defaults = GenerationSettings(maxOutputTokens: 2048, temperature: nil, idleTimeoutSeconds: 120, maxRetries: 2)
}

public struct RAGSettings: Sendable, Equatable {
    public var chunkSize: Int
    public var chunkOverlap: Int
    public var topK: Int

    /// The values of the shipped config.json, for code that has no config at hand (tests, previews).
    public static let defaults = RAGSettings(chunkSize: 1000, chunkOverlap: 20, topK: 3)
}

/// Limits for the child processes that run LLM-written programs (docs/SECURITY.md).
public struct SandboxSettings: Sendable, Equatable {
    /// Program processes running at once; 0 means one per core. More than the cores is capped (`effectiveWorkers`).
    public var workers: Int
    public var batchSize: Int
    /// Time budget of one call; a call past it becomes an abstain.
    public var callTimeoutSeconds: Double
    /// Calls that hit the time budget, the memory limit or the recursion limit after which a
    /// program is stopped for the rest of a run.
    public var maxLimitHits: Int
    /// Process deaths (crash, stall, a limit of the engine's) after which a program is stopped for the rest of a run.
    public var maxKills: Int
    /// Address-space limit of one program process.
    public var memoryMB: Int
    /// CPU a program may use per row, on average: sets the engine's per-batch and per-run CPU limits.
    public var cpuMillisecondsPerRow: Double
    /// CPU a program's module level may use while loading.
    public var loadSeconds: Double
    /// Interpreter to use; nil picks /usr/bin/python3, else python3 on PATH.
    public var python: String?
    /// Account the program processes are started as when the app runs as root.
    public var dropPrivilegesTo: String
    /// Rows of a split held in memory at once: a larger split is read and applied window by window,
    /// so the engine's memory stays flat however many rows the file has.
    public var windowRows = 250_000
    /// Run programs without the operating-system sandbox when it cannot be made (`--unsafe-no-os-sandbox`).
    /// Never read from config.json: the user asks for it on each command.
    public var allowWithoutOSSandbox = false
    /// Test-only: switch off the Python-level checks (AST check, import allowlist, reduced builtins)
    /// so tests can show that the OS sandbox holds on its own.
    var pythonLevelChecks = true

    public init(workers: Int, batchSize: Int, callTimeoutSeconds: Double, maxLimitHits: Int, maxKills: Int, memoryMB: Int,
                cpuMillisecondsPerRow: Double, loadSeconds: Double, python: String?, dropPrivilegesTo: String) {
        self.workers = workers
        self.batchSize = batchSize
        self.callTimeoutSeconds = callTimeoutSeconds
        self.maxLimitHits = maxLimitHits
        self.maxKills = maxKills
        self.memoryMB = memoryMB
        self.cpuMillisecondsPerRow = cpuMillisecondsPerRow
        self.loadSeconds = loadSeconds
        self.python = python
        self.dropPrivilegesTo = dropPrivilegesTo
    }

    public static let defaults = SandboxSettings(
        workers: 0, batchSize: 1000, callTimeoutSeconds: 1.0, maxLimitHits: 3, maxKills: 2, memoryMB: 1024,
        cpuMillisecondsPerRow: 20, loadSeconds: 2, python: nil, dropPrivilegesTo: "nobody")

    /// Batches of `batchSize` rows that `rows` rows make (the last one may be short).
    public func batchCount(rows: Int) -> Int { (max(0, rows) + max(1, batchSize) - 1) / max(1, batchSize) }

    /// `effectiveWorkers` for `rows` rows of every program.
    public func effectiveWorkers(programs: Int, rows: Int,
                                 cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> (count: Int, note: String?) {
        effectiveWorkers(programs: programs, batches: batchCount(rows: rows), cores: cores)
    }

    /// The number of program processes to run at once for `batches` batches of `programs` programs,
    /// and a note when the request was capped: never more than the cores (extra processes only
    /// compete for them) nor than there is work for.
    public func effectiveWorkers(programs: Int, batches: Int,
                                 cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> (count: Int, note: String?) {
        let cores = max(1, cores)
        let work = max(1, programs * batches)
        guard workers > 0 else { return (min(cores, work), nil) }
        return (min(workers, cores, work), workersNote(cores: cores))
    }

    /// What a front end says when `workers` asks for more processes than the machine has cores.
    public func workersNote(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> String? {
        workers > max(1, cores) ? "\(workers) workers asked for, \(max(1, cores)) used: this machine has \(max(1, cores)) cores" : nil
    }
}
