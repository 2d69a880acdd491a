import Engine
import Foundation

/// The add-a-dataset form: the choices on the left, the engine's plan of them on the right (counts,
/// classes, the planned split, warnings, or the error), the file's first rows below.
public enum AddDatasetScreen {
    static let pickerTitle = "Add a dataset: a .csv, .tsv, .jsonl, .json or .parquet file"

    public static func draw(_ state: AppState, into buffer: inout CellBuffer, in area: Rect) {
        guard let view = state.addDataset else { return }
        let formHeight = AddDatasetView.Field.allCases.count + 2
        let parts = area.split(.vertical, [.fixed(1), .fixed(formHeight), .fill, .fixed(1), .fixed(1)])
        Chrome.drawTitle(" Alchemist · add a dataset", right: "\(view.file.lastPathComponent) ", into: &buffer, in: parts[0])
        let top = parts[1].split(.horizontal, [.fixed(min(38, area.width / 2)), .fill])
        drawForm(view, into: &buffer, in: top[0])
        drawPlan(view, into: &buffer, in: top[1])
        drawPreview(view, into: &buffer, in: parts[2])
        Chrome.drawStatus(state, into: &buffer, in: parts[3])
        Chrome.drawHelpBar(.addDataset, disabled: state.disabledReasons, withGlobal: false, into: &buffer, in: parts[4])
    }

    /// A box's inside with a column of space each side.
    static func inside(_ rect: Rect) -> Rect { Rect(x: rect.x + 2, y: rect.y + 1, width: max(0, rect.width - 4), height: max(0, rect.height - 2)) }

    static func drawForm(_ view: AddDatasetView, into buffer: inout CellBuffer, in rect: Rect) {
        buffer.box(rect, title: "▸ Choices", style: Style(.borderFocused, bold: true))
        let inner = rect.inset(1)
        for (row, field) in AddDatasetView.Field.allCases.enumerated() where row < inner.height {
            let y = inner.y + row
            let focused = field == view.focus
            let x = buffer.put((focused ? "› " : "  ") + DisplayWidth.pad(field.title, to: 8), x: inner.x, y: y,
                               role: focused ? .accent : .muted, bold: focused)
            var value = view.value(of: field)
            if focused { value = field.isTyped ? value + "▏" : "‹ \(value) ›" }
            let isDefault = !focused && (value.hasPrefix("default") || value == "from the labels")
            buffer.put(value, x: x, y: y, role: isDefault ? .muted : .text, bold: focused, maxWidth: inner.maxX - x)
        }
    }

    static func drawPlan(_ view: AddDatasetView, into buffer: inout CellBuffer, in rect: Rect) {
        let title = view.isReading ? "Reading…" : view.isPlanning ? "Planned split (planning…)" : "Planned split"
        buffer.box(rect, title: title, style: Style(.border))
        let inner = inside(rect)
        var lines: [(String, StyleRole)] = []
        if let error = view.readError ?? view.planError {
            lines = WrappedText.lines(error, width: inner.width).map { ($0, .error) }
        } else if let plan = view.plan {
            // The engine's summary, without its first line (the file, in the title bar) and its last ("dry run").
            let summary = plan.summaryLines(folder: nil)
            lines = summary.dropFirst().dropLast().map { ($0, $0.hasPrefix("note:") ? .warning : .text) }
            lines.insert(("\(CountText.grouped(plan.rowCount)) rows kept · \(plan.format.rawValue)", .muted), at: 0)
        } else {
            lines = [("reading \(view.file.path)…", .muted)]
        }
        for (row, line) in lines.prefix(inner.height).enumerated() {
            buffer.put(line.0, x: inner.x, y: inner.y + row, role: line.1, maxWidth: inner.width)
        }
    }

    /// The first rows of the file in the chosen columns (ids, labels, then the text cut to the width).
    static func drawPreview(_ view: AddDatasetView, into buffer: inout CellBuffer, in rect: Rect) {
        buffer.box(rect, title: "First rows", style: Style(.border))
        let inner = inside(rect)
        guard let table = view.table, inner.height > 0 else { return }
        let text = view.effectiveColumn(.text)
        let others = [view.effectiveColumn(.id), view.effectiveColumn(.label)].compactMap { $0 }
        let columns = text.map { others + [$0] } ?? table.columns
        let widths = columns.dropLast().map { column in
            min(14, max(DisplayWidth.of(column), table.rows.prefix(inner.height).map { DisplayWidth.of($0.values[column] ?? "") }.max() ?? 0))
        }
        func line(_ values: [String]) -> String {
            zip(values.dropLast(), widths).map { DisplayWidth.pad(DisplayWidth.truncate($0, to: $1), to: $1) + " │ " }.joined()
                + (values.last ?? "").replacingOccurrences(of: "\n", with: " ")
        }
        buffer.put(line(columns), x: inner.x, y: inner.y, role: .accent, maxWidth: inner.width)
        for (row, record) in table.rows.prefix(inner.height - 1).enumerated() {
            buffer.put(line(columns.map { record.values[$0] ?? "" }), x: inner.x, y: inner.y + 1 + row, role: .text, maxWidth: inner.width)
        }
    }
}
