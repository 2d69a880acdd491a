import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

@Suite struct ThemeCatalogTests {
    static let bundledFolder = TestEnvironment.repositoryRoot.appendingPathComponent("themes")

    private func catalog(user: URL?) -> ThemeCatalog {
        ThemeCatalog(bundledFolder: Self.bundledFolder, userFolder: user)
    }

    @Test func everyBundledThemeLoadsAndNamesEveryRoleOrIsMonochrome() throws {
        let names = ThemeCatalog.themeFiles(in: Self.bundledFolder).map { $0.deletingPathExtension().lastPathComponent }
        #expect(Set(names).isSuperset(of: ["default", "light", "high-contrast", "monochrome"]))
        for name in names {
            let theme = try catalog(user: nil).theme(named: name)
            #expect(theme.name == name)
            if theme.isMonochrome {
                #expect(StyleRole.allCases.allSatisfy { theme.color($0) == .default }, "\(name)")
            } else {
                #expect(Set(theme.colors.keys) == Set(StyleRole.allCases), "\(name) leaves roles out")
            }
        }
        #expect(try catalog(user: nil).theme(named: "monochrome").isMonochrome)
        #expect(try catalog(user: nil).theme(named: "light").color(.accent) == .blue)
    }

    @Test func theBundledThemesDiffer() throws {
        let themes = try ["default", "light", "high-contrast"].map { try catalog(user: nil).theme(named: $0).colors }
        #expect(Set(themes.map { $0.sorted { $0.key.rawValue < $1.key.rawValue }.map(\.value.rawValue) }).count == 3)
    }

    @Test func defaultComesFirstAndTheBuiltInsExistWithoutFiles() throws {
        #expect(catalog(user: nil).names.first == "default")
        let empty = ThemeCatalog(bundledFolder: nil, userFolder: nil)
        #expect(empty.names == ["default", "monochrome"])
        #expect(try empty.theme(named: "default") == .builtIn)
        #expect(try empty.theme(named: "monochrome").isMonochrome)
        #expect(empty.entries().allSatisfy { $0.origin == .builtIn })
    }

