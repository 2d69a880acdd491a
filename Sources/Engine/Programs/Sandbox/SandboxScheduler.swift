import CEngineShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Wakes the scheduler's poll from another thread (task cancellation).
final class CancelSignal: Sendable {
    private let pipe: (read: Int32, write: Int32)
    private let fired = Mutex(false)

    init() {
        var fds: [Int32] = [-1, -1]
        _ = ces_pipe2(&fds, O_CLOEXEC | O_NONBLOCK)
        pipe = (fds[0], fds[1])
    }

    deinit {
        close(pipe.read)
        close(pipe.write)
    }

    var readFD: Int32 { pipe.read }
    var isFired: Bool { fired.withLock { $0 } }

    func fire() {
        fired.withLock { $0 = true }
        var byte: UInt8 = 1
        _ = Glibc.write(pipe.write, &byte, 1)
    }
}

/// Runs every program in processes of its own, at most `workers` at once, on one thread that owns
/// all of them: it polls their pipes, writes batches, checks every line through `WorkerSession`,
/// and every 100 ms reads their CPU time from /proc for the limits of `SandboxLimits`. Nothing a
/// program does can stop this thread: it never waits on a program, only on poll with a timeout.
///
/// Each lane has a sandbox of its own (`SandboxZygote`) that forks the lane's program processes,
/// one after the other; killing a process kills its sandbox, and a new one takes the lane.
///
/// Work is program by program: a process loads one program and takes that program's batches, two
/// in flight (the next waits in the pipe), until none is left; near the end a second process of
/// the same program takes a share, so every core stays busy. A process that dies or is killed
/// costs its program the batch it was on (a kill counted against it) and hands the rest back.
final class SandboxScheduler {
    struct Plan {
        let launch: SandboxLaunch
        let script: String
        let settings: SandboxSettings
        let sources: [String]
        let classCount: Int
        let texts: [String]
        let workers: Int
        /// The state after the split's earlier windows, when this run is one window of several.
        var continuing: ApplyState? = nil
    }

    private struct Pool {
        var next = 0
        var returned: [Int] = []
        var processes = 0
        /// A process of it has loaded it: only then may a second process share its batches.
        var loaded = false
        /// CPU of this program's processes that have ended.
        var spent = 0.0
    }

    private let plan: Plan
    private let limits: SandboxLimits
    private var state: ApplyState
    private var pools: [Pool]
    private var lanes: [ProgramLane?]
    private var zygotes: [SandboxZygote?]
    private var failedStarts = 0
    private var sandboxesStarted = 0
    private var lastTick = ContinuousClock.now
    private var readBuffer: [UInt8] = []
    /// The texts in shared memory, when the kernel gives it (else every batch goes through the pipe).
    private let shared: SharedTexts?
    /// What the programs import, for the sandboxes to import before they fork.
    private let modules: [String]

    init(plan: Plan, progress: (@Sendable (Int, Int) -> Void)?) {
        self.plan = plan
        limits = SandboxLimits(settings: plan.settings)
        state = plan.continuing.map { ApplyState(continuing: $0, rowCount: plan.texts.count, progress: progress) }
            ?? ApplyState(programNames: plan.sources.indices.map { "\($0)" }, rowCount: plan.texts.count,
                          settings: plan.settings, progress: progress)
        pools = [Pool](repeating: Pool(), count: plan.sources.count)
        shared = SharedTexts(texts: plan.texts, batchSize: plan.settings.batchSize)
        modules = SandboxZygote.importedModules(plan.sources)
        // Twice as many lanes as workers: the next program's process starts and loads while the
        // current one finishes, and only `workers` lanes have batches at once (`dispatch`).
        lanes = [ProgramLane?](repeating: nil, count: plan.workers * 2)
        zygotes = [SandboxZygote?](repeating: nil, count: plan.workers * 2)
    }

    /// - Returns: the matrix, the reports (named by index; the caller names them), the facts and restarts.
    func run(cancel: CancelSignal) throws -> ApplyState {
        defer { endAll() }
        while true {
            if cancel.isFired { throw CancellationError() }
            for index in lanes.indices where lanes[index] == nil { lanes[index] = try startLane(slot: index) }
            if lanes.allSatisfy({ $0 == nil }), nextProgram() == nil {
                state.recordSandboxes(sandboxesStarted)
                return state
            }
            try pollOnce(cancel: cancel)
            if ContinuousClock.now - lastTick >= .milliseconds(100) {
                lastTick = .now
                tick()
            }
            try settleZygotes()
            for index in lanes.indices { if let lane = lanes[index], try finalizeIfEnded(lane) { lanes[index] = nil } }
            dispatchWaiting()
        }
    }

