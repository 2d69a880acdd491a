/// One sample per style role, each drawn in its role, so a previewed theme shows every colour it
/// sets. Fills the rows top to bottom, then further columns when the rows run out.
struct ThemeSwatch {
    static let samples: [(role: StyleRole, text: String)] = [
        (.text, "text: body text"), (.muted, "muted: hints"), (.accent, "accent: titles"), (.border, "border: ───"),
        (.borderFocused, "borderFocused: ───"), (.selection, "selection: › row"), (.success, "success: saved"),
        (.warning, "warning: no key"), (.error, "error: failed"), (.cost, "cost: $0.0042"), (.codeKeyword, "code.keyword: def"),
        (.codeString, "code.string: \"spam\""), (.codeComment, "code.comment: # why"), (.codeNumber, "code.number: 0.75"),
    ]

    func draw(into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let rows = min(rect.height, Self.samples.count)
        let columns = (Self.samples.count + rows - 1) / rows
        let columnWidth = rect.width / columns
        guard columnWidth > 1 else { return }
        for (index, sample) in Self.samples.enumerated() {
            let x = rect.x + (index / rows) * columnWidth
            let style = Style(sample.role, bold: sample.role == .borderFocused, reverse: sample.role == .selection)
            buffer.put(sample.text, x: x, y: rect.y + index % rows, style: style, maxWidth: columnWidth - 1)
        }
    }
}
