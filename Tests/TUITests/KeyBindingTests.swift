import Foundation
import Testing
import TestSupport
@testable import TUI

@Suite struct KeyBindingTests {
    @Test func noTwoBindingsInOneScopeShareAKey() {
        #expect(KeyBindings.clashes() == [])
    }

    @Test func theClashCheckFindsAClash() {
        let bindings = KeyBindings.all + [KeyBinding(keys: [.char("j")], scope: .setup, action: .quit, shortHelp: "x", longHelp: "x", showsInBar: false)]
        #expect(KeyBindings.clashes(in: bindings) == ["setup: j"])
    }

    @Test func scopeBindingsWinOverGlobalOnes() {
        #expect(KeyBindings.action(for: .char("?"), in: .setup) == .toggleHelp)
        #expect(KeyBindings.action(for: .char("?"), in: .helpOverlay) == .closeOverlay)
        #expect(KeyBindings.action(for: .char("q"), in: .helpOverlay) == .quit)
        #expect(KeyBindings.action(for: .char("x"), in: .setup) == nil)
    }

    @Test func theHelpBarShowsBarBindingsOnly() {
        let bar = KeyBindings.helpBar(for: .setup)
        #expect(bar.contains("tab next pane"))
        #expect(bar.contains("q quit"))
        #expect(bar.contains("? help"))
        #expect(!bar.contains("ctrl-c"))
        #expect(bar.hasPrefix("q quit  ? help"))
        #expect(KeyBindings.helpBar(for: .helpOverlay) == "q quit  esc/? close")
    }

    /// docs/keybindings.md is generated from the table; ALCHEMIST_RECORD=1 rewrites it.
    @Test func theKeyBindingsDocumentIsUpToDate() throws {
        let file = TestEnvironment.repositoryRoot.appendingPathComponent("docs/keybindings.md")
        let expected = KeyBindings.markdown()
        if ProcessInfo.processInfo.environment["ALCHEMIST_RECORD"] == "1" {
            try Data(expected.utf8).write(to: file)
        }
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(committed == expected, "docs/keybindings.md is stale: run ALCHEMIST_RECORD=1 swift test --filter TUITests")
    }
}
