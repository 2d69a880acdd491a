import Engine
import Foundation

/// The one way the state changes. Pure: no terminal, no engine calls; engine work is asked for
/// through the returned effects and comes back as messages.
public func update(_ state: inout AppState, _ message: AppMessage) -> [Effect] {
    switch message {
    case .tick:
        guard state.generation?.isBusy == true else { return [] }
        state.tick += 1
        return [.render]
    case .resize(let width, let height):
        state.width = width
        state.height = height
        return [.render]
    case .status(let text):
        state.status = text
        state.statusIsError = false
        return [.render]
    case .key(let key):
        if key == .resize { return [.render] }
        if state.editing != nil { return editorKey(key, &state) }
        let scope: BindingScope = state.showsHelp ? .helpOverlay : state.screen == .generate ? .generate : .setup
        guard let action = KeyBindings.action(for: key, in: scope) else { return [] }
        if action == .quit || action == .forceQuit { return [.quit] }
        if action == .toggleHelp || action == .closeOverlay {
            state.showsHelp = action == .toggleHelp ? !state.showsHelp : false
            return [.render]
        }
        return state.screen == .generate ? generateAction(action, &state) : setupAction(action, &state)
    default:
        return engineMessage(message, &state)
    }
}

/// Keys while the editor overlay is open: esc keeps the text, ctrl-x drops the changes, ctrl-c
/// quits, everything else edits.
private func editorKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard var editing = state.editing else { return [] }
    switch KeyBindings.action(for: key, in: .editor) {
    case .closeEditor?:
        let text = editing.editor.text
        switch editing.target {
        case .mission: state.mission = text
        case .query: state.query = text
        case .knowledgePath: state.knowledgePath = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        state.editing = nil
        state.status = "\(editing.target.title) kept"
    case .cancelEditor?:
        state.editing = nil
        state.status = "\(editing.target.title) unchanged"
    case .forceQuit?:
        return [.quit]
    default:
        // The knowledge path is one line: enter closes it.
        if editing.target == .knowledgePath, key == .enter { return editorKey(.escape, &state) }
        guard editing.editor.handle(key) else { return [] }
        state.editing = editing
    }
    return [.render]
}

private func setupAction(_ action: Action, _ state: inout AppState) -> [Effect] {
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
            state.status = dataset.isPresent ? "\(dataset.name): \(dataset.classCount) classes" : "\(dataset.name) is not on disk: alchemist datasets fetch \(dataset.name)"
        }
        if state.focus == .codeModel || state.focus == .knowledgeModel, let row = state.options.models[safe: clamped] {
            state.status = row.spec.note.map { "\(row.spec.id): \($0)" } ?? row.spec.id
        }
    case .editMission:
        state.editing = (.mission, TextEditor(state.mission))
    case .editQuery:
        guard state.mode.usesKnowledge else {
            state.status = "scriptorium has no knowledge stage, so no query"
            return [.render]
        }
        state.editing = (.query, TextEditor(state.query))
    case .editKnowledgePath:
        state.editing = (.knowledgePath, TextEditor(state.knowledgePath))
    case .resetTexts:
        state.refreshTexts()
        state.status = "mission and query reset to the template's"
    case .generate:
        if let blocker = state.generationBlocker {
            state.status = blocker
            state.statusIsError = true
            return [.render]
        }
        return startGeneration(&state, remaining: 0, saved: 0)
    default:
        return []
    }
    state.statusIsError = false
    return [.render]
}

/// Opens the generate screen on a new generation.
private func startGeneration(_ state: inout AppState, remaining: Int, saved: Int, batch: Bool = false) -> [Effect] {
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

private func generateAction(_ action: Action, _ state: inout AppState) -> [Effect] {
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
        guard view.canSave else {
            state.status = view.savedURL != nil ? "already saved" : view.isBusy ? "wait for the program to finish" : "nothing to save: the program is missing or does not load"
            return [.render]
        }
        return [.saveProgram(id: view.id), .render]
    case .discardProgram:
        guard unsaved else {
            state.status = "nothing to discard"
            return [.render]
        }
        state.status = "discarded; its calls stay in the ledger, marked discarded"
        state.screen = .setup
        return [.discardProgram(id: view.id), .render]
    case .regenerate, .generateMore:
        guard !view.isBusy else {
            state.status = "a program is being written; esc cancels it"
            return [.render]
        }
        let discard: [Effect] = unsaved ? [.discardProgram(id: view.id)] : []
        return discard + startGeneration(&state, remaining: action == .generateMore ? state.batchSize - 1 : 0, saved: 0)
    case .editProgram:
        guard unsaved, view.code != nil else {
            state.status = view.savedURL != nil ? "saved programs are edited from the programs browser" : "no program to edit yet"
            return [.render]
        }
        return [.editProgram(id: view.id)]
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
        if view.focusesCode { scroll(&view.codeViewport) } else { scroll(&view.knowledgeViewport) }
    default:
        return []
    }
    state.generation = view
    return [.render]
}

