/// A line of text made of runs with their own styles, for panes that mix roles on one line.
public struct StyledLine: Sendable, Equatable {
    public var spans: [Span]

    public struct Span: Sendable, Equatable {
        public var text: String
        public var style: Style
    }

    public init(_ spans: [Span] = []) { self.spans = spans }

    public init(_ text: String, _ role: StyleRole = .text, bold: Bool = false) {
        spans = [Span(text: text, style: Style(role, bold: bold))]
    }

    /// Appends a run; returns self for chaining.
    public func then(_ text: String, _ role: StyleRole = .text, bold: Bool = false) -> StyledLine {
        var copy = self
        copy.spans.append(Span(text: text, style: Style(role, bold: bold)))
        return copy
    }

    public var text: String { spans.map(\.text).joined() }

    /// Draws the runs from (x, y), cut at `width` columns with "…" when they do not fit.
    public func draw(into buffer: inout CellBuffer, x: Int, y: Int, width: Int) {
        let fits = DisplayWidth.of(text) <= width
        let limit = x + (fits ? width : width - 1)
        var column = x
        drawing: for span in spans {
            for character in span.text {
                let columns = DisplayWidth.of(character)
                if column + columns > limit { break drawing }
                column = buffer.put(String(character), x: column, y: y, style: span.style)
            }
        }
        if !fits, width > 0 { buffer.put("…", x: column, y: y, role: .muted) }
    }
}