    // MARK: - Starting

    /// The program a free lane takes next: one no process runs yet, else a share of the loaded
    /// program with the most batches left.
    private func nextProgram() -> Int? {
        let candidates = pools.indices.filter { state.isRunnable($0) && remaining($0) > 0 }
        let fresh = candidates.filter { pools[$0].processes == 0 }
        let sharing = candidates.filter { pools[$0].loaded && remaining($0) >= 2 }.max { remaining($0) < remaining($1) }
        return fresh.first ?? sharing
    }

    /// A program process for the lane, once its sandbox is ready (started on the first call).
    private func startLane(slot: Int) throws -> ProgramLane? {
        guard let program = nextProgram() else { return nil }
        guard let zygote = zygotes[slot] else {
            // The second half of the lanes starts its sandboxes once the first half is ready, so the
            // first programs do not wait behind sandboxes that are needed only later.
            guard slot < plan.workers || zygotes[0..<plan.workers].allSatisfy({ $0?.isReady == true }) else { return nil }
            do {
                let zygote = try SandboxZygote(launch: plan.launch, script: plan.script, rows: plan.texts.count, modules: modules,
                                               shared: shared)
                WorkerRegistry.shared.insert(zygote.process.pid)
                zygotes[slot] = zygote
                sandboxesStarted += 1
            } catch {
                throw SandboxError(reason: "\(error)")
            }
            return nil
        }
        guard zygote.isIdle else { return nil }
        let start: [String: Any] = [
            "op": "start", "classes": plan.classCount, "call_timeout": plan.settings.callTimeoutSeconds,
            "max_limit_hits": state.limitHitsLeft(program), "memory_mb": plan.settings.memoryMB,
            "cpu_seconds": Int(limits.runCPU(rows: plan.texts.count).rounded(.up)) + 5,
            "load_seconds": plan.settings.loadSeconds, "checks": plan.settings.pythonLevelChecks,
            "isolated": plan.launch.isolated, "shared_texts": shared != nil, "source": plan.sources[program],
            "memory_base": zygote.memoryBase,
        ]
        let line = Array(try JSONSerialization.data(withJSONObject: start)) + [0x0A]
        let process: ZygoteChild
        do {
            process = try zygote.fork()
        } catch {
            zygote.kill()  // its control socket is broken: a new sandbox takes the lane
            return nil
        }
        pools[program].processes += 1
        let session = WorkerSession(classCount: plan.classCount, maxBatchRows: plan.settings.batchSize)
        return ProgramLane(program: program, process: process, session: session, startLine: line)
    }

    private func remaining(_ program: Int) -> Int {
        pools[program].returned.count + max(0, state.batchCount - pools[program].next)
    }

    private func takeBatch(_ program: Int) -> Int? {
        if !pools[program].returned.isEmpty { return pools[program].returned.removeFirst() }
        guard pools[program].next < state.batchCount else { return nil }
        defer { pools[program].next += 1 }
        return pools[program].next
    }

    private func giveBack(_ batches: [Int], to program: Int) {
        guard state.isRunnable(program), !batches.isEmpty else { return }
        pools[program].returned = (pools[program].returned + batches).sorted()
    }

    // MARK: - I/O

    private func pollOnce(cancel: CancelSignal) throws {
        var fds = [pollfd(fd: cancel.readFD, events: Int16(POLLIN), revents: 0)]
        for zygote in zygotes.compactMap({ $0 }) {
            fds += zygote.pollDescriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        }
        for lane in lanes.compactMap({ $0 }) {
            fds.append(pollfd(fd: lane.process.stdoutFD, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: lane.process.stderrFD, events: Int16(POLLIN), revents: 0))
            fds.append(pollfd(fd: lane.hasOutgoing ? lane.process.stdinFD : -1, events: Int16(POLLOUT), revents: 0))
        }
        _ = poll(&fds, nfds_t(fds.count), 50)
        for zygote in zygotes.compactMap({ $0 }) { zygote.service() }
        for lane in lanes.compactMap({ $0 }) { try service(lane) }
    }

