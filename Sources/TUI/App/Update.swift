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
    case .status(let text, let isError):
        state.status = text
        state.statusIsError = isError
        return [.render]
    case .sandboxChecked(let warning):
        state.sandboxWarning = warning
        return [.render]
    case .key(let key):
        if key == .resize { return [.render] }
        if let overlay = state.topOverlay { return overlayKey(key, overlay, &state) }
        if key == .ctrlC { return [.quit] }
        // The browser's filter field takes every key, q and ? included.
        if state.screen == .programs, state.programs?.capturesKeys == true { return programsKey(key, &state) }
        // The add-a-dataset form types into its fields, so it takes every key itself.
        if state.screen == .addDataset { return addDatasetKey(key, &state) }
        guard let action = KeyBindings.action(for: key, in: state.scope) else { return [] }
        if action == .quit || action == .forceQuit { return [.quit] }
        if action == .toggleHelp {
            state.push(.help)
            return [.render]
        }
        if let reason = state.disabledReasons[action] {
            let binding = KeyBindings.all.first { $0.scope == state.scope && $0.action == action }
            state.status = binding.map { "\($0.keyLabel) \($0.shortHelp): \(reason)" } ?? reason
            state.statusIsError = true
            return [.render]
        }
        switch state.screen {
        case .setup: return setupAction(action, &state)
        case .generate: return generateAction(action, &state)
        case .programs: return programsKey(key, &state)
        case .results: return resultsKey(key, &state)
        case .settings: return settingsKey(key, &state)
        case .handLabel: return handLabelKey(key, &state)
        case .addDataset: return addDatasetKey(key, &state)
        }
    default:
        return engineMessage(message, &state)
    }
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
            state.push(.viewer(TextViewer(title: url.lastPathComponent, text: text)))
        } else {
            state.status = error ?? "cannot read \(url.path)"
            state.statusIsError = true
            return [.render]
        }
    case .folderListed(let folder, let entries, let error):
        if case .datasetFilePicker(var picker)? = state.topOverlay {
            picker.show(entries, of: folder, error: error)
            state.replaceTop(with: .datasetFilePicker(picker))
            return [.render]
        }
        guard var picker = state.picker else { return [] }
        picker.show(entries, of: folder, error: error)
        state.replaceTop(with: .picker(picker))
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
            state.datasetInfo[dataset] = nil
            state.statusIsError = false
            return [.render] + requestDatasetInfo(&state)
        } else {
            state.status = "fetching \(dataset) failed: \(error ?? "unknown error")"
            state.statusIsError = true
            return [.render]
        }
    case .datasetInfo(let name, let info):
        state.datasetInfo[name] = info
    case .addDataset(let news):
        return addDatasetMessage(news, &state)
    default:
        return handLabelMessage(message, &state)
    }
    state.statusIsError = false
    return [.render]
}
