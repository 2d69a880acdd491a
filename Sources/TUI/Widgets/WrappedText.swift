/// Word wrapping by display width, for prose (prompts, messages) shown in a fixed number of columns.
public enum WrappedText {
    /// `text` (one paragraph, no newlines) broken at spaces into lines of at most `width` columns;
    /// a word longer than a line is cut. An empty paragraph is one empty line. Tabs become spaces.
    public static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        let paragraph = text.replacingOccurrences(of: "\t", with: "    ")
        var lines: [String] = []
        var line = ""
        var lineWidth = 0
        // Keep the paragraph's own leading indentation on its first line.
        let indent = String(paragraph.prefix { $0 == " " })
        var words = paragraph.dropFirst(indent.count).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if !indent.isEmpty, !words.isEmpty { words[0] = indent + words[0] }
        for word in words {
            var rest = word
            while !rest.isEmpty {
                let restWidth = DisplayWidth.of(rest)
                let gap = line.isEmpty ? 0 : 1
                if lineWidth + gap + restWidth <= width {
                    line += (gap == 1 ? " " : "") + rest
                    lineWidth += gap + restWidth
                    rest = ""
                } else if line.isEmpty {
                    // A word wider than the line: cut it at the width.
                    var piece = ""
                    var pieceWidth = 0
                    for character in rest {
                        let columns = DisplayWidth.of(character)
                        if pieceWidth + columns > width { break }
                        piece.append(character)
                        pieceWidth += columns
                    }
                    if piece.isEmpty { return lines }  // a glyph wider than the whole line
                    lines.append(piece)
                    rest = String(rest.dropFirst(piece.count))
                } else {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Every paragraph of `text` (split at newlines) wrapped to `width`.
    public static func wrap(_ text: String, width: Int) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { lines(String($0), width: width) }
    }
}