/// News from engine work. Messages of a generation that is no longer shown are ignored.
private func engineMessage(_ message: AppMessage, _ state: inout AppState) -> [Effect] {
    func current(_ id: Int) -> Bool { state.generation?.id == id }
    switch message {
    case .generationPreparing(let id, let line):
        guard current(id) else { return [] }
        state.generation?.preparation.append(line)
    case .generation(let id, let event):
        guard current(id) else { return [] }
        state.generation?.apply(event)
    case .generationFinished(let id, let program):
        guard current(id), var view = state.generation else { return [] }
        view.finish(program)
        if let code = view.code {
            let size = GenerateScreen.programLines(state, code: code)
            view.codeViewport.showTop(count: size.count, height: size.height)
        }
        state.sessionSpend += program.cost
        state.generation = view
        if view.inBatch {
            // A batch saves what loads and goes on.
            if view.canSave { return [.saveProgram(id: id), .render] }
            state.status = "not saved: \(view.extractionError ?? view.smokeTest?.loadError ?? "the program does not load")"
            return continueBatch(&state, discarding: id)
        }
        state.status = view.code == nil ? "no program in the answer: r writes another"
            : view.canSave ? "s saves it · e edits it · d discards it · r writes another" : "the program does not load: e edits it, r writes another"
    case .generationFailed(let id, let text, let advice):
        guard current(id) else { return [] }
        state.generation?.phase = .failed(message: text, advice: advice)
        state.generation?.remaining = 0
        state.sessionSpend += state.generation?.programCost ?? 0
        state.status = "\(text) — \(advice)"
        state.statusIsError = true
        return [.render]
    case .generationCancelled(let id):
        guard current(id) else { return [] }
        state.generation?.phase = .cancelled
        state.sessionSpend += state.generation?.programCost ?? 0
        state.status = "cancelled: nothing was saved; the spend so far is in the ledger"
    case .programSaved(let id, let url):
        guard current(id), var view = state.generation else { return [] }
        view.savedURL = url
        state.sessionSaved += 1
        state.generation = view
        state.status = "saved \(url.lastPathComponent) in \(url.deletingLastPathComponent().lastPathComponent)"
        if view.remaining > 0 { return continueBatch(&state, discarding: nil) }
        if view.inBatch { state.status = "batch done: \(view.batchSaved + 1) programs saved" }
    case .saveFailed(let id, let reason):
        guard current(id) else { return [] }
        state.status = "not saved: \(reason)"
        state.statusIsError = true
        return [.render]
    case .programEdited(let id, let code, let smoke):
        guard current(id) else { return [] }
        state.generation?.code = code
        state.generation?.smokeTest = smoke
        state.generation?.extractionError = nil
        state.status = smoke.map { "edited; smoke test: \($0.summary)" } ?? "edited"
    default:
        return []
    }
    state.statusIsError = false
    return [.render]
}

/// Starts the next program of a batch (after saving or giving up on the current one).
private func continueBatch(_ state: inout AppState, discarding id: Int?) -> [Effect] {
    guard let view = state.generation else { return [] }
    let discard: [Effect] = id.map { [.discardProgram(id: $0)] } ?? []
    let saved = view.batchSaved + (view.savedURL != nil ? 1 : 0)
    guard view.remaining > 0 else {
        state.status = "batch done: \(saved) programs saved"
        return discard + [.render]
    }
    return discard + startGeneration(&state, remaining: view.remaining - 1, saved: saved, batch: true)
}
