import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// The settings screen over the project's config.json and themes/, with an app home under a home
/// folder that does not exist (so paths show as `~/…` and every snapshot is the same on any machine),
/// the OpenAI key in the environment and the Anthropic key in a .env file.
@Suite struct SettingsScreenTests {
    static let openAISecret = "sk-FAKE-ZQXJ-openai-never-shown-0042"
    static let anthropicSecret = "sk-ant-FAKE-WVKQ-dotenv-never-shown"
    static let home = "/nonexistent-alchemist-test/home"

    static func view(userThemes: URL? = nil, noColor: Bool = false) throws -> SettingsView {
        let config = try TestEnvironment.config()
        let appHome = userThemes?.deletingLastPathComponent().path ?? home + "/.local/share/alchemist"
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": appHome])
        let dotEnvFolder = try TestEnvironment.temporaryFolder("settings-dotenv")
        defer { try? FileManager.default.removeItem(at: dotEnvFolder) }
        let dotEnv = dotEnvFolder.appendingPathComponent(".env")
        try Data("ANTHROPIC_API_KEY=\(anthropicSecret)\n".utf8).write(to: dotEnv)
        let environment = ["OPENAI_API_KEY": openAISecret, "HOME": home]
        let keys = APIKeys(environment: environment, dotEnv: dotEnv)
        let policy = ColorPolicy(noColorFlag: noColor, environment: environment)
        let current = policy.applied(to: try ThemeCatalog(config: config, paths: paths).theme(named: "default"))
        return SettingsView(config: config, paths: paths, keys: keys, environment: environment, current: current, policy: policy)
    }

    static func render(_ view: SettingsView, width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        view.draw(into: &buffer, in: buffer.area)
        return buffer
    }

