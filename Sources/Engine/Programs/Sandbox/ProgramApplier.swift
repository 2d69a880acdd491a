import CEngineShims
import Foundation

public struct SandboxError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

/// The result of applying programs to texts.
public struct ApplyOutcome: Sendable {
    public var matrix: LabelMatrix
    public var reports: [ProgramReport]
    /// What the first worker said about its confinement (uid, network, limits).
    public var sandboxFacts: [String: String]
    public var workers: Int
    /// Workers started again after one died or was killed.
    public var restarts: Int
}

/// Applies labeling programs to texts, each program in processes of its own inside the
/// operating-system sandbox (bubblewrap), never in this process. See docs/SECURITY.md.
public struct ProgramApplier: Sendable {
    public let settings: SandboxSettings

    public init(settings: SandboxSettings = .defaults) {
        self.settings = settings
    }

    /// The complete environment program processes get (nothing is inherited from this process).
    public static var workerEnvironment: [String: String] { OSSandbox.environment }

    /// Checks that programs can run here: the interpreter runs and the OS sandbox can be made (or
    /// the user allowed running without it). Cached; `apply` calls it too.
    /// - Returns: facts about the confinement (`os_sandbox`, `os_user`).
    /// - Throws: `SandboxError` saying what is missing and how to install it.
    public func checkSandbox() throws -> [String: String] {
        try OSSandbox.launch(settings: settings).facts
    }

