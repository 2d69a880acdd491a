/// A multi-line text editor: typing, enter for a new line, backspace/delete, arrows, home/end.
/// Lines longer than the window wrap by display width; the cursor cell shows reversed.
public struct TextEditor: Sendable, Equatable {
    public private(set) var lines: [[Character]]
    public private(set) var line = 0
    public private(set) var column = 0
    /// First visual row shown, kept so the cursor stays visible.
    private var scroll = 0

    public init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
        line = lines.count - 1
        column = lines[line].count
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }

    /// Applies an editing key; returns false for keys it does not handle.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        if let character = key.typedCharacter {
            lines[line].insert(character, at: column)
            column += 1
            return true
        }
        switch key {
        case .enter:
            let rest = Array(lines[line][column...])
            lines[line].removeSubrange(column...)
            lines.insert(rest, at: line + 1)
            line += 1
            column = 0
        case .backspace:
            if column > 0 {
                lines[line].remove(at: column - 1)
                column -= 1
            } else if line > 0 {
                column = lines[line - 1].count
                lines[line - 1] += lines[line]
                lines.remove(at: line)
                line -= 1
            }
        case .delete:
            if column < lines[line].count {
                lines[line].remove(at: column)
            } else if line + 1 < lines.count {
                lines[line] += lines.remove(at: line + 1)
            }
        case .left:
            if column > 0 { column -= 1 } else if line > 0 { line -= 1; column = lines[line].count }
        case .right:
            if column < lines[line].count { column += 1 } else if line + 1 < lines.count { line += 1; column = 0 }
        case .up:
            if line > 0 { line -= 1; column = min(column, lines[line].count) }
        case .down:
            if line + 1 < lines.count { line += 1; column = min(column, lines[line].count) }
        case .home, .ctrl("a"):
            column = 0
        case .end, .ctrl("e"):
            column = lines[line].count
        case .ctrl("u"):
            lines[line].removeSubrange(0..<column)
            column = 0
        case .ctrl("k"):
            lines[line].removeSubrange(column...)
        default:
            return false
        }
        return true
    }

    /// Visual rows of the text at `width` columns: (logical line, first character index, characters).
    func rows(width: Int) -> [(line: Int, start: Int, characters: ArraySlice<Character>)] {
        var rows: [(Int, Int, ArraySlice<Character>)] = []
        for (index, characters) in lines.enumerated() {
            var start = 0
            var used = 0
            var position = 0
            if characters.isEmpty { rows.append((index, 0, characters[0..<0])); continue }
            while position < characters.count {
                let columns = DisplayWidth.of(characters[position])
                // One cell stays free at the end of a row for the cursor.
                if used + columns > width - 1, position > start {
                    rows.append((index, start, characters[start..<position]))
                    start = position
                    used = 0
                }
                used += columns
                position += 1
            }
            rows.append((index, start, characters[start..<characters.count]))
        }
        return rows
    }

    /// The visual row of the cursor at `width`.
    func cursorRow(width: Int) -> Int {
        let all = rows(width: width)
        return all.lastIndex { $0.line == line && $0.start <= column } ?? 0
    }

    /// Draws the text with the cursor, scrolled so the cursor row is visible.
    public mutating func draw(into buffer: inout CellBuffer, in rect: Rect, style: Style = Style(.text)) {
        guard rect.width > 1, rect.height > 0 else { return }
        let all = rows(width: rect.width)
        let cursor = cursorRow(width: rect.width)
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + rect.height { scroll = cursor - rect.height + 1 }
        for (offset, row) in all.dropFirst(scroll).prefix(rect.height).enumerated() {
            let y = rect.y + offset
            var x = buffer.put(String(row.characters), x: rect.x, y: y, style: style, maxWidth: rect.width)
            if scroll + offset == cursor {
                // Column of the cursor inside this row.
                let before = row.characters.prefix(column - row.start)
                x = rect.x + before.reduce(0) { $0 + DisplayWidth.of($1) }
                let under = column < lines[line].count ? String(lines[line][column]) : " "
                buffer.put(under, x: x, y: y, style: Style(style.role, reverse: true))
            }
        }
    }
}
