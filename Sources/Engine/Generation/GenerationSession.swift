import Foundation

/// Everything a run of generations needs, resolved once from the user's choices: the models (a
/// missing key is reported before anything is sent), the ledger, the smoke tester, one built-in
/// synthesizer (so successive programs differ), the app's own llama.cpp server for `local` models,
/// and the knowledge index for RAG. `close()` stops the server.
public final class GenerationSession: Sendable {
    public let pipeline: GenerationPipeline
    public let ledger: Ledger
    public let store: ProgramStore
    public let server: LocalLLMServer?
    /// RAG: chunks and documents of the index, and whether it was reused.
    public let knowledgeSummary: String?

    private init(pipeline: GenerationPipeline, ledger: Ledger, store: ProgramStore, server: LocalLLMServer?, knowledgeSummary: String?) {
        self.pipeline = pipeline
        self.ledger = ledger
        self.store = store
        self.server = server
        self.knowledgeSummary = knowledgeSummary
    }

    public var plan: GenerationPlan { pipeline.plan }

    /// Opens a session.
    /// - Parameter log: one line per preparation step (server start, index build).
    /// - Throws: `ProviderError` (missing key), `InputError`s naming what is wrong, loader errors.
    public static func open(_ choices: GenerationChoices, config: AppConfig, paths: AppPaths, keys: APIKeys = APIKeys(),
                            log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> GenerationSession {
        let catalog = DatasetCatalog(config: config, paths: paths)
        guard let entry = catalog.entry(named: choices.dataset) else {
            throw GenerationSetupError(description: "unknown dataset \"\(choices.dataset)\" (see `alchemist datasets`)")
        }
        guard entry.isPresent else {
            throw GenerationSetupError(description: "\(choices.dataset) is not on disk; fetch it with `alchemist datasets fetch \(choices.dataset)`")
        }
        if choices.mode == .alchemistRAG, choices.knowledgePath == nil {
            throw GenerationSetupError(description: "alchemist-rag needs a knowledge path")
        }
        let code = choices.codeModel
        let knowledge = choices.resolvedKnowledgeModel
        for model in [code] + (knowledge.map { [$0] } ?? []) where model.provider != .builtin && model.provider != .local {
            _ = try ChatModels.make(model, config: config, keys: keys, baseURLOverride: choices.baseURL)
        }
        let data = try catalog.load(choices.dataset)
        let template = try PromptTemplates.bundled().template(for: entry)
        var plan = GenerationPlan(
            dataset: choices.dataset, classCount: data.classCount, template: template, mode: choices.mode, codeModel: code,
            knowledgeModel: knowledge, prior: choices.prior, mission: choices.mission, query: choices.query,
            maxOutputTokens: choices.maxOutputTokens ?? config.generation.maxOutputTokens, temperature: config.generation.temperature)
        plan.chain = choices.chain
        plan.topK = choices.topK ?? config.rag.topK
        plan.passageCharacters = config.rag.chunkSize
        let ledger = try Ledger(path: Ledger.defaultPath(appHome: paths.appHome))
        let tester = choices.smokeTest ? try SmokeTester(dataset: data, settings: config.sandbox) : nil
        var synthesizer: BuiltinSynthesizer?
        if code.provider == .builtin || knowledge?.provider == .builtin {
            let saved = (try? ProgramStore.programs(under: paths.lfDir.appendingPathComponent(choices.dataset)))?.map(\.code) ?? []
            synthesizer = try BuiltinSynthesizer(dataset: data, prior: choices.mode.usesKnowledge ? choices.prior.id : nil,
                                                 existingPrograms: saved, pace: choices.builtinPace)
        }
        let builtin = synthesizer
        var server: LocalLLMServer?
        if let local = [code, knowledge].compactMap({ $0 }).first(where: { $0.provider == .local }) {
            log("local: starting the llama.cpp server for \(local.id)…")
            let started = try await LocalLLMServer(python: LocalLLMServer.defaultPython(appHome: paths.appHome),
                                                   modelFile: choices.modelFile ?? local.modelFile ?? "smollm2", alias: local.apiModel)
            log("local: serving on \(started.address) (pid \(started.processIdentifier))")
            server = started
        }
        let localAddress = server?.address
        let baseURL = choices.baseURL
        let wire = choices.localProtocol
        var pipeline = GenerationPipeline(
            plan: plan,
            chatModel: { spec in
                if spec.provider == .builtin, let builtin { return builtin }
                if spec.provider == .local {
                    return try ChatModels.make(spec, config: config, keys: keys, baseURLOverride: localAddress, localProtocol: wire)
                }
                return try ChatModels.make(spec, config: config, keys: keys, baseURLOverride: baseURL)
            },
            ledger: ledger, smokeTester: tester)
        var summary: String?
        if choices.mode == .alchemistRAG, let path = choices.knowledgePath {
            do {
                let embedder = try Embedders.make(choices.embedder, config: config, keys: keys, model: choices.embeddingModel,
                                                  appHome: paths.appHome, baseURLOverride: baseURL)
                let built = try await KnowledgeIndexing.build(path, embedder: embedder, config: config, paths: paths, ledger: ledger) {
                    log("knowledge: \($0)")
                }
                let text = "\(built.index.chunks.count) chunks from \(built.documents) documents\(built.reused ? " (index reused)" : "")"
                summary = text
                log("knowledge: \(text)")
                pipeline.retriever = Retriever(index: built.index, embedder: built.embedder)
            } catch {
                server?.stop()
                throw error
            }
        }
        return GenerationSession(pipeline: pipeline, ledger: ledger, store: ProgramStore(root: paths.lfDir), server: server,
                                 knowledgeSummary: summary)
    }

    /// Stops the local server, if one was started; safe to call twice.
    public func close() { server?.stop() }
}

/// A choice that cannot be used, named in the message.
public struct GenerationSetupError: InputError {
    public let description: String
}
