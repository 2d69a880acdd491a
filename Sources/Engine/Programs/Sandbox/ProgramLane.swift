import Foundation

/// One running program process and what the scheduler knows about it: the protocol session, the
/// bytes still to write, the batches sent, and the watchdog's clocks.
final class ProgramLane {
    let program: Int
    let process: ZygoteChild
    var session: WorkerSession
    let started = ContinuousClock.now

    /// Frames to write, oldest first; `offset` bytes of the first are written.
    private(set) var outgoing: [(bytes: [UInt8], batch: Int?)] = []
    private var offset = 0
    /// Batches given to this process and not yet answered, oldest first.
    private(set) var inFlight: [Int] = []
    private var written: Set<Int> = []

    private(set) var helloSeen = false
    private(set) var loaded = false
    /// The start of the work in hand (loading, or the oldest batch once it is written and the one
    /// before it answered), the CPU time then, and when the CPU time last moved.
    private(set) var workSince: ContinuousClock.Instant?
    private(set) var workCPU = 0.0
    private(set) var lastCPU = 0.0
    private(set) var lastCPUChange = ContinuousClock.now
    /// Why the engine killed the process, if it did.
    var killReason: String?
    /// The engine ended the process on purpose (program done, stopped or not loadable): not a death.
    private(set) var retired = false
    private(set) var retiredAt: ContinuousClock.Instant?
    private(set) var outputEndedAt: ContinuousClock.Instant?
    private(set) var inputClosed = false
    /// The engine ended the process's input because its work was done: exiting then is no death.
    private(set) var doneSending = false
    /// The first bytes of stderr (bubblewrap's or the interpreter's complaints before lock-down).
    private(set) var stderrHead: [UInt8] = []

    init(program: Int, process: ZygoteChild, session: WorkerSession, startLine: [UInt8]) {
        self.program = program
        self.process = process
        self.session = session
        outgoing = [(startLine, nil)]
        workSince = started
    }

    var isWorking: Bool { workSince != nil && killReason == nil && !retired }
    var hasOutgoing: Bool { !outgoing.isEmpty }

    func markHello() { helloSeen = true }

    func markLoaded() {
        loaded = true
        workSince = nil
    }

    /// Queues a batch frame; the batch is in flight from now on.
    func send(batch: Int, rows: Int, frame: [UInt8]) {
        outgoing.append((frame, batch))
        inFlight.append(batch)
        session.sent(batch: batch, rows: rows)
    }

    /// The oldest batch was answered: the next one (if written) becomes the work in hand.
    func answered() {
        inFlight.removeFirst()
        workSince = nil
        activateIfReady()
    }

    /// The batch's CPU is counted from the last reading of the watchdog (at most 100 ms old, well
    /// inside the per-batch slack), so the hot path reads nothing from /proc.
    private func activateIfReady() {
        guard loaded, workSince == nil, let oldest = inFlight.first, written.contains(oldest) else { return }
        workSince = .now
        workCPU = lastCPU
        lastCPUChange = .now
    }

    /// Writes what the pipe takes. Returns false when the pipe is broken (the process is gone).
    func flush() -> Bool {
        while let (bytes, batch) = outgoing.first {
            switch process.write(bytes, from: offset) {
            case .wrote(let count):
                offset += count
                guard offset == bytes.count else { continue }
                outgoing.removeFirst()
                offset = 0
                if let batch {
                    written.insert(batch)
                    activateIfReady()
                }
            case .wouldBlock:
                return true
            case .broken:
                outgoing.removeAll()
                offset = 0
                inputClosed = true
                process.closeInput()
                return false
            }
        }
        return true
    }

    /// No more batches for this process: once the queue is written, its input ends and it exits.
    func closeInputWhenFlushed() {
        guard outgoing.isEmpty, inFlight.isEmpty, !inputClosed else { return }
        inputClosed = true
        doneSending = true
        process.closeInput()
    }

    /// Ends the process on purpose: between batches its input closes and it exits by itself (its
    /// sandbox stays for the next program); in the middle of one the sandbox is killed.
    func retire() {
        guard !retired else { return }
        retired = true
        retiredAt = .now
        if inFlight.isEmpty {
            outgoing.removeAll()
            offset = 0
            inputClosed = true
            process.closeInput()
        } else {
            process.kill()
        }
    }

    func noteOutputEnded() {
        if outputEndedAt == nil { outputEndedAt = .now }
        process.closeOutput()
    }

    func keepStderr(_ bytes: [UInt8]) {
        if stderrHead.count < 4096 { stderrHead += bytes.prefix(4096 - stderrHead.count) }
    }

    /// Notes a CPU reading for the idle check.
    func observe(cpu: Double) {
        if cpu > lastCPU {
            lastCPU = cpu
            lastCPUChange = .now
        }
    }

    /// Batches that were given to this process and not answered, for another process to take.
    func unanswered() -> [Int] { inFlight }
}
