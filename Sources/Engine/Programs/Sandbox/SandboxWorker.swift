import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// How a worker session ended.
enum SessionEnd: Sendable {
    /// The queue ran dry and the worker quit.
    case finished
    /// The worker died or was killed; `culprit` is the program it was running, if any.
    case died(culprit: Culprit?, phase: String)
    /// The worker reported that it could not set itself up.
    case fatal(String)

    enum Culprit: Sendable {
        case loading(program: Int)
        case running(program: Int, batch: Int)
    }
}

/// Last sign of life from a worker, read by the stall watchdog.
final class Liveness: Sendable {
    private struct State { var last = ContinuousClock.now; var limit: Duration? = .seconds(10); var killed = false }
    private let state = Mutex(State())

    /// Marks activity; `limit` is how long silence may last from now on (nil: while idle, no limit).
    func touch(limit: Duration?) {
        state.withLock { $0.last = .now; $0.limit = limit }
    }

    func touch() { state.withLock { $0.last = .now } }

    /// True once, when silence has outlasted the limit.
    func shouldKill() -> Bool {
        state.withLock { state in
            guard !state.killed, let limit = state.limit, ContinuousClock.now - state.last > limit else { return false }
            state.killed = true
            return true
        }
    }

    var wasKilled: Bool { state.withLock { $0.killed } }
}

/// One worker process: started, fed batches from the shared queue until it runs dry or dies.
struct SandboxWorker {
    let python: String
    let script: String
    let workingDirectory: URL
    let settings: SandboxSettings
    let sources: [String]
    let classCount: Int
    let texts: [String]
    let state: ApplyState