    private func service(_ lane: ProgramLane) throws {
        readBuffer.removeAll(keepingCapacity: true)
        var ended = false
        readLoop: while lane.process.stdoutFD >= 0 {
            switch lane.process.read(lane.process.stdoutFD, into: &readBuffer) {
            case .data: if readBuffer.count >= 1 << 20 { break readLoop }
            case .wouldBlock: break readLoop
            case .ended: ended = true; break readLoop
            }
        }
        if !readBuffer.isEmpty {
            for event in lane.session.receive(readBuffer) { try handle(event, lane) }
        }
        if ended { lane.noteOutputEnded() }
        var errors: [UInt8] = []
        while lane.process.stderrFD >= 0 {
            let result = lane.process.read(lane.process.stderrFD, into: &errors)
            if case .ended = result { lane.process.closeErrors() }
            guard case .data = result else { break }
            lane.keepStderr(errors)
            errors.removeAll(keepingCapacity: true)
        }
        if lane.hasOutgoing { _ = lane.flush() }
        if lane.loaded, remaining(lane.program) == 0 { lane.closeInputWhenFlushed() }
    }

    private func handle(_ event: WorkerEvent, _ lane: ProgramLane) throws {
        let program = lane.program
        switch event {
        case .hello(let facts):
            lane.markHello()
            failedStarts = 0
            state.recordHello(plan.launch.facts.merging(facts) { engine, _ in engine })
        case .fatal(let message):
            // A process retired before its start line went out reads no start: that is no failure.
            guard !lane.retired else { return }
            throw SandboxError(reason: "the sandbox worker could not set itself up: \(message)")
        case .loaded(let error):
            if let error {
                state.recordLoad(program: program, error: error)
                lane.retire()
            } else {
                lane.markLoaded()
                pools[program].loaded = true
                dispatch(lane)
            }
        case .result(let result):
            guard state.isRunnable(program) else { return lane.retire() }
            state.recordPass(program: program, result: result)
            lane.answered()
            if state.isRunnable(program) { dispatch(lane) } else { retireLanes(of: program) }
        case .violation(let reason):
            lane.killReason = "broke the worker protocol (\(reason))"
            lane.process.kill()
        }
    }

    /// Keeps two batches in flight while the program has batches left, on at most `workers` lanes at once.
    private func dispatch(_ lane: ProgramLane) {
        guard !lane.inFlight.isEmpty || busyLanes < plan.workers else { return }
        while lane.inFlight.count < 2, let batch = takeBatch(lane.program) {
            let rows = state.rows(of: batch)
            lane.send(batch: batch, rows: rows.count, frame: frame(batch, rows: rows))
        }
        _ = lane.flush()
        if remaining(lane.program) == 0 { lane.closeInputWhenFlushed() }
    }

    private func frame(_ batch: Int, rows: Range<Int>) -> [UInt8] {
        if let shared, !shared.nulBatches.contains(batch) { return shared.frame(batch: batch, rows: rows) }
        return BatchFrame.encode(batch: batch, texts: plan.texts[rows])
    }

    private var busyLanes: Int { lanes.reduce(0) { $0 + (($1?.inFlight.isEmpty ?? true) ? 0 : 1) } }

    /// Gives batches to loaded lanes that wait for a free worker.
    private func dispatchWaiting() {
        for lane in lanes.compactMap({ $0 }) where busyLanes < plan.workers {
            if lane.loaded, lane.inFlight.isEmpty, lane.killReason == nil, !lane.retired, state.isRunnable(lane.program) { dispatch(lane) }
        }
    }

    private func retireLanes(of program: Int) {
        for lane in lanes.compactMap({ $0 }) where lane.program == program && !lane.retired { lane.retire() }
    }

    // MARK: - Watchdog

    private func tick() {
        let now = ContinuousClock.now
        var table = ProcessTable()
        for lane in lanes.compactMap({ $0 }) where lane.killReason == nil && !lane.retired && lane.process.end == nil {
            let cpu = lane.process.cpuSeconds(table: &table)
            if let cpu { lane.observe(cpu: cpu) }
            let program = lane.program
            if let cpu, state.isRunnable(program) {
                let budget = limits.runCPU(rows: plan.texts.count)
                if pools[program].spent + cpu > budget {
                    state.stop(program, reason: "stopped: used more than \(Int(budget)) s of CPU in this run (the budget for \(plan.texts.count) rows at \(plan.settings.cpuMillisecondsPerRow) ms a row)")
                    retireLanes(of: program)
                    continue
                }
            }
            guard lane.isWorking, let since = lane.workSince else { continue }
            let rows = lane.loaded ? lane.inFlight.first.map { state.rows(of: $0).count } : nil
            if let reason = limits.violation(rows: rows, cpu: cpu.map { $0 - lane.workCPU }, wall: (now - since).seconds,
                                             idle: (now - lane.lastCPUChange).seconds) {
                lane.killReason = reason
                lane.process.kill()
            }
        }
    }

