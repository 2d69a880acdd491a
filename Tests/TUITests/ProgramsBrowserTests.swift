import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

@Suite struct ProgramsBrowserTests {
    static let keywords: ProgramNodeID = .group(["demo", "alchemist", "gpt-4o", "keywords"])

    func entries(_ fixture: ProgramFixture) throws -> [ProgramEntry] {
        ProgramEntry.entries(try ProgramStore.programs(under: fixture.root), states: try ProgramStates.load(root: fixture.root))
    }

    @Test func theTreeGroupsByDatasetModeModelAndPriorWithExactCountsAndCosts() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        let tree = ProgramTree(entries: try entries(fixture))
        func totals(_ path: String...) -> ProgramTree.Totals? { tree.totals[.group(path)] }
        #expect(tree.roots.map(\.label) == ["demo", "handwritten", "sms"])
        #expect(totals("demo") == ProgramTree.Totals(programs: 4, enabled: 3, cost: USD("0.0233")!))
        #expect(totals("demo", "scriptorium") == ProgramTree.Totals(programs: 2, enabled: 1, cost: USD("0.0010")!))
        #expect(totals("demo", "scriptorium", "gpt-4o-mini")?.programs == 2)
        #expect(totals("demo", "alchemist", "gpt-4o", "keywords") == ProgramTree.Totals(programs: 2, enabled: 2, cost: USD("0.0223")!))
        #expect(totals("sms", "alchemist-rag", "claude-sonnet-4-5", "description")?.cost == USD("0.05")!)
        // No metadata: grouped by its folder, at no cost.
        #expect(totals("handwritten") == ProgramTree.Totals(programs: 1, enabled: 1, cost: 0))
        #expect(tree.overall == ProgramTree.Totals(programs: 6, enabled: 5, cost: USD("0.0733")!))

