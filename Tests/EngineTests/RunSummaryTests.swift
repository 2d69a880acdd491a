import Engine
import Foundation
import Testing
import TestSupport

@Suite struct RunSummaryTests {
    static let day = Date(timeIntervalSince1970: 1_750_000_000.5)

    func call(_ runID: String, stage: String, cost: String, status: CallStatus, estimated: Bool = false) -> LedgerCall {
        LedgerCall(runID: runID, stage: stage, provider: "openai", model: "gpt-4o-mini", prompt: "p", inputTokens: 100,
                   outputTokens: 50, estimated: estimated, cost: Decimal(string: cost)!, latencySeconds: 0.5, status: status,
                   started: Self.day)
    }

    @Test func aRunSumsAllItsCallsIncludingFailedAndDiscardedOnes() throws {
        let folder = try TestEnvironment.temporaryFolder("runs")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger(path: folder.appendingPathComponent("ledger.sqlite"))
        let run = LedgerRun(id: "run-a", started: Self.day, dataset: "demo", mode: "alchemist", codeModel: "gpt-4o-mini",
                            knowledgeModel: "gpt-4o", prior: "keywords")
        let other = LedgerRun(id: "run-b", started: Self.day, dataset: "demo", mode: "scriptorium", codeModel: "gpt-4o-mini")
        try ledger.record(run)
        try ledger.record(other)
        try ledger.record(call("run-a", stage: "knowledge", cost: "0.0011", status: .ok))
        try ledger.record(call("run-a", stage: "code", cost: "0.0007", status: .failed))
        let discarded = try ledger.record(call("run-a", stage: "code", cost: "0.0021", status: .ok, estimated: true))
        try ledger.setStatus(callID: discarded, .discarded)
        try ledger.record(call("run-a", stage: "code", cost: "0.0030", status: .ok))
        try ledger.record(call("run-b", stage: "code", cost: "0.5", status: .ok))
        try ledger.record(LedgerProgram(runID: "run-a", path: folder.appendingPathComponent("LF1.py").path, contentHash: "x",
                                        cost: Decimal(string: "0.0041")!, saved: Self.day))

        let summary = try ledger.runSummary(runID: "run-a")
        #expect(summary.run == run)
        #expect(summary.calls.map(\.stage) == ["knowledge", "code", "code", "code"])
        #expect(summary.calls.map(\.status) == [.ok, .failed, .discarded, .ok])
        #expect(summary.total == Decimal(string: "0.0069")!)
        #expect(summary.unusedCost == Decimal(string: "0.0028")!)
        #expect(summary.cost(of: .discarded) == (1, Decimal(string: "0.0021")!))
        #expect(summary.cost(of: .cancelled).calls == 0)
        #expect(summary.estimated)
        #expect(summary.programs.map(\.runID) == ["run-a"])
        #expect(!summary.endedWithoutProgram)

        // Run b paid for code and saved nothing.
        let all = try ledger.runSummaries()
        #expect(all.keys.sorted() == ["run-a", "run-b"])
        #expect(all["run-a"] == summary)
        #expect(all["run-b"]?.total == Decimal(string: "0.5")!)
        #expect(all["run-b"]?.endedWithoutProgram == true)
        #expect(all["run-b"]?.estimated == false)
    }

    @Test func anUnknownRunHasNothing() throws {
        let folder = try TestEnvironment.temporaryFolder("runs")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger(path: folder.appendingPathComponent("ledger.sqlite"))
        let summary = try ledger.runSummary(runID: "nowhere")
        #expect(summary.run == nil && summary.calls.isEmpty && summary.programs.isEmpty && summary.total == 0)
    }
}
