import Engine
/// How the programs browser draws itself.
extension ProgramsBrowser {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    /// Where the parts go in the browser's rectangle.
    struct Layout {
        var treeBox: Rect
        var tree: Rect
        var filterLine: Rect?
        var totalsLine: Rect
        var detailBox: Rect
        var header: Rect
        var tabs: Rect
        var content: Rect
    }

    /// The panes' rectangle in a whole screen: between the title row and the status and help rows.
    static func panesRect(width: Int, height: Int) -> Rect {
        Rect(x: 0, y: 1, width: width, height: height - 3)
    }

    func layout(in rect: Rect) -> Layout {
        let treeWidth = min(46, max(24, rect.width * 2 / 5))
        let columns = rect.split(.horizontal, [.fixed(treeWidth), .fill])
        let treeInner = columns[0].inset(1)
        let showsFilter = isEditingFilter || !filter.text.isEmpty
        let treeRows = treeInner.split(.vertical, [.fill, .fixed(showsFilter ? 1 : 0), .fixed(1)])
        let detailInner = columns[1].inset(1)
        // The header gets what it needs, but leaves the view at least half the pane.
        let headerHeight = min(headerLines().count, max(1, (detailInner.height - 1) / 2))
        let detailRows = detailInner.split(.vertical, [.fixed(headerHeight), .fixed(1), .fill])
        return Layout(treeBox: columns[0], tree: treeRows[0], filterLine: showsFilter ? treeRows[1] : nil, totalsLine: treeRows[2],
                      detailBox: columns[1], header: detailRows[0], tabs: detailRows[1], content: detailRows[2])
    }

    /// Lines of the detail view a page holds, at the size `resize` set.
    var detailPageHeight: Int {
        layout(in: Self.panesRect(width: screenWidth, height: screenHeight)).content.height
    }

    /// How far the detail view can scroll at the size `resize` set.
    var maxDetailScroll: Int {
        let content = layout(in: Self.panesRect(width: screenWidth, height: screenHeight)).content
        if tab == .code, selectedEntry != nil {
            return codeView()?.maxScroll(height: content.height, width: content.width) ?? 0
        }
        return max(0, contentLines(width: content.width).count - content.height)
    }

    /// The whole screen: a title row, the panes, the status row and the key help.
    public func render(width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else {
            let message = "terminal too small: \(width)×\(height), need \(Self.minimumWidth)×\(Self.minimumHeight)"
            let x = max(0, (width - DisplayWidth.of(message)) / 2)
            buffer.put(message, x: x, y: height / 2, role: .warning, bold: true, maxWidth: width - x)
            return buffer
        }
        let title = Rect(x: 0, y: 0, width: width, height: 1)
        buffer.fill(title, style: Style(.accent, reverse: true))
        buffer.put(" Alchemist · programs", x: 0, y: 0, style: Style(.accent, bold: true, reverse: true), maxWidth: width)
        let right = "\(root.lastPathComponent)/ "
        let rightX = width - DisplayWidth.of(right)
        if rightX > 24 { buffer.put(right, x: rightX, y: 0, style: Style(.accent, reverse: true)) }
        draw(into: &buffer, in: Self.panesRect(width: width, height: height))
        buffer.put(status, x: 1, y: height - 2, role: .muted, maxWidth: width - 2)
        buffer.put(helpBar, x: 1, y: height - 1, role: .muted, maxWidth: width - 2)
        return buffer
    }

    /// Draws the tree pane and the detail pane into `rect`.
    public func draw(into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.width >= 20, rect.height >= 6 else { return }
        buffer.fill(rect)
        let layout = layout(in: rect)
        drawTree(into: &buffer, layout)
        drawDetail(into: &buffer, layout)
    }

