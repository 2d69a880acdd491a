import Engine
import Foundation
import Synchronization

/// Carries out the effects that need the engine, in tasks whose news comes back as messages in an
/// inbox the UI loop drains. Keeps one generation session open while the choices stay the same
/// (so the built-in synthesizer keeps writing different programs and a local server keeps running),
/// and the programs it produced, by generation id, until they are saved or discarded.
public final class EngineRunner: Sendable {
    /// The kinds of background work; one task of each at a time.
    enum Slot: Sendable, Hashable { case generation, labeling, fetching, testing, handLabeling, exporting, datasetInfo, addingDataset }

    struct Held: Sendable {
        var session: GenerationSession?
        var sessionKey: String?
        var programs: [Int: GeneratedProgram] = [:]
        /// The task of each slot, for cancelling it.
        var tasks: [Slot: Task<Void, Never>] = [:]
        /// Slots whose task has not ended, by the token of that task (set before it starts, so a
        /// task that ends at once cannot leave its slot marked busy).
        var running: [Slot: Int] = [:]
        var nextToken = 0
    }

    let config: AppConfig
    let paths: AppPaths
    let keys: APIKeys
    private let inbox = Mutex<[AppMessage]>([])
    let held = Mutex(Held())

    public init(config: AppConfig, paths: AppPaths, keys: APIKeys = APIKeys()) {
        self.config = config
        self.paths = paths
        self.keys = keys
    }

    public func post(_ message: AppMessage) { inbox.withLock { $0.append(message) } }

    /// The messages that arrived since the last call, oldest first.
    public func drain() -> [AppMessage] { inbox.withLock { messages in defer { messages.removeAll() }; return messages } }

    /// True while a generation, labeling, test or download task runs (the loop then polls more often).
    public var isBusy: Bool { held.withLock { !$0.running.isEmpty } }

    /// Checks in the background that programs can run in the OS sandbox; the answer arrives as
    /// `.sandboxChecked`, with a warning when they run without it or cannot run at all.
    public func checkSandbox() {
        let settings = config.sandbox
        Task.detached { [self] in
            let warning: String?
            do {
                let facts = try ProgramApplier(settings: settings).checkSandbox()
                warning = facts["os_sandbox"]?.hasPrefix("none") == true
                    ? "UNSAFE: programs run without an OS sandbox (--unsafe-no-os-sandbox)" : nil
            } catch {
                warning = "programs cannot run: \(error)"
            }
            post(.sandboxChecked(warning: warning))
        }
    }

    /// Runs `work` as the task of `slot`, cancelling the slot's previous task.
    func launch(_ slot: Slot, _ work: @escaping @Sendable () async -> Void) {
        let token = held.withLock { held -> Int in
            held.tasks[slot]?.cancel()
            held.nextToken += 1
            held.running[slot] = held.nextToken
            return held.nextToken
        }
        let task = Task { [self] in
            await work()
            held.withLock { held in
                if held.running[slot] == token {
                    held.running[slot] = nil
                    held.tasks[slot] = nil
                }
            }
        }
        held.withLock { held in if held.running[slot] == token { held.tasks[slot] = task } }
    }

    func cancel(_ slot: Slot) { held.withLock { $0.tasks[slot]?.cancel() } }

    /// Drops a program the user discarded (its calls stay in the ledger, marked discarded).
    func discard(_ id: Int) {
        let (session, program) = held.withLock { ($0.session, $0.programs.removeValue(forKey: id)) }
        if let session, let program { try? session.pipeline.discard(program) }
    }

    /// A key naming everything that shapes the session, so a change opens a new one.
    static func sessionKey(_ choices: GenerationChoices) -> String {
        [choices.dataset, choices.mode.rawValue, choices.codeModel.id, choices.knowledgeModel?.id ?? "-", choices.prior.id,
         choices.mission ?? "", choices.query ?? "", choices.knowledgePath ?? ""].joined(separator: "\u{1F}")
    }

