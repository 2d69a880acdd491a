import Foundation
import Testing
import TestSupport
@testable import TUI

@Suite struct ThemeTests {
    @Test func theBundledThemeFileMatchesTheBuiltInTheme() throws {
        let theme = try Theme.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("themes/default.json"))
        #expect(theme.colors == Theme.builtIn.colors)
        #expect(Set(theme.colors.keys) == Set(StyleRole.allCases))
        #expect(theme.color(.borderFocused) == .cyan)
        #expect(ThemeColor.default.number == -1)
        #expect(ThemeColor.black.number == 0)
        #expect(ThemeColor.brightBlack.number == 8)
        #expect(ThemeColor.brightWhite.number == 15)
    }

    private func write(_ json: String) throws -> URL {
        let folder = try TestEnvironment.temporaryFolder("theme")
        let file = folder.appendingPathComponent("broken.json")
        try Data(json.utf8).write(to: file)
        return file
    }

    @Test func anUnknownRoleIsAnErrorNamingFileAndKey() throws {
        let file = try write(#"{"name": "x", "roles": {"text": "default", "txet": "red"}}"#)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let error = #expect(throws: ThemeError.self) { try Theme.load(from: file) }
        #expect(error?.description.contains(file.path) == true)
        #expect(error?.description.contains("roles.txet") == true)
    }

    @Test func anUnknownColourIsAnErrorNamingFileAndKey() throws {
        let file = try write(#"{"roles": {"accent": "purple"}}"#)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let error = #expect(throws: ThemeError.self) { try Theme.load(from: file) }
        #expect(error?.description.contains("broken.json") == true)
        #expect(error?.description.contains("roles.accent") == true)
        #expect(error?.description.contains("purple") == true)
    }

    @Test func rolesNotNamedKeepTheTerminalColour() throws {
        let file = try write(#"{"roles": {"accent": "bright-green"}}"#)
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let theme = try Theme.load(from: file)
        #expect(theme.color(.accent) == .brightGreen)
        #expect(theme.color(.error) == .default)
    }

    @Test func noColorGivesMonochromeOnlyWhenNonEmpty() {
        #expect(Theme.resolved(.builtIn, environment: ["NO_COLOR": "1"]).isMonochrome)
        #expect(Theme.resolved(.builtIn, environment: ["NO_COLOR": "1"]).color(.error) == .default)
        #expect(!Theme.resolved(.builtIn, environment: ["NO_COLOR": ""]).isMonochrome)
        #expect(!Theme.resolved(.builtIn, environment: [:]).isMonochrome)
    }
}
