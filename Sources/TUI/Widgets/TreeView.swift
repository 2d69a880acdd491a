/// One node of a `TreeView`: a label, a right-aligned info text (say "3 · $0.0123") and children.
public struct TreeNode<ID: Hashable & Sendable>: Sendable, Equatable {
    public var id: ID
    public var label: String
    public var info: String
    /// The role of the label and info (e.g. `.muted` for a disabled item).
    public var role: StyleRole
    public var children: [TreeNode]

    public init(id: ID, label: String, info: String = "", role: StyleRole = .text, children: [TreeNode] = []) {
        self.id = id
        self.label = label
        self.info = info
        self.role = role
        self.children = children
    }

    public var isLeaf: Bool { children.isEmpty }
}

/// A tree of expandable nodes with one selected row, scrolled so the selection stays visible.
public struct TreeView<ID: Hashable & Sendable>: Sendable, Equatable {
    /// A visible row: a node at a depth.
    public struct Row: Sendable, Equatable {
        public var node: TreeNode<ID>
        public var depth: Int
        public var parent: ID?
    }

    public private(set) var roots: [TreeNode<ID>]
    public var expanded: Set<ID>
    public private(set) var selected: ID?
    /// The first row shown; `draw` still moves it when the selection would be out of view.
    public private(set) var scroll = 0
    /// Rows a page holds, for page moves and scrolling; the owner sets it from its layout.
    public var pageHeight = 10
    public private(set) var rows: [Row] = []

    public init(roots: [TreeNode<ID>], expanded: Set<ID> = [], selected: ID? = nil) {
        self.roots = roots
        self.expanded = expanded
        self.selected = selected
        refreshRows()
        if selected.flatMap(rowIndex) == nil { self.selected = rows.first?.node.id }
    }

    /// Replaces the nodes, keeping expansion and the selection where its node still exists (else the
    /// row now at the selection's old position).
    public mutating func setRoots(_ roots: [TreeNode<ID>]) {
        let oldIndex = selectedIndex ?? 0
        self.roots = roots
        refreshRows()
        if selected.flatMap(rowIndex) == nil {
            selected = rows.isEmpty ? nil : rows[min(oldIndex, rows.count - 1)].node.id
        }
        keepSelectionVisible()
    }

    public var selectedIndex: Int? { selected.flatMap(rowIndex) }
    public var selectedNode: TreeNode<ID>? { selectedIndex.map { rows[$0].node } }

    public func rowIndex(of id: ID) -> Int? { rows.firstIndex { $0.node.id == id } }

    /// The node with `id` anywhere in the tree, shown or not.
    public func node(_ id: ID) -> TreeNode<ID>? {
        func find(_ nodes: [TreeNode<ID>]) -> TreeNode<ID>? {
            for node in nodes {
                if node.id == id { return node }
                if let found = find(node.children) { return found }
            }
            return nil
        }
        return find(roots)
    }

    /// The ids from a root down to `id` (inclusive); empty when absent.
    public func path(to id: ID) -> [ID] {
        func search(_ nodes: [TreeNode<ID>], _ trail: [ID]) -> [ID]? {
            for node in nodes {
                if node.id == id { return trail + [id] }
                if let found = search(node.children, trail + [node.id]) { return found }
            }
            return nil
        }
        return search(roots, []) ?? []
    }

    public mutating func select(_ id: ID) {
        expanded.formUnion(path(to: id).dropLast())
        refreshRows()
        if rowIndex(of: id) != nil { selected = id }
        keepSelectionVisible()
    }

    /// Moves the selection by `offset` rows, stopping at the ends.
    public mutating func move(by offset: Int) {
        guard !rows.isEmpty else { return }
        let index = min(max(0, (selectedIndex ?? 0) + offset), rows.count - 1)
        selected = rows[index].node.id
        keepSelectionVisible()
    }

    public mutating func selectFirst() { move(by: -rows.count) }
    public mutating func selectLast() { move(by: rows.count) }

