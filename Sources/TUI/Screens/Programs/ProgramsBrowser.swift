import Engine
import Foundation

/// The programs browser: a tree of the saved programs (dataset › mode › code model › prior ›
/// program) beside the selected one's details. A value: `handle` changes it and may return a
/// request for the app to carry out; `draw` shows it.
public struct ProgramsBrowser: Sendable {
    /// The views of the detail pane, in tab order.
    public enum DetailTab: String, Sendable, CaseIterable {
        case code, prompt, run
    }

    /// The programs folder (the `--lf-dir`).
    public let root: URL
    public private(set) var entries: [ProgramEntry]
    /// Ledger summaries of the runs, by run id (empty without a ledger).
    public private(set) var runs: [String: RunSummary]
    public private(set) var tree: ProgramTree
    public private(set) var view: TreeView<ProgramNodeID>
    public private(set) var filter = TextField()
    public private(set) var isEditingFilter = false
    public private(set) var tab: DetailTab = .code
    /// The first line of the detail view's content shown.
    public private(set) var detailScroll = 0
    /// A one-line message under the panes (the app sets it after carrying out a request).
    public var status = ""
    /// The program files under the root that could not be read when the browser last read them.
    public private(set) var skipped: [ProgramStoreError] = []
    /// The size `render` last used, for paging before the next draw.
    public private(set) var screenWidth = 80
    public private(set) var screenHeight = 24

    public init(root: URL, programs: [LabelingProgram], states: ProgramStates, runs: [String: RunSummary] = [:]) {
        self.root = root
        self.runs = runs
        entries = ProgramEntry.entries(programs, states: states)
        tree = ProgramTree(entries: entries)
        view = TreeView(roots: tree.roots)
        // Open the way to the first program and select it.
        if let first = Self.firstProgram(in: tree.roots) { view.select(first) }
        resize(width: screenWidth, height: screenHeight)
    }

    /// Reads the programs under `root` (none when it does not exist yet), their states, and the
    /// ledger's runs when there is a ledger.
    /// Files that cannot be read are left out; the status line says how many.
    public static func load(root: URL, ledger: Ledger?) throws -> ProgramsBrowser {
        let (scan, states, runs) = try read(root: root, ledger: ledger)
        var browser = ProgramsBrowser(root: root, programs: scan.programs, states: states, runs: runs)
        browser.skipped = scan.skipped
        browser.status = Self.skippedNote(scan.skipped)
        return browser
    }

    /// Reads everything again (after an edit, a deletion, a test), keeping the selection, the
    /// expanded groups, the filter and the detail view.
    public mutating func reload(ledger: Ledger?) throws {
        let (scan, states, runs) = try Self.read(root: root, ledger: ledger)
        replace(programs: scan.programs, states: states, runs: runs)
        skipped = scan.skipped
    }

    /// Takes the data of a freshly loaded browser, keeping this one's selection, expanded groups,
    /// filter and detail view (the app reloads from disk after every action on a program).
    public mutating func adopt(_ fresh: ProgramsBrowser) {
        runs = fresh.runs
        entries = fresh.entries
        skipped = fresh.skipped
        rebuild()
    }

    /// Shows new data, keeping the selection, the expanded groups, the filter and the detail view.
    public mutating func replace(programs: [LabelingProgram], states: ProgramStates, runs: [String: RunSummary]) {
        self.runs = runs
        entries = ProgramEntry.entries(programs, states: states)
        rebuild()
    }

    static func read(root: URL, ledger: Ledger?) throws -> (ProgramScan, ProgramStates, [String: RunSummary]) {
        let scan = FileManager.default.fileExists(atPath: root.path) ? try ProgramStore.scan(under: root) : ProgramScan()
        return (scan, try ProgramStates.load(root: root), try ledger?.runSummaries() ?? [:])
    }

    /// The status line's word on unreadable files ("" when there are none).
    static func skippedNote(_ skipped: [ProgramStoreError]) -> String {
        guard let first = skipped.first else { return "" }
        let name = ProgramOutputText.clean(URL(fileURLWithPath: first.path).lastPathComponent, limit: 60)
        let others = skipped.count == 1 ? "" : " and \(skipped.count - 1) more"
        return "skipped \(skipped.count) unreadable file\(skipped.count == 1 ? "" : "s"): \(name) (\(first.reason))\(others)"
    }

    /// Sets the screen size `render` will use; the app calls it at start and on every resize.
    public mutating func resize(width: Int, height: Int) {
        screenWidth = width
        screenHeight = height
        view.pageHeight = max(1, layout(in: Self.panesRect(width: width, height: height)).tree.height)
    }

    // MARK: What is selected

    /// The selected program, when the selection is a program rather than a group.
    public var selectedEntry: ProgramEntry? {
        guard case .program(let key)? = view.selected else { return nil }
        return tree.entries[key]
    }

    /// True while the filter is typed: every key goes to `handle`, `q` and `?` included. Otherwise
    /// the app handles the global keys (quit, help) itself.
    public var capturesKeys: Bool { isEditingFilter }

