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
            if let view = state.results {
                ResultsScreen.draw(view, into: &buffer, in: area, tick: state.tick, status: state.status, statusIsError: state.statusIsError)
            }
        case .settings:
            state.settings?.draw(into: &buffer, in: area)
        case .handLabel: HandLabelScreen.draw(state, into: &buffer, in: area)
        case .addDataset: AddDatasetScreen.draw(state, into: &buffer, in: area)
        }
        for overlay in state.overlays {
            switch overlay {
            case .viewer(let viewer): viewer.draw(into: &buffer, in: area)
            case .picker(let picker): picker.draw(into: &buffer, in: area, title: "Knowledge path: a source-list JSON file, a folder or a file")
            case .datasetFilePicker(let picker): picker.draw(into: &buffer, in: area, title: AddDatasetScreen.pickerTitle)
            case .editor(let target, var editor): Chrome.drawEditor(target, &editor, into: &buffer, in: area)
            case .help: Chrome.drawHelp(state.scope, into: &buffer, in: area)
            case .confirm(let dialog, _): dialog.draw(into: &buffer, in: area)
            }
        }
        // The bottom line tells the keys of the overlay on top, whichever screen is below.
        if let scope = state.topOverlay?.scope {
            let bar = Rect(x: 0, y: area.maxY - 1, width: area.width, height: 1)
            buffer.fill(bar)
            Chrome.drawHelpBar(scope, withGlobal: false, into: &buffer, in: bar)
        }
        return buffer
    }
}

extension AppState {
    /// The binding scope of the screen in front (the help overlay shows its keys).
    public var scope: BindingScope {
        switch screen {
        case .setup: return .setup
        case .generate: return .generate
        case .programs: return .programs
        case .results: return .results
        case .settings: return .settings
        case .handLabel: return .handLabel
        case .addDataset: return .addDataset
        }
    }

    /// Why each action of the screen in front cannot be used now, by action: the help bar shows the
    /// reason beside the key, and `update` answers a press with it instead of acting.
    public var disabledReasons: [Action: String] {
        switch screen {
        case .setup: return setupDisabledReasons(self)
        case .generate: return generation.map { generateDisabledReasons($0, dataset: dataset) } ?? [:]
        case .handLabel: return handLabel.map(handLabelDisabledReasons) ?? [:]
        case .results: return results.map(resultsDisabledReasons) ?? [:]
        case .addDataset: return addDataset.map(addDatasetDisabledReasons) ?? [:]
        case .programs, .settings: return [:]
        }
    }

}
