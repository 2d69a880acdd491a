/// A bordered list with one selected row, scrolled so the selection stays visible.
struct ListPane {
    var title: String
    var rows: [(text: String, role: StyleRole)]
    var selected: Int
    var isFocused: Bool
    var isDimmed: Bool

    func draw(into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        let borderStyle = isDimmed ? Style(.muted) : isFocused ? Style(.borderFocused, bold: true) : Style(.border)
        buffer.box(rect, title: isFocused ? "▸ \(title)" : title, style: borderStyle)
        let inner = rect.inset(1)
        let visible = inner.height
        let first = max(0, min(selected - visible + 1, rows.count - visible))
        for (line, index) in (first..<min(rows.count, first + visible)).enumerated() {
            let row = rows[index]
            let isSelected = index == selected
            let marker = isSelected ? "› " : "  "
            let role: StyleRole = isDimmed ? .muted : row.role
            let style = Style(isSelected && isFocused ? .selection : role, bold: isSelected, reverse: isSelected && isFocused)
            buffer.put(DisplayWidth.pad(marker + row.text, to: inner.width), x: inner.x, y: inner.y + line, style: style)
        }
        if first > 0 { buffer.put("↑", x: rect.maxX - 2, y: rect.y, style: borderStyle) }
        if first + visible < rows.count { buffer.put("↓", x: rect.maxX - 2, y: rect.maxY - 1, style: borderStyle) }
    }
}