    /// The whole environment of a worker: nothing inherited, so no API key can reach it.
    static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]

    /// Silence allowed while a program runs: the worker's timer beats every half budget.
    var busyLimit: Duration { .milliseconds(Int(max(2.0, settings.callTimeoutSeconds * 3 + 1) * 1000)) }

    func run() async throws -> (SessionEnd, TerminationStatus) {
        var options = PlatformOptions()
        options.processGroupID = 0  // own process group, so a kill takes any child with it
        let liveness = Liveness()
        let result = try await Subprocess.run(
            .path(FilePath(python)),
            arguments: ["-I", "-u", "-c", script],
            environment: .custom(Self.environment.reduce(into: [:]) { $0[Environment.Key(stringLiteral: $1.key)] = $1.value }),
            workingDirectory: FilePath(workingDirectory.path),
            platformOptions: options,
            input: .inputWriter,
            output: .sequence,
            error: .discarded
        ) { execution in
            try await withThrowingTaskGroup(of: SessionEnd?.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(100))
                        if liveness.shouldKill() {
                            try? execution.send(signal: .kill, toProcessGroup: true)
                            return nil
                        }
                    }
                    return nil
                }
                group.addTask {
                    var lines = LineReader(iterator: execution.standardOutput.makeAsyncIterator())
                    let pid = execution.processIdentifier.value
                    WorkerRegistry.shared.insert(pid)
                    defer { WorkerRegistry.shared.remove(pid) }
                    let end = await session(lines: &lines, writer: execution.standardInputWriter, liveness: liveness, pid: pid)
                    if case .finished = end { try? await execution.standardInputWriter.finish() } else {
                        try? execution.send(signal: .kill, toProcessGroup: true)
                    }
                    return end
                }
                var end: SessionEnd = .finished
                while let value = try await group.next() {
                    if let value {
                        end = value
                        group.cancelAll()
                    }
                }
                return end
            }
        }
        return (result.closureResult, result.terminationStatus)
    }

    private func session(lines: inout LineReader, writer: StandardInputWriter, liveness: Liveness, pid: pid_t) async -> SessionEnd {
        let load = await state.programsToLoad()
        var start: [String: Any] = [
            "op": "start", "classes": classCount, "call_timeout": settings.callTimeoutSeconds,
            "max_timeouts": settings.maxTimeouts, "memory_mb": settings.memoryMB, "cpu_seconds": settings.cpuSeconds,
            "isolate_network": settings.isolateNetwork, "drop_to": settings.dropPrivilegesTo,
        ]
        start["programs"] = load.map { ["id": $0, "source": sources[$0]] as [String: Any] }
        guard let startLine = try? JSONSerialization.data(withJSONObject: start), await write(Array(startLine) + [0x0A], writer) else {
            return .died(culprit: nil, phase: "starting")
        }
        // Start-up, then each program's load, may take this long without a message (loads have 5 budgets each).
        liveness.touch(limit: .seconds(max(10, Int(settings.callTimeoutSeconds * 5 + 2))))

        // Start-up: hello, then one "loaded" per program, then ready.
        var pendingLoads = load[...]
        while true {
            guard case .message(let message) = await nextMessage(&lines, liveness) else {
                try? kill(group: pid)
                return .died(culprit: pendingLoads.first.map { .loading(program: $0) }, phase: "loading")
            }
            if let fatal = message["fatal"] as? String { return .fatal(fatal) }
            if let hello = message["hello"] as? [String: Any] {
                await state.recordHello(hello.mapValues { "\($0)" })
            } else if let id = message["loaded"] as? Int {
                guard id == pendingLoads.first else {  // loads report in order; anything else breaks the protocol
                    try? kill(group: pid)
                    return .died(culprit: pendingLoads.first.map { .loading(program: $0) }, phase: "loading (malformed message)")
                }
                pendingLoads = pendingLoads.dropFirst()
                await state.recordLoad(program: id, error: (message["ok"] as? Bool) == true ? nil : (message["error"] as? String ?? "failed to load"))
            } else if message["ready"] != nil {
                break
            }
        }

        // Two batches in flight: the next one waits in the pipe while the worker runs the current one,
        // so the worker never idles between batches. Writing happens in its own task, so a large
        // batch blocked on a full pipe never stops us from reading results.
        let (outgoing, sender) = AsyncStream<[UInt8]>.makeStream()
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await line in outgoing where await !write(line, writer) { break }
            }
            defer {
                sender.finish()
                group.cancelAll()
            }
            var inFlight: [(item: WorkItem, remaining: ArraySlice<Int>)] = []
            func dispatch() async {
                guard let item = await state.next() else { return }
                sender.yield(await batchLine(item))
                inFlight.append((item, item.programs[...]))
            }
            /// Puts back what the worker had not finished; the first unfinished program of the oldest batch is to blame.
            func abandon(phase: String) async -> SessionEnd {
                let culprit = inFlight.first.flatMap { entry in entry.remaining.first.map { ($0, entry.item.batch) } }
                for (index, entry) in inFlight.enumerated().reversed() {
                    let left = index == 0 ? Array(entry.remaining.dropFirst()) : Array(entry.remaining)
                    await state.requeueFront(WorkItem(batch: entry.item.batch, programs: left))
                }
                inFlight.removeAll()
                return .died(culprit: culprit.map { .running(program: $0.0, batch: $0.1) }, phase: phase)
            }
            await dispatch()
            await dispatch()
            while let current = inFlight.first {
                liveness.touch(limit: busyLimit)
                let next = await nextMessage(&lines, liveness)
                guard case .message(let message) = next else {
                    // Output ended, or the worker broke the protocol: either way the program in flight is to blame.
                    if case .garbage = next { try? kill(group: pid) }
                    return await abandon(phase: "running")
                }
                let rows = await state.rows(of: current.item.batch)
                if message["done"] as? Int == current.item.batch, current.remaining.isEmpty {
                    inFlight.removeFirst()
                    await dispatch()
                    continue
                }
                // Results must come for the programs of this batch, in order, with votes in range.
                guard let program = message["p"] as? Int, program == current.remaining.first, message["b"] as? Int == current.item.batch,
                      let votesText = message["l"] as? String,
                      let votes = JSONText.parseVotes(votesText, expected: rows.count, classCount: classCount) else {
                    try? kill(group: pid)
                    return await abandon(phase: "running (malformed result)")
                }
                inFlight[0].remaining = current.remaining.dropFirst()
                await state.recordPass(
                    batch: current.item.batch, program: program, votes: votes, errors: message["e"] as? Int ?? 0,
                    timeouts: message["t"] as? Int ?? 0, invalid: message["x"] as? Int ?? 0,
                    stopped: message["stop"] as? Bool ?? false, message: message["msg"] as? String)
            }
            liveness.touch(limit: nil)
            return .finished
        }
    }

    /// The batch message for a work item: its rows' texts and the programs to run on them.
    private func batchLine(_ item: WorkItem) async -> [UInt8] {
        let rows = await state.rows(of: item.batch)
        var line: [UInt8] = []
        line.reserveCapacity(rows.count * 96 + 64)
        line.append(contentsOf: Array("{\"op\":\"batch\",\"b\":\(item.batch),\"run\":".utf8))
        JSONText.appendInts(item.programs, to: &line)
        line.append(contentsOf: Array(",\"texts\":".utf8))
        JSONText.appendArray(texts[rows], to: &line)
        line.append(contentsOf: [0x7D, 0x0A])
        return line
    }

    private func write(_ bytes: [UInt8], _ writer: StandardInputWriter) async -> Bool {
        do {
            _ = try await writer.write(bytes)
            return true
        } catch {
            return false
        }
    }

    enum Incoming {
        case message([String: Any])
        /// Output ended: the worker exited or was killed.
        case ended
        /// A line that is not part of the protocol.
        case garbage
    }

    /// The next protocol message, skipping heartbeats.
    private func nextMessage(_ lines: inout LineReader, _ liveness: Liveness) async -> Incoming {
        guard let line = try? await lines.next() else { return .ended }
        liveness.touch()
        if line == [0x68] { return await nextMessage(&lines, liveness) }  // "h": heartbeat
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else { return .garbage }
        return .message(object)
    }

    private func kill(group pid: pid_t) throws {
        if pid > 0 { _ = Glibc.kill(-pid, SIGKILL) }
    }
}

/// Splits a subprocess's output into lines.
struct LineReader {
    var iterator: SubprocessOutputSequence.AsyncIterator
    private var pending: [UInt8] = []
    private var start = 0

    init(iterator: SubprocessOutputSequence.AsyncIterator) { self.iterator = iterator }

    mutating func next() async throws -> [UInt8]? {
        while true {
            if let newline = pending[start...].firstIndex(of: 0x0A) {
                let line = Array(pending[start..<newline])
                start = newline + 1
                if start > 65536 {
                    pending.removeFirst(start)
                    start = 0
                }
                return line
            }
            guard let buffer = try await iterator.next() else {
                return nil
            }
            buffer.withUnsafeBytes { pending.append(contentsOf: $0) }
        }
    }
}

/// Process groups of running workers, so an interrupted app can end them all at once.
public final class WorkerRegistry: Sendable {
    public static let shared = WorkerRegistry()
    private let groups = Mutex<Set<pid_t>>([])

    func insert(_ pid: pid_t) { groups.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: pid_t) { groups.withLock { _ = $0.remove(pid) } }

    /// Kills every running worker's process group (for SIGINT/SIGTERM handlers).
    public func killAll() {
        for pid in groups.withLock({ $0 }) { _ = Glibc.kill(-pid, SIGKILL) }
    }
}
