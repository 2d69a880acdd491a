import Foundation
import Testing
import TestSupport

/// The sandbox as a user of `alchemist apply` meets it: the engine never dies of its programs,
/// leaves nothing behind, caps its workers, and prints program text only cleaned.
@Suite struct SandboxCLITests {
    func programsFolder(_ programs: [String: String]) throws -> URL {
        let folder = try TestEnvironment.temporaryFolder("sandbox-cli")
        for (name, source) in programs { try Data(source.utf8).write(to: folder.appendingPathComponent(name)) }
        return folder
    }

    @Test func escapeSequencesInProgramErrorsNeverReachTheReport() throws {
        let folder = try programsFolder([
            "LF1.py": "def label_function(t):\n    raise ValueError('\\x1b]0;owned\\x07\\n  LF9: 0 errors\\x1b[31m red \\x9b2J')\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let runner = try CommandRunner.locate()
        let table = try runner.run(["apply", "--dataset", "demo", "--lfs", folder.path])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("LF1: ValueError:"), "\(table.stdout)")
        #expect(!table.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B }, "\(table.stdout.debugDescription)")
        #expect(!table.stdout.contains("\n  LF9: 0 errors"), "a forged report line")
        let json = try runner.run(["apply", "--dataset", "demo", "--lfs", folder.path, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let first = ((object?["programs"] as? [[String: Any]])?.first?["first_error"] as? String) ?? ""
        #expect(first.hasPrefix("ValueError: ") && first.contains("LF9: 0 errors red"), "\(first.debugDescription)")
        #expect(!first.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    @Test func workersAreCappedWithANote() throws {
        let runner = try CommandRunner.locate()
        let result = try runner.run(["apply", "--dataset", "demo", "--lfs", "examples/programs/demo", "--workers", "1000"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("1000 workers asked for"), "\(result.stderr)")
        #expect(!result.stdout.contains("1000 processes"))
    }

    @Test func anInterpreterThatExitsAtOnceIsExitOneWithAMessage() throws {
        let folder = try TestEnvironment.temporaryFolder("bad-python")
        defer { try? FileManager.default.removeItem(at: folder) }
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))) as? [String: Any] ?? [:]
        var sandbox = config["sandbox"] as? [String: Any] ?? [:]
        sandbox["python"] = "/bin/false"
        config["sandbox"] = sandbox
        let configFile = folder.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: config).write(to: configFile)
        let result = try CommandRunner.locate().run(["apply", "--config", configFile.path, "--data-dir", TestEnvironment.repositoryRoot.appendingPathComponent("datasets").path,
                                                    "--dataset", "demo", "--lfs", "examples/programs/demo"])
        #expect(result.status == 1, "\(result.status): \(result.stderr)")
        #expect(result.stderr.contains("/bin/false") && result.stderr.contains("does not run"), "\(result.stderr)")
    }

    /// Without bubblewrap, programs do not run unless the user says --unsafe-no-os-sandbox, and then
    /// the report says so first.
    @Test func withoutBubblewrapProgramsRunOnlyWhenTheUserSaysSo() throws {
        let runner = try CommandRunner.locate()
        let missing = ["ALCHEMIST_BWRAP": "/nonexistent/bwrap"]
        let refused = try runner.run(["apply", "--dataset", "demo", "--lfs", "examples/programs/demo"], environment: missing)
        #expect(refused.status == 1, "\(refused.status): \(refused.stderr)")
        #expect(refused.stderr.contains("apt-get install bubblewrap") && refused.stderr.contains("--unsafe-no-os-sandbox"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        let unsafe = try runner.run(["apply", "--dataset", "demo", "--lfs", "examples/programs/demo", "--unsafe-no-os-sandbox"], environment: missing)
        #expect(unsafe.status == 0, "\(unsafe.stderr)")
        #expect(unsafe.stdout.contains("WARNING: the programs ran WITHOUT an operating-system sandbox"), "\(unsafe.stdout)")
        #expect(unsafe.stdout.contains("LF1") && unsafe.stdout.contains("LF5"))
        let json = try runner.run(["apply", "--dataset", "demo", "--lfs", "examples/programs/demo", "--unsafe-no-os-sandbox", "--json"], environment: missing)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(((object?["sandbox"] as? [String: Any])?["os_sandbox"] as? String)?.hasPrefix("none (--unsafe-no-os-sandbox") == true, "\(json.stdout)")
    }

    /// kill -9 of the engine: every sandbox process dies with it (bubblewrap's die-with-parent and the
    /// parent-death signal), and no temporary folder is left.
    @Test(.timeLimit(.minutes(2)))
    func killingTheEngineLeavesNoProcessAndNoFolder() throws {
        let folder = try programsFolder([
            "LF1.py": "def label_function(t):\n    return sum(range(3_000_000)) % 2\n",
            "LF2.py": "def label_function(t):\n    return sum(range(3_000_001)) % 2\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = Set(temporaryFolders())
        let process = Process()
        process.executableURL = try CommandRunner.locate().executable
        process.arguments = ["apply", "--dataset", "demo", "--lfs", folder.path, "--split", "train", "--call-timeout", "5"]
        process.currentDirectoryURL = TestEnvironment.repositoryRoot
        let pipes = try ProcessLaunch.run(process)
        try? pipes.stdin.close()
        // Wait until both programs' sandboxes run.
        var sandboxes: Set<Int32> = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            sandboxes = descendants(of: process.processIdentifier)
            if sandboxes.count >= 6 { break }  // two sandboxes of bwrap, bwrap, python
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(sandboxes.count >= 3, "no sandbox process seen: \(sandboxes)")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 2)
        let alive = sandboxes.filter(isAlive)
        #expect(alive.isEmpty, "still running after kill -9 of the engine: \(alive)")
        #expect(Set(temporaryFolders()).subtracting(before).isEmpty)
    }

    private func temporaryFolders() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())) ?? []).filter { $0.hasPrefix("alchemist-sandbox") }
    }

    private func descendants(of pid: Int32) -> Set<Int32> {
        var found: Set<Int32> = []
        var pending = [pid]
        while let next = pending.popLast() {
            for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(next)/task")) ?? [] {
                let text = (try? String(contentsOfFile: "/proc/\(next)/task/\(task)/children", encoding: .utf8)) ?? ""
                for child in text.split(separator: " ").compactMap({ Int32($0) }) where found.insert(child).inserted { pending.append(child) }
            }
        }
        return found
    }

    /// Alive: /proc has it and it is not a zombie waiting for its new parent to reap it.
    private func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }
}