    /// Expands a collapsed node, collapses an expanded one; a leaf does nothing.
    public mutating func toggle() {
        guard let node = selectedNode, !node.isLeaf else { return }
        if expanded.contains(node.id) { expanded.remove(node.id) } else { expanded.insert(node.id) }
        refreshRows()
        keepSelectionVisible()
    }

    /// → : expands the selected node, or moves into it when it is already open.
    public mutating func expandOrEnter() {
        guard let node = selectedNode, !node.isLeaf else { return }
        if expanded.insert(node.id).inserted {
            refreshRows()
        } else {
            move(by: 1)
        }
        keepSelectionVisible()
    }

    /// ← : collapses the selected node, or moves to its parent when it is a leaf or already closed.
    public mutating func collapseOrLeave() {
        guard let index = selectedIndex else { return }
        let row = rows[index]
        if !row.node.isLeaf, expanded.contains(row.node.id) {
            expanded.remove(row.node.id)
            refreshRows()
        } else if let parent = row.parent {
            selected = parent
        }
        keepSelectionVisible()
    }

    public mutating func expandAll() {
        func all(_ nodes: [TreeNode<ID>]) -> [ID] { nodes.flatMap { $0.isLeaf ? [] : [$0.id] + all($0.children) } }
        expanded.formUnion(all(roots))
        refreshRows()
        keepSelectionVisible()
    }

    private mutating func refreshRows() {
        var result: [Row] = []
        func visit(_ nodes: [TreeNode<ID>], depth: Int, parent: ID?) {
            for node in nodes {
                result.append(Row(node: node, depth: depth, parent: parent))
                if expanded.contains(node.id) { visit(node.children, depth: depth + 1, parent: node.id) }
            }
        }
        visit(roots, depth: 0, parent: nil)
        rows = result
    }

    private mutating func keepSelectionVisible() {
        scroll = firstVisibleRow(height: pageHeight)
    }

    /// The first row to show in `height` rows: `scroll`, moved as little as needed to show the selection.
    func firstVisibleRow(height: Int) -> Int {
        guard height > 0, !rows.isEmpty else { return 0 }
        let index = selectedIndex ?? 0
        var first = min(scroll, index)
        if index >= first + height { first = index - height + 1 }
        return max(0, min(first, rows.count - height))
    }

    /// Draws the visible rows in `rect`: indentation, ▾/▸ for open/closed nodes, the label, and the
    /// info right-aligned. The selected row is reversed when `isFocused`, bold otherwise.
    public func draw(into buffer: inout CellBuffer, in rect: Rect, isFocused: Bool = true) {
        guard rect.width > 0, rect.height > 0 else { return }
        let first = firstVisibleRow(height: rect.height)
        for line in 0..<rect.height {
            let index = first + line
            guard index < rows.count else { break }
            let row = rows[index]
            let isSelected = row.node.id == selected
            let marker = row.node.isLeaf ? "  " : expanded.contains(row.node.id) ? "▾ " : "▸ "
            let left = String(repeating: " ", count: 2 * row.depth) + marker + row.node.label
            let info = row.node.info
            let infoWidth = DisplayWidth.of(info)
            // The info keeps its place when it fits beside at least a few columns of the label.
            let showsInfo = !info.isEmpty && infoWidth + 1 + min(DisplayWidth.of(left), 2 * row.depth + 6) <= rect.width
            let leftWidth = showsInfo ? rect.width - infoWidth - 1 : rect.width
            let style = Style(isSelected && isFocused ? .selection : row.node.role, bold: isSelected, reverse: isSelected && isFocused)
            let y = rect.y + line
            buffer.put(DisplayWidth.pad(left, to: leftWidth), x: rect.x, y: y, style: style)
            if showsInfo {
                var infoStyle = style
                if !isSelected && row.node.role == .text { infoStyle.role = .cost }
                buffer.put(" " + info, x: rect.x + leftWidth, y: y, style: infoStyle)
            }
        }
    }
}
