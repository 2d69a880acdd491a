import Engine
import Foundation
import Testing
import TestSupport

@Suite struct LedgerTests {
    static let day = Date(timeIntervalSince1970: 1_750_000_000.123)

    func run(_ id: String, dataset: String = "youtube", started: Date = LedgerTests.day) -> LedgerRun {
        LedgerRun(id: id, started: started, dataset: dataset, mode: "alchemist", codeModel: "gpt-4o-mini",
                  knowledgeModel: "claude-haiku-4-5", prior: "keywords", mission: "Find spam.", query: nil)
    }

    func call(_ runID: String, cost: String, estimated: Bool = false, status: CallStatus = .ok) -> LedgerCall {
        LedgerCall(runID: runID, stage: "code", provider: "openai", model: "gpt-4o-mini", prompt: "Write a \"function\".\nThanks ✓",
                   inputTokens: 1234, outputTokens: 567, estimated: estimated, cost: Decimal(string: cost)!, latencySeconds: 1.25,
                   status: status, httpStatus: status == .failed ? 429 : nil, error: status == .failed ? "rate limited" : nil,
                   started: LedgerTests.day.addingTimeInterval(2.5))
    }

    @Test func runsCallsAndProgramsComeBackAsRecordedWithExactCosts() throws {
        let folder = try TestEnvironment.temporaryFolder("ledger")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger(path: folder.appendingPathComponent("nested/ledger.sqlite"))
        let first = run("run-1")
        var second = LedgerRun(id: "run-2", started: Self.day.addingTimeInterval(60), dataset: "sms", mode: "scriptorium", codeModel: "gpt-4o")
        second.query = "what is spam?"
        try ledger.record(first)
        try ledger.record(second)
        #expect(try ledger.runs() == [first, second])

        let costs = ["0.0005253", "123456.123456789012345678", "0"]
        var ids: [Int64] = []
        for cost in costs { ids.append(try ledger.record(call("run-1", cost: cost))) }
        ids.append(try ledger.record(call("run-2", cost: "0.00000001", estimated: true, status: .failed)))
        #expect(ids == ids.sorted() && Set(ids).count == 4)
        let calls = try ledger.calls(runID: "run-1")
        #expect(calls.map(\.cost) == costs.map { Decimal(string: $0)! })
        #expect(calls.map(\.id) == ids.prefix(3).map { Optional($0) })
        var expected = call("run-1", cost: costs[0])
        expected.id = ids[0]
        #expect(calls.first == expected)
        let failed = try #require(try ledger.calls(runID: "run-2").first)
        #expect(failed.status == .failed && failed.httpStatus == 429 && failed.error == "rate limited" && failed.estimated)
        #expect(try ledger.calls().count == 4)

        try ledger.setStatus(callID: ids[1], .discarded)
        #expect(try ledger.calls(runID: "run-1")[1].status == .discarded)
        #expect(throws: LedgerError.self) { try ledger.setStatus(callID: 9_999, .ok) }

        let program = LedgerProgram(runID: "run-1", path: folder.appendingPathComponent("LF1.py").path, contentHash: "abc",
                                    cost: Decimal(string: "0.0005253")!, saved: Self.day.addingTimeInterval(3))
        try ledger.record(program)
        #expect(try ledger.programs() == [program])
        // The same path saved again replaces its row.
        var again = program
        again.runID = "run-2"
        again.contentHash = "def"
        again.cost = Decimal(string: "0.01")!
        try ledger.record(again)
        #expect(try ledger.programs() == [again])
    }

    @Test func storesCostsAsDecimalTextAndDatesAsISOTextInWALMode() throws {
        let folder = try TestEnvironment.temporaryFolder("ledger")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ledger.sqlite")
        let ledger = try Ledger(path: file)
        try ledger.record(run("run-1"))
        try ledger.record(call("run-1", cost: "0.0005253"))
        // Read the file with another SQLite (Python's) to see what is really stored.
        let output = try PythonReference.run("""
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            print(db.execute("pragma journal_mode").fetchone()[0])
            print(*db.execute("select typeof(cost), cost, started from calls").fetchone())
            print(db.execute("select started from runs").fetchone()[0])
            """, arguments: [file.path])
        #expect(String(decoding: output, as: UTF8.self) == "wal\ntext 0.0005253 2025-06-15T15:06:42.623Z\n2025-06-15T15:06:40.123Z\n")
    }

    @Test func theMigrationRunsOnceAndReopeningKeepsTheRows() throws {
        let folder = try TestEnvironment.temporaryFolder("ledger")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = Ledger.defaultPath(appHome: folder)
        #expect(file.lastPathComponent == "ledger.sqlite")
        do {
            let ledger = try Ledger(path: file)
            #expect(try ledger.appliedMigrations() == ["v1", "v2-retrievals"])
            try ledger.record(run("run-1"))
            try ledger.record(call("run-1", cost: "0.25"))
        }
        let reopened = try Ledger(path: file)
        #expect(try reopened.appliedMigrations() == ["v1", "v2-retrievals"])
        #expect(try reopened.runs().map(\.id) == ["run-1"])
        #expect(try reopened.calls().map(\.cost) == [Decimal(string: "0.25")!])
        let again = try Ledger(path: file)
        #expect(try again.appliedMigrations() == ["v1", "v2-retrievals"])
    }

