/// Python source with line numbers, coloured by `PythonHighlighter`, scrolled by whole lines.
/// Lines wider than the view end in "…".
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

    /// Scrolls by `amount` lines, kept so that a page of `height` lines stays filled where possible.
    public mutating func scroll(by amount: Int, height: Int) {
        scroll = min(max(0, scroll + amount), max(0, lines.count - height))
    }

    public func draw(into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let lastNumber = firstLineNumber + max(0, lines.count - 1)
        let gutter = String(lastNumber).count
        let first = min(max(0, scroll), max(0, lines.count - 1))
        for row in 0..<rect.height {
            let index = first + row
            guard index < lines.count else { break }
            let y = rect.y + row
            let number = String(firstLineNumber + index)
            let label = String(repeating: " ", count: gutter - number.count) + number + " "
            var x = buffer.put(label, x: rect.x, y: y, role: .muted, maxWidth: rect.width)
            let spans = lines[index]
            let fits = spans.reduce(0) { $0 + DisplayWidth.of($1.text) } <= rect.maxX - x
            // When the line is cut, the last column shows "…".
            let limit = fits ? rect.maxX : rect.maxX - 1
            drawing: for span in spans {
                for character in span.text {
                    let columns = DisplayWidth.of(character)
                    if x + columns > limit { break drawing }
                    x = buffer.put(String(character), x: x, y: y, role: span.role)
                }
            }
            if !fits { buffer.put("…", x: x, y: y, role: .muted) }
        }
    }
}
