// Test tool: one of several processes writing into the same ledger at once.
//
//     LedgerStress <ledger file> <run id> <count>
//
// Prints "ready", waits for a line on stdin (so that several processes can be released at the same
// moment), opens the ledger (creating and migrating it if needed), records the run, then records
// <count> calls of that run, one transaction each, and prints "done <count>". Call i has prompt "<run id> #i", i input tokens, 2·i output tokens, cost i × 0.0000001
// USD and started at i milliseconds after 2025-01-01, so a reader can check every row. Any error
// goes to stderr with exit status 1.
import Engine
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[3]), count >= 0 else {
    FileHandle.standardError.write(Data("usage: LedgerStress <ledger file> <run id> <count>\n".utf8))
    exit(64)
}
let runID = arguments[2]
let epoch = Date(timeIntervalSince1970: 1_735_689_600)
FileHandle.standardOutput.write(Data("ready\n".utf8))
_ = readLine()
do {
    let ledger = try Ledger(path: URL(fileURLWithPath: arguments[1]))
    try ledger.record(LedgerRun(id: runID, started: epoch, dataset: "demo", mode: "scriptorium", codeModel: "stress"))
    let unit = Decimal(sign: .plus, exponent: -7, significand: 1)
    for index in 0..<count {
        try ledger.record(LedgerCall(
            runID: runID, stage: "code", provider: "builtin", model: "stress", prompt: "\(runID) #\(index)",
            inputTokens: index, outputTokens: 2 * index, estimated: index % 2 == 1, cost: Decimal(index) * unit,
            latencySeconds: Double(index) / 1000, status: .ok, started: epoch.addingTimeInterval(Double(index) / 1000)))
    }
    FileHandle.standardOutput.write(Data("done \(count)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("LedgerStress \(runID): \(error)\n".utf8))
    exit(1)
}
