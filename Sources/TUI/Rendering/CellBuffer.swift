/// A width × height grid of cells that screens draw into; a backend shows it.
public struct CellBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = [Cell](repeating: .blank, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` from (x, y) with `style`, clipped to the buffer and to `maxWidth` columns
    /// (when given; text that does not fit ends in "…"). A wide glyph that would straddle the edge is
    /// left out. Returns the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
        let shown = maxWidth.map { DisplayWidth.truncate(text, to: max(0, $0)) } ?? text
        var column = x
        for grapheme in shown {
            let columns = DisplayWidth.of(grapheme)
            if columns == 0 { continue }
            if column + columns > limit { break }
            if column >= 0 {
                set(Cell(String(grapheme), width: columns, style: style), x: column, y: y)
            }
            column += columns
        }
        return column
    }

    /// Convenience: `put` with a role.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, bold: Bool = false, reverse: Bool = false,
                             underline: Bool = false, maxWidth: Int? = nil) -> Int {
        put(text, x: x, y: y, style: Style(role, bold: bold, reverse: reverse, underline: underline), maxWidth: maxWidth)
    }

    /// Fills a rectangle with blanks in `style`.
    public mutating func fill(_ rect: Rect, style: Style = .plain) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                set(Cell(" ", width: 1, style: style), x: column, y: row)
            }
        }
    }

    /// Changes the style of cells already written (e.g. a selection bar).
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                change(&cells[row * width + column].style)
            }
        }
    }

    /// Places one cell, repairing any wide glyph it cuts in half.
    mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, y >= 0, y < height, x + max(1, cell.width) <= width else { return }
        clear(x: x, y: y)
        if cell.width == 2 { clear(x: x + 1, y: y) }
        cells[y * width + x] = cell
        if cell.width == 2 { cells[y * width + x + 1] = Cell("", width: 0, style: cell.style) }
    }

    /// Blanks the cell at (x, y) and the other half of a wide glyph it belongs to.
    private mutating func clear(x: Int, y: Int) {
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0 {
            cells[index - 1] = Cell(" ", width: 1, style: cells[index - 1].style)
        } else if old.width == 2, x + 1 < width {
            cells[index + 1] = Cell(" ", width: 1, style: old.style)
        }
        cells[index] = Cell(" ", width: 1, style: old.style)
    }

    /// Row `y` as text (continuation cells contribute nothing), trailing spaces kept.
    public func row(_ y: Int) -> String {
        (0..<width).map { self[$0, y].text }.joined()
    }

    /// All rows, joined with newlines.
    public var text: String { (0..<height).map(row).joined(separator: "\n") }

    /// Draws a box border with an optional title in its top edge.
    public mutating func box(_ rect: Rect, title: String? = nil, style: Style) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let horizontal = String(repeating: "─", count: rect.width - 2)
        put("┌" + horizontal + "┐", x: rect.x, y: rect.y, style: style)
        for row in rect.y + 1..<rect.maxY - 1 {
            put("│", x: rect.x, y: row, style: style)
            put("│", x: rect.maxX - 1, y: row, style: style)
        }
        put("└" + horizontal + "┘", x: rect.x, y: rect.maxY - 1, style: style)
        if let title, rect.width > 4 {
            put(" \(title) ", x: rect.x + 1, y: rect.y, style: style, maxWidth: rect.width - 2)
        }
    }
}
