import Foundation

/// Everything the ledger knows about one generation run: its calls (whatever became of them), the
/// programs it saved, and what it cost.
///
/// A run's calls are all recorded, paid or not: `failed` and `cancelled` calls, and `discarded`
/// ones (the user threw the program away). A run whose code call is `ok` but that saved no program
/// ended without a file (no program could be extracted, or the program was never saved).
public struct RunSummary: Sendable, Equatable {
    public var runID: String
    /// Nil when the ledger has no row for the run (a program copied from another machine).
    public var run: LedgerRun?
    /// In the order they were recorded.
    public var calls: [LedgerCall]
    /// The program files the run saved, as recorded (the files may have been deleted since).
    public var programs: [LedgerProgram]

    public init(runID: String, run: LedgerRun?, calls: [LedgerCall], programs: [LedgerProgram]) {
        self.runID = runID
        self.run = run
        self.calls = calls
        self.programs = programs
    }

    /// USD of every call of the run.
    public var total: Decimal { calls.reduce(Decimal(0)) { $0 + $1.cost } }

    /// USD of the calls whose output was not used: failed, cancelled and discarded ones.
    public var unusedCost: Decimal { calls.filter { $0.status != .ok }.reduce(Decimal(0)) { $0 + $1.cost } }

    /// USD and count of the calls with `status`.
    public func cost(of status: CallStatus) -> (calls: Int, cost: Decimal) {
        let matching = calls.filter { $0.status == status }
        return (matching.count, matching.reduce(Decimal(0)) { $0 + $1.cost })
    }

    /// True when any call's token counts are estimates.
    public var estimated: Bool { calls.contains(where: \.estimated) }

    /// True when the run paid for a code answer but saved nothing.
    public var endedWithoutProgram: Bool {
        programs.isEmpty && calls.contains { $0.stage == "code" && $0.status == .ok }
    }
}

extension Ledger {
    /// The summary of run `runID`; a run the ledger does not know has no calls and no programs.
    public func runSummary(runID: String) throws -> RunSummary {
        let run = try runs().first { $0.id == runID }
        return RunSummary(runID: runID, run: run, calls: try calls(runID: runID),
                          programs: try programs().filter { $0.runID == runID })
    }

    /// The summaries of every run, by run id, read in one pass over the ledger.
    public func runSummaries() throws -> [String: RunSummary] {
        let callsByRun = Dictionary(grouping: try calls(), by: \.runID)
        let programsByRun = Dictionary(grouping: try programs(), by: \.runID)
        var summaries: [String: RunSummary] = [:]
        for run in try runs() {
            summaries[run.id] = RunSummary(runID: run.id, run: run, calls: callsByRun[run.id] ?? [], programs: programsByRun[run.id] ?? [])
        }
        return summaries
    }
}