    @Test func aUserThemeOverridesABundledOneOfTheSameName() throws {
        let user = try TestEnvironment.temporaryFolder("user-themes")
        defer { try? FileManager.default.removeItem(at: user) }
        try Data(#"{"name": "mine", "roles": {"accent": "bright-red"}}"#.utf8).write(to: user.appendingPathComponent("light.json"))
        try Data(#"{"roles": {"accent": "green"}}"#.utf8).write(to: user.appendingPathComponent("forest.json"))
        let catalog = catalog(user: user)
        let light = try catalog.theme(named: "light")
        #expect(light.color(.accent) == .brightRed)
        #expect(light.name == "light")
        #expect(catalog.entries().first { $0.name == "light" }?.origin == .user)
        #expect(catalog.entries().first { $0.name == "default" }?.origin == .bundled)
        #expect(catalog.names.filter { $0 == "light" }.count == 1)
        #expect(try catalog.theme(named: "forest").color(.accent) == .green)
    }

    @Test func aBrokenUserThemeIsAnErrorNamingTheFileAndKey() throws {
        let user = try TestEnvironment.temporaryFolder("user-themes")
        defer { try? FileManager.default.removeItem(at: user) }
        let file = user.appendingPathComponent("broken.json")
        try Data(#"{"roles": {"text": "default", "borderFocused": "chartreuse"}}"#.utf8).write(to: file)
        let error = #expect(throws: ThemeError.self) { try catalog(user: user).theme(named: "broken") }
        #expect(error?.description.contains(file.path) == true)
        #expect(error?.description.contains("roles.borderFocused") == true)
        #expect(error?.description.contains("chartreuse") == true)
        // A file that is not JSON at all: named too, and still no crash.
        try Data("{ not json".utf8).write(to: file)
        let notJSON = #expect(throws: ThemeError.self) { try catalog(user: user).theme(named: "broken") }
        #expect(notJSON?.description.contains(file.path) == true)
    }

    @Test func aMonochromeFlagThatIsNotABooleanIsAnError() throws {
        let user = try TestEnvironment.temporaryFolder("user-themes")
        defer { try? FileManager.default.removeItem(at: user) }
        let file = user.appendingPathComponent("odd.json")
        try Data(#"{"monochrome": "yes"}"#.utf8).write(to: file)
        let error = #expect(throws: ThemeError.self) { try Theme.load(from: file) }
        #expect(error?.description.contains("odd.json: monochrome") == true)
        try Data(#"{"monochrome": 1}"#.utf8).write(to: file)
        #expect(throws: ThemeError.self) { try Theme.load(from: file) }
        try Data(#"{"monochrome": true, "roles": {"accent": "red"}}"#.utf8).write(to: file)
        let theme = try Theme.load(from: file)
        #expect(theme.isMonochrome)
        #expect(theme.color(.accent) == .default)
    }

    @Test func anUnknownThemeNameListsTheKnownNames() throws {
        let error = #expect(throws: ThemeError.self) {
            try ThemeSelection.pick(catalog: catalog(user: nil), flag: "solarised", remembered: nil)
        }
        let text = error?.description ?? ""
        #expect(text.contains("\"solarised\""))
        for name in ["default", "light", "high-contrast", "monochrome"] { #expect(text.contains(name)) }
    }

    @Test func theFlagWinsOverTheRememberedPickWhichWinsOverTheDefault() throws {
        let catalog = catalog(user: nil)
        #expect(try ThemeSelection.pick(catalog: catalog, flag: "light", remembered: "high-contrast").name == "light")
        #expect(try ThemeSelection.pick(catalog: catalog, flag: nil, remembered: "high-contrast").name == "high-contrast")
        #expect(try ThemeSelection.pick(catalog: catalog, flag: nil, remembered: nil).name == "default")
        // A remembered theme whose file has gone since: the default, not an error.
        #expect(try ThemeSelection.pick(catalog: catalog, flag: nil, remembered: "deleted-since").name == "default")
    }

    @Test func noColorAndTheFlagForceMonochromeKeepingTheName() {
        let light = Theme(name: "light", colors: [.accent: .blue])
        #expect(ColorPolicy(noColorFlag: true, environment: [:]).applied(to: light).isMonochrome)
        #expect(ColorPolicy(noColorFlag: false, environment: ["NO_COLOR": "1"]).applied(to: light).isMonochrome)
        #expect(ColorPolicy(noColorFlag: false, environment: ["NO_COLOR": "1"]).applied(to: light).name == "light")
        #expect(ColorPolicy(noColorFlag: false, environment: ["NO_COLOR": "1"]).applied(to: light).color(.accent) == .default)
        #expect(!ColorPolicy(noColorFlag: false, environment: ["NO_COLOR": ""]).applied(to: light).isMonochrome)
        #expect(ColorPolicy(noColorFlag: false, environment: [:]).applied(to: light) == light)
        #expect(ColorPolicy(noColorFlag: true, environment: [:]).reason == "--no-color")
    }

    @Test func resolvingReadsTheRememberedPickAndHonoursNoColor() throws {
        let home = try TestEnvironment.temporaryFolder("theme-home")
        defer { try? FileManager.default.removeItem(at: home) }
        let config = try TestEnvironment.config()
        let paths = TestEnvironment.paths(config: config, dataDir: nil, home: home)
        #expect(try ThemeSelection.resolve(config: config, paths: paths, environment: [:]).name == "default")
        try UserSettings.rememberTheme("high-contrast", appHome: home)
        let remembered = try ThemeSelection.resolve(config: config, paths: paths, environment: [:])
        #expect(remembered.name == "high-contrast")
        #expect(remembered.color(.error) == .brightRed)
        let flagged = try ThemeSelection.resolve(config: config, paths: paths, flags: ThemeFlags(theme: "light"), environment: [:])
        #expect(flagged.name == "light")
        let noColor = try ThemeSelection.resolve(config: config, paths: paths, flags: ThemeFlags(noColor: true), environment: [:])
        #expect(noColor.isMonochrome)
        #expect(try ThemeSelection.resolve(config: config, paths: paths, environment: ["NO_COLOR": "x"]).isMonochrome)
        #expect(throws: ThemeError.self) {
            try ThemeSelection.resolve(config: config, paths: paths, flags: ThemeFlags(theme: "nope"), environment: [:])
        }
    }
}
