import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// The setup screen comes back as it was left.
@Suite struct RememberedSetupTests {
    @Test func choicesAndTextsComeBackThroughTheSettingsFile() throws {
        var state = try Fixtures.state(mode: .alchemistRAG)
        state.focus = .prior
        state.press(.char("j"))
        state.mission = "Tell urgent tickets apart."
        state.query = "Which words mark urgency?"
        state.knowledgePath = "/data/guide.md"
        let home = try TestEnvironment.temporaryFolder("remembered")
        defer { try? FileManager.default.removeItem(at: home) }
        try UserSettings.rememberTheme("dusk", appHome: home)
        try UserSettings.rememberSetup(state.rememberedSetup, appHome: home)
        let settings = try UserSettings.load(from: UserSettings.file(appHome: home))
        #expect(settings.theme == "dusk")  // the other settings stay

        var fresh = AppState(options: try Fixtures.options())
        #expect(fresh.mode == .alchemist)
        fresh.restore(try #require(settings.setup))
        #expect(fresh.mode == .alchemistRAG)
        #expect(fresh.prior?.id == state.prior?.id)
        #expect(fresh.codeModel?.spec.id == state.codeModel?.spec.id)
        #expect(fresh.mission == "Tell urgent tickets apart.")
        #expect(fresh.query == "Which words mark urgency?")
        #expect(fresh.knowledgePath == "/data/guide.md")
    }

    @Test func whatNoLongerExistsIsSkippedAndTextsStayWithTheirDataset() throws {
        let options = try Fixtures.options()
        var state = AppState(options: options)
        let before = state.rememberedSetup
        state.restore(RememberedSetup(dataset: "gone", mode: "nope", codeModel: "retired-model", prior: "none-such",
                                      mission: "written for another dataset", query: "q"))
        #expect(state.rememberedSetup.dataset == before.dataset)
        #expect(state.mode == .alchemist)
        #expect(state.codeModel?.spec.id == before.codeModel)
        #expect(state.mission == before.mission)  // the template's, not another dataset's text
    }

    @Test func aBrokenSetupEntryNamesTheFile() throws {
        let home = try TestEnvironment.temporaryFolder("remembered-broken")
        defer { try? FileManager.default.removeItem(at: home) }
        let file = UserSettings.file(appHome: home)
        try #"{"setup": {"mode": 3}}"#.write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: SettingsError.self) { try UserSettings.load(from: file) }
        do { _ = try UserSettings.load(from: file) } catch { #expect("\(error)".contains("settings.json")) }
    }
}
