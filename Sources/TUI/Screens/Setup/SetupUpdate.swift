import Engine
import Foundation

/// Keys of the setup screen, as actions of its bindings.
func setupAction(_ action: Action, _ state: inout AppState) -> [Effect] {
    switch action {
    case .focusNext, .focusPrevious:
        let panes = state.focusablePanes
        let here = panes.firstIndex(of: state.focus) ?? 0
        let step = action == .focusNext ? 1 : panes.count - 1
        state.focus = panes[(here + step) % panes.count]
    case .selectPrevious, .selectNext, .selectFirst, .selectLast:
        let count = state.rowCount(state.focus)
        guard count > 0 else { return [] }
        let current = state.selected(state.focus)
        let wanted: Int
        switch action {
        case .selectPrevious: wanted = current - 1
        case .selectNext: wanted = current + 1
        case .selectFirst: wanted = 0
        default: wanted = count - 1
        }
        let clamped = min(max(0, wanted), count - 1)
        guard clamped != current else { return [] }
        state.selection[state.focus] = clamped
        if state.focus == .dataset || state.focus == .prior { state.refreshTexts() }
        if state.focus == .dataset, let dataset = state.dataset {
            state.status = dataset.isPresent ? "\(dataset.name): \(dataset.classCount) classes"
                : dataset.canFetch ? "\(dataset.name) is not on disk: f fetches it" : "\(dataset.name): no public source known — a adds it from a file"
        }
        if state.focus == .codeModel || state.focus == .knowledgeModel, let row = state.options.models[safe: clamped] {
            state.status = row.spec.note.map { "\(row.spec.id): \($0)" } ?? row.spec.id
        }
    case .editMission:
        state.push(.editor(.mission, TextEditor(state.mission)))
    case .editQuery:
        state.push(.editor(.query, TextEditor(state.query)))
    case .editKnowledgePath:
        let start = state.knowledgePath.isEmpty ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            : URL(fileURLWithPath: state.knowledgePath).deletingLastPathComponent()
        state.push(.picker(FilePicker(folder: start)))
        return [.listFolder(start), .render]
    case .resetTexts:
        state.refreshTexts()
        state.status = "mission and query reset to the template's"
    case .openPrograms, .label:
        return openScreen(action, &state)
    case .openSettings:
        state.previousScreen = .setup
        return [.openSettings, .render]
    case .fetchDataset:
        guard let dataset = state.dataset else { return [] }
        state.fetch = (dataset.name, "", 0, nil)
        state.status = "fetching \(dataset.name)…"
        return [.fetchDataset(dataset.name), .render]
    case .generate:
        return startGeneration(&state, remaining: 0, saved: 0)
    case .openHandLabel:
        return openHandLabeling(&state)
    case .addDataset:
        return openAddDataset(&state)
    default:
        return []
    }
    state.statusIsError = false
    return [.render] + requestDatasetInfo(&state)
}

/// Opens the programs browser or starts a labeling run on the selected dataset, remembering where
/// esc goes back to.
func openScreen(_ action: Action, _ state: inout AppState) -> [Effect] {
    if state.screen == .setup || state.screen == .generate { state.previousScreen = state.screen }
    if action == .openPrograms {
        state.status = "loading the programs…"
        return [.openPrograms, .render]
    }
    guard let dataset = state.dataset else { return [] }
    if state.results?.isRunning == true {
        state.screen = .results
        return [.render]
    }
    state.results = ResultsView(dataset: dataset.name)
    state.screen = .results
    return [.startLabeling(dataset: dataset.name), .render]
}

/// Why a setup key cannot be used now (`AppState.disabledReasons`).
func setupDisabledReasons(_ state: AppState) -> [Action: String] {
    var reasons: [Action: String] = [:]
    reasons[.generate] = state.generationBlocker
    if !state.mode.usesKnowledge { reasons[.editQuery] = "scriptorium has no knowledge stage, so no query" }
    if let reason = labelingBlocker(state.dataset) { reasons[.label] = reason; reasons[.openHandLabel] = reason }
    if state.dataset?.isPresent != false {
        reasons[.fetchDataset] = "\(state.dataset?.name ?? "the dataset") is on disk already"
    } else if state.dataset?.canFetch == false {
        reasons[.fetchDataset] = "no public source known — a adds it from a file"
    } else if state.fetch != nil {
        reasons[.fetchDataset] = "a download is running"
    }
    return reasons
}

/// Why labeling cannot start on `dataset`, or nil when it can.
func labelingBlocker(_ dataset: SetupOptions.DatasetRow?) -> String? {
    dataset?.isPresent == true ? nil : "choose a dataset that is on disk first"
}
