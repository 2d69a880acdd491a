import Foundation
import Testing
import TestSupport
@testable import TUI

@Suite struct ProgramsBrowserSnapshots {
    @Test(arguments: [(80, 24), (120, 40), (ProgramsBrowser.minimumWidth, ProgramsBrowser.minimumHeight)])
    func programsBrowser(width: Int, height: Int) throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        let buffer = try fixture.browser(width: width, height: height).render(width: width, height: height)
        for y in 0..<height { #expect(DisplayWidth.of(buffer.row(y)) == width, "row \(y)") }
        try Snapshot.check(buffer, named: "programs-\(width)x\(height)")
    }

    /// The run view and a disabled program in the tree, at the larger size.
    @Test func theRunView() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser(width: 120, height: 40)
        browser.press(.tab, .tab)
        let buffer = browser.render(width: 120, height: 40)
        for y in 0..<40 { #expect(DisplayWidth.of(buffer.row(y)) == 120, "row \(y)") }
        try Snapshot.check(buffer, named: "programs-run-120x40")
    }

    /// The filter being typed, then the delete dialog over the panes.
    @Test func theFilterAndTheDeleteDialog() throws {
        let fixture = try ProgramFixture.make()
        defer { fixture.remove() }
        var browser = try fixture.browser()
        browser.press(.char("/"))
        browser.type("gpt-4o ")
        try Snapshot.check(browser.render(width: 80, height: 24), named: "programs-filter-80x24")
        browser.press(.enter)
        var state = try Fixtures.state()
        state.programs = browser
        state.screen = .programs
        state.press(.char("d"))
        let buffer = AppView.render(state)
        for y in 0..<24 { #expect(DisplayWidth.of(buffer.row(y)) == 80, "row \(y)") }
        try Snapshot.check(buffer, named: "programs-delete-80x24")
    }
}
