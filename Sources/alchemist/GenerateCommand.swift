import ArgumentParser
import Dispatch
import Engine
import Foundation

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Have an LLM write labeling programs, streaming each stage live; smoke-test and save them.",
        discussion: """
        Modes: scriptorium (one stage: the code model writes the program from the task description) and \
        alchemist (the knowledge model first writes prior knowledge of the chosen type, then the code model the program). \
        Keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY in the environment or a .env file here; base URLs from \
        --base-url, OPENAI_BASE_URL / ANTHROPIC_BASE_URL, or config.json. Every call and its cost is recorded in the ledger \
        (see `alchemist pricing`). Ctrl-C cancels the call in flight: nothing half-done is saved, the spend is recorded.
        """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Dataset name (see `alchemist datasets`; default: youtube when present, else the demo dataset).")
    var dataset: String?

    @Option(help: "scriptorium, alchemist or alchemist-rag.")
    var mode = "alchemist"

    @Option(help: "Alchemist with RAG: a knowledge-source JSON file, a folder or a file of documents.")
    var knowledge: String?

    @Option(help: "Alchemist with RAG: map-reduce (each passage, then combine) or stuff (one call).")
    var chain = "map-reduce"

    @Option(help: "Alchemist with RAG: builtin (offline), openai or local.")
    var embedder = "builtin"

    @Option(name: .customLong("embedding-model"), help: "Embedding model for --embedder openai.")
    var embeddingModel = "text-embedding-3-small"

    @Option(name: .customLong("top-k"), help: "Alchemist with RAG: passages to retrieve (default: config.json rag.top_k).")
    var topK: Int?

    @Option(name: .customLong("code-model"), help: "Model that writes the program (see config.json models; default: gpt-4o-mini with OPENAI_API_KEY, else claude-haiku-4-5 with ANTHROPIC_API_KEY, else builtin, the offline synthesizer).")
    var codeModel: String?

    @Option(name: .customLong("knowledge-model"), help: "Model that writes the prior knowledge (alchemist mode; default: the code model).")
    var knowledgeModel: String?

    @Option(help: "Prior-knowledge type: heuristics, keywords, description, examples, or its full name.")
    var prior = "heuristics"

    @Option(help: "Mission statement (default: the dataset's template).")
    var mission: String?

    @Option(help: "Prior-knowledge request sent to the knowledge model (default: the template's, for the prior type).")
    var query: String?

    @Option(help: "Programs to make, each from fresh calls.")
    var count = 1

    @Option(help: "Stop before any call that could take the spend of this command over this many dollars.")
    var budget: String?

    @Flag(help: "Do not ask before spending money.")
    var yes = false

    @Flag(name: .customLong("save-broken"), help: "Save a program even when it does not load in the sandbox.")
    var saveBroken = false

    @Flag(name: .customLong("no-smoke-test"), help: "Save without running the program on the valid split first.")
    var noSmokeTest = false

    @Flag(name: .customLong("show-prompts"), help: "Print each stage's full prompt before its answer.")
    var showPrompts = false

    @Option(name: .customLong("base-url"), help: "Send every call to this base URL (e.g. http://127.0.0.1:8080/v1).")
    var baseURL: String?

    @Option(name: .customLong("model-file"), help: "local models: a GGUF file to serve instead of the configured one.")
    var modelFile: String?

    @Option(name: .customLong("local-protocol"), help: "local models: talk to the app's llama.cpp server as openai or anthropic.")
    var localProtocol = "openai"

    @Option(name: .customLong("max-output-tokens"), help: "Output cap per call (default: config.json generation.max_output_tokens).")
    var maxOutputTokens: Int?

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            let catalog = DatasetCatalog(config: config, paths: paths)
            let dataset = self.dataset ?? GenerationDefaults.dataset(catalog)
            guard let entry = catalog.entry(named: dataset) else {
                throw BadInput("--dataset: unknown dataset \"\(dataset)\" (see `alchemist datasets`)")
            }
            guard let generationMode = GenerationMode(rawValue: mode) else {
                throw BadInput("--mode: expected scriptorium, alchemist or alchemist-rag, found \"\(mode)\"")
            }
            guard let retrievalChain = RetrievalChain(rawValue: chain) else {
                throw BadInput("--chain: expected map-reduce or stuff, found \"\(chain)\"")
            }
            if let topK, topK < 1 { throw BadInput("--top-k: must be at least 1") }
            guard count >= 1 else { throw BadInput("--count: must be at least 1") }
            var budgetLimit: Decimal?
            if let budget {
                guard let value = Decimal(string: budget), value >= 0 else { throw BadInput("--budget: expected dollars, e.g. 0.50, found \"\(budget)\"") }
                budgetLimit = value
            }
            guard let wireProtocol = LocalLLMServer.WireProtocol(rawValue: localProtocol) else {
                throw BadInput("--local-protocol: expected openai or anthropic, found \"\(localProtocol)\"")
            }
            let keys = APIKeys()
            let codeModelID = codeModel ?? GenerationDefaults.codeModel(config: config, keys: keys)
            var choices = GenerationChoices(
                dataset: dataset, mode: generationMode, codeModel: try chatModel(codeModelID, "--code-model", config),
                knowledgeModel: generationMode.usesKnowledge ? try chatModel(knowledgeModel ?? codeModelID, "--knowledge-model", config) : nil,
                prior: try Self.priorType(prior, config))
            choices.mission = mission
            choices.query = query
            choices.knowledgePath = knowledge
            choices.chain = retrievalChain
            choices.embedder = embedder
            choices.embeddingModel = embeddingModel
            choices.topK = topK
            choices.baseURL = baseURL
            choices.modelFile = modelFile
            choices.localProtocol = wireProtocol
            choices.maxOutputTokens = maxOutputTokens
            choices.smokeTest = !noSmokeTest
            choices.builtinPace = isatty(1) != 0 ? 0.004 : 0
            // The setup screen's rule: the dataset on disk with a template, keys and local installs, a knowledge path for RAG.
            let models = [choices.codeModel] + (choices.resolvedKnowledgeModel.map { [$0] } ?? [])
            if let blocker = GenerationBlocker.first(
                dataset: dataset, datasetPresent: entry.isPresent, datasetFetchable: entry.isFetchable, hasTemplate: true,  // every dataset has one: its own or the generated template
                mode: generationMode, models: models.map { GenerationBlocker.ModelReadiness($0, config: config, keys: keys, appHome: paths.appHome) },
                knowledgePath: knowledge) {
                throw BadInput(blocker == .noKnowledgePath ? "--knowledge: \(blocker)" : "\(blocker)")
            }
            let session: GenerationSession
            do {
                session = try await GenerationSession.open(choices, config: config, paths: paths, keys: keys) { line in
                    FileHandle.standardError.write(Data((line + "\n").utf8))
                }
            } catch let error as ProviderError {
                // Resolved before anything is sent: a missing key or a bad base URL.
                throw BadInput("\(error.message); \(error.advice)")
            }
            defer { session.close() }
            let pipeline = session.pipeline
            let plan = session.plan
            let ledger = session.ledger
            try confirmSpend(plan)

            let printer = StreamPrinter(showPrompts: showPrompts)
            let work = Task { try await generateAll(pipeline, store: session.store, printer: printer, budget: budgetLimit) }
            GenerateInterrupt.install { work.cancel() }
            do {
                let saved = try await work.value
                printer.line("\(saved.count) of \(count) program\(count == 1 ? "" : "s") saved; spend recorded in \(ledger.path.path)")
                if saved.count < count { throw ExitCode(1) }
            } catch is CancellationError {
                printer.line("\ncancelled: nothing half-done was saved; the spend so far is recorded in the ledger")
                throw ExitCode(130)
            } catch let error as ProviderError {
                printer.line("\n\(error)")
                printer.line("what to do: \(error.advice)")
                throw ExitCode(error.kind == .missingKey ? 2 : 1)
            } catch let error as BudgetExceeded {
                printer.line("\n\(error.description)")
                throw ExitCode(1)
            }
        }
    }

    private func generateAll(_ pipeline: GenerationPipeline, store: ProgramStore, printer: StreamPrinter, budget: Decimal?) async throws -> [URL] {
        var saved: [URL] = []
        var spent = Decimal(0)
        for number in 1...count {
            try Task.checkCancellation()
            if count > 1 { printer.line("\n═══ program \(number) of \(count) ═══") }
            let program = try await pipeline.generate(budgetLeft: budget.map { $0 - spent }) { event in printer.show(event) }
            spent += program.cost
            printer.line("── program: \(program.inputTokens) in / \(program.outputTokens) out tokens\(program.estimated ? " (est.)" : "")"
                + " · \(Money.format(program.cost, .ledger)) ──")
            switch GenerationBatch.decision(for: program, keepBroken: saveBroken) {
            case .discard(let reason):
                try pipeline.discard(program)
                printer.line("not saved: \(reason)" + (program.code != nil ? " (pass --save-broken to keep it anyway)" : ""))
                continue
            case .save:
                break
            }
            let url = try pipeline.save(program, store: store, force: saveBroken)
            saved.append(url)
            printer.show(.saved(url))
        }
        return saved
    }

    private func chatModel(_ id: String, _ flag: String, _ config: AppConfig) throws -> ModelSpec {
        guard let model = config.model(id: id), model.kind == .chat else {
            let known = config.models.filter { $0.kind == .chat }.map(\.id).joined(separator: ", ")
            throw BadInput("\(flag): unknown chat model \"\(id)\" (known: \(known))")
        }
        if let retired = model.retired {
            FileHandle.standardError.write(Data("alchemist: warning: \(model.id) was retired on \(retired); the call may fail\n".utf8))
        }
        return model
    }

    static func priorType(_ text: String, _ config: AppConfig) throws -> PriorTypeSpec {
        if let found = config.priorType(named: text) { return found }
        let known = config.priorTypes.map { "\($0.id) (\($0.name))" }.joined(separator: ", ")
        throw BadInput("--prior: unknown prior-knowledge type \"\(text)\" (known: \(known))")
    }

    /// Asks before spending (worst case: every allowed output token) unless --yes; no terminal, no question: refuse.
    private func confirmSpend(_ plan: GenerationPlan) throws {
        let worst = plan.worstCaseCost(count: count)
        guard worst > 0, !yes else { return }
        let question = "Up to $\(Money.format(worst, .upperBound)) for \(count) program\(count == 1 ? "" : "s") (worst case). Go on? [y/N] "
        guard isatty(0) != 0 else {
            throw BadInput("this could spend up to $\(Money.format(worst, .upperBound)); pass --yes to confirm (no terminal to ask)")
        }
        FileHandle.standardError.write(Data(question.utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else { throw ExitCode(1) }
    }

}

/// Ctrl-C while generating: the first cancels the work (the call in flight stops, its spend is
/// recorded), a second one quits at once.
enum GenerateInterrupt {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var pressed = 0

    static func install(_ cancel: @escaping @Sendable () -> Void) {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .main)
            source.setEventHandler {
                pressed += 1
                if pressed > 1 {
                    WorkerRegistry.shared.killAll()
                    LocalLLMServer.killAll()
                    exit(128 + signalNumber)
                }
                WorkerRegistry.shared.killAll()
                cancel()
            }
            source.resume()
            sources.append(source)
        }
    }
}
