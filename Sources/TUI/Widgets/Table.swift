/// A table: a header row, then rows of cells in columns fitted to the width it is drawn in.
/// Too wide, the widest columns give up space first (down to their minimum), then the rightmost
/// columns are left out; cut text ends in "…".
struct Table {
    enum Alignment { case left, right }

    struct Column {
        var title: String
        var alignment: Alignment = .left
        /// Columns never shrink below this (nor below their content when it is narrower).
        var minWidth: Int = 4
    }

    struct Cell {
        var text: String
        /// nil: the table's text style.
        var style: Style?

        init(_ text: String, style: Style? = nil) {
            self.text = text
            self.style = style
        }
    }

    var columns: [Column]
    var rows: [[Cell]]
    /// The row drawn as selected (reversed), if any.
    var selected: Int?
    var headerStyle = Style(.muted, bold: true)
    var textStyle = Style(.text)
    /// Columns between two columns.
    var gap = 2

    /// Each column's width in `width` cells; 0 for columns left out.
    func columnWidths(for width: Int) -> [Int] {
        var widths = columns.indices.map { index in
            rows.reduce(DisplayWidth.of(columns[index].title)) { max($0, DisplayWidth.of($1.indices.contains(index) ? $1[index].text : "")) }
        }
        let floors = widths.indices.map { min(widths[$0], columns[$0].minWidth) }
        func total() -> Int {
            let shown = widths.filter { $0 > 0 }
            return shown.reduce(0, +) + gap * max(0, shown.count - 1)
        }
        while total() > width {
            // Shrink the widest column that still can; when none can, drop the last one shown.
            if let widest = widths.indices.filter({ widths[$0] > floors[$0] }).max(by: { widths[$0] < widths[$1] }) {
                widths[widest] -= 1
            } else if let last = widths.lastIndex(where: { $0 > 0 }) {
                widths[last] = 0
                if widths.allSatisfy({ $0 == 0 }) { break }
            } else {
                break
            }
        }
        return widths
    }

    /// Rows of `rect` that hold data rows (the first is the header).
    static func visibleRows(in rect: Rect) -> Int { max(0, rect.height - 1) }

    /// The first row to show so that `selected` is visible, starting from `scroll`.
    func firstRow(scroll: Int, visible: Int) -> Int {
        var first = max(0, min(scroll, rows.count - visible))
        if let selected {
            if selected < first { first = selected }
            if selected >= first + visible { first = selected - visible + 1 }
        }
        return max(0, first)
    }

    /// Draws the header and the rows from `scroll` (moved to keep the selection visible).
    func draw(into buffer: inout CellBuffer, in rect: Rect, scroll: Int = 0) {
        guard rect.height > 0, rect.width > 0 else { return }
        let widths = columnWidths(for: rect.width)
        drawLine(columns.map { Cell($0.title, style: headerStyle) }, widths: widths, into: &buffer, x: rect.x, y: rect.y,
                 width: rect.width, rowStyle: nil)
        let visible = Self.visibleRows(in: rect)
        let first = firstRow(scroll: scroll, visible: visible)
        for (line, index) in (first..<min(rows.count, first + visible)).enumerated() {
            let isSelected = index == selected
            let rowStyle = isSelected ? Style(.selection, bold: true, reverse: true) : nil
            if let rowStyle { buffer.fill(Rect(x: rect.x, y: rect.y + 1 + line, width: rect.width, height: 1), style: rowStyle) }
            drawLine(rows[index], widths: widths, into: &buffer, x: rect.x, y: rect.y + 1 + line, width: rect.width, rowStyle: rowStyle)
        }
    }

    private func drawLine(_ cells: [Cell], widths: [Int], into buffer: inout CellBuffer, x: Int, y: Int, width: Int, rowStyle: Style?) {
        var column = x
        for (index, columnWidth) in widths.enumerated() where columnWidth > 0 {
            let cell = cells.indices.contains(index) ? cells[index] : Cell("")
            let text = DisplayWidth.truncate(cell.text, to: columnWidth)
            let padding = columnWidth - DisplayWidth.of(text)
            let start = columns[index].alignment == .right ? column + padding : column
            buffer.put(text, x: start, y: y, style: rowStyle ?? cell.style ?? textStyle, maxWidth: min(columnWidth, x + width - start))
            column += columnWidth + gap
            if column >= x + width { break }
        }
    }
}