    // MARK: - Ends

    /// Settles a lane whose process has ended; true when it is gone.
    private func finalizeIfEnded(_ lane: ProgramLane) throws -> Bool {
        if lane.process.end == nil, let ended = lane.outputEndedAt ?? lane.retiredAt, ContinuousClock.now - ended > .seconds(2) {
            lane.process.kill()  // it closed its output, or was retired, but lingers
        }
        guard lane.outputEndedAt != nil || lane.killReason != nil || lane.retired, let end = lane.process.reap() else { return false }
        // Drain what it wrote before it ended, so a last result is not lost.
        if lane.process.stdoutFD >= 0 { try service(lane) }
        lane.process.closeAll()
        let program = lane.program
        pools[program].processes -= 1
        pools[program].spent += lane.lastCPU
        let finished = lane.doneSending && lane.inFlight.isEmpty && lane.killReason == nil
        if lane.retired || finished {
            giveBack(lane.unanswered(), to: program)
            return true
        }
        let reason = lane.killReason ?? describe(end)
        state.recordRestart()
        if !lane.helloSeen {
            failedStarts += 1
            if failedStarts >= 3 {
                let said = ProgramOutputText.clean(String(decoding: lane.stderrHead, as: UTF8.self), limit: 400)
                throw SandboxError(reason: "the sandbox worker (\(plan.launch.executable)) keeps dying while starting: \(reason)"
                    + (said.isEmpty ? "" : "; it said: \(said)"))
            }
        } else if !lane.loaded {
            state.recordLoadKill(program: program, reason: "brought its process down while loading: \(reason)")
        } else {
            let batches = lane.unanswered()
            state.recordKill(program: program, batch: batches.first, reason: "brought its process down: \(reason)")
            giveBack(Array(batches.dropFirst()), to: program)
        }
        return true
    }

    /// The zygote reports its child's own status; a sandbox killed whole shows as SIGKILL.
    private func describe(_ end: ProcessEnd) -> String {
        switch end {
        case .exited(86): return "it kept running after its \(plan.settings.callTimeoutSeconds) s time budget"
        case .exited(let code): return "its process exited with status \(code)"
        case .signaled(SIGKILL): return "its process was killed (SIGKILL from outside the engine, e.g. the CPU-time limit)"
        case .signaled(SIGSEGV): return "its process crashed (segmentation fault, e.g. recursion too deep for the C stack)"
        case .signaled(SIGXCPU): return "its process hit its CPU-time limit"
        case .signaled(let signal): return "its process ended by signal \(signal)"
        }
    }

    /// Drops the sandboxes that have ended; one that never got ready counts as a failed start
    /// (three in a row end the run with what it said).
    private func settleZygotes() throws {
        for slot in zygotes.indices {
            guard let zygote = zygotes[slot], zygote.hasEnded else { continue }
            zygote.service()
            zygote.end()
            WorkerRegistry.shared.remove(zygote.process.pid)
            zygotes[slot] = nil
            guard !zygote.isReady else { continue }
            failedStarts += 1
            if failedStarts >= 3 {
                let said = ProgramOutputText.clean(String(decoding: zygote.stderrHead, as: UTF8.self), limit: 400)
                let end = zygote.process.end.map { "\($0)" } ?? "it ended"
                throw SandboxError(reason: "the sandbox (\(plan.launch.executable)) keeps dying while starting: \(end)"
                    + (said.isEmpty ? "" : "; it said: \(said)"))
            }
        }
    }

    private func endAll() {
        for lane in lanes.compactMap({ $0 }) { lane.process.closeAll() }
        lanes = lanes.map { _ in nil }
        for zygote in zygotes.compactMap({ $0 }) {
            zygote.end()
            WorkerRegistry.shared.remove(zygote.process.pid)
        }
        zygotes = zygotes.map { _ in nil }
    }
}
