import Foundation

/// Reads and validates config.json.
public enum ConfigLoader {
    /// Finds the configuration file: `explicit`, else `ALCHEMIST_CONFIG`, else `./config.json`,
    /// else `config.json` in the app home.
    public static func locate(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                              currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit, relativeTo: currentDirectory).standardizedFileURL }
        if let fromEnv = environment["ALCHEMIST_CONFIG"], !fromEnv.isEmpty {
            return URL(fileURLWithPath: fromEnv, relativeTo: currentDirectory).standardizedFileURL
        }
        let local = currentDirectory.appendingPathComponent("config.json")
        if FileManager.default.fileExists(atPath: local.path) { return local }
        let home = AppPaths.appHome(configured: nil, environment: environment).appendingPathComponent("config.json")
        if FileManager.default.fileExists(atPath: home.path) { return home }
        throw JSONReadError(file: local.path, keyPath: "", reason: "no config.json here or in \(home.deletingLastPathComponent().path); pass --config FILE or set ALCHEMIST_CONFIG")
    }

    public static func load(from url: URL) throws -> AppConfig {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw JSONReadError(file: url.path, keyPath: "", reason: "cannot read the file (\(JSONReader.describe(error)))")
        }
        return try parse(data, file: url)
    }

    public static func parse(_ data: Data, file: URL) throws -> AppConfig {
        var root = try JSONReader.parse(data, file: file.path)
        let version = try root.int("version")
        guard version == 1 else { throw root.error("version", "unsupported version \(version) (this build reads version 1)") }

        var pathsReader = try root.object("paths")
        var paths = PathSettings(
            dataDir: try pathsReader.string("data_dir"),
            appHome: try pathsReader.optionalString("app_home"),
            lfDir: try pathsReader.optionalString("lf_dir"),
            expLogDir: try pathsReader.optionalString("exp_log_dir"))
        paths.dataDirs = try pathsReader.optionalStringArray("data_dirs") ?? []
        try requireKeys(pathsReader, ["app_home", "lf_dir", "exp_log_dir"])
        try pathsReader.finish()

        var fetchReader = try root.object("fetch")
        let fetch = FetchSettings(baseURL: try fetchReader.string("base_url"), timeoutSeconds: try fetchReader.int("timeout_seconds"))
        try fetchReader.finish()
        guard fetch.timeoutSeconds >= 1 else { throw fetchReader.error("timeout_seconds", "must be at least 1") }

        var datasetsReader = try root.object("datasets")
        var datasets: [DatasetSpec] = []
        for (name, var reader) in try datasetsReader.objectsByKey() {
            let taskName = try reader.string("task")
            guard let task = TaskKind(rawValue: taskName) else {
                throw reader.error("task", "expected one of \(TaskKind.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(taskName)\"")
            }
            let spec = DatasetSpec(
                name: name, title: try reader.string("title"), task: task, labels: try reader.stringArray("labels"),
                description: try reader.string("description"), textField: try reader.string("text_field"),
                fetchName: try reader.optionalString("fetch"))
            try requireKeys(reader, ["fetch"])
            try reader.finish()
            guard spec.labels.count >= 2 else { throw reader.error("labels", "a dataset needs at least two classes") }
            guard (spec.task == .binary) == (spec.labels.count == 2) else {
                throw reader.error("task", "\"\(taskName)\" does not fit \(spec.labels.count) classes")
            }
            datasets.append(spec)
        }
        try datasetsReader.finish()
        datasets.sort { keyPosition($0.name, in: data) < keyPosition($1.name, in: data) }

        var modes: [ModeSpec] = []
        for var reader in try root.objectArray("modes") {
            modes.append(ModeSpec(id: try reader.string("id"), name: try reader.string("name"),
                                  stages: try reader.stringArray("stages"), description: try reader.string("description")))
            try reader.finish()
        }
        var priors: [PriorTypeSpec] = []
        for var reader in try root.objectArray("prior_types") {
            priors.append(PriorTypeSpec(id: try reader.string("id"), name: try reader.string("name")))
            try reader.finish()
        }

        var models: [ModelSpec] = []
        for var reader in try root.objectArray("models") {
            let providerName = try reader.string("provider")
            guard let provider = ModelProvider(rawValue: providerName) else {
                throw reader.error("provider", "expected one of \(ModelProvider.allCases.map(\.rawValue).joined(separator: ", ")), found \"\(providerName)\"")
            }
            let kindName = try reader.string("kind")
            guard let kind = ModelKind(rawValue: kindName) else {
                throw reader.error("kind", "expected chat or embedding, found \"\(kindName)\"")
            }
            var model = ModelSpec(
                id: try reader.string("id"), provider: provider, kind: kind, apiModel: try reader.string("api_model"),
                inputPerMTok: try price(&reader, "input_per_mtok"), outputPerMTok: try price(&reader, "output_per_mtok"),
                cachedInputPerMTok: try reader.optionalString("cached_input_per_mtok") == nil ? nil : price(&reader, "cached_input_per_mtok"),
                retired: try reader.optionalString("retired"), note: try reader.optionalString("note"))
            try requireKeys(reader, ["cached_input_per_mtok", "retired", "note"])
            model.reasoning = try reader.optionalBool("reasoning") ?? false
            model.baseURL = try reader.optionalString("base_url")
            model.maxTokensField = try reader.optionalString("max_tokens_field")
            model.modelFile = try reader.optionalString("model_file")
            model.lowQuality = try reader.optionalBool("low_quality") ?? false
            if let field = model.maxTokensField, !["max_tokens", "max_completion_tokens"].contains(field) {
                throw reader.error("max_tokens_field", "expected max_tokens or max_completion_tokens, found \"\(field)\"")
            }
            try reader.finish()
            if let retired = model.retired, !isISODate(retired) {
                throw reader.error("retired", "expected a date YYYY-MM-DD, found \"\(retired)\"")
            }
            models.append(model)
        }

        var ragReader = try root.object("rag")
        let rag = RAGSettings(chunkSize: try ragReader.int("chunk_size"), chunkOverlap: try ragReader.int("chunk_overlap"), topK: try ragReader.int("top_k"))
        try ragReader.finish()
        guard rag.chunkSize > 0, rag.chunkOverlap >= 0, rag.chunkOverlap < rag.chunkSize else {
            throw ragReader.error("chunk_overlap", "needs 0 ≤ chunk_overlap < chunk_size")
        }
        guard rag.topK >= 1 else { throw ragReader.error("top_k", "must be at least 1") }

        var sandboxReader = try root.object("sandbox")
        let sandbox = try sandboxSettings(&sandboxReader)

        var providers = ProviderSettings.defaults
        if root.has("providers") {
            var reader = try root.object("providers")
            func endpoint(_ key: String, _ fallback: ProviderSettings.Endpoint) throws -> ProviderSettings.Endpoint {
                guard reader.has(key) else { return fallback }
                var entry = try reader.object(key)
                let result = ProviderSettings.Endpoint(baseURL: try entry.string("base_url"), apiKeyEnv: try entry.optionalString("api_key_env"))
                try entry.finish()
                guard let url = URL(string: result.baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                    throw entry.error("base_url", "expected an http(s) URL, found \"\(result.baseURL)\"")
                }
                return result
            }
            providers.openai = try endpoint("openai", providers.openai)
            providers.anthropic = try endpoint("anthropic", providers.anthropic)
            providers.openaiCompatible = try endpoint("openai-compatible", providers.openaiCompatible)
            try reader.finish()
        }
        var generation = GenerationSettings.defaults
        if root.has("generation") {
            var reader = try root.object("generation")
            generation.maxOutputTokens = try reader.optionalInt("max_output_tokens") ?? generation.maxOutputTokens
            generation.temperature = try reader.optionalDouble("temperature")
            generation.idleTimeoutSeconds = try reader.optionalInt("idle_timeout_seconds") ?? generation.idleTimeoutSeconds
            generation.maxRetries = try reader.optionalInt("max_retries") ?? generation.maxRetries
            try reader.finish()
            guard generation.maxOutputTokens >= 16 else { throw reader.error("max_output_tokens", "must be at least 16") }
            guard generation.idleTimeoutSeconds >= 1 else { throw reader.error("idle_timeout_seconds", "must be at least 1") }
            guard (0...10).contains(generation.maxRetries) else { throw reader.error("max_retries", "expected 0…10") }
            if let temperature = generation.temperature, !(0...2).contains(temperature) {
                throw reader.error("temperature", "expected 0…2 or null")
            }
        }

        try root.finish()
        try unique(datasets.map(\.name), root, "datasets")
        try unique(modes.map(\.id), root, "modes")
        try unique(priors.map(\.id), root, "prior_types")
        try unique(models.map(\.id), root, "models")
        var config = AppConfig(version: version, paths: paths, fetch: fetch, datasets: datasets, modes: modes, priorTypes: priors,
                               models: models, rag: rag, sandbox: sandbox, sourceFile: file)
        config.providers = providers
        config.generation = generation
        return config
    }

    /// The `sandbox` section: every key checked, limits validated (also what `spark-worker` is handed).
    static func sandboxSettings(_ reader: inout JSONReader) throws -> SandboxSettings {
        // Keys of earlier versions: say what became of them rather than "unknown key".
        for (old, now) in [("max_timeouts", "renamed to max_limit_hits (it counts memory and recursion limit hits too)"),
                           ("cpu_seconds", "replaced by cpu_ms_per_row, a CPU allowance per row behind the per-batch and per-run limits"),
                           ("isolate_network", "removed: every program runs in a network namespace of its own")] where reader.has(old) {
            throw reader.error(old, now)
        }
        var sandbox = SandboxSettings(
            workers: try reader.int("workers"), batchSize: try reader.int("batch_size"),
            callTimeoutSeconds: try reader.double("call_timeout_seconds"), maxLimitHits: try reader.int("max_limit_hits"),
            maxKills: try reader.int("max_kills"), memoryMB: try reader.int("memory_mb"),
            cpuMillisecondsPerRow: try reader.double("cpu_ms_per_row"), loadSeconds: try reader.double("load_seconds"),
            python: try reader.optionalString("python"), dropPrivilegesTo: try reader.string("drop_privileges_to"))
        if let windowRows = try reader.optionalInt("window_rows") { sandbox.windowRows = windowRows }
        try requireKeys(reader, ["python"])
        try reader.finish()
        try validate(sandbox, reader)
        return sandbox
    }

    /// Keys that must be present even though they may be null, so a typo cannot silently disable them.
    private static func requireKeys(_ reader: JSONReader, _ keys: [String]) throws {
        for key in keys where !reader.has(key) { throw reader.error(key, "missing (use null for none)") }
    }

    private static func price(_ reader: inout JSONReader, _ key: String) throws -> Decimal {
        let text = try reader.string(key)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value >= 0,
              text.allSatisfy({ $0.isNumber || $0 == "." }) else {
            throw reader.error(key, "expected a price in USD per 1M tokens as a decimal string like \"0.15\", found \"\(text)\"")
        }
        return value
    }

    /// JSON objects come back unordered; the datasets keep the order the file lists them in.
    private static func keyPosition(_ key: String, in data: Data) -> Int {
        let text = String(decoding: data, as: UTF8.self)
        let pattern = "\"" + NSRegularExpression.escapedPattern(for: key) + "\"\\s*:\\s*\\{"
        guard let range = text.range(of: pattern, options: .regularExpression) else { return Int.max }
        return text.distance(from: text.startIndex, to: range.lowerBound)
    }

    private static func isISODate(_ text: String) -> Bool {
        text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
    }

    private static func unique(_ names: [String], _ reader: JSONReader, _ key: String) throws {
        var seen: Set<String> = []
        for name in names where !seen.insert(name).inserted { throw reader.error(key, "\"\(name)\" appears twice") }
    }

    private static func validate(_ s: SandboxSettings, _ reader: JSONReader) throws {
        if s.workers < 0 { throw reader.error("workers", "must be 0 (one per core) or more") }
        if s.batchSize < 1 { throw reader.error("batch_size", "must be at least 1") }
        if !(s.callTimeoutSeconds > 0) { throw reader.error("call_timeout_seconds", "must be positive") }
        if s.maxLimitHits < 1 { throw reader.error("max_limit_hits", "must be at least 1") }
        if s.maxKills < 1 { throw reader.error("max_kills", "must be at least 1") }
        if s.memoryMB < 64 { throw reader.error("memory_mb", "must be at least 64") }
        if !(s.cpuMillisecondsPerRow > 0) { throw reader.error("cpu_ms_per_row", "must be positive") }
        if !(s.loadSeconds > 0) { throw reader.error("load_seconds", "must be positive") }
        if s.windowRows < 1 { throw reader.error("window_rows", "must be at least 1") }
    }
}
