/// Python source with line numbers, coloured by `PythonHighlighter`, scrolled by whole lines.
/// Lines wider than the view wrap onto continuation rows with a blank gutter.
public struct CodeView: Sendable, Equatable {
    public private(set) var lines: [[PythonHighlighter.Span]]
    /// The number shown beside the first line (the code of a program file starts below its header).
    public var firstLineNumber: Int
    /// The first line shown (0-based).
    public var scroll: Int = 0

    public init(source: String, firstLineNumber: Int = 1) {
        var text = source
        if text.hasSuffix("\n") { text.removeLast() }
        lines = PythonHighlighter.highlight(text)
        self.firstLineNumber = firstLineNumber
    }

    public var lineCount: Int { lines.count }

    /// Scrolls by `amount` lines, kept so that a page of `height` rows stays filled where possible
    /// (`width`: the view's columns, gutter included; long lines wrap, so they take more rows).
    public mutating func scroll(by amount: Int, height: Int, width: Int = Int.max / 4) {
        scroll = min(max(0, scroll + amount), maxScroll(height: height, width: width))
    }

    /// The last useful `scroll`: the first line from which the rest of the code fills `height` rows
    /// of a view `width` columns wide.
    public func maxScroll(height: Int, width: Int = Int.max / 4) -> Int {
        let gutter = String(firstLineNumber + max(0, lines.count - 1)).count
        let all = rows(width: max(1, width - gutter - 1))
        guard all.count > height else { return 0 }
        // The first line whose rows, with all that follow, fit in a page; the last line when even
        // it alone does not fit.
        let starts = all.indices.filter { all[$0].number != nil }
        let fitting = starts.first { all.count - $0 <= height } ?? starts.last ?? 0
        return (all[fitting].number ?? firstLineNumber) - firstLineNumber
    }

    /// One row on screen: the number shown in the gutter (nil on a wrapped continuation) and the
    /// spans of the part of the line that fits.
    struct Row {
        var number: Int?
        var spans: [PythonHighlighter.Span]
    }

    /// The rows of the code at `width` columns of text: a line wider than that wraps onto
    /// continuation rows, so nothing of a long regular expression is hidden.
    func rows(width: Int) -> [Row] {
        var rows: [Row] = []
        for (index, spans) in lines.enumerated() {
            var row = Row(number: firstLineNumber + index, spans: [])
            var used = 0
            for span in spans {
                var piece = ""
                for character in span.text {
                    let columns = DisplayWidth.of(character)
                    if used + columns > width, used > 0 {
                        if !piece.isEmpty { row.spans.append(.init(piece, span.role)) }
                        rows.append(row)
                        row = Row(number: nil, spans: [])
                        piece = ""
                        used = 0
                    }
                    piece.append(character)
                    used += columns
                }
                if !piece.isEmpty { row.spans.append(.init(piece, span.role)) }
            }
            rows.append(row)
        }
        return rows
    }

    /// Draws from the row of line `scroll` on; wrapped rows get a blank gutter.
    public func draw(into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let lastNumber = firstLineNumber + max(0, lines.count - 1)
        let gutter = String(lastNumber).count
        let all = rows(width: max(1, rect.width - gutter - 1))
        let firstLine = firstLineNumber + min(max(0, scroll), max(0, lines.count - 1))
        let first = all.firstIndex { $0.number == firstLine } ?? 0
        for (offset, row) in all.dropFirst(first).prefix(rect.height).enumerated() {
            let y = rect.y + offset
            let label = row.number.map { String(repeating: " ", count: gutter - String($0).count) + String($0) + " " }
                ?? String(repeating: " ", count: gutter + 1)
            var x = buffer.put(label, x: rect.x, y: y, role: .muted, maxWidth: rect.width)
            for span in row.spans { x = buffer.put(span.text, x: x, y: y, role: span.role, maxWidth: rect.maxX - x) }
        }
    }
}
