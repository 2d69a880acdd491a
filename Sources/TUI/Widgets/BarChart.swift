/// Horizontal bars, one per row: label, bar, value text. The bar's length carries the value on
/// its own (full blocks plus an eighth-block end), so it reads on a monochrome terminal too.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double
        /// Shown after the bar, e.g. "0.873".
        var valueText: String
        var style = Style(.accent)
    }

    var bars: [Bar]
    /// The value of a full-width bar.
    var maximum: Double = 1
    var labelStyle = Style(.text)

    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The bar of `value` in `width` cells: as many eighths of the width as the value's share of `maximum`.
    func bar(for value: Double, width: Int) -> String {
        guard width > 0, maximum > 0, value.isFinite else { return "" }
        let share = min(1, max(0, value / maximum))
        let eighthCount = Int((share * Double(width * 8)).rounded())
        return String(repeating: "█", count: eighthCount / 8) + Self.eighths[eighthCount % 8]
    }

    func draw(into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.width > 0 else { return }
        let labelWidth = min(bars.map { DisplayWidth.of($0.label) }.max() ?? 0, max(3, rect.width / 4))
        let valueWidth = bars.map { DisplayWidth.of($0.valueText) }.max() ?? 0
        let barWidth = rect.width - labelWidth - valueWidth - 2
        for (line, bar) in bars.prefix(rect.height).enumerated() {
            let y = rect.y + line
            buffer.put(DisplayWidth.pad(bar.label, to: labelWidth), x: rect.x, y: y, style: labelStyle, maxWidth: rect.width)
            guard barWidth > 0 else { continue }
            let drawn = self.bar(for: bar.value, width: barWidth)
            buffer.put(drawn, x: rect.x + labelWidth + 1, y: y, style: bar.style, maxWidth: barWidth)
            let valueX = rect.x + labelWidth + 1 + barWidth + 1
            buffer.put(DisplayWidth.pad(bar.valueText, to: valueWidth), x: valueX, y: y, style: labelStyle, maxWidth: rect.maxX - valueX)
        }
    }
}
