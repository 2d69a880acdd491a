/// A single-line text input with a cursor. The cursor counts characters (graphemes), from 0 (before
/// the first) to `text.count` (after the last).
public struct TextField: Sendable, Equatable {
    public private(set) var text: String
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    /// What a key did to the field.
    public enum Outcome: Sendable, Equatable {
        /// The text changed.
        case edited
        /// Only the cursor moved (or the key was an edit with nothing to do, e.g. backspace at the start).
        case moved
        /// The field does not use the key (enter, escape, tab, arrows up and down…): the owner decides.
        case ignored
    }

    /// Applies an editing key: printable characters insert, backspace deletes before the cursor,
    /// ctrl-d deletes under it, ←/→ move, home/end (and ctrl-a/ctrl-e) jump to the ends.
    @discardableResult
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .char("\u{01}"), .home: moveTo(0)
        case .char("\u{05}"), .end: moveTo(text.count)
        case .char("\u{04}"): return deleteForward() ? .edited : .moved
        case .char(let character):
            // Other control characters (ctrl-letters the terminal passes through) are not text.
            guard !character.isControl else { return .ignored }
            insert(String(character))
            return .edited
        case .backspace: return backspace() ? .edited : .moved
        case .left: moveTo(cursor - 1)
        case .right: moveTo(cursor + 1)
        default: return .ignored
        }
        return .moved
    }

    public mutating func insert(_ string: String) {
        let index = text.index(text.startIndex, offsetBy: cursor)
        text.insert(contentsOf: string, at: index)
        cursor += string.count
    }

    /// Deletes the character before the cursor; false when there is none.
    @discardableResult
    public mutating func backspace() -> Bool {
        guard cursor > 0 else { return false }
        text.remove(at: text.index(text.startIndex, offsetBy: cursor - 1))
        cursor -= 1
        return true
    }

    /// Deletes the character under the cursor; false when the cursor is at the end.
    @discardableResult
    public mutating func deleteForward() -> Bool {
        guard cursor < text.count else { return false }
        text.remove(at: text.index(text.startIndex, offsetBy: cursor))
        return true
    }

    public mutating func moveTo(_ position: Int) {
        cursor = min(max(0, position), text.count)
    }

    public mutating func clear() {
        text = ""
        cursor = 0
    }

    /// Draws `prompt` then the text on row `rect.y`, scrolled so the cursor shows; the cursor cell is
    /// reversed when `isFocused`.
    public func draw(into buffer: inout CellBuffer, in rect: Rect, prompt: String = "", isFocused: Bool = true) {
        guard rect.width > 0, rect.height > 0 else { return }
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        let x = buffer.put(prompt, x: rect.x, y: rect.y, role: .accent, maxWidth: rect.width)
        let room = rect.maxX - x
        guard room > 0 else { return }
        let characters = Array(text)
        // Keep the cursor (one column past the text at the end) inside the room.
        var first = 0
        while first < cursor, DisplayWidth.of(String(characters[first..<cursor])) + 1 > room { first += 1 }
        var column = x
        for index in first...characters.count {
            let isCursor = index == cursor && isFocused
            let glyph = index < characters.count ? String(characters[index]) : " "
            let width = DisplayWidth.of(glyph)
            if column + width > rect.maxX { break }
            buffer.put(glyph, x: column, y: rect.y, style: Style(.text, reverse: isCursor))
            column += width
            if index == characters.count { break }
        }
    }
}

extension Character {
    fileprivate var isControl: Bool {
        unicodeScalars.allSatisfy { $0.properties.generalCategory == .control }
    }
}