    /// - Parameter progress: called with (votes done, votes in all) as batches finish.
    /// - Throws: `SandboxError` when no program process can start at all (no python3, no OS sandbox,
    ///   a broken set-up); `CancellationError` when the task is cancelled (every process is killed first).
    public func apply(_ programs: [LabelingProgram], to texts: [String], classCount: Int,
                      progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ApplyOutcome {
        try await apply(programs, windows: TextArrayWindows(texts), classCount: classCount, progress: progress)
    }

    /// Applies the programs to a split read window by window (`SandboxSettings.windowRows` rows at a
    /// time): only one window's texts are in memory, the votes of all of them come back as one matrix.
    /// What a program did in one window counts in the next (a program stopped stays stopped).
    /// The source is read on a thread of the applier's, one window ahead of the one applied.
    /// - Parameter onWindow: when given, gets each window's votes as soon as they are in (on the
    ///   applier's thread, in order), and the outcome's matrix stays empty: memory holds no more
    ///   than a window's votes.
    public func apply(_ programs: [LabelingProgram], windows source: some TextWindowSource, classCount: Int,
                      progress: (@Sendable (Int, Int) -> Void)? = nil,
                      onWindow: (@Sendable (LabelMatrix) throws -> Void)? = nil) async throws -> ApplyOutcome {
        let names = programs.map(\.name)
        // Keep same-user processes (an escaped program running unprivileged, for one) out of our memory and environment.
        _ = ces_set_not_dumpable()
        let settings = settings
        let sources = programs.map(\.source)
        let cancel = CancelSignal()
        nonisolated(unsafe) let source = source
        let run = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WindowedRun, Error>) in
                // One thread owns every program process (their parent-death signal is tied to it) and
                // never waits on one; the cooperative pool is not held while programs run.
                let thread = Thread {
                    continuation.resume(with: Result {
                        try Self.runWindows(sources: sources, names: names, source: source, classCount: classCount,
                                            settings: settings, cancel: cancel, progress: progress, onWindow: onWindow)
                    })
                }
                thread.name = "alchemist-sandbox"
                thread.start()
            }
        } onCancel: {
            cancel.fire()
        }
        var reports = run.state.reports
        for index in reports.indices { reports[index].name = names[index] }
        return ApplyOutcome(matrix: run.matrix, reports: reports, sandboxFacts: run.state.facts, workers: run.workers,
                            restarts: run.state.restarts)
    }

    private struct WindowedRun {
        var state: ApplyState
        var matrix: LabelMatrix
        var workers: Int
    }

    private static func runWindows(sources: [String], names: [String], source: some TextWindowSource, classCount: Int,
                                   settings: SandboxSettings, cancel: CancelSignal,
                                   progress: (@Sendable (Int, Int) -> Void)?,
                                   onWindow: (@Sendable (LabelMatrix) throws -> Void)?) throws -> WindowedRun {
        var state = ApplyState(programNames: names, rowCount: 0, settings: settings, progress: nil)
        var matrix = LabelMatrix(rows: 0, columns: sources.count)
        var workers = 0
        var launch: SandboxLaunch?
        var script: String?
        var done = 0
        let limit = max(1, settings.windowRows)
        var upcoming = WindowPrefetch(source: source, limit: limit)
        while let texts = try upcoming.take() {
            if cancel.isFired { throw CancellationError() }
            // The next window is read while this one is applied: the cores do not wait for the file.
            upcoming = WindowPrefetch(source: source, limit: limit)
            guard !texts.isEmpty else { continue }
            guard !sources.isEmpty else {
                if let onWindow { try onWindow(LabelMatrix(rows: texts.count, columns: 0)) } else { matrix.append(LabelMatrix(rows: texts.count, columns: 0)) }
                done += texts.count
                continue
            }
            if launch == nil {
                launch = try OSSandbox.launch(settings: settings)
                script = try workerScript()
            }
            let total = max(source.estimatedRows ?? 0, done + texts.count)
            // Room for the rows the source expects, and a margin when it only estimates them: past
            // its capacity an array doubles, and for a moment holds both copies of the votes.
            if done == 0, onWindow == nil { matrix.reserveRows(total + total / 8 + texts.count) }
            let programs = sources.count, before = done
            var windowProgress: (@Sendable (Int, Int) -> Void)?
            if let progress {
                windowProgress = { @Sendable votes, _ in progress(before * programs + votes, total * programs) }
            }
            let windowWorkers = settings.effectiveWorkers(programs: sources.count, rows: texts.count).count
            workers = max(workers, windowWorkers)
            let plan = SandboxScheduler.Plan(launch: launch!, script: script!, settings: settings, sources: sources,
                                             classCount: classCount, texts: texts, workers: windowWorkers,
                                             continuing: done == 0 ? nil : state)
            state = try SandboxScheduler(plan: plan, progress: windowProgress).run(cancel: cancel)
            if let onWindow { try onWindow(state.matrix) } else { matrix.append(state.matrix) }
            done += texts.count
            // A window's texts were allocated on the reading thread and freed here: give the pages
            // back, or each thread's malloc arena keeps a window's worth of free memory.
            ces_release_free_memory()
        }
        return WindowedRun(state: state, matrix: matrix, workers: workers)
    }

    /// The configured interpreter, else /usr/bin/python3 (readable by an unprivileged account), else python3 on PATH.
    static func resolvePython(_ configured: String?) throws -> String {
        let fileManager = FileManager.default
        if let configured {
            if configured.contains("/") {
                guard fileManager.isExecutableFile(atPath: configured) else {
                    throw SandboxError(reason: "sandbox.python: \(configured) is not an executable file")
                }
                return configured
            }
            if let found = searchPath(configured) { return found }
            throw SandboxError(reason: "sandbox.python: \(configured) not found on PATH")
        }
        if fileManager.isExecutableFile(atPath: "/usr/bin/python3") { return "/usr/bin/python3" }
        if let found = searchPath("python3") { return found }
        throw SandboxError(reason: "python3 was not found; install it (./scripts/setup does) or set sandbox.python in config.json")
    }

    static func searchPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func workerScript() throws -> String {
        guard let url = Bundle.module.url(forResource: "sandbox_worker", withExtension: "py"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw SandboxError(reason: "sandbox_worker.py is missing from the Engine bundle")
        }
        return text
    }
}

/// The next window of a source, read on a thread of its own. Windows are read one after the other
/// (a prefetch starts once the previous one was taken), so the source is never used by two threads at once.
private final class WindowPrefetch: @unchecked Sendable {
    private var result: Result<[String]?, Error>?
    private let ready = DispatchSemaphore(value: 0)

    init(source: some TextWindowSource, limit: Int) {
        nonisolated(unsafe) let source = source
        let thread = Thread { [self] in
            result = Result { try source.nextWindow(limit: limit) }
            ready.signal()
        }
        thread.name = "alchemist-read"
        thread.start()
    }

    /// Waits for the window; nil after the last one.
    func take() throws -> [String]? {
        ready.wait()
        return try result!.get()
    }
}
