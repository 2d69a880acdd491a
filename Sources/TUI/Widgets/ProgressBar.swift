/// One line of progress: a label, a bar, and "done/total" or a percentage. Without a total the
/// bar is indeterminate: a short block that sweeps back and forth with the tick.
struct ProgressBar {
    enum Count { case fraction, percent }

    var label: String
    var done: Int
    /// nil or 0: indeterminate.
    var total: Int?
    var count = Count.fraction
    var showsCount = true
    /// Columns kept for the count; bars stacked with the same value line up.
    var countColumns: Int?
    var labelWidth = 18
    var style = Style(.accent)
    var labelStyle = Style(.text)

    var isIndeterminate: Bool { (total ?? 0) <= 0 }
    var fraction: Double { total.map { $0 > 0 ? min(1, max(0, Double(done) / Double($0))) : 0 } ?? 0 }

    /// "123/400" or "31%"; empty when indeterminate.
    var countText: String {
        guard showsCount, let total, total > 0 else { return "" }
        switch count {
        case .fraction: return "\(done)/\(total)"
        case .percent: return "\(Int((fraction * 100).rounded(.down)))%"
        }
    }

    /// The bar in `width` cells: filled "█" then empty "░".
    func bar(width: Int, tick: Int) -> String {
        guard width > 0 else { return "" }
        if isIndeterminate {
            let block = min(3, width)
            let span = max(1, width - block)
            let phase = tick % (2 * span)
            let start = phase < span ? phase : 2 * span - phase
            return String(repeating: "░", count: start) + String(repeating: "█", count: block)
                + String(repeating: "░", count: width - block - start)
        }
        let filled = Int((fraction * Double(width)).rounded(.down))
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }

    func draw(into buffer: inout CellBuffer, in rect: Rect, tick: Int = 0) {
        guard rect.width > 0, rect.height > 0 else { return }
        let labelColumns = min(labelWidth, rect.width / 2)
        buffer.put(DisplayWidth.pad(label, to: labelColumns), x: rect.x, y: rect.y, style: labelStyle)
        // The count column fits the largest count this bar can show, so the bar does not jump.
        let countWidth = countColumns
            ?? (countText.isEmpty ? 0 : max(DisplayWidth.of(countText), total.map { count == .fraction ? 2 * String($0).count + 1 : 4 } ?? 0))
        let barWidth = rect.width - labelColumns - 1 - (countWidth > 0 ? countWidth + 1 : 0)
        guard barWidth > 0 else { return }
        buffer.put(bar(width: barWidth, tick: tick), x: rect.x + labelColumns + 1, y: rect.y, style: style)
        if countWidth > 0 {
            let text = countText
            buffer.put(text, x: rect.maxX - DisplayWidth.of(text), y: rect.y, style: labelStyle)
        }
    }
}
