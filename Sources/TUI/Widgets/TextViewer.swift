/// A read-only, full-screen view of a text (an experiment log): wrapped to the width, scrolled
/// from the top with the keys, closed with esc or q.
public struct TextViewer: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable { case handled, close, ignored }

    public var title: String
    public var text: String
    /// First wrapped line shown.
    public private(set) var top = 0
    /// Rows of the last layout, for paging (set by `update` from the screen height).
    public var pageHeight = 20

    public init(title: String, text: String) {
        self.title = title
        self.text = text
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .down, .char("j"): top += 1
        case .up, .char("k"): top = max(0, top - 1)
        case .pageDown, .char(" "): top += max(1, pageHeight - 1)
        case .pageUp: top = max(0, top - max(1, pageHeight - 1))
        case .home, .char("g"): top = 0
        case .end, .char("G"): top = Int.max / 2
        case .escape, .char("q"): return .close
        default: return .ignored
        }
        return .handled
    }

    public func draw(into buffer: inout CellBuffer, in area: Rect) {
        buffer.fill(area)
        buffer.box(area, title: title, style: Style(.borderFocused, bold: true))
        let inner = area.inset(1)
        let body = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        let lines = WrappedText.wrap(text, width: body.width)
        let first = min(top, max(0, lines.count - body.height))
        for (row, line) in lines.dropFirst(first).prefix(body.height).enumerated() {
            buffer.put(line, x: body.x, y: body.y + row, role: .text, maxWidth: body.width)
        }
        let position = lines.isEmpty ? "empty" : "lines \(first + 1)–\(min(lines.count, first + body.height)) of \(lines.count)"
        buffer.put("\(position) · j/k scroll · space/pgup page · g/G ends · esc closes", x: body.x, y: inner.maxY - 1,
                   role: .muted, maxWidth: body.width)
    }
}
