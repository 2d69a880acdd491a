import Foundation
import Testing
import TestSupport

/// Runs the built `alchemist tui` in a detached tmux session: the first frame appears and q exits.
/// Opt-in (ALCHEMIST_TMUX_TESTS=1): waiting for the `tmux new-session` client sometimes never returns
/// inside the test process (its client shows as defunct), which would hang the whole suite.
@Suite(.serialized) struct TmuxEndToEndTests {
    static var hasTmux: Bool {
        ProcessInfo.processInfo.environment["ALCHEMIST_TMUX_TESTS"] == "1" && FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        // Only capture-pane's output is read: the tmux server that new-session starts would hold a
        // pipe open for ever, so the other commands write to /dev/null.
        let capturing = arguments.first == "capture-pane"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tmux")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = capturing ? output : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = capturing ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Polls the pane until `condition` holds or about 10 s pass.
    func waitForPane(_ session: String, _ condition: (String) -> Bool) throws -> String {
        var text = ""
        for _ in 0..<100 {
            text = try tmux(["capture-pane", "-p", "-t", session])
            if condition(text) { return text }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return text
    }

    @Test(.enabled(if: hasTmux)) func firstFrameThenQuitWithQ() throws {
        let executable = try CommandRunner.builtProduct("alchemist")
        let session = "alchemist-tui-test-\(UUID().uuidString.prefix(8))"
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("\(session).status")
        defer {
            _ = try? tmux(["kill-session", "-t", session])
            try? FileManager.default.removeItem(at: marker)
        }
        let root = TestEnvironment.repositoryRoot.path
        let command = "cd '\(root)' && env -u NO_COLOR TERM=tmux-256color OPENAI_API_KEY= ANTHROPIC_API_KEY= '\(executable.path)' tui --config config.json; echo $? > '\(marker.path)'; sleep 30"
        try tmux(["new-session", "-d", "-s", session, "-x", "100", "-y", "30", command])
        let first = try waitForPane(session) { $0.contains("Worst case per program") }
        #expect(first.contains("Alchemist · setup"))
        #expect(first.contains("demo"))
        #expect(first.contains("no key"))
        try tmux(["send-keys", "-t", session, "Tab"])
        let focused = try waitForPane(session) { $0.contains("▸ Mode") }
        #expect(focused.contains("▸ Mode"))
        try tmux(["send-keys", "-t", session, "q"])
        var status: String?
        for _ in 0..<100 where status == nil {
            status = try? String(contentsOf: marker, encoding: .utf8)
            if status == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(status?.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

}