    @Test(arguments: [(80, 24), (120, 40), (60, 16)])
    func snapshots(width: Int, height: Int) throws {
        let buffer = Self.render(try Self.view(), width: width, height: height)
        for y in 0..<buffer.height { #expect(DisplayWidth.of(buffer.row(y)) == width, "row \(y)") }
        #expect(!buffer.text.contains("/nonexistent-alchemist-test"), "a machine path in the snapshot")
        try Snapshot.check(buffer, named: "settings-\(width)x\(height)")
    }

    @Test func keysShowPresentOrMissingAndWhereFromButNeverTheValue() throws {
        var view = try Self.view()
        #expect(view.keys == [KeyStatus(variable: "OPENAI_API_KEY", source: .environment),
                              KeyStatus(variable: "ANTHROPIC_API_KEY", source: .dotEnv)])
        var texts: [String] = []
        for (width, height) in [(80, 24), (120, 40), (60, 16), (200, 60)] {
            texts.append(Self.render(view, width: width, height: height).text)
        }
        _ = view.handle(.pageDown)
        texts.append(Self.render(view, width: 60, height: 16).text)
        let wide = Self.render(view, width: 120, height: 40).text
        #expect(wide.contains("OPENAI_API_KEY"))
        #expect(wide.contains("present (environment)"))
        #expect(wide.contains("present (.env)"))
        for secret in [Self.openAISecret, Self.anthropicSecret] {
            for text in texts {
                #expect(!text.contains(secret))
                #expect(!text.contains(secret.prefix(12)))
                #expect(!text.contains("ZQXJ") && !text.contains("WVKQ"))
            }
            // Not even held by the view, so no later screen can leak it.
            #expect(!String(describing: view).contains(secret))
        }
        let missing = KeyStatus.rows(config: try TestEnvironment.config(), keys: APIKeys(environment: [:], dotEnv: nil), environment: [:])
        #expect(missing.map(\.summary) == ["missing", "missing"])
    }

    @Test func foldersAndDefaultModelsAreShown() throws {
        let view = try Self.view()
        let text = Self.render(view, width: 120, height: 40).text
        #expect(view.codeModel == "gpt-4o-mini")
        #expect(view.dataset == "demo")
        #expect(text.contains("code model gpt-4o-mini"))
        #expect(text.contains("dataset demo"))
        #expect(view.folders.map(\.label) == ["data", "programs", "app home", "ledger", "user themes"])
        #expect(view.folders.map(\.exists) == [true, false, false, false, false])
        #expect(text.contains("datasets  exists"))
        #expect(text.contains("~/.local/share/alchemist/programs  missing"))
        #expect(text.contains("~/.local/share/alchemist/ledger.sqlite  missing"))
    }

    @Test func shortPathsAreRelativeToTheProjectOrHome() {
        let project = URL(fileURLWithPath: "/srv/project")
        #expect(FolderStatus.shortPath(URL(fileURLWithPath: "/srv/project/datasets"), project: project, home: "/home/a") == "datasets")
        #expect(FolderStatus.shortPath(URL(fileURLWithPath: "/home/a/.local/x"), project: project, home: "/home/a/") == "~/.local/x")
        #expect(FolderStatus.shortPath(URL(fileURLWithPath: "/home/ab/x"), project: project, home: "/home/a") == "/home/ab/x")
        #expect(FolderStatus.shortPath(URL(fileURLWithPath: "/srv/data"), project: project, home: "/home/a") == "/srv/data")
    }

    @Test func movingPreviewsEnterKeepsAndEscRestores() throws {
        var view = try Self.view()
        #expect(view.themes.map(\.name) == ["default", "high-contrast", "light", "monochrome"])
        #expect(view.handle(.up) == nil, "already at the top")
        guard case .preview(let highContrast)? = view.handle(.down) else { Issue.record("no preview"); return }
        #expect(highContrast.name == "high-contrast")
        #expect(highContrast.color(.accent) == .brightYellow)
        #expect(Self.render(view, width: 80, height: 24).row(0).contains("theme: high-contrast"))
        guard case .preview(let light)? = view.handle(.char("j")) else { Issue.record("no preview"); return }
        #expect(light.name == "light")
        #expect(view.handle(.escape) == .close(restoring: view.inUse))
        #expect(view.inUse.name == "default")

        #expect(view.handle(.char("G")).map { if case .preview(let theme) = $0 { theme.name } else { "" } } == "monochrome")
        guard case .apply(let kept)? = view.handle(.enter) else { Issue.record("no apply"); return }
        #expect(kept.name == "monochrome" && kept.isMonochrome)
        _ = view.handle(.home)
        // After enter, esc restores the kept theme, not the one the screen opened with.
        guard case .close(let restored)? = view.handle(.escape) else { Issue.record("no close"); return }
        #expect(restored.name == "monochrome")
        #expect(view.handle(.char("q")) == nil, "quit is the app's")
    }

    @Test func underNoColorEveryPreviewIsMonochromeAndSaysWhy() throws {
        var view = try Self.view(noColor: true)
        guard case .preview(let theme)? = view.handle(.down) else { Issue.record("no preview"); return }
        #expect(theme.isMonochrome)
        #expect(theme.name == "high-contrast")
        let text = Self.render(view, width: 80, height: 24).text
        #expect(text.contains("(no colour)"))
        #expect(text.contains("colours are off (--no-color)"))
    }

    @Test func aBrokenUserThemeIsListedAndSelectingItShowsTheErrorWithoutAPreview() throws {
        let appHome = try TestEnvironment.temporaryFolder("settings-home")
        defer { try? FileManager.default.removeItem(at: appHome) }
        let themes = appHome.appendingPathComponent("themes")
        try FileManager.default.createDirectory(at: themes, withIntermediateDirectories: true)
        try Data(#"{"roles": {"cost": "gold"}}"#.utf8).write(to: themes.appendingPathComponent("aaa-broken.json"))
        var view = try Self.view(userThemes: themes)
        #expect(view.themes.map(\.name) == ["default", "aaa-broken", "high-contrast", "light", "monochrome"])
        #expect(view.handle(.down) == nil)
        #expect(view.handle(.enter) == nil)
        let text = Self.render(view, width: 200, height: 30).text
        #expect(text.contains("aaa-broken · user · broken"))
        #expect(text.contains("aaa-broken.json: roles.cost"))
        #expect(view.shown.name == "default")
    }

    @Test func pageDownScrollsTheInfoBoxWhenShortOfRows() throws {
        var view = try Self.view()
        let before = Self.render(view, width: 60, height: 16)
        #expect(before.text.contains("API keys"))
        _ = view.handle(.pageDown)
        let after = Self.render(view, width: 60, height: 16)
        #expect(!after.text.contains("API keys"))
        #expect(after.text.contains("Folders"))
        _ = view.handle(.pageUp)
        #expect(Self.render(view, width: 60, height: 16) == before)
    }

    @Test func theSwatchDrawsEveryRole() throws {
        var buffer = CellBuffer(width: 40, height: 14)
        ThemeSwatch().draw(into: &buffer, in: buffer.area)
        let roles = Set((0..<buffer.height).flatMap { y in (0..<buffer.width).map { buffer[$0, y] } }.filter { $0.text != " " }.map(\.style.role))
        #expect(roles == Set(StyleRole.allCases))
        var narrow = CellBuffer(width: 40, height: 4)
        ThemeSwatch().draw(into: &narrow, in: narrow.area)
        let narrowRoles = Set((0..<narrow.height).flatMap { y in (0..<narrow.width).map { narrow[$0, y] } }.filter { $0.text != " " }.map(\.style.role))
        #expect(narrowRoles == Set(StyleRole.allCases), "four rows: the roles in columns")
    }

    @Test func theSettingsBindingsDoNotClash() {
        #expect(KeyBindings.clashes() == [])
        #expect(KeyBindings.action(for: .enter, in: .settings) == .applyTheme)
        #expect(KeyBindings.action(for: .char(","), in: .setup) == .openSettings)
        #expect(KeyBindings.helpBar(for: .settings).contains("enter keep theme"))
    }
}

@Suite struct SettingsFileTests {
    @Test func theRememberedThemeRoundTrips() throws {
        let home = try TestEnvironment.temporaryFolder("settings-file")
        defer { try? FileManager.default.removeItem(at: home) }
        let file = UserSettings.file(appHome: home)
        #expect(try UserSettings.load(from: file) == UserSettings())
        try UserSettings.rememberTheme("light", appHome: home)
        #expect(try UserSettings.load(from: file).theme == "light")
        try UserSettings(theme: "high-contrast").save(to: file)
        #expect(try UserSettings.load(from: file) == UserSettings(theme: "high-contrast"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func unknownKeysAreIgnoredAndABrokenFileIsAnErrorNamingFileAndKey() throws {
        let home = try TestEnvironment.temporaryFolder("settings-file")
        defer { try? FileManager.default.removeItem(at: home) }
        let file = UserSettings.file(appHome: home)
        try Data(#"{"theme": "light", "later": 3}"#.utf8).write(to: file)
        #expect(try UserSettings.load(from: file).theme == "light")
        try Data(#"{"theme": 7}"#.utf8).write(to: file)
        let error = #expect(throws: SettingsError.self) { try UserSettings.load(from: file) }
        #expect(error?.description.contains(file.path) == true)
        #expect(error?.description.contains("theme") == true)
        try Data("[1, 2".utf8).write(to: file)
        let broken = #expect(throws: SettingsError.self) { try UserSettings.load(from: file) }
        #expect(broken?.description.contains("settings.json") == true)
    }
}
