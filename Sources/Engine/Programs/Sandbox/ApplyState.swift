/// What happened to one program during an application run.
public struct ProgramReport: Sendable, Equatable {
    public var name: String
    /// Why the program could not be loaded; nil when it loaded.
    public var loadError: String?
    /// Calls that raised.
    public var errors: Int = 0
    /// Calls that ran past their time budget.
    public var timeouts: Int = 0
    /// Calls that returned something other than an int in -1..<classes.
    public var invalid: Int = 0
    /// Times the program brought down its worker (crash, stall, swallowed timeout).
    public var kills: Int = 0
    /// The first problem seen, as a one-line message.
    public var firstError: String?
    /// True when the program was stopped for the rest of the run (too many timeouts or kills).
    public var stopped: Bool = false

    /// All faults: errors, timeouts, invalid returns, and rows lost to kills.
    public var faultCount: Int { errors + timeouts + invalid }
}

/// A slice of work: the rows of one batch, for the programs still to run on it.
struct WorkItem: Sendable {
    var batch: Int
    var programs: [Int]
}

/// The shared state of one application run: the work queue, the matrix and the reports.
actor ApplyState {
    let batchSize: Int
    let rowCount: Int
    let settings: SandboxSettings
    private(set) var matrix: LabelMatrix
    private(set) var reports: [ProgramReport]
    private var queue: [WorkItem]
    private var timeoutTotals: [Int]
    private(set) var facts: [String: String] = [:]
    private(set) var restarts = 0
    private var done = 0
    private let progress: (@Sendable (Int, Int) -> Void)?

    init(programNames: [String], rowCount: Int, settings: SandboxSettings, progress: (@Sendable (Int, Int) -> Void)?) {
        self.rowCount = rowCount
        self.settings = settings
        batchSize = settings.batchSize
        self.progress = progress
        matrix = LabelMatrix(rows: rowCount, columns: programNames.count)
        reports = programNames.map { ProgramReport(name: $0) }
        timeoutTotals = [Int](repeating: 0, count: programNames.count)
        let batches = (rowCount + batchSize - 1) / batchSize
        let all = Array(programNames.indices)
        queue = programNames.isEmpty ? [] : (0..<batches).map { WorkItem(batch: $0, programs: all) }
    }

    func rows(of batch: Int) -> Range<Int> {
        (batch * batchSize)..<min(rowCount, (batch + 1) * batchSize)
    }

    /// Programs a fresh worker should load: all that have not failed to load or been stopped.
    func programsToLoad() -> [Int] {
        reports.indices.filter { reports[$0].loadError == nil && !reports[$0].stopped }
    }

    func isRunnable(_ program: Int) -> Bool { reports[program].loadError == nil && !reports[program].stopped }

    /// The next item, without programs that have since failed or been stopped.
    func next() -> WorkItem? {
        while !queue.isEmpty {
            var item = queue.removeFirst()
            item.programs = item.programs.filter(isRunnable)
            if !item.programs.isEmpty { return item }
        }
        return nil
    }

    func requeueFront(_ item: WorkItem) {
        if !item.programs.isEmpty { queue.insert(item, at: 0) }
    }

    var hasWork: Bool { queue.contains { $0.programs.contains(where: isRunnable) } }

    func recordHello(_ hello: [String: String]) {
        if facts.isEmpty { facts = hello }
    }

    func recordRestart() { restarts += 1 }

    /// The worker died while loading `program`. On a starved machine a program that loads fine can
    /// be blamed (the worker went silent for too long), so it is condemned only after `maxKills`
    /// such deaths, like a program that kills its worker while running.
    func recordLoadKill(program: Int, reason: String) {
        reports[program].kills += 1
        if reports[program].kills >= settings.maxKills { recordLoad(program: program, error: reason) }
    }

    func recordLoad(program: Int, error: String?) {
        guard let error, reports[program].loadError == nil else { return }
        reports[program].loadError = error
    }

    func recordPass(batch: Int, program: Int, votes: [Int32], errors: Int, timeouts: Int, invalid: Int,
                    stopped: Bool, message: String?) {
        matrix.set(column: program, startRow: rows(of: batch).lowerBound, votes: votes)
        reports[program].errors += errors
        reports[program].timeouts += timeouts
        reports[program].invalid += invalid
        if reports[program].firstError == nil, let message { reports[program].firstError = message }
        timeoutTotals[program] += timeouts
        if stopped || timeoutTotals[program] >= settings.maxTimeouts {
            reports[program].stopped = true
            if reports[program].firstError == nil { reports[program].firstError = "stopped after \(timeoutTotals[program]) timeouts" }
        }
        done += votes.count
        progress?(done, rowCount * reports.count)
    }

    /// A program brought its worker down while running on `batch`; its votes there stay abstains.
    func recordKill(program: Int, batch: Int, reason: String) {
        let lost = rows(of: batch).count
        reports[program].kills += 1
        reports[program].errors += lost
        if reports[program].firstError == nil { reports[program].firstError = reason }
        if reports[program].kills >= settings.maxKills {
            reports[program].stopped = true
        }
        done += lost
        progress?(done, rowCount * reports.count)
    }
}