    func drawTree(into buffer: inout CellBuffer, _ layout: Layout) {
        buffer.box(layout.treeBox, title: "Programs", style: Style(.borderFocused, bold: true))
        view.draw(into: &buffer, in: layout.tree, isFocused: !isEditingFilter)
        let first = view.firstVisibleRow(height: layout.tree.height)
        if first > 0 { buffer.put("↑", x: layout.treeBox.maxX - 2, y: layout.treeBox.y, role: .border) }
        if first + layout.tree.height < view.rows.count { buffer.put("↓", x: layout.treeBox.maxX - 2, y: layout.treeBox.maxY - 1, role: .border) }
        if view.rows.isEmpty {
            let message = filter.text.isEmpty ? "no programs" : "no match"
            buffer.put(message, x: layout.tree.x + 1, y: layout.tree.y, role: .muted, maxWidth: layout.tree.width - 1)
        }
        if let line = layout.filterLine {
            if isEditingFilter {
                filter.draw(into: &buffer, in: line, prompt: "/", isFocused: true)
            } else {
                let x = buffer.put("/", x: line.x, y: line.y, role: .accent)
                buffer.put(filter.text + "  (esc clears)", x: x, y: line.y, role: .text, maxWidth: line.maxX - x)
            }
        }
        let totals = tree.overall
        StyledLine("\(totals.programs) programs", .muted).then(totals.enabled < totals.programs ? " (\(totals.enabled) on)" : "", .muted)
            .then(" · total ", .muted).then(totals.cost.formatted(), .cost, bold: true)
            .draw(into: &buffer, x: layout.totalsLine.x, y: layout.totalsLine.y, width: layout.totalsLine.width)
    }

    func drawDetail(into buffer: inout CellBuffer, _ layout: Layout) {
        let name: String
        switch view.selected {
        case .program?: name = selectedEntry.map(ProgramTree.fileName) ?? "Program"
        case .group(let path)?: name = path.last ?? "Group"
        case nil: name = "Details"
        }
        buffer.box(layout.detailBox, title: name, style: Style(.border))
        let inner = layout.header
        for (index, line) in headerLines().prefix(inner.height).enumerated() {
            line.draw(into: &buffer, x: inner.x, y: inner.y + index, width: inner.width)
        }
        if selectedEntry != nil {
            var x = layout.tabs.x
            for tab in DetailTab.allCases {
                let isCurrent = tab == self.tab
                x = buffer.put(" \(tab.rawValue) ", x: x, y: layout.tabs.y, style: Style(isCurrent ? .accent : .muted, bold: isCurrent, reverse: isCurrent))
                x = buffer.put(" ", x: x, y: layout.tabs.y)
            }
            let hint = "tab switches"
            if x + DisplayWidth.of(hint) < layout.tabs.maxX { buffer.put(hint, x: layout.tabs.maxX - DisplayWidth.of(hint), y: layout.tabs.y, role: .muted) }
        } else if case .group? = view.selected {
            buffer.put("programs", x: layout.tabs.x, y: layout.tabs.y, role: .accent, bold: true, maxWidth: layout.tabs.width)
        }
        let content = layout.content
        if tab == .code, selectedEntry != nil, var code = codeView() {
            code.scroll = min(detailScroll, code.maxScroll(height: content.height, width: content.width))
            code.draw(into: &buffer, in: content)
            drawScrollMarks(into: &buffer, layout, first: code.scroll, count: code.lineCount)
            return
        }
        let lines = contentLines(width: content.width)
        let first = min(detailScroll, max(0, lines.count - content.height))
        for (row, line) in lines.dropFirst(first).prefix(content.height).enumerated() {
            line.draw(into: &buffer, x: content.x, y: content.y + row, width: content.width)
        }
        drawScrollMarks(into: &buffer, layout, first: first, count: lines.count)
    }

    /// ↑ / ↓ on the detail pane's right edge when there is more above or below.
    func drawScrollMarks(into buffer: inout CellBuffer, _ layout: Layout, first: Int, count: Int) {
        let x = layout.detailBox.maxX - 1
        if first > 0 { buffer.put("↑", x: x, y: layout.content.y, role: .border) }
        if first + layout.content.height < count { buffer.put("↓", x: x, y: layout.content.maxY - 1, role: .border) }
    }
}
