import Engine
import Foundation

/// Opens the generate screen on a new generation.
func startGeneration(_ state: inout AppState, remaining: Int, saved: Int, batch: Bool = false) -> [Effect] {
    let id = state.nextGenerationID
    state.nextGenerationID += 1
    var view = GenerationView(id: id)
    view.remaining = remaining
    view.batchSaved = saved
    view.inBatch = batch || remaining > 0
    state.generation = view
    state.screen = .generate
    state.status = remaining > 0 ? "writing programs: \(remaining) more after this one" : "writing a program…"
    state.statusIsError = false
    return [.startGeneration(id: id), .render]
}

func generateAction(_ action: Action, _ state: inout AppState) -> [Effect] {
    guard var view = state.generation else {
        state.screen = .setup
        return [.render]
    }
    let unsaved = view.phase == .finished && view.program != nil && view.savedURL == nil
    switch action {
    case .back:
        if view.isBusy {
            view.remaining = 0
            state.generation = view
            state.status = "cancelling the call in flight…"
            return [.cancelGeneration, .render]
        }
        state.screen = .setup
        state.status = unsaved ? "the last program was not saved (r in generate discards it, s saves it)" : "back to setup"
    case .saveProgram:
        return [.saveProgram(id: view.id), .render]
    case .discardProgram:
        state.status = "discarded; its calls stay in the ledger, marked discarded"
        state.screen = .setup
        return [.discardProgram(id: view.id), .render]
    case .regenerate, .generateMore:
        if action == .generateMore {
            // Asks how many, with the last count as the answer ready to take.
            state.push(.editor(.batchCount, TextEditor(String(state.batchSize))))
            return [.render]
        }
        let discard: [Effect] = unsaved ? [.discardProgram(id: view.id)] : []
        return discard + startGeneration(&state, remaining: 0, saved: 0)
    case .editProgram:
        return [.editProgram(id: view.id)]
    case .openPrograms, .label:
        return openScreen(action, &state)
    case .switchPane:
        view.focusesCode.toggle()
    case .scrollUp, .scrollDown, .followTail:
        let page = max(1, state.height / 3)
        func scroll(_ viewport: inout Viewport) {
            switch action {
            case .scrollUp: viewport.scrollUp(page)
            case .scrollDown: viewport.scrollDown(page)
            default: viewport.follow()
            }
        }
        if view.focusesCode, view.code != nil, !view.isBusy {
            // The finished program scrolls from its first line (CodeView keeps the page filled).
            let lines = view.code.map { $0.split(separator: "\n", omittingEmptySubsequences: false).count } ?? 0
            let step = action == .scrollUp ? -page : action == .scrollDown ? page : -view.codeScroll
            view.codeScroll = min(max(0, view.codeScroll + step), max(0, lines - 1))
        } else if view.focusesCode {
            scroll(&view.codeViewport)
        } else {
            scroll(&view.knowledgeViewport)
        }
    default:
        return []
    }
    state.generation = view
    return [.render]
}

/// Starts a "generate more" batch of `state.batchSize` programs (an unsaved program is discarded).
func startBatch(_ state: inout AppState) -> [Effect] {
    guard let view = state.generation else { return [] }
    let unsaved = view.phase == .finished && view.program != nil && view.savedURL == nil
    let discard: [Effect] = unsaved ? [.discardProgram(id: view.id)] : []
    return discard + startGeneration(&state, remaining: state.batchSize - 1, saved: 0, batch: true)
}

/// Starts the next program of a batch (after saving or giving up on the current one).
func continueBatch(_ state: inout AppState, discarding id: Int?) -> [Effect] {
    guard let view = state.generation else { return [] }
    let discard: [Effect] = id.map { [.discardProgram(id: $0)] } ?? []
    let saved = view.batchSaved + (view.savedURL != nil ? 1 : 0)
    guard view.remaining > 0 else {
        state.status = "batch done: \(saved) programs saved"
        return discard + [.render]
    }
    return discard + startGeneration(&state, remaining: view.remaining - 1, saved: saved, batch: true)
}

/// Why a generate-screen key cannot be used now (`AppState.disabledReasons`).
func generateDisabledReasons(_ view: GenerationView, dataset: SetupOptions.DatasetRow?) -> [Action: String] {
    var reasons: [Action: String] = [:]
    let unsaved = view.phase == .finished && view.program != nil && view.savedURL == nil
    if !view.canSave {
        reasons[.saveProgram] = view.savedURL != nil ? "saved already" : view.isBusy ? "still writing"
            : view.code == nil ? "no program" : "does not load"
    }
    if !unsaved { reasons[.discardProgram] = "none" }
    if view.isBusy {
        reasons[.regenerate] = "busy"
        reasons[.generateMore] = "busy"
    }
    if !unsaved || view.code == nil {
        reasons[.editProgram] = view.savedURL != nil ? "saved: p, then e" : "none yet"
    }
    if let reason = labelingBlocker(dataset) { reasons[.label] = reason }
    return reasons
}
