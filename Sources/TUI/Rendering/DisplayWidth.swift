/// The one width function of the TUI: layout, truncation and the cell buffer all use it.
public enum DisplayWidth {
    /// Columns a string takes on a terminal: East Asian wide and emoji graphemes 2, combining marks
    /// and other zero-width characters 0, everything else 1.
    public static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    /// Columns one grapheme takes.
    public static func of(_ grapheme: Character) -> Int {
        let scalars = grapheme.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.value == 0xFE0F }) || scalars.contains(where: { $0.properties.isEmojiPresentation }) {
            return 2
        }
        return width(of: first)
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x200B...0x200F).contains(value) || value == 0x2060 { return 0 }
        return isWide(value) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth blocks (the main ranges of UAX #11).
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `text` cut to at most `width` columns, ending in "…" when something was cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard of(text) > width else { return text }
        var result = ""
        var used = 0
        for grapheme in text {
            let columns = of(grapheme)
            if used + columns > width - 1 { break }
            result.append(grapheme)
            used += columns
        }
        return result + "…"
    }

    /// `text` truncated to `width` columns, then padded with spaces to exactly `width`.
    public static func pad(_ text: String, to width: Int) -> String {
        let cut = truncate(text, to: width)
        return cut + String(repeating: " ", count: max(0, width - of(cut)))
    }
}
