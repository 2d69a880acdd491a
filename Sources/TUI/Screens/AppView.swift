/// Draws the current screen and the overlays on top of it.
public enum AppView {
    public static func render(_ state: AppState) -> CellBuffer {
        var buffer = CellBuffer(width: state.width, height: state.height)
        let area = buffer.area
        guard area.width >= Chrome.minimumWidth, area.height >= Chrome.minimumHeight else {
            Chrome.drawTooSmall(into: &buffer, in: area)
            return buffer
        }
        switch state.screen {
        case .setup: SetupScreen.draw(state, into: &buffer, in: area)
        case .generate: GenerateScreen.draw(state, into: &buffer, in: area)
        case .programs:
            if let browser = state.programs { buffer = browser.render(width: state.width, height: state.height) }
        case .results:
            if let view = state.results { ResultsScreen.draw(view, into: &buffer, in: area, tick: state.tick) }
        case .settings:
            state.settings?.draw(into: &buffer, in: area)
        }
        if let viewer = state.viewer { viewer.draw(into: &buffer, in: area) }
        if let picker = state.picker { picker.draw(into: &buffer, in: area, title: "Knowledge path: a source-list JSON file, a folder or a file") }
        if var editing = state.editing { Chrome.drawEditor(&editing, into: &buffer, in: area) }
        if state.showsHelp { Chrome.drawHelp(state.scope, into: &buffer, in: area) }
        return buffer
    }
}

extension AppState {
    /// The binding scope of the screen in front (the help overlay shows its keys).
    public var scope: BindingScope {
        if editing != nil { return .editor }
        switch screen {
        case .setup: return .setup
        case .generate: return .generate
        case .programs: return .programs
        case .results: return .results
        case .settings: return .settings
        }
    }
}
