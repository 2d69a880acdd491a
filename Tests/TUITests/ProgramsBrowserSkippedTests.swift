import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// The browser shows the programs it can read and says on its status line how many files it skipped.
@Suite struct ProgramsBrowserSkippedTests {
    @Test func theStatusLineCountsUnreadableFiles() throws {
        let root = try TestEnvironment.temporaryFolder("browser-skipped")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("demo/alchemist/gpt-4o")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("def label_function(t):\n    return -1\n".utf8).write(to: folder.appendingPathComponent("LF1.py"))
        try Data([0x00, 0x01]).write(to: folder.appendingPathComponent("LF2.py"))
        try Data([0xE9]).write(to: folder.appendingPathComponent("LF3.py"))
        let browser = try ProgramsBrowser.load(root: root, ledger: nil)
        #expect(browser.entries.map(\.program.name) == ["demo/alchemist/gpt-4o/LF1"])
        #expect(browser.skipped.count == 2)
        #expect(browser.status == "skipped 2 unreadable files: LF2.py (binary file (NUL byte at offset 0)) and 1 more")
        #expect(browser.render(width: 100, height: 24).text.contains("skipped 2 unreadable files"))
    }
}
