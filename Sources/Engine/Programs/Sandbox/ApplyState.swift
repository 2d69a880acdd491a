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
    /// Calls that hit the memory or the recursion limit (also counted in `errors`).
    public var limitHits: Int = 0
    /// Times the program's process died or was killed (crash, stall, a limit of the engine's).
    public var kills: Int = 0
    /// The first problem seen, as a one-line message.
    public var firstError: String?
    /// True when the program was stopped for the rest of the run (too many limit hits or kills, or its CPU budget).
    public var stopped: Bool = false

    /// All faults: errors, timeouts, invalid returns, and rows lost to kills.
    public var faultCount: Int { errors + timeouts + invalid }
}

/// The record of one application run: the matrix and the reports, with the rules that stop a
/// program. Owned by the scheduler's thread; nothing else touches it while the run goes on.
struct ApplyState {
    let batchSize: Int
    let rowCount: Int
    let settings: SandboxSettings
    private(set) var matrix: LabelMatrix
    private(set) var reports: [ProgramReport]
    private var limitHitTotals: [Int]
    private(set) var facts: [String: String] = [:]
    private(set) var restarts = 0
    /// Rows settled per program (voted, lost to a kill, or given up when the program stopped).
    private var settled: [Int]
    private let progress: (@Sendable (Int, Int) -> Void)?

    init(programNames: [String], rowCount: Int, settings: SandboxSettings, progress: (@Sendable (Int, Int) -> Void)?) {
        self.rowCount = rowCount
        self.settings = settings
        batchSize = settings.batchSize
        self.progress = progress
        matrix = LabelMatrix(rows: rowCount, columns: programNames.count)
        reports = programNames.map { ProgramReport(name: $0) }
        limitHitTotals = [Int](repeating: 0, count: programNames.count)
        settled = [Int](repeating: 0, count: programNames.count)
    }

    /// The state for the next window of a split: what the earlier windows counted against each
    /// program (faults, kills, limit hits, a stop) carries over, so a program stopped in one window
    /// stays stopped; the matrix and the rows settled start anew.
    init(continuing previous: ApplyState, rowCount: Int, progress: (@Sendable (Int, Int) -> Void)?) {
        self.init(programNames: previous.reports.map(\.name), rowCount: rowCount, settings: previous.settings, progress: progress)
        reports = previous.reports
        limitHitTotals = previous.limitHitTotals
        facts = previous.facts
        restarts = previous.restarts
        for program in reports.indices where !isRunnable(program) { settled[program] = rowCount }
    }

    var batchCount: Int { settings.batchCount(rows: rowCount) }

    func rows(of batch: Int) -> Range<Int> {
        (batch * batchSize)..<min(rowCount, (batch + 1) * batchSize)
    }

    /// Calls that may still hit a limit before the program is stopped (earlier windows count).
    func limitHitsLeft(_ program: Int) -> Int { max(1, settings.maxLimitHits - limitHitTotals[program]) }

    func isRunnable(_ program: Int) -> Bool { reports[program].loadError == nil && !reports[program].stopped }

    mutating func recordHello(_ hello: [String: String]) {
        if facts.isEmpty { facts = hello }
    }

    mutating func recordRestart() { restarts += 1 }

    /// How many sandboxes the run started (each forks its programs' processes one after another).
    mutating func recordSandboxes(_ count: Int) {
        if !facts.isEmpty { facts["sandboxes"] = "\((Int(facts["sandboxes"] ?? "") ?? 0) + count)" }
    }

    /// The process died while loading `program`. On a starved machine a program that loads fine can
    /// be blamed (the engine's watchdog fired), so it is condemned only after `maxKills` such
    /// deaths, like a program that kills its process while running.
    mutating func recordLoadKill(program: Int, reason: String) {
        reports[program].kills += 1
        if reports[program].kills >= settings.maxKills { recordLoad(program: program, error: reason) }
    }

    mutating func recordLoad(program: Int, error: String?) {
        guard let error, reports[program].loadError == nil else { return }
        reports[program].loadError = error
        finish(program)
    }

    mutating func recordPass(program: Int, result: BatchResult) {
        matrix.set(column: program, startRow: rows(of: result.batch).lowerBound, votes: result.votes)
        reports[program].errors += result.errors
        reports[program].timeouts += result.timeouts
        reports[program].limitHits += result.limitHits
        reports[program].invalid += result.invalid
        if reports[program].firstError == nil, let message = result.message { reports[program].firstError = message }
        limitHitTotals[program] += result.timeouts + result.limitHits
        settle(program, rows: result.votes.count)
        if result.stopped || limitHitTotals[program] >= settings.maxLimitHits {
            stop(program, reason: "stopped after \(limitHitTotals[program]) calls hit the time budget, the memory limit or the recursion limit")
        }
    }

    /// A program brought its process down while running on `batch`; its votes there stay abstains.
    mutating func recordKill(program: Int, batch: Int?, reason: String) {
        let lost = batch.map { rows(of: $0).count } ?? 0
        reports[program].kills += 1
        reports[program].errors += lost
        if reports[program].firstError == nil { reports[program].firstError = reason }
        settle(program, rows: lost)
        if reports[program].kills >= settings.maxKills { stop(program, reason: reason) }
    }

    /// Stops a program for the rest of the run; its remaining rows stay abstains.
    mutating func stop(_ program: Int, reason: String) {
        guard isRunnable(program) else { return }
        reports[program].stopped = true
        if reports[program].firstError == nil { reports[program].firstError = reason }
        finish(program)
    }

    /// Rows a program will never run on count as done for the progress figure.
    private mutating func finish(_ program: Int) {
        settle(program, rows: rowCount - settled[program])
    }

    private mutating func settle(_ program: Int, rows: Int) {
        let rows = min(rows, rowCount - settled[program])
        guard rows > 0 else { return }
        settled[program] += rows
        progress?(settled.reduce(0, +), rowCount * reports.count)
    }
}
