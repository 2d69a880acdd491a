import Engine
import Foundation
import TestSupport
@testable import TUI

/// A programs folder with six real program files (written with `ProgramFile.render`), a states
/// file and a ledger, all with fixed dates and costs so screens are the same on every run.
struct ProgramFixture {
    let folder: URL
    let root: URL
    let ledger: Ledger

    static let code = """
        import re

        # Words that mark an urgent ticket.
        URGENT = re.compile(r"\\b(urgent|asap)\\b", re.IGNORECASE)


        def label_function(text):
            \"\"\"Votes 1 for urgent tickets.\"\"\"
            if URGENT.search(text) and len(text) > 12:
                return 1
            return -1
        """

    static let day = Date(timeIntervalSince1970: 1_750_000_000)

    /// (relative path, dataset, mode, code model, knowledge model, prior, run id, stages as (stage, model, in, out, cost, estimated))
    static let files: [(String, String, String, String, String?, String?, String, [(String, String, Int, Int, String, Bool)])] = [
        ("demo/scriptorium/gpt-4o-mini/LF1.py", "demo", "scriptorium", "gpt-4o-mini", nil, nil, "20250615T150640-run00001",
         [("code", "gpt-4o-mini", 1200, 350, "0.0004", false)]),
        ("demo/scriptorium/gpt-4o-mini/LF2.py", "demo", "scriptorium", "gpt-4o-mini", nil, nil, "20250615T150700-run00002",
         [("code", "gpt-4o-mini", 1500, 420, "0.0006", true)]),
        ("demo/alchemist/gpt-4o/keywords/LF1.py", "demo", "alchemist", "gpt-4o", "gpt-4o-mini", "keywords", "20250615T151000-run00003",
         [("knowledge", "gpt-4o-mini", 800, 600, "0.0005", false), ("code", "gpt-4o", 2100, 700, "0.0118", false)]),
        ("demo/alchemist/gpt-4o/keywords/LF10.py", "demo", "alchemist", "gpt-4o", "gpt-4o-mini", "keywords", "20250615T151000-run00003",
         [("code", "gpt-4o", 2000, 500, "0.0100", false)]),
        ("sms/alchemist-rag/claude-sonnet-4-5/description/LF1.py", "sms", "alchemist-rag", "claude-sonnet-4-5", "claude-sonnet-4-5",
         "description", "20250616T090000-run00004", [("code", "claude-sonnet-4-5", 9000, 1500, "0.05", false)]),
    ]

    /// Writes the files; `handwritten/extra.py` has no header at all.
    static func make() throws -> ProgramFixture {
        let folder = try TestEnvironment.temporaryFolder("programs-browser")
        let root = folder.appendingPathComponent("labeling-programs")
        for (path, dataset, mode, codeModel, knowledgeModel, prior, runID, stages) in files {
            let usages = stages.map { StageUsage(stage: $0.0, model: $0.1, inputTokens: $0.2, outputTokens: $0.3, cost: USD($0.4)!, estimated: $0.5) }
            let metadata = ProgramMetadata(dataset: dataset, mode: mode, codeModel: codeModel, knowledgeModel: knowledgeModel, prior: prior,
                                           stages: usages, created: "2025-06-15T15:06:40Z", runID: runID, engineVersion: "0.1.0")
            let text = try ProgramFile.render(
                prompt: "Mission: Classify IT support tickets as routine or urgent.\nWrite a Python function label_function(text) that returns 1 for urgent, 0 for routine and -1 to abstain.",
                inputTokens: usages.reduce(0) { $0 + $1.inputTokens }, outputTokens: usages.reduce(0) { $0 + $1.outputTokens },
                cost: usages.totalCost.decimal, metadata: metadata, code: code)
            try write(text, to: root.appendingPathComponent(path))
        }
        try write("def label_function(text):\n    return 0 if 'thanks' in text else -1\n", to: root.appendingPathComponent("handwritten/extra.py"))

        let ledger = try Ledger(path: folder.appendingPathComponent("ledger.sqlite"))
        try ledger.record(LedgerRun(id: "20250615T151000-run00003", started: day, dataset: "demo", mode: "alchemist", codeModel: "gpt-4o",
                                    knowledgeModel: "gpt-4o-mini", prior: "keywords"))
        func call(_ stage: String, _ model: String, _ cost: String, _ status: CallStatus) -> LedgerCall {
            LedgerCall(runID: "20250615T151000-run00003", stage: stage, provider: "openai", model: model, prompt: "p", inputTokens: 2000,
                       outputTokens: 600, estimated: false, cost: Decimal(string: cost)!, latencySeconds: 1, status: status, started: day)
        }
        try ledger.record(call("knowledge", "gpt-4o-mini", "0.0005", .ok))
        try ledger.record(call("code", "gpt-4o", "0.0090", .failed))
        try ledger.record(call("code", "gpt-4o", "0.0118", .ok))
        try ledger.record(call("code", "gpt-4o", "0.0100", .ok))
        let discarded = try ledger.record(call("code", "gpt-4o", "0.0020", .ok))
        try ledger.setStatus(callID: discarded, .discarded)

        for name in ["LF1.py", "LF3.py"] {  // LF3 was deleted since
            let path = root.appendingPathComponent("demo/alchemist/gpt-4o/keywords/\(name)").path
            try ledger.record(LedgerProgram(runID: "20250615T151000-run00003", path: path, contentHash: "-", cost: Decimal(string: "0.0123")!, saved: day))
        }

        var states = try ProgramStates.load(root: root)
        states.setEnabled(root.appendingPathComponent("demo/scriptorium/gpt-4o-mini/LF2.py"), false)
        states.recordTest(root.appendingPathComponent("demo/alchemist/gpt-4o/keywords/LF1.py"),
                          ProgramTestRecord(split: "valid", rows: 120, coverage: 0.45, accuracy: 0.912, errors: 0, timeouts: 0,
                                            loadError: nil, date: day))
        try states.save()
        return ProgramFixture(folder: folder, root: root, ledger: ledger)
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func browser(width: Int = 80, height: Int = 24) throws -> ProgramsBrowser {
        var browser = try ProgramsBrowser.load(root: root, ledger: ledger)
        browser.resize(width: width, height: height)
        return browser
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

extension ProgramsBrowser {
    /// Presses keys, returning the requests they made.
    @discardableResult
    mutating func press(_ keys: Key...) -> [ProgramsRequest] {
        keys.compactMap { handle($0) }
    }

    mutating func type(_ text: String) {
        for character in text { _ = handle(.char(character)) }
    }
}
