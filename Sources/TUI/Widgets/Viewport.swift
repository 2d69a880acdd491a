/// A scrollable window on wrapped text that follows the tail while it grows (a stream), until the
/// user scrolls up; scrolling back to the end follows again.
public struct Viewport: Sendable, Equatable {
    /// Lines scrolled up from the end; 0 follows the tail.
    public var linesFromEnd = 0

    public init() {}

    public var isFollowing: Bool { linesFromEnd == 0 }

    public mutating func scrollUp(_ lines: Int) { linesFromEnd += max(0, lines) }
    public mutating func scrollDown(_ lines: Int) { linesFromEnd = max(0, linesFromEnd - max(0, lines)) }
    public mutating func follow() { linesFromEnd = 0 }

    /// The lines shown in a window of `height` rows, and the first one's index. Keeps the offset
    /// within the text.
    public func visible(_ lines: [String], height: Int) -> (lines: ArraySlice<String>, first: Int) {
        guard height > 0 else { return ([], 0) }
        let maxOffset = max(0, lines.count - height)
        let offset = min(linesFromEnd, maxOffset)
        let end = lines.count - offset
        let first = max(0, end - height)
        return (lines[first..<end], first)
    }

    /// Draws `lines` (already wrapped to `rect.width`) with per-line styles, and a scroll marker
    /// ("↓ 12 more": lines below the window) on the last row when not following.
    public func draw(_ lines: [(text: String, style: Style)], into buffer: inout CellBuffer, in rect: Rect) {
        let window = visible(lines.map(\.text), height: rect.height)
        for (row, index) in (window.first..<window.first + window.lines.count).enumerated() {
            buffer.put(lines[index].text, x: rect.x, y: rect.y + row, style: lines[index].style, maxWidth: rect.width)
        }
        let hidden = lines.count - (window.first + window.lines.count)
        if hidden > 0 {
            let marker = " ↓ \(hidden) more "
            buffer.put(marker, x: rect.maxX - DisplayWidth.of(marker), y: rect.maxY - 1, role: .accent, reverse: true)
        }
    }
}
