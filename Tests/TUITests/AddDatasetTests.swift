import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// `a` on setup: the file picker, the form with the engine's defaults and plan, enter writing a
/// folder the catalog loads; against a temporary data folder and the real runner.
@Suite struct AddDatasetTests {
    struct Setup {
        var folder: URL
        var config: AppConfig
        var paths: AppPaths
        var runner: EngineRunner
        var state: AppState
    }

    static func setup() throws -> Setup {
        let folder = try TestEnvironment.temporaryFolder("tui-add-dataset")
        let config = try TestEnvironment.config()
        let paths = TestEnvironment.paths(config: config, dataDir: folder.appendingPathComponent("data"), home: folder.appendingPathComponent("home"))
        let options = try SetupOptions.load(config: config, paths: paths, keys: APIKeys(environment: [:], dotEnv: nil))
        return Setup(folder: folder, config: config, paths: paths, runner: EngineRunner(config: config, paths: paths),
                     state: AppState(options: options))
    }

    /// A CSV of 30 labeled rows (id, text, label) and, when asked, a second text column.
    static func csv(in folder: URL, name: String = "My tickets.csv", extraText: Bool = false) throws -> URL {
        let file = folder.appendingPathComponent(name)
        var lines = [extraText ? "id,title,body,label" : "id,text,label"]
        for index in 0..<30 {
            let label = index % 3 == 0 ? "spam" : "ham"
            lines.append(extraText ? "t\(index),title \(index),body of ticket \(index),\(label)" : "t\(index),ticket number \(index) about \(label == "spam" ? "a prize" : "a meeting"),\(label)")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        return file
    }

    /// Carries out the runner's effects and feeds its news to `update` until no work is left.
    static func settle(_ effects: [Effect], _ state: inout AppState, runner: EngineRunner) async throws {
        var pending = effects
        let deadline = Date().addingTimeInterval(300)  // only against a hang: the full suite (Spark beside it) loads the machine
        while Date() < deadline {
            for effect in pending {
                switch effect {
                case .addDataset(let work): runner.addDataset(work, view: state.addDataset)
                case .loadDatasetInfo(let name): runner.loadDatasetInfo(name)
                default: break
                }
            }
            pending = []
            try await Task.sleep(for: .milliseconds(20))
            let busy = runner.isBusy
            let messages = runner.drain()
            for message in messages { pending += update(&state, message) }
            if !busy, messages.isEmpty, pending.isEmpty { return }
        }
        Issue.record("the runner did not settle")
    }

    @Test func aOpensThePickerAndAChosenFileOpensTheForm() throws {
        var setup = try Self.setup()
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let file = try Self.csv(in: setup.folder)
        let effects = update(&setup.state, .key(.char("a")))
        guard case .datasetFilePicker? = setup.state.topOverlay else { Issue.record("no picker on top"); return }
        #expect(effects.contains { if case .listFolder = $0 { return true } else { return false } })
        _ = update(&setup.state, .folderListed(setup.folder, [FilePicker.Entry(name: file.lastPathComponent, isFolder: false)], error: nil))
        #expect(AppView.render(setup.state).text.contains("My tickets.csv"))
        let chosen = update(&setup.state, .key(.enter))
        #expect(chosen.contains(.addDataset(.read(file.standardizedFileURL))))
        #expect(setup.state.screen == .addDataset && setup.state.overlays.isEmpty)
        #expect(setup.state.addDataset?.name == "My_tickets")  // the engine's name from the file name
        // esc goes back a step (the picker), esc there cancels.
        _ = update(&setup.state, .key(.escape))
        guard case .datasetFilePicker? = setup.state.topOverlay else { Issue.record("esc did not go back to the picker"); return }
        #expect(setup.state.screen == .setup)
        _ = update(&setup.state, .key(.escape))
        #expect(setup.state.overlays.isEmpty && setup.state.addDataset == nil)
    }

    @Test func theEnginesDefaultsArePreselectedAndAnAmbiguousTextColumnIsShown() async throws {
        var setup = try Self.setup()
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let plain = try Self.csv(in: setup.folder)
        try await Self.settle(chooseDatasetFile(plain, &setup.state), &setup.state, runner: setup.runner)
        var view = try #require(setup.state.addDataset)
        #expect(view.value(of: .text) == "text (default)" && view.value(of: .label) == "label (default)" && view.value(of: .id) == "id (default)")
        #expect(view.plan?.split.valid.count == 8 && view.plan?.classes == ["spam", "ham"])
        #expect(addDatasetDisabledReasons(view).isEmpty)

        let ambiguous = try Self.csv(in: setup.folder, name: "two.csv", extraText: true)
        try await Self.settle(chooseDatasetFile(ambiguous, &setup.state), &setup.state, runner: setup.runner)
        view = try #require(setup.state.addDataset)
        #expect(view.planError?.contains("more than one column could be the text (title, body)") == true)
        #expect(addDatasetDisabledReasons(view)[.writeDataset] == "fix the choices first")
        #expect(AppView.render(setup.state).text.contains("more than one column could"))
        // Down to the text field, → chooses a column: the plan follows.
        setup.state.press(.down)
        let effects = update(&setup.state, .key(.right))
        #expect(effects.contains(.addDataset(.plan(revision: setup.state.addDataset?.revision ?? -1))))
        try await Self.settle(effects, &setup.state, runner: setup.runner)
        view = try #require(setup.state.addDataset)
        #expect(view.planError == nil && view.plan?.textColumn == view.effectiveColumn(.text))
        #expect(view.value(of: .text) == view.plan?.textColumn)
    }

    @Test func enterWritesAFolderTheCatalogLoadsAndSelectsIt() async throws {
        var setup = try Self.setup()
        defer { try? FileManager.default.removeItem(at: setup.folder) }
        let file = try Self.csv(in: setup.folder)
        try await Self.settle(chooseDatasetFile(file, &setup.state), &setup.state, runner: setup.runner)
        // A named dataset's name is refused with the engine's message, inline.
        for _ in 0..<20 { setup.state.press(.backspace) }
        for character in "youtube" { setup.state.press(.char(character)) }
        try await Self.settle([.addDataset(.plan(revision: setup.state.addDataset?.revision ?? 0))], &setup.state, runner: setup.runner)
        #expect(setup.state.addDataset?.planError?.contains("youtube is one of the named datasets") == true)
        for _ in 0..<7 { setup.state.press(.backspace) }
        for character in "tickets" { setup.state.press(.char(character)) }
        try await Self.settle([.addDataset(.plan(revision: setup.state.addDataset?.revision ?? 0))], &setup.state, runner: setup.runner)
        #expect(setup.state.addDataset?.planError == nil)

        let effects = update(&setup.state, .key(.enter))
        #expect(effects.contains(.addDataset(.write)))
        try await Self.settle(effects, &setup.state, runner: setup.runner)
        #expect(setup.state.screen == .setup && setup.state.addDataset == nil)
        #expect(setup.state.dataset?.name == "tickets" && setup.state.dataset?.isPresent == true)
        let folder = setup.paths.dataDir.appendingPathComponent("tickets")
        #expect(setup.state.status == "added tickets in \(folder.path)")
        let loaded = try DatasetCatalog(config: setup.config, paths: setup.paths).load("tickets")
        #expect(loaded.labelNames == ["spam", "ham"])
        #expect(setup.state.datasetInfo["tickets"] == .loaded(loaded.splitsText))
        #expect(AppView.render(setup.state).text.contains("tickets: spam/ham · train 14"))

        // The same name again: the engine refuses it (the folder exists).
        try await Self.settle(chooseDatasetFile(file, &setup.state), &setup.state, runner: setup.runner)
        for _ in 0..<20 { setup.state.press(.backspace) }
        for character in "tickets" { setup.state.press(.char(character)) }
        try await Self.settle([.addDataset(.plan(revision: setup.state.addDataset?.revision ?? 0))], &setup.state, runner: setup.runner)
        #expect(setup.state.addDataset?.planError?.contains("a dataset named tickets exists") == true)
    }

    @Test func anAbsentDatasetWithoutASourceOffersA() throws {
        var state = try Fixtures.state()
        let index = try #require(state.options.datasets.firstIndex { !$0.isPresent && !$0.canFetch })
        state.selection[.dataset] = index
        #expect(state.datasetInfoLine.text == "no public source known — a adds it from a file")
        #expect(state.disabledReasons[.fetchDataset] == "no public source known — a adds it from a file")
        #expect(requestDatasetInfo(&state).isEmpty)
        state.selection[.dataset] = try #require(state.options.datasets.firstIndex { $0.isPresent })
        #expect(state.datasetInfoLine.text == "loading…")
        #expect(requestDatasetInfo(&state) == [.loadDatasetInfo(state.dataset?.name ?? "")])
        #expect(requestDatasetInfo(&state).isEmpty)  // asked once
    }

    @Test func theFormAt80x24() throws {
        var state = try Fixtures.state()
        let file = URL(fileURLWithPath: "/nonexistent-alchemist-test/My tickets.csv")
        _ = chooseDatasetFile(file, &state)
        var lines = ["id,text,label"]
        for index in 0..<30 { lines.append("t\(index),ticket number \(index) about \(index % 3 == 0 ? "a prize you won so claim it now at our website" : "a meeting"),\(index % 3 == 0 ? "spam" : "ham")") }
        let folder = try TestEnvironment.temporaryFolder("tui-add-snapshot")
        defer { try? FileManager.default.removeItem(at: folder) }
        let copy = folder.appendingPathComponent("My tickets.csv")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: copy)
        var table = try TabularFile.read(copy)
        table.file = file
        _ = update(&state, .addDataset(.read(file, table)))
        let view = try #require(state.addDataset)
        _ = update(&state, .addDataset(.planned(revision: view.revision, try DatasetImport.plan(try view.request(), table: table))))
        try Snapshot.check(AppView.render(state), named: "adddataset-80x24")
        for (width, height) in [(60, 16), (120, 40)] {
            state.width = width
            state.height = height
            let buffer = AppView.render(state)
            for y in 0..<height { #expect(DisplayWidth.of(buffer.row(y)) == width, "row \(y) at \(width)x\(height)") }
            #expect(buffer.text.contains("Planned split") && buffer.text.contains("enter add"))
        }
    }

    @Test func aPlanErrorAt80x24() throws {
        var state = try Fixtures.state()
        let file = URL(fileURLWithPath: "/nonexistent-alchemist-test/two.csv")
        _ = chooseDatasetFile(file, &state)
        let folder = try TestEnvironment.temporaryFolder("tui-add-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        var table = try TabularFile.read(try Self.csv(in: folder, name: "two.csv", extraText: true))
        table.file = file
        _ = update(&state, .addDataset(.read(file, table)))
        let view = try #require(state.addDataset)
        #expect(throws: DatasetError.self) { try DatasetImport.plan(try view.request(), table: table) }
        do { _ = try DatasetImport.plan(try view.request(), table: table) } catch {
            _ = update(&state, .addDataset(.planFailed(revision: view.revision, "\(error)")))
        }
        #expect(state.disabledReasons[.writeDataset] == "fix the choices first")
        try Snapshot.check(AppView.render(state), named: "adddataset-error-80x24")
    }
}
