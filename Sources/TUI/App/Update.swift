import Engine
import Foundation

/// The one way the state changes. Pure: no terminal, no engine calls; engine work is asked for
/// through the returned effects and comes back as messages.
public func update(_ state: inout AppState, _ message: AppMessage) -> [Effect] {
    switch message {
    case .tick:
        guard state.generation?.isBusy == true || state.results?.isRunning == true || state.fetch != nil else { return [] }
        state.tick += 1
        return [.render]
    case .resize(let width, let height):
        state.width = width
        state.height = height
        state.programs?.resize(width: width, height: height)
        return [.render]
    case .status(let text):
        state.status = text
        state.statusIsError = false
        return [.render]
    case .sandboxChecked(let warning):
        state.sandboxWarning = warning
        return [.render]
    case .key(let key):
        if key == .resize { return [.render] }
        if state.editing != nil { return editorKey(key, &state) }
        if state.picker != nil { return pickerKey(key, &state) }
        if var viewer = state.viewer {
            if key == .ctrlC { return [.quit] }
            viewer.pageHeight = max(1, state.height - 3)  // the rows of text inside the box
            switch viewer.handle(key) {
            case .close: state.viewer = nil
            case .handled: state.viewer = viewer
            case .ignored: return []
            }
            return [.render]
        }
        if key == .ctrlC { return [.quit] }
        // The browser's filter field and delete dialog take every key, q and ? included.
        if state.screen == .programs, !state.showsHelp, state.programs?.capturesKeys == true { return programsKey(key, &state) }
        let scope: BindingScope = state.showsHelp ? .helpOverlay : state.scope
        guard let action = KeyBindings.action(for: key, in: scope) else { return [] }
        if action == .quit || action == .forceQuit { return [.quit] }
        if action == .toggleHelp || action == .closeOverlay {
            state.showsHelp = action == .toggleHelp ? !state.showsHelp : false
            return [.render]
        }
        switch state.screen {
        case .setup: return setupAction(action, &state)
        case .generate: return generateAction(action, &state)
        case .programs: return programsKey(key, &state)
        case .results: return resultsKey(key, &state)
        case .settings: return settingsKey(key, &state)
        }
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
        case .batchCount:
            guard let count = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), (1...50).contains(count) else {
                state.status = "expected a number of programs from 1 to 50, found \"\(text)\""
                state.statusIsError = true
                return [.render]
            }
            state.editing = nil
            state.batchSize = count
            return startBatch(&state)
        }
        state.editing = nil
        state.status = "\(editing.target.title) kept"
    case .cancelEditor?:
        state.editing = nil
        state.status = "\(editing.target.title) unchanged"
    case .forceQuit?:
        return [.quit]
    default:
        // One-line texts: enter closes them.
        if editing.target.isOneLine, key == .enter { return editorKey(.escape, &state) }
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
        let start = state.knowledgePath.isEmpty ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            : URL(fileURLWithPath: state.knowledgePath).deletingLastPathComponent()
        state.picker = FilePicker(folder: start)
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
        guard let dataset = state.dataset, !dataset.isPresent else {
            state.status = "\(state.dataset?.name ?? "the dataset") is already on disk"
            return [.render]
        }
        guard state.fetch == nil else {
            state.status = "a download is already running"
            return [.render]
        }
        state.fetch = (dataset.name, "", 0, nil)
        state.status = "fetching \(dataset.name)…"
        return [.fetchDataset(dataset.name), .render]
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
        if action == .generateMore {
            // Asks how many, with the last count as the answer ready to take.
            state.editing = (.batchCount, TextEditor(String(state.batchSize)))
            return [.render]
        }
        let discard: [Effect] = unsaved ? [.discardProgram(id: view.id)] : []
        return discard + startGeneration(&state, remaining: 0, saved: 0)
    case .editProgram:
        guard unsaved, view.code != nil else {
            state.status = view.savedURL != nil ? "saved programs are edited from the programs browser" : "no program to edit yet"
            return [.render]
        }
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
        state.sessionSpend += program.cost
        state.generation = view
        if view.inBatch {
            // A batch saves what loads and goes on (the engine's rule, as `generate --count` follows it).
            switch GenerationBatch.decision(for: program) {
            case .save: return [.saveProgram(id: id), .render]
            case .discard(let reason):
                state.status = "not saved: \(reason)"
                return continueBatch(&state, discarding: id)
            }
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
        state.generation?.codeScroll = 0
        state.status = smoke.map { "edited; smoke test: \($0.summary)" } ?? "edited"
    default:
        return otherEngineMessage(message, &state)
    }
    state.statusIsError = false
    return [.render]
}

