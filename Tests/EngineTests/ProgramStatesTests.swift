@testable import Engine
import Foundation
import Synchronization
import Testing
import TestSupport

@Suite struct ProgramStatesTests {
    static let day = Date(timeIntervalSince1970: 1_750_000_000.123)

    /// A program file at `relative` under `root`.
    func write(_ relative: String, under root: URL) throws -> URL {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("def label_function(text):\n    return -1\n".utf8).write(to: url)
        return url
    }

    func result(coverage: Double, accuracy: Double?) -> SmokeTestResult {
        SmokeTestResult(split: "valid", rows: 40, coverage: coverage, accuracy: accuracy, votesPerClass: [3, 5], loadError: nil,
                        errors: 2, timeouts: 1, firstError: "ZeroDivisionError")
    }

    @Test func programsAreEnabledAndUntestedUntilToldOtherwiseAndTheStateSurvivesASave() throws {
        let root = try TestEnvironment.temporaryFolder("states")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try write("demo/scriptorium/gpt-4o-mini/LF1.py", under: root)
        let second = try write("demo/scriptorium/gpt-4o-mini/LF2.py", under: root)
        var states = try ProgramStates.load(root: root)
        #expect(states.isEnabled(first) && states.latestTest(first) == nil)
        #expect(!FileManager.default.fileExists(atPath: states.file.path))

        states.setEnabled(second, false)
        states.recordTest(first, result(coverage: 0.25, accuracy: 0.8), date: Self.day)
        try states.save()

        let again = try ProgramStates.load(root: root)
        #expect(again == states)
        #expect(again.isEnabled(first) && !again.isEnabled(second))
        #expect(again.latestTest(first) == ProgramTestRecord(split: "valid", rows: 40, coverage: 0.25, accuracy: 0.8, errors: 2,
                                                             timeouts: 1, loadError: nil, date: Self.day))
        #expect(again.entries.keys.sorted() == ["demo/scriptorium/gpt-4o-mini/LF1.py", "demo/scriptorium/gpt-4o-mini/LF2.py"])
        // The file lists programs by relative path, so the folder can move.
        let text = try String(contentsOf: again.file, encoding: .utf8)
        #expect(text.contains("\"demo/scriptorium/gpt-4o-mini/LF2.py\""))
        #expect(!text.contains(root.path))

        // The states file is hidden: it is never listed as a program, and only enabled ones are used.
        let enabled = try again.enabledPrograms(under: root)
        #expect(enabled.map(\.name) == ["demo/scriptorium/gpt-4o-mini/LF1"])
        #expect(try ProgramStore.programs(under: root).count == 2)
    }

    @Test func enablingAgainDropsTheEntrySoTheFileOnlyHoldsDecisions() throws {
        let root = try TestEnvironment.temporaryFolder("states")
        defer { try? FileManager.default.removeItem(at: root) }
        let url = try write("demo/LF1.py", under: root)
        var states = try ProgramStates.load(root: root)
        states.setEnabled(url, false)
        #expect(states.entries.count == 1)
        states.setEnabled(url, true)
        #expect(states.entries.isEmpty)
        // A test without accuracy (no gold labels) round-trips as nil.
        states.recordTest(url, result(coverage: 0, accuracy: nil), date: Self.day)
        try states.save()
        #expect(try ProgramStates.load(root: root).latestTest(url)?.accuracy == nil)
    }

    /// Changes made at the same moment (here 40 threads, each disabling its own program) all
    /// survive: `modify` holds a file lock across read, change and write.
    @Test func concurrentChangesAreNotLost() throws {
        let root = try TestEnvironment.temporaryFolder("program-states-concurrent")
        defer { try? FileManager.default.removeItem(at: root) }
        let urls = try (0..<40).map { try write("demo/scriptorium/m/LF\($0 + 1).py", under: root) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: urls.count) { index in
            do {
                try ProgramStates.modify(root: root) { $0.setEnabled(urls[index], false) }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let states = try ProgramStates.load(root: root)
        #expect(urls.filter { states.isEnabled($0) }.isEmpty, "lost: \(urls.filter { states.isEnabled($0) }.map(\.lastPathComponent))")
    }

    @Test func deletingAProgramRemovesTheFileAndItsState() throws {
        let root = try TestEnvironment.temporaryFolder("states")
        defer { try? FileManager.default.removeItem(at: root) }
        let kept = try write("demo/LF1.py", under: root)
        let deleted = try write("demo/LF2.py", under: root)
        var states = try ProgramStates.load(root: root)
        states.setEnabled(kept, false)
        states.setEnabled(deleted, false)
        try states.save()
        try ProgramStates.deleteProgram(at: deleted, root: root)
        #expect(!FileManager.default.fileExists(atPath: deleted.path))
        let after = try ProgramStates.load(root: root)
        #expect(after.entries.keys.sorted() == ["demo/LF1.py"])
        #expect(throws: ProgramStoreError.self) { try ProgramStates.deleteProgram(at: deleted, root: root) }
    }

    @Test(arguments: [
        ("{", "not valid JSON"),
        ("[]", "expected a JSON object"),
        (#"{"version": 2, "programs": {}}"#, "version: unknown version 2"),
        (#"{"version": 1, "programs": {"a.py": {"enabled": "no"}}}"#, "programs.a.py.enabled: expected true or false"),
        (#"{"version": 1, "programs": {"a.py": {"enabled": true, "colour": 1}}}"#, "programs.a.py.colour: unknown key"),
        (#"{"version": 1, "programs": {"a.py": {"latest_test": {"split": "valid", "rows": 1, "coverage": 1, "errors": 0, "date": "yesterday"}}}}"#,
         "programs.a.py.latest_test.date: \"yesterday\" is not an ISO 8601 UTC date"),
    ])
    func aDamagedStatesFileIsAnErrorNamingTheFileAndTheKey(contents: String, reason: String) throws {
        let root = try TestEnvironment.temporaryFolder("states")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent(ProgramStates.fileName)
        try Data(contents.utf8).write(to: file)
        do {
            _ = try ProgramStates.load(root: root)
            Issue.record("loaded a damaged file")
        } catch let error as JSONReadError {
            #expect(error.description.hasPrefix(file.path + ": "))
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }
}
