/// Breaks text into lines of at most a given display width: at spaces when a word fits, inside
/// words when it does not. Newlines in the text always break.
public enum TextWrap {
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var result: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            result += wrap(String(paragraph).replacingOccurrences(of: "\t", with: "    "), width: width)
        }
        return result
    }

    private static func wrap(_ line: String, width: Int) -> [String] {
        if DisplayWidth.of(line) <= width { return [line] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        var lastSpace: String.Index?
        for grapheme in line {
            let columns = DisplayWidth.of(grapheme)
            if currentWidth + columns > width {
                if let space = lastSpace, space > current.startIndex {
                    // Break after the last space; the rest of the word starts the next line.
                    let rest = String(current[current.index(after: space)...])
                    lines.append(String(current[..<space]))
                    current = rest
                } else {
                    lines.append(current)
                    current = ""
                }
                currentWidth = DisplayWidth.of(current)
                lastSpace = nil
            }
            current.append(grapheme)
            currentWidth += columns
            if grapheme == " " { lastSpace = current.index(before: current.endIndex) }
        }
        lines.append(current)
        return lines
    }
}
