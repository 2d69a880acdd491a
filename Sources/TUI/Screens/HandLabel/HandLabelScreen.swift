import Engine
import Foundation

/// How the hand-labeling screen is laid out: title (dataset and source), the row's text wrapped to
/// the width (scrolled with pgup/pgdn, "more" marks what is cut), its id, the classes on their keys
/// with their counts, progress, status and help bar.
public enum HandLabelScreen {
    public static func draw(_ state: AppState, into buffer: inout CellBuffer, in area: Rect) {
        guard let view = state.handLabel else { return }
        let classLines = classGrid(view, width: area.width - 4)
        let classHeight = min(classLines.count + 2, max(3, area.height / 3))
        let parts = area.split(.vertical, [.fixed(1), .fill, .fixed(classHeight), .fixed(1), .fixed(1), .fixed(1)])
        let source = view.loadingSource.map { "preparing the \($0.title)…" } ?? view.queue.source.title
        Chrome.drawTitle(" Alchemist · hand labeling", right: "\(view.dataset) · \(source) ", into: &buffer, in: parts[0])
        drawRow(view, into: &buffer, in: parts[1])
        buffer.box(parts[2], title: "Classes · hand labels (+ gold labels in valid/test)", style: Style(.border))
        for (offset, line) in classLines.prefix(classHeight - 2).enumerated() {
            buffer.put(line, x: parts[2].x + 2, y: parts[2].y + 1 + offset, role: .text, maxWidth: parts[2].width - 4)
        }
        buffer.put(" " + view.progressText, x: parts[3].x, y: parts[3].y, role: .accent, bold: true, maxWidth: parts[3].width)
        Chrome.drawStatus(state, into: &buffer, in: parts[4])
        Chrome.drawHelpBar(state, into: &buffer, in: parts[5])
    }

    static func drawRow(_ view: HandLabelView, into buffer: inout CellBuffer, in rect: Rect) {
        guard let row = view.current else {
            buffer.box(rect, title: "No row left", style: Style(.border))
            let text = view.queue.source == .random ? "every unlabeled row has an answer or was skipped: u undoes, esc goes back"
                : "no uncovered row is left: t shows a random sample, esc goes back"
            buffer.put(text, x: rect.x + 2, y: rect.y + 1, role: .muted, maxWidth: rect.width - 4)
            return
        }
        buffer.box(rect, title: "\(row.split.rawValue) row · id \(row.id)", style: Style(.borderFocused))
        let lines = row.text.split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { WrappedText.lines(String($0), width: max(1, rect.width - 4)) }
        let height = max(1, rect.height - 2)
        let first = view.clampedScroll(lineCount: lines.count, height: height)
        for (offset, line) in lines.dropFirst(first).prefix(height).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + offset, role: .text, maxWidth: rect.width - 4)
        }
        if first + height < lines.count {
            let more = " ↓ \(lines.count - first - height) more lines (pgdn) "
            buffer.put(more, x: rect.maxX - 1 - DisplayWidth.of(more), y: rect.maxY - 1, role: .warning)
        }
        if first > 0 { buffer.put(" ↑ pgup ", x: rect.maxX - 10, y: rect.y, role: .warning) }
    }

    /// "1 ham  12 (+40)" for each class, as many to a line as fit.
    static func classGrid(_ view: HandLabelView, width: Int) -> [String] {
        let counts = view.counts
        let cells = view.labelNames.enumerated().map { index, name -> String in
            let key = HandLabelKeys.key(forClass: index)?.label ?? "–"
            let existing = view.existing[safe: index] ?? 0
            return "\(key) \(name)  \(counts[index])" + (existing > 0 ? " (+\(existing))" : "")
        }
        let cellWidth = (cells.map(DisplayWidth.of).max() ?? 1) + 3
        let perLine = max(1, width / cellWidth)
        return stride(from: 0, to: cells.count, by: perLine).map { start in
            cells[start..<min(cells.count, start + perLine)].map { DisplayWidth.pad($0, to: cellWidth) }.joined()
        }
    }
}
