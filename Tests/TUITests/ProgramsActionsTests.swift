import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

@Suite struct ProgramsActionsTests {
    func demo() throws -> Dataset {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        return try DatasetCatalog(config: config, paths: paths).load("demo")
    }

    var settings: SandboxSettings {
        var settings = SandboxSettings.defaults
        settings.workers = 1
        return settings
    }

    /// The real sandbox on the demo dataset's valid split; the result becomes the program's latest test.
    @Test func testingOnValidRunsTheSandboxAndRecordsTheResult() async throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser()
        browser.press(.char("j"))  // LF10: not tested yet
        let entry = try #require(browser.selectedEntry)
        #expect(browser.render(width: 80, height: 24).text.contains("not tested — t tests it"))
        guard case .testOnValid(let program)? = browser.handle(.char("t")) else {
            Issue.record("t made no test request")
            return
        }
        #expect(ProgramsActions.datasetName(of: program, root: fixture.root) == "demo")
        let day = Date(timeIntervalSince1970: 1_760_000_000)
        let result = try await ProgramsActions.testOnValid(program, dataset: try demo(), settings: settings, root: fixture.root,
                                                           maxRows: 60, date: day)
        #expect(result.split == "valid")
        #expect(result.loads && result.rows > 0 && result.rows <= 60)
        #expect(result.coverage > 0 && result.coverage < 1)
        let url = try #require(entry.url)
        let recorded = try #require(try ProgramStates.load(root: fixture.root).latestTest(url))
        #expect(recorded == ProgramTestRecord(result, date: day))
        try browser.reload(ledger: fixture.ledger)
        #expect(browser.selectedEntry?.latestTest == recorded)
        #expect(browser.render(width: 120, height: 40).text.contains(String(format: "coverage %.1f %%", result.coverage * 100)))
    }

    @Test func aProgramThatDoesNotLoadIsRecordedAsSuch() async throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        let url = fixture.root.appendingPathComponent("handwritten/broken.py")
        try ProgramFixture.write("def label_function(text)\n    return 1\n", to: url)
        var browser = try fixture.browser()
        browser.press(.char("/"))
        browser.type("broken")
        browser.press(.enter)
        guard case .testOnValid(let program)? = browser.handle(.char("t")) else {
            Issue.record("t made no test request")
            return
        }
        #expect(ProgramsActions.datasetName(of: program, root: fixture.root) == "handwritten")
        let result = try await ProgramsActions.testOnValid(program, dataset: try demo(), settings: settings, root: fixture.root, maxRows: 10)
        #expect(!result.loads)
        try browser.reload(ledger: nil)
        #expect(browser.render(width: 120, height: 40).text.contains("does not load"))
    }

    /// A program's error text is data: its escape sequences never reach the screen buffer.
    @Test func escapeSequencesInALoadErrorNeverReachTheScreen() async throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        let url = fixture.root.appendingPathComponent("handwritten/escapes.py")
        try ProgramFixture.write("raise ValueError('\\x1b]0;owned\\x07\\x1b[2J evil \\x9b31m')\ndef label_function(text):\n    return 1\n", to: url)
        var browser = try fixture.browser()
        browser.press(.char("/"))
        browser.type("escapes")
        browser.press(.enter)
        guard case .testOnValid(let program)? = browser.handle(.char("t")) else {
            Issue.record("t made no test request")
            return
        }
        let result = try await ProgramsActions.testOnValid(program, dataset: try demo(), settings: settings, root: fixture.root, maxRows: 10)
        #expect(!result.loads)
        try browser.reload(ledger: nil)
        let screen = browser.render(width: 120, height: 40).text
        #expect(screen.contains("does not load: error while loading: ValueError:"), "\(screen)")
        #expect(!screen.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B })
    }
}