    func startGeneration(id: Int, choices: GenerationChoices) {
        let key = Self.sessionKey(choices)
        launch(.generation) { [self] in
            do {
                let session = try await session(for: choices, key: key) { line in
                    self.post(.generationPreparing(id: id, line))
                }
                let program = try await session.pipeline.generate { event in self.post(.generation(id: id, event)) }
                held.withLock { $0.programs[id] = program }
                post(.generationFinished(id: id, program))
            } catch is CancellationError {
                post(.generationCancelled(id: id))
            } catch let error as ProviderError {
                if Task.isCancelled { post(.generationCancelled(id: id)) } else {
                    post(.generationFailed(id: id, message: error.description, advice: error.advice))
                }
            } catch let error as BudgetExceeded {
                post(.generationFailed(id: id, message: error.description, advice: "raise the budget"))
            } catch {
                if Task.isCancelled { post(.generationCancelled(id: id)) } else {
                    post(.generationFailed(id: id, message: "\(error)", advice: "check the choices and the files named"))
                }
            }
        }
    }

    /// The open session when its key matches, else a new one (the old one is closed).
    private func session(for choices: GenerationChoices, key: String, log: @escaping @Sendable (String) -> Void) async throws -> GenerationSession {
        if let open = held.withLock({ $0.sessionKey == key ? $0.session : nil }) { return open }
        let old = held.withLock { held -> GenerationSession? in
            defer { held.session = nil; held.sessionKey = nil }
            return held.session
        }
        old?.close()
        let session = try await GenerationSession.open(choices, config: config, paths: paths, keys: keys, log: log)
        held.withLock {
            $0.session = session
            $0.sessionKey = key
        }
        return session
    }

    func save(_ id: Int) {
        let (session, program) = held.withLock { ($0.session, $0.programs[id]) }
        guard let session, let program else {
            post(.saveFailed(id: id, "the program is no longer held"))
            return
        }
        do {
            let url = try session.pipeline.save(program, store: session.store)
            held.withLock { _ = $0.programs.removeValue(forKey: id) }
            post(.programSaved(id: id, url))
        } catch {
            post(.saveFailed(id: id, "\(error)"))
        }
    }

    /// The code of a held program (for the editor).
    public func code(of id: Int) -> String? { held.withLock { $0.programs[id]?.code } }

    /// Replaces a held program's code with the file the user edited (kept whole) and smoke-tests it again.
    public func replaceCode(of id: Int, with text: String) {
        Task { [self] in
            guard let (session, program) = held.withLock({ held in held.programs[id].map { (held.session, $0) } }), let session else { return }
            var edited = program
            let code: String
            do {
                code = try ProgramExtractor.editedProgram(text)
            } catch {
                post(.saveFailed(id: id, "\(error)"))
                return
            }
            edited.code = code
            edited.smokeTest = try? await session.pipeline.smokeTester?.run(code: code)
            held.withLock { $0.programs[id] = edited }
            post(.programEdited(id: id, code: code, edited.smokeTest))
        }
    }

    /// A folder's visible entries, folders first, each group by name.
    static func listing(of folder: URL) -> AppMessage {
        do {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            let entries = names.map { name -> FilePicker.Entry in
                var isFolder: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
                return FilePicker.Entry(name: name, isFolder: isFolder.boolValue)
            }.sorted { ($0.isFolder ? 0 : 1, $0.name.lowercased()) < ($1.isFolder ? 0 : 1, $1.name.lowercased()) }
            return .folderListed(folder, entries, error: nil)
        } catch {
            return .folderListed(folder, nil, error: "cannot read \(folder.path): \(error.localizedDescription)")
        }
    }

    /// Cancels the work in flight (its sandbox workers end with it) and stops the local server.
    /// It does not use `WorkerRegistry.killAll`: that reaches every worker of the process, also
    /// those of other work (another runner, another test), which then lose batches they were
    /// running. The app kills what is left when it exits (`TUIApp.run`).
    public func shutdown() {
        let session = held.withLock { held in
            defer { held.session = nil }
            held.tasks.values.forEach { $0.cancel() }
            return held.session
        }
        session?.close()
    }
}
