import Engine
import Foundation

/// A key for the overlay on top: it takes every key; ctrl-c still quits.
func overlayKey(_ key: Key, _ overlay: Overlay, _ state: inout AppState) -> [Effect] {
    switch overlay {
    case .editor(let target, let editor): return editorKey(key, target: target, editor: editor, &state)
    case .picker(let picker): return pickerKey(key, picker: picker, &state)
    case .datasetFilePicker(let picker): return datasetPickerKey(key, picker: picker, &state)
    case .viewer(var viewer):
        if key == .ctrlC { return [.quit] }
        viewer.pageHeight = max(1, state.height - 3)  // the rows of text inside the box
        switch viewer.handle(key) {
        case .close: state.popOverlay()
        case .handled: state.replaceTop(with: .viewer(viewer))
        case .ignored: return []
        }
        return [.render]
    case .help:
        switch KeyBindings.action(for: key, in: .helpOverlay) {
        case .quit?, .forceQuit?: return [.quit]
        case .closeOverlay?:
            state.popOverlay()
            return [.render]
        default: return []  // the screen below does not see keys while the help is up
        }
    case .confirm(let dialog, let onYes):
        if key == .ctrlC { return [.quit] }
        switch dialog.answer(for: key) {
        case .confirmed?:
            state.popOverlay()
            return onYes + [.render]
        case .cancelled?:
            state.popOverlay()
            return [.render]
        case nil:
            return []
        }
    }
}

/// Keys of the editor: esc keeps the text, ctrl-x drops the changes, ctrl-c quits, everything else
/// edits.
private func editorKey(_ key: Key, target: EditedText, editor: TextEditor, _ state: inout AppState) -> [Effect] {
    var editor = editor
    switch KeyBindings.action(for: key, in: .editor) {
    case .closeEditor?:
        let text = editor.text
        switch target {
        case .mission: state.mission = text
        case .query: state.query = text
        case .knowledgePath: state.knowledgePath = text.trimmingCharacters(in: .whitespacesAndNewlines)
        case .datasetFile:
            state.popOverlay()
            return typedDatasetFile(text, &state)
        case .batchCount:
            guard let count = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), (1...50).contains(count) else {
                state.status = "expected a number of programs from 1 to 50, found \"\(text)\""
                state.statusIsError = true
                return [.render]
            }
            state.popOverlay()
            state.batchSize = count
            return startBatch(&state)
        case .exportPath, .programsExportPath, .predictInput:
            state.popOverlay()
            let path = (text.trimmingCharacters(in: .whitespacesAndNewlines) as NSString).expandingTildeInPath
            guard let run = state.exportingRun, !path.isEmpty else { return [.render] }
            let url = URL(fileURLWithPath: path)
            state.statusIsError = false
            switch target {
            case .programsExportPath:
                state.status = "exporting the programs to \(path)…"
                return [.exportRunPrograms(run: run, to: url), .render]
            case .predictInput:
                state.status = "labeling \(path)…"
                return [.predictWithRun(run: run, input: url), .render]
            default:
                state.status = "exporting to \(path)…"
                return [.exportRun(run: run, to: url), .render]
            }
        }
        state.popOverlay()
        state.status = "\(target.title) kept"
    case .cancelEditor?:
        state.popOverlay()
        state.status = "\(target.title) unchanged"
    case .forceQuit?:
        return [.quit]
    default:
        // One-line texts: enter closes them.
        if target.isOneLine, key == .enter { return editorKey(.escape, target: target, editor: editor, &state) }
        guard editor.handle(key) else { return [] }
        state.replaceTop(with: .editor(target, editor))
    }
    state.statusIsError = false
    return [.render]
}

/// Keys of the knowledge-path picker: folders are listed by the runner; a choice fills the path.
private func pickerKey(_ key: Key, picker: FilePicker, _ state: inout AppState) -> [Effect] {
    var picker = picker
    if key == .ctrlC { return [.quit] }
    let request = picker.handle(key)
    state.replaceTop(with: .picker(picker))
    switch request {
    case nil: break
    case .list(let folder)?: return [.listFolder(folder), .render]
    case .choose(let url)?:
        state.knowledgePath = url.path
        state.popOverlay()
        state.status = "knowledge path: \(url.path)"
    case .type?:
        state.popOverlay()
        state.push(.editor(.knowledgePath, TextEditor(state.knowledgePath)))
    case .cancel?:
        state.popOverlay()
    }
    return [.render]
}