    @Test func refusesCallsOfUnknownRunsAndCostsThatAreNotNumbers() throws {
        let folder = try TestEnvironment.temporaryFolder("ledger")
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try Ledger(path: folder.appendingPathComponent("ledger.sqlite"))
        let unknown = try #require(throws: LedgerError.self) { try ledger.record(call("no-such-run", cost: "1")) }
        #expect(unknown.description.contains(folder.path) && unknown.description.contains("FOREIGN KEY"), "\(unknown)")
        try ledger.record(run("run-1"))
        #expect(throws: LedgerError.self) { try ledger.record(run("run-1")) }
        var nan = call("run-1", cost: "0")
        nan.cost = .nan
        #expect(throws: LedgerError.self) { try ledger.record(nan) }
        #expect(try ledger.calls().isEmpty)
    }

    @Test func errorsOpeningNameTheFile() throws {
        let folder = try TestEnvironment.temporaryFolder("ledger")
        defer { try? FileManager.default.removeItem(at: folder) }
        let garbage = folder.appendingPathComponent("ledger.sqlite")
        try Data(String(repeating: "not a database ", count: 100).utf8).write(to: garbage)
        let corrupt = try #require(throws: LedgerError.self) { try Ledger(path: garbage) }
        #expect(corrupt.description.hasPrefix(garbage.path + ": "), "\(corrupt)")
        let blocker = folder.appendingPathComponent("file")
        try Data().write(to: blocker)
        let inside = blocker.appendingPathComponent("ledger.sqlite")
        let unmakeable = try #require(throws: LedgerError.self) { try Ledger(path: inside) }
        #expect(unmakeable.description.hasPrefix(inside.path + ": "), "\(unmakeable)")
    }

    @Test func contentHashIsSHA256OfTheBytes() throws {
        let samples = ["", "abc", String(repeating: "a", count: 55), String(repeating: "b", count: 56), String(repeating: "c", count: 64),
                       "def label_function(text):\n    return 1 if \"ünïcödé ✓\" in text else -1\n", String(repeating: "0123456789", count: 10_000)]
        let output = try PythonReference.run("""
            import hashlib, json, sys
            for text in json.load(sys.stdin):
                print(hashlib.sha256(text.encode("utf-8")).hexdigest())
            """, input: try JSONSerialization.data(withJSONObject: samples))
        let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(samples.map { LedgerProgram.contentHash(of: $0.utf8) } == expected)
        #expect(LedgerProgram.contentHash(of: "abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// Two processes open a new ledger at the same moment (both would migrate it) and then write
    /// many calls each, one transaction per call: every row must arrive intact, and neither may fail
    /// with "database is locked".
    @Test func twoProcessesWritingAtOnceLoseNoRow() throws {
        let folder = try TestEnvironment.temporaryFolder("ledger")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ledger.sqlite")
        let stress = try CommandRunner.builtProduct("LedgerStress")
        let count = 2000
        let writers = ["writer-a", "writer-b"]
        var started: [(Process, ProcessLaunch.Pipes, PythonReference.ErrorCollector)] = []
        for runID in writers {
            let process = Process()
            process.executableURL = stress
            process.arguments = [file.path, runID, String(count)]
            let pipes = try ProcessLaunch.run(process)
            started.append((process, pipes, PythonReference.ErrorCollector(pipes.stderr)))
        }
        // Both are running and wait for the word; then both open the new file and write at once.
        for (_, pipes, _) in started { #expect(readLine(pipes.stdout) == "ready") }
        for (_, pipes, _) in started {
            pipes.stdin.write(Data("go\n".utf8))
            try? pipes.stdin.close()
        }
        for (index, (process, pipes, errors)) in started.enumerated() {
            let output = String(decoding: pipes.stdout.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let stderr = String(decoding: errors.wait(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(writers[index]): \(stderr)")
            #expect(output == "done \(count)\n", "\(writers[index]): \(stderr)")
        }

        let ledger = try Ledger(path: file)
        #expect(try ledger.appliedMigrations() == ["v1", "v2-retrievals"])
        #expect(try ledger.runs().map(\.id).sorted() == writers)
        let all = try ledger.calls()
        #expect(all.count == 2 * count)
        #expect(Set(all.compactMap(\.id)).count == 2 * count)
        let unit = Decimal(string: "0.0000001")!
        let epoch = Date(timeIntervalSince1970: 1_735_689_600)
        for runID in writers {
            let calls = try ledger.calls(runID: runID)
            let indexes = calls.compactMap { call -> Int? in
                guard call.prompt.hasPrefix("\(runID) #"), let index = Int(call.prompt.dropFirst(runID.count + 2)) else { return nil }
                return index
            }
            // Each writer's rows are in its own order, and each holds exactly what was written.
            #expect(indexes == Array(0..<count), "\(runID)")
            for (call, index) in zip(calls, indexes) where call.inputTokens != index || call.outputTokens != 2 * index
                || call.cost != Decimal(index) * unit || call.estimated != (index % 2 == 1) || call.status != .ok
                || milliseconds(call.started) != milliseconds(epoch) + Int64(index) {
                Issue.record("\(runID) #\(index) damaged: \(call)")
            }
            #expect(calls.reduce(Decimal(0)) { $0 + $1.cost } == Decimal(count * (count - 1) / 2) * unit)
        }
    }

    /// Dates are kept to the millisecond.
    private func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    private func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while true {
            let chunk = handle.readData(ofLength: 1)
            guard let byte = chunk.first, byte != UInt8(ascii: "\n") else { break }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