        let demo = try #require(tree.roots.first)
        #expect(demo.info == "4 · $0.0233")
        // Scriptorium has no prior: its programs hang under the code model; natural order, LF2 off.
        let mini = try #require(demo.children.first { $0.label == "scriptorium" }?.children.first)
        #expect(mini.children.map(\.label) == ["LF1", "LF2"])
        #expect(mini.children.map(\.info) == ["$0.0004", "off · $0.0006"])
        #expect(mini.children.map(\.role) == [.text, .muted])
        let keywords = try #require(demo.children.first { $0.label == "alchemist" }?.children.first?.children.first)
        #expect(keywords.children.map(\.label) == ["LF1", "LF10"])
    }

    @Test func theFilterKeepsMatchingProgramsAndTheirGroupsOnly() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        let all = try entries(fixture)
        #expect(ProgramTree(entries: all, filter: "SCRIPTORIUM").overall.programs == 2)
        #expect(ProgramTree(entries: all, filter: "claude").roots.map(\.label) == ["sms"])
        #expect(ProgramTree(entries: all, filter: "run00003").overall.cost == USD("0.0223")!)
        #expect(ProgramTree(entries: all, filter: "demo lf10").entries.keys.sorted() == ["demo/alchemist/gpt-4o/keywords/LF10.py"])
        #expect(ProgramTree(entries: all, filter: "nothing-like-this").roots.isEmpty)

        // Typed with `/`: the tree narrows as the text changes, enter keeps it, esc clears it.
        var browser = try fixture.browser()
        browser.press(.char("/"))
        #expect(browser.capturesKeys)
        browser.type("sms")
        #expect(browser.tree.overall.programs == 1)
        #expect(browser.selectedEntry?.key == "sms/alchemist-rag/claude-sonnet-4-5/description/LF1.py")
        // `q` is text while typing, not quit.
        #expect(browser.handle(.char("q")) == nil)
        #expect(browser.filter.text == "smsq" && browser.tree.overall.programs == 0)
        browser.press(.backspace, .enter)
        #expect(!browser.capturesKeys && browser.filter.text == "sms")
        #expect(browser.render(width: 80, height: 24).text.contains("/sms"))
        // The first esc clears the filter, the second leaves the browser.
        #expect(browser.press(.escape) == [])
        #expect(browser.tree.overall.programs == 6)
        #expect(browser.press(.escape) == [.close])
    }

    @Test func navigationMovesThroughTheVisibleRowsAndOpensAndClosesGroups() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser()
        // The way to the first program is open, and it is selected.
        #expect(browser.selectedEntry?.key == "demo/alchemist/gpt-4o/keywords/LF1.py")
        browser.press(.char("j"))
        #expect(browser.selectedEntry?.key == "demo/alchemist/gpt-4o/keywords/LF10.py")
        browser.press(.down)
        #expect(browser.view.selected == .group(["demo", "scriptorium"]))
        #expect(browser.selectedEntry == nil)
        #expect(browser.render(width: 80, height: 24).text.contains("2 programs, 1 enabled · total $0.0010"))
        browser.press(.enter, .down, .enter, .down, .down)
        #expect(browser.selectedEntry?.key == "demo/scriptorium/gpt-4o-mini/LF2.py")
        // ← on a program steps out to its group; ← again closes it.
        browser.press(.left)
        #expect(browser.view.selected == .group(["demo", "scriptorium", "gpt-4o-mini"]))
        browser.press(.left)
        #expect(!browser.view.expanded.contains(.group(["demo", "scriptorium", "gpt-4o-mini"])))
        browser.press(.char("G"))
        #expect(browser.view.selected == .group(["sms"]))
        browser.press(.right, .right)
        #expect(browser.view.selected == .group(["sms", "alchemist-rag"]))
        browser.press(.char("g"))
        #expect(browser.view.selected == .group(["demo"]))
        browser.press(.up)
        #expect(browser.view.selected == .group(["demo"]))
        // Group rows ask nothing of the app.
        #expect(browser.press(.char("e"), .char("d"), .char("x"), .char("t"), .char("y")) == [])
    }

    @Test func deletingAsksFirstAndOnlyYesMakesTheRequest() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser()
        let url = try #require(browser.selectedEntry?.url)
        let name = try #require(browser.selectedEntry?.key)
        #expect(browser.press(.char("d")) == [.askToDelete(url, name: name)])
        // The app asks on its overlay stack; the dialog takes every key until answered.
        var state = try Fixtures.state()
        state.programs = browser
        state.screen = .programs
        #expect(update(&state, .key(.char("d"))) == [.render])
        #expect(state.overlays.count == 1)
        let dialog = AppView.render(state).text
        #expect(dialog.contains("Delete program?"))
        #expect(dialog.contains("y confirm · n or esc cancel"))
        // Other keys, `q` included, do nothing while the dialog is open.
        for key in [Key.char("q"), .char("j"), .enter, .char("d")] { #expect(update(&state, .key(key)) == []) }
        #expect(state.overlays.count == 1)
        #expect(update(&state, .key(.char("n"))) == [.render])
        #expect(state.overlays.isEmpty)
        state.press(.char("d"))
        #expect(update(&state, .key(.escape)) == [.render])
        #expect(state.overlays.isEmpty && FileManager.default.fileExists(atPath: url.path))
        state.press(.char("d"))
        #expect(update(&state, .key(.char("y"))) == [.programs(.delete(url)), .render])
        #expect(state.overlays.isEmpty && state.screen == .programs)

        // The app carries it out and reloads: the file is gone, the selection moves on.
        try ProgramsActions.delete(url, root: fixture.root)
        try browser.reload(ledger: fixture.ledger)
        #expect(!FileManager.default.fileExists(atPath: url.path))
        #expect(browser.tree.overall.programs == 5)
        #expect(browser.selectedEntry?.key == "demo/alchemist/gpt-4o/keywords/LF10.py")
        #expect(try ProgramStates.load(root: fixture.root).latestTest(url) == nil)
    }

    @Test func togglingEnabledShowsAtOnceAndTheActionPersistsIt() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser()
        let url = try #require(browser.selectedEntry?.url)
        #expect(browser.press(.char("x")) == [.setEnabled(url, false)])
        #expect(browser.selectedEntry?.enabled == false)
        #expect(browser.tree.overall.enabled == 4)
        // Selected: still the selection bar; once the selection moves away it is muted.
        browser.press(.char("j"))
        let row = try #require((0..<24).first { browser.render(width: 80, height: 24).row($0).hasPrefix("│          LF1 ") })
        #expect(browser.render(width: 80, height: 24)[12, row].style.role == .muted)
        try ProgramsActions.setEnabled(url, false, root: fixture.root)
        try browser.reload(ledger: nil)
        #expect(browser.tree.entries["demo/alchemist/gpt-4o/keywords/LF1.py"]?.enabled == false)
        #expect(try ProgramStates.load(root: fixture.root).isEnabled(url) == false)
        browser.press(.char("k"))
        #expect(browser.press(.char("x")) == [.setEnabled(url, true)])
        try ProgramsActions.setEnabled(url, true, root: fixture.root)
        #expect(try ProgramStates.load(root: fixture.root).isEnabled(url))
    }

    @Test func theOtherKeysMakeTheirRequests() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser()
        let entry = try #require(browser.selectedEntry)
        let url = try #require(entry.url)
        #expect(browser.press(.char("e"), .char("y"), .char("t")) == [.openInEditor(url), .copyPath(url), .testOnValid(entry.program)])
        // Global keys are the app's.
        #expect(browser.press(.char("q"), .char("?")) == [])
        let (escape, status) = ProgramsActions.copyPath(url)
        #expect(escape == "\u{1B}]52;c;" + Data(url.path.utf8).base64EncodedString() + "\u{07}")
        #expect(status == "copied \(url.path)")
    }

    @Test func tabsShowCodePromptAndRunAndPagesScroll() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser(width: 80, height: 24)
        #expect(browser.tab == .code)
        var text = browser.render(width: 80, height: 24).text
        // Code lines are numbered as lines of the file (below the header).
        #expect(text.contains(" 8 import re"))
        browser.press(.tab)
        text = browser.render(width: 80, height: 24).text
        #expect(browser.tab == .prompt)
        #expect(text.contains("Mission: Classify IT support tickets"))
        browser.press(.tab)
        text = browser.render(width: 120, height: 40).text
        #expect(text.contains("run total $0.0333 · 5 calls · $0.0110 unused"))
        #expect(text.contains("unused  1 failed $0.0090 · 1 discarded $0.0020"))
        #expect(text.contains("+ 1 more recorded in the ledger"))
        #expect(text.contains("discarded"))
        browser.press(.backTab, .backTab)
        #expect(browser.tab == .code)
        browser.press(.pageDown)
        #expect(browser.detailScroll > 0)
        let scrolled = browser.render(width: 80, height: 24).text
        #expect(!scrolled.contains(" 8 import re"))
        #expect(scrolled.contains("14 def label_function(text):"))
        browser.press(.pageDown, .pageDown)
        #expect(browser.detailScroll == browser.maxDetailScroll)
        // At the end the last line shows, long lines wrapped above it.
        #expect(browser.render(width: 80, height: 24).text.contains("18     return -1"))
        browser.press(.pageUp, .pageUp, .pageUp)
        #expect(browser.detailScroll == 0)
        // A new selection starts at the top.
        browser.press(.pageDown, .char("j"))
        #expect(browser.detailScroll == 0)
    }

    @Test func anEmptyFolderSaysSo() throws {
        let folder = try TestEnvironment.temporaryFolder("programs-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        var browser = try ProgramsBrowser.load(root: folder.appendingPathComponent("absent"), ledger: nil)
        let text = browser.render(width: 80, height: 24).text
        #expect(text.contains("No programs yet"))
        #expect(text.contains("0 programs · total $0"))
        #expect(browser.press(.char("j"), .char("d"), .char("x"), .enter) == [])
    }

    @Test(arguments: [(59, 16), (60, 15)])
    func belowTheMinimumSizeItSaysSo(width: Int, height: Int) throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        let buffer = try fixture.browser().render(width: width, height: height)
        #expect(buffer.text.contains(DisplayWidth.truncate("terminal too small: \(width)×\(height), need 60×16", to: width)))
    }
}

/// Issue 12's defect: after `t`, `x` or `e` the app reloads the browser from disk; the reload must
/// keep the program the user acted on selected and the filter typed (it went back to the first
/// program, so a second `x` disabled LF1).
@Suite struct ProgramsReloadTests {
    @Test func aReloadAfterAnActionKeepsTheSelectionAndTheFilter() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var state = try Fixtures.state(width: 120, height: 40)
        var browser = try fixture.browser(width: 120, height: 40)
        browser.press(.char("/"))
        browser.type("LF")
        browser.press(.enter)
        browser.press(.char("j"))
        let chosen = try #require(browser.selectedEntry?.url)
        let first = try #require(try fixture.browser(width: 120, height: 40).selectedEntry?.url)
        #expect(chosen != first, "the test must select another program than the first")
        state.programs = browser
        state.screen = .programs
        _ = update(&state, .programsLoaded(try ProgramsBrowser.load(root: fixture.root, ledger: fixture.ledger),
                                           status: "\(chosen.lastPathComponent) disabled for labeling"))
        #expect(state.programs?.selectedEntry?.url == chosen)
        #expect(state.programs?.filter.text == "LF")
        #expect(state.programs?.status.contains("disabled for labeling") == true)
    }
}