/// Starts a "generate more" batch of `state.batchSize` programs (an unsaved program is discarded).
private func startBatch(_ state: inout AppState) -> [Effect] {
    guard let view = state.generation else { return [] }
    let unsaved = view.phase == .finished && view.program != nil && view.savedURL == nil
    let discard: [Effect] = unsaved ? [.discardProgram(id: view.id)] : []
    return discard + startGeneration(&state, remaining: state.batchSize - 1, saved: 0, batch: true)
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

/// Opens the programs browser or starts a labeling run on the selected dataset, remembering where
/// esc goes back to.
private func openScreen(_ action: Action, _ state: inout AppState) -> [Effect] {
    if state.screen == .setup || state.screen == .generate { state.previousScreen = state.screen }
    if action == .openPrograms {
        state.status = "loading the programs…"
        return [.openPrograms, .render]
    }
    guard let dataset = state.dataset, dataset.isPresent else {
        state.status = "choose a dataset that is on disk first"
        state.statusIsError = true
        return [.render]
    }
    if state.results?.isRunning == true {
        state.screen = .results
        return [.render]
    }
    state.results = ResultsView(dataset: dataset.name)
    state.screen = .results
    return [.startLabeling(dataset: dataset.name), .render]
}

/// Keys of the programs browser: what it asks for becomes an effect.
private func programsKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard var browser = state.programs else {
        state.screen = state.previousScreen
        return [.render]
    }
    let request = browser.handle(key)
    state.programs = browser
    switch request {
    case nil: return [.render]
    case .close?:
        state.screen = state.previousScreen
        return [.render]
    case let request?:
        return [.programs(request), .render]
    }
}

/// Keys of the labeling and results screen.
private func resultsKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard var view = state.results else {
        state.screen = state.previousScreen
        return [.render]
    }
    let request = view.handle(key)
    state.results = view
    switch request {
    case nil: return [.render]
    case .cancel?: return [.cancelLabeling, .render]
    case .close?:
        state.screen = state.previousScreen
        return [.render]
    case .rerun?:
        view.restart()
        state.results = view
        return [.startLabeling(dataset: view.dataset), .render]
    case .loadPastResults?: return [.loadPastResults, .render]
    case .openLog(let url)?: return [.showFile(url), .render]
    }
}

/// Keys of the knowledge-path picker: folders are listed by the runner; a choice fills the path.
private func pickerKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard var picker = state.picker else { return [] }
    if key == .ctrlC { return [.quit] }
    let request = picker.handle(key)
    state.picker = picker
    switch request {
    case nil: break
    case .list(let folder)?: return [.listFolder(folder), .render]
    case .choose(let url)?:
        state.knowledgePath = url.path
        state.picker = nil
        state.status = "knowledge path: \(url.path)"
    case .type?:
        state.picker = nil
        state.editing = (.knowledgePath, TextEditor(state.knowledgePath))
    case .cancel?:
        state.picker = nil
    }
    return [.render]
}

/// Keys of the settings screen: theme previews apply at once; esc restores the theme it opened with.
private func settingsKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    guard var view = state.settings else {
        state.screen = state.previousScreen
        return [.render]
    }
    let request = view.handle(key)
    state.settings = view
    switch request {
    case nil: return [.render]
    case .preview(let theme)?:
        state.theme = theme
        return [.applyTheme(theme, remember: false), .render]
    case .apply(let theme)?:
        state.theme = theme
        state.status = "theme \(theme.name) kept"
        return [.applyTheme(theme, remember: true), .render]
    case .close(let theme)?:
        state.theme = theme
        state.screen = state.previousScreen
        return [.applyTheme(theme, remember: false), .render]
    }
}

/// News of the browser, the labeling run and downloads.
func otherEngineMessage(_ message: AppMessage, _ state: inout AppState) -> [Effect] {
    switch message {
    case .programsLoaded(var browser, let status):
        // A reload after an action: keep what the user was looking at (selection, filter, view).
        if var shown = state.programs {
            shown.adopt(browser)
            shown.status = browser.status
            browser = shown
        }
        browser.resize(width: state.width, height: state.height)
        if let status { browser.status = status }
        state.programs = browser
        if state.screen != .programs, status == nil { state.screen = .programs }
        state.status = ""
    case .programsFailed(let reason):
        if state.screen == .programs, var browser = state.programs {
            browser.status = reason
            state.programs = browser
        } else {
            state.status = reason
            state.statusIsError = true
        }
    case .labelingProgress(let progress):
        state.results?.apply(progress)
    case .labelingFinished(let outcome):
        state.results?.finish(outcome)
    case .labelingFailed(let reason):
        state.results?.fail(reason)
    case .labelingCancelled:
        state.results?.cancelled()
    case .pastResults(let rows):
        state.results?.showPastResults(rows)
    case .pastResultsFailed(let reason):
        state.results?.pastResultsFailed(reason)
    case .fileLoaded(let url, let text, let error):
        if let text {
            state.viewer = TextViewer(title: url.lastPathComponent, text: text)
        } else {
            state.status = error ?? "cannot read \(url.path)"
            state.statusIsError = true
            return [.render]
        }
    case .folderListed(let folder, let entries, let error):
        state.picker?.show(entries, of: folder, error: error)
    case .settingsLoaded(let view):
        state.settings = view
        state.screen = .settings
    case .fetchProgress(let dataset, let progress):
        state.fetch = (dataset, progress.file, progress.received, progress.expected)
    case .fetchFinished(let dataset, let options, let error):
        state.fetch = nil
        if let options {
            let keep = (state.selection, state.mission, state.query)
            state.options = options
            state.selection = keep.0
            state.mission = keep.1
            state.query = keep.2
            state.status = "\(dataset) is on disk now"
        } else {
            state.status = "fetching \(dataset) failed: \(error ?? "unknown error")"
            state.statusIsError = true
            return [.render]
        }
    default:
        return []
    }
    state.statusIsError = false
    return [.render]
}
