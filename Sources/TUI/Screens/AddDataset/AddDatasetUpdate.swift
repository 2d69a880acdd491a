import Engine
import Foundation

/// News of adding a dataset, from the runner.
public enum AddDatasetNews: Sendable {
    case read(URL, TabularFile)
    case readFailed(URL, String)
    case planned(revision: Int, DatasetImportPlan)
    case planFailed(revision: Int, String)
    /// Written into `folder`; the setup options read again (the new dataset among them).
    case written(name: String, folder: URL, options: SetupOptions)
    case writeFailed(String)
}

/// `a` on setup: step 1, the file picker, from the current folder.
func openAddDataset(_ state: inout AppState) -> [Effect] {
    openDatasetPicker(at: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), &state)
}

func openDatasetPicker(at folder: URL, _ state: inout AppState) -> [Effect] {
    state.push(.datasetFilePicker(FilePicker(folder: folder)))
    state.status = "add a dataset: choose its file"
    state.statusIsError = false
    return [.listFolder(folder), .render]
}

/// Keys of the dataset file picker: a file chosen opens the form; t types a path; esc cancels.
func datasetPickerKey(_ key: Key, picker: FilePicker, _ state: inout AppState) -> [Effect] {
    var picker = picker
    if key == .ctrlC { return [.quit] }
    let request = picker.handle(key)
    state.replaceTop(with: .datasetFilePicker(picker))
    switch request {
    case nil: break
    case .list(let folder)?: return [.listFolder(folder), .render]
    case .choose(let url)?:
        state.popOverlay()
        return chooseDatasetFile(url, &state)
    case .type?:
        state.popOverlay()
        state.push(.editor(.datasetFile, TextEditor(picker.folder.path + "/")))
    case .cancel?:
        state.popOverlay()
        state.status = "no dataset added"
    }
    return [.render]
}

/// A typed path: a file of a known format opens the form, anything else is listed as a folder.
func typedDatasetFile(_ text: String, _ state: inout AppState) -> [Effect] {
    let url = URL(fileURLWithPath: (text.trimmingCharacters(in: .whitespacesAndNewlines) as NSString).expandingTildeInPath)
    return TabularFile.Format.of(url) == nil ? openDatasetPicker(at: url, &state) : chooseDatasetFile(url, &state)
}

/// Step 2: the form for `file`, which the runner reads (the engine says when it cannot).
func chooseDatasetFile(_ file: URL, _ state: inout AppState) -> [Effect] {
    state.addDataset = AddDatasetView(file: file)
    state.screen = .addDataset
    state.status = "reading \(file.lastPathComponent)…"
    state.statusIsError = false
    return [.addDataset(.read(file)), .render]
}

/// Keys of the form: choices ask for a new plan; enter writes; esc goes back to the picker.
func addDatasetKey(_ key: Key, _ state: inout AppState) -> [Effect] {
    if key == .ctrlC { return [.quit] }
    guard var view = state.addDataset else {
        state.screen = .setup
        return [.render]
    }
    let request = view.handle(key)
    state.addDataset = view
    switch request {
    case nil:
        return [.render]
    case .plan:
        return [.addDataset(.plan(revision: view.revision)), .render]
    case .write:
        if let reason = addDatasetDisabledReasons(view)[.writeDataset] {
            state.status = "enter add: \(reason)"
            state.statusIsError = true
            return [.render]
        }
        state.addDataset?.isWriting = true
        state.status = "writing \(view.name)…"
        state.statusIsError = false
        return [.addDataset(.write), .render]
    case .back:
        state.addDataset = nil
        state.screen = .setup
        return openDatasetPicker(at: view.file.deletingLastPathComponent(), &state)
    }
}

/// News of the runner: the file read (then planned), a plan or its error, the dataset written.
func addDatasetMessage(_ news: AddDatasetNews, _ state: inout AppState) -> [Effect] {
    state.statusIsError = false
    switch news {
    case .read(let file, let table):
        guard state.addDataset?.file == file, var view = state.addDataset else { return [] }
        view.read(table)
        state.addDataset = view
        state.status = "\(file.lastPathComponent): \(CountText.grouped(table.rows.count)) rows · ←/→ choose columns · enter adds it"
        return [.addDataset(.plan(revision: view.revision)), .render]
    case .readFailed(let file, let reason):
        guard state.addDataset?.file == file else { return [] }
        state.addDataset?.readFailed(reason)
        state.status = reason
        state.statusIsError = true
    case .planned(let revision, let plan):
        state.addDataset?.planned(plan, revision: revision)
    case .planFailed(let revision, let reason):
        state.addDataset?.planFailed(reason, revision: revision)
    case .written(let name, let folder, let options):
        state.addDataset = nil
        state.options = options
        state.selection[.dataset] = options.datasets.firstIndex { $0.name == name } ?? state.selected(.dataset)
        state.focus = .dataset
        state.refreshTexts()
        state.screen = .setup
        state.datasetInfo[name] = nil
        state.status = "added \(name) in \(folder.path)"
        return [.render] + requestDatasetInfo(&state)
    case .writeFailed(let reason):
        state.addDataset?.isWriting = false
        state.status = "not added: \(reason)"
        state.statusIsError = true
    }
    return [.render]
}
