import CEngineShims
import Foundation
import Subprocess

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

/// Applies labeling programs to texts in child `python3` processes, never in this process.
/// One worker per core by default; each compiles the programs once, then takes batches of texts
/// from a shared queue. See docs/SECURITY.md for what confines the workers.
public struct ProgramApplier: Sendable {
    public let settings: SandboxSettings

    public init(settings: SandboxSettings = .defaults) {
        self.settings = settings
    }

    /// The complete environment workers get (nothing is inherited from this process).
    public static var workerEnvironment: [String: String] { SandboxWorker.environment }

    public var workerCount: Int {
        settings.workers > 0 ? settings.workers : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// - Parameter progress: called with (votes done, votes in all) as passes finish.
    /// - Throws: `SandboxError` when no worker can start at all (no python3, a broken set-up).
    public func apply(_ programs: [LabelingProgram], to texts: [String], classCount: Int,
                      progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ApplyOutcome {
        let state = ApplyState(programNames: programs.map(\.name), rowCount: texts.count, settings: settings, progress: progress)
        guard !programs.isEmpty, !texts.isEmpty else {
            return ApplyOutcome(matrix: await state.matrix, reports: await state.reports, sandboxFacts: [:], workers: 0, restarts: 0)
        }
        // Keep same-user processes (an escaped program running unprivileged, for one) out of our memory and environment.
        _ = ces_set_not_dumpable()
        let python = try Self.resolvePython(settings.python)
        let script = try Self.workerScript()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-sandbox-\(UUID().uuidString)")
        // An empty folder the workers start in; it stays owned by us and is not writable by them.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: folder) }

        let batches = (texts.count + settings.batchSize - 1) / settings.batchSize
        let workers = min(workerCount, batches)
        let worker = SandboxWorker(python: python, script: script, workingDirectory: folder, settings: settings,
                                   sources: programs.map(\.source), classCount: classCount, texts: texts, state: state)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask { try await supervise(worker, state: state) }
            }
            try await group.waitForAll()
        }
        return ApplyOutcome(matrix: await state.matrix, reports: await state.reports, sandboxFacts: await state.facts,
                            workers: workers, restarts: await state.restarts)
    }

    /// Runs worker sessions until the queue is empty, replacing workers that die.
    private func supervise(_ worker: SandboxWorker, state: ApplyState) async throws {
        var failedStarts = 0
        while await state.hasWork {
            try Task.checkCancellation()
            let (end, status) = try await worker.run()
            switch end {
            case .finished:
                return
            case .fatal(let message):
                throw SandboxError(reason: "the sandbox worker could not set itself up: \(message)")
            case .died(let culprit, let phase):
                let reason = Self.describe(status, phase: phase, callTimeout: settings.callTimeoutSeconds)
                switch culprit {
                case .loading(let program)?:
                    await state.recordLoadKill(program: program, reason: "brought its worker down while loading: \(reason)")
                case .running(let program, let batch)?:
                    await state.recordKill(program: program, batch: batch, reason: "brought its worker down: \(reason)")
                case nil:
                    failedStarts += 1
                    if failedStarts >= 3 {
                        throw SandboxError(reason: "the sandbox worker (\(worker.python)) keeps dying while \(phase): \(reason)")
                    }
                }
                await state.recordRestart()
            }
        }
    }

    static func describe(_ status: TerminationStatus, phase: String, callTimeout: Double) -> String {
        switch status {
        case .exited(86): return "it kept running after its \(callTimeout) s time budget"
        case .exited(let code): return "worker exited with status \(code) while \(phase)"
        case .signaled(9): return "killed after no progress for more than \(max(2.0, callTimeout * 3 + 1)) s (stuck in C code the time budget cannot interrupt), or after a malformed result"
        case .signaled(11): return "worker crashed (segmentation fault, e.g. recursion too deep for the C stack)"
        case .signaled(24): return "worker hit its CPU-time limit"
        case .signaled(let signal): return "worker ended by signal \(signal) while \(phase)"
        }
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