    /// The bottom line's key help for the current mode.
    public var helpBar: String {
        if isEditingFilter { return KeyBindings.helpBar(for: .programsFilter, withGlobal: false) + "  type to filter" }
        return KeyBindings.helpBar(for: .programs)
    }

    /// The action of `key` among `scope`'s own bindings (no global fallback).
    static func ownAction(for key: Key, in scope: BindingScope) -> Action? {
        KeyBindings.action(for: key, in: scope, bindings: KeyBindings.all.filter { $0.scope == scope })
    }

    // MARK: Keys

    /// Applies a key. Returns what the app must do, if anything; nil also for keys the browser
    /// does not use (the global ones among them).
    public mutating func handle(_ key: Key) -> ProgramsRequest? {
        if isEditingFilter { return handleFilterKey(key) }
        guard let action = Self.ownAction(for: key, in: .programs) else { return nil }
        return perform(action)
    }

    private mutating func handleFilterKey(_ key: Key) -> ProgramsRequest? {
        switch Self.ownAction(for: key, in: .programsFilter) {
        case .programsFilterKeep?:
            isEditingFilter = false
        case .programsFilterClear?:
            isEditingFilter = false
            filter.clear()
            rebuild(filterChanged: true)
        case .selectPrevious?:
            moveSelection(by: -1)
        case .selectNext?:
            moveSelection(by: 1)
        default:
            if filter.handle(key) == .edited { rebuild(filterChanged: true) }
        }
        return nil
    }

    private mutating func perform(_ action: Action) -> ProgramsRequest? {
        switch action {
        case .selectPrevious: moveSelection(by: -1)
        case .selectNext: moveSelection(by: 1)
        case .selectFirst: moveSelection(by: -view.rows.count)
        case .selectLast: moveSelection(by: view.rows.count)
        case .programsToggle: view.toggle()
        case .programsExpand: changeSelection { $0.expandOrEnter() }
        case .programsCollapse: changeSelection { $0.collapseOrLeave() }
        case .programsFilter:
            isEditingFilter = true
        case .programsNextTab, .programsPreviousTab:
            let tabs = DetailTab.allCases
            let here = tabs.firstIndex(of: tab) ?? 0
            tab = tabs[(here + (action == .programsNextTab ? 1 : tabs.count - 1)) % tabs.count]
            detailScroll = 0
        case .programsPageDown, .programsPageUp:
            let page = max(1, detailPageHeight - 1)
            detailScroll = min(max(0, detailScroll + (action == .programsPageDown ? page : -page)), maxDetailScroll)
        case .programsBack:
            guard filter.text.isEmpty else {
                filter.clear()
                rebuild(filterChanged: true)
                return nil
            }
            return .close
        case .programsEdit:
            return selectedURL.map { .openInEditor($0) }
        case .programsCopyPath:
            return selectedURL.map { .copyPath($0) }
        case .programsTest:
            guard let entry = selectedEntry else { return nil }
            status = "testing \(entry.key) on its valid split…"
            return .testOnValid(entry.program)
        case .programsToggleEnabled:
            guard let entry = selectedEntry, let url = entry.url else { return nil }
            let enabled = !entry.enabled
            // Shown at once; the app writes it and reloads (which undoes it should the write fail).
            if let index = entries.firstIndex(where: { $0.key == entry.key }) { entries[index].enabled = enabled }
            rebuild()
            status = "\(entry.key) \(enabled ? "enabled" : "disabled") for labeling"
            return .setEnabled(url, enabled)
        case .programsDelete:
            guard let entry = selectedEntry, let url = entry.url else { return nil }
            return .askToDelete(url, name: entry.key)
        default:
            return nil
        }
        return nil
    }

    static func deleteDialog(for name: String) -> ConfirmDialog {
        ConfirmDialog(title: "Delete program?", message: "Delete \(name)? The file is removed from disk; the ledger keeps what it cost.")
    }

    private var selectedURL: URL? { selectedEntry?.url }

    private mutating func moveSelection(by offset: Int) {
        changeSelection { $0.move(by: offset) }
    }

    /// Runs a tree change; a new selection starts its detail view at the top.
    private mutating func changeSelection(_ change: (inout TreeView<ProgramNodeID>) -> Void) {
        let before = view.selected
        change(&view)
        if view.selected != before { detailScroll = 0 }
    }

    /// Rebuilds the tree from the entries and the filter. While a filter is set every group is open,
    /// so every match shows. A selection that disappears goes to the row that took its place, or,
    /// when the filter changed, to the first match.
    private mutating func rebuild(filterChanged: Bool = false) {
        let before = view.selected
        tree = ProgramTree(entries: entries, filter: filter.text)
        view.setRoots(tree.roots)
        if !filter.text.isEmpty { view.expandAll() }
        let lost = before.map { view.rowIndex(of: $0) == nil } ?? true
        if filterChanged, lost, let first = Self.firstProgram(in: tree.roots) { view.select(first) }
        if view.selected != before { detailScroll = 0 }
    }

    static func firstProgram(in nodes: [TreeNode<ProgramNodeID>]) -> ProgramNodeID? {
        for node in nodes {
            if case .program = node.id { return node.id }
            if let found = firstProgram(in: node.children) { return found }
        }
        return nil
    }
}
