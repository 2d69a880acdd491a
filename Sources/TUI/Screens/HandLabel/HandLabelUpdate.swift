import Engine
import Foundation

extension HandLabelView: KeyedScreen {}

/// h on setup: loads the selected dataset's unlabeled rows in a random order (engine work).
func openHandLabeling(_ state: inout AppState) -> [Effect] {
    guard let dataset = state.dataset else { return [] }
    if state.handLabel?.dataset != dataset.name { state.handLabel = nil }
    state.status = "reading \(dataset.name)…"
    state.statusIsError = false
    return [.loadHandLabeling(dataset: dataset.name, source: state.handLabel?.queue.source ?? .random), .render]
}

/// Keys of the hand-labeling screen; answers are written at once (the whole file, atomically).
func handLabelKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    route(key, to: \.handLabel, &state) { request, state in
        switch request {
        case .save(let labels):
            state.status = labels.labels.last.map { "saved: \($0.id) is \($0.label) (\($0.split.rawValue))" } ?? ""
            state.statusIsError = false
            return [.saveHandLabels(labels), .render]
        case .saveUndone(let labels):
            state.status = "undone: \(state.handLabel?.current?.id ?? "the row") is unlabeled again"
            state.statusIsError = false
            return [.saveHandLabels(labels), .render]
        case .switchSource(let source):
            state.status = source == .uncovered ? "applying the enabled programs to the train rows…" : "sampling unlabeled rows…"
            state.statusIsError = false
            return [.loadHandLabeling(dataset: state.handLabel?.dataset ?? "", source: source), .render]
        case .close:
            let view = state.handLabel
            state.screen = .setup
            if let view {
                let counts = zip(view.labelNames, view.counts).filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
                state.status = "\(view.dataset): \(view.labels.labels.count) hand labels" + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))")
                state.statusIsError = false
                state.datasetInfo[view.dataset] = nil  // its splits changed with the new labels
            }
            return [.closeHandLabeling, .render] + requestDatasetInfo(&state)
        }
    }
}

/// News of hand labeling: a queue ready (a new screen, or the other source of the open one), or a failure.
func handLabelMessage(_ message: AppMessage, _ state: inout AppState) -> [Effect] {
    switch message {
    case .handLabelLoaded(let loaded):
        if var view = state.handLabel, view.dataset == loaded.dataset, state.screen == .handLabel {
            view.adopt(loaded.queue)
            state.handLabel = view
        } else {
            state.handLabel = loaded
            state.screen = .handLabel
        }
        let view = state.handLabel
        state.status = view.map { "\($0.queue.rows.count) rows to label (\($0.queue.source.title)) · hand labels are saved in \(HandLabels.fileName)" } ?? ""
        if let warning = loaded.labels.warnings.first { state.status = warning }
        state.statusIsError = !loaded.labels.warnings.isEmpty
    case .handLabelFailed(let reason):
        state.handLabel?.sourceFailed()
        state.status = reason
        state.statusIsError = true
    default:
        return []
    }
    return [.render]
}
