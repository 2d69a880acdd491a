import Engine
import Foundation

/// A screen that takes its keys itself and answers with what it wants done: the one shape of the
/// programs browser, the results screen and the settings screen.
protocol KeyedScreen {
    associatedtype Request
    mutating func handle(_ key: Key) -> Request?
}

extension ProgramsBrowser: KeyedScreen {}
extension ResultsView: KeyedScreen {}
extension SettingsView: KeyedScreen {}

/// Hands a key to the screen at `path`, keeps its new state, and turns its request into effects;
/// without the screen, goes back to the previous one.
func route<S: KeyedScreen>(_ key: Key, to path: WritableKeyPath<AppState, S?>, _ state: inout AppState,
                           _ effects: (S.Request, inout AppState) -> [Effect]) -> [Effect] {
    guard var screen = state[keyPath: path] else {
        state.screen = state.previousScreen
        return [.render]
    }
    let request = screen.handle(key)
    state[keyPath: path] = screen
    guard let request else { return [.render] }
    return effects(request, &state)
}

/// What the programs browser asks for becomes an effect.
func programsKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    route(key, to: \.programs, &state) { request, state in
        switch request {
        case .close:
            state.screen = state.previousScreen
            return [.render]
        case .askToDelete(let url, let name):
            state.push(.confirm(ProgramsBrowser.deleteDialog(for: name), onYes: [.programs(.delete(url))]))
            return [.render]
        default:
            return [.programs(request), .render]
        }
    }
}

/// Keys of the labeling and results screen.
func resultsKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    route(key, to: \.results, &state) { request, state in
        switch request {
        case .cancel: return [.cancelLabeling, .render]
        case .close:
            state.screen = state.previousScreen
            return [.render]
        case .rerun:
            state.results?.restart()
            return [.startLabeling(dataset: state.results?.dataset ?? ""), .render]
        case .loadPastResults: return [.loadPastResults, .render]
        case .openLog(let url): return [.showFile(url), .render]
        case .export(let run):
            state.exportingRun = run
            state.push(.editor(.exportPath, TextEditor(RunExport.defaultFile(run: run).path)))
            return [.render]
        case .exportPrograms(let run):
            state.exportingRun = run
            state.push(.editor(.programsExportPath, TextEditor(RunExport.defaultProgramsFolder(run: run).path)))
            return [.render]
        case .predict(let run):
            state.exportingRun = run
            state.push(.editor(.predictInput, TextEditor(FileManager.default.currentDirectoryPath + "/")))
            return [.render]
        }
    }
}

/// Keys of the settings screen: theme previews apply at once; esc restores the theme it opened with.
func settingsKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    route(key, to: \.settings, &state) { request, state in
        switch request {
        case .preview(let theme):
            state.theme = theme
            return [.applyTheme(theme, remember: false), .render]
        case .apply(let theme):
            state.theme = theme
            state.status = "theme \(theme.name) kept"
            return [.applyTheme(theme, remember: true), .render]
        case .close(let theme):
            state.theme = theme
            state.screen = state.previousScreen
            return [.applyTheme(theme, remember: false), .render]
        }
    }
}
