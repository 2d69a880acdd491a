/// A small Python tokenizer for colouring code by role: keywords, strings (single, double and
/// triple quoted, with prefixes such as r, b, f, rb), comments and numbers. Everything else is
/// `.text`. It only needs to be right enough to colour; it never rejects code.
public enum PythonHighlighter {
    /// A run of characters of one line with one role.
    public struct Span: Sendable, Equatable {
        public var text: String
        public var role: StyleRole

        public init(_ text: String, _ role: StyleRole) {
            self.text = text
            self.role = role
        }
    }

    static let keywords: Set<String> = [
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "match",
        "case", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    ]

    static let stringPrefixes: Set<String> = ["r", "u", "b", "f", "br", "rb", "fr", "rf"]

    /// The spans of every line of `source` (lines split at "\n"; tabs become four spaces). A
    /// triple-quoted string keeps its role across lines.
    public static func highlight(_ source: String) -> [[Span]] {
        var lines: [[Span]] = []
        // The closing quotes of a triple-quoted string still open at the end of a line.
        var openTriple: String?
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = Array(rawLine.replacingOccurrences(of: "\t", with: "    ").replacingOccurrences(of: "\r", with: ""))
            var spans: [Span] = []
            func add(_ characters: ArraySlice<Character>, _ role: StyleRole) {
                guard !characters.isEmpty else { return }
                if let last = spans.last, last.role == role {
                    spans[spans.count - 1].text += String(characters)
                } else {
                    spans.append(Span(String(characters), role))
                }
            }
            var index = 0
            if let closing = openTriple {
                let end = stringEnd(line, from: 0, quote: closing)
                add(line[0..<(end ?? line.count)], .codeString)
                if let end { index = end; openTriple = nil } else { index = line.count }
            }
            while index < line.count {
                let character = line[index]
                if character == "#" {
                    add(line[index...], .codeComment)
                    break
                }
                if let quoteStart = stringStart(line, at: index) {
                    let quote = quoteOf(line, at: quoteStart)
                    let bodyStart = quoteStart + quote.count
                    if let end = stringEnd(line, from: bodyStart, quote: quote) {
                        add(line[index..<end], .codeString)
                        index = end
                    } else {
                        add(line[index...], .codeString)
                        // A one-quote string ends with its line (a syntax error, but keep colouring sane).
                        if quote.count == 3 { openTriple = quote }
                        index = line.count
                    }
                    continue
                }
                if character.isNumber && character.isASCII || (character == "." && index + 1 < line.count && line[index + 1].isASCII && line[index + 1].isNumber) {
                    let end = numberEnd(line, from: index)
                    add(line[index..<end], .codeNumber)
                    index = end
                    continue
                }
                if isIdentifierStart(character) {
                    var end = index + 1
                    while end < line.count, isIdentifierPart(line[end]) { end += 1 }
                    let word = String(line[index..<end])
                    add(line[index..<end], keywords.contains(word) ? .codeKeyword : .text)
                    index = end
                    continue
                }
                add(line[index...index], .text)
                index += 1
            }
            lines.append(spans)
        }
        return lines
    }

    /// Where a string literal starts at `index` (its prefix, if any, included): the index of its
    /// first quote, or nil when no string starts here.
    static func stringStart(_ line: [Character], at index: Int) -> Int? {
        if line[index] == "\"" || line[index] == "'" { return index }
        // A prefix is only a prefix at the start of a word (not the end of "bar").
        guard index == 0 || !isIdentifierPart(line[index - 1]) else { return nil }
        var end = index
        while end < line.count, end - index < 2, line[end].isLetter { end += 1 }
        for length in stride(from: end - index, through: 1, by: -1) {
            let quote = index + length
            guard quote < line.count, line[quote] == "\"" || line[quote] == "'" else { continue }
            if stringPrefixes.contains(String(line[index..<quote]).lowercased()) { return quote }
        }
        return nil
    }

    /// `"""`, `'''`, `"` or `'`.
    static func quoteOf(_ line: [Character], at index: Int) -> String {
        let quote = line[index]
        if index + 2 < line.count, line[index + 1] == quote, line[index + 2] == quote { return String(repeating: quote, count: 3) }
        return String(quote)
    }

    /// The index just past the closing `quote` at or after `from`, skipping backslash escapes; nil
    /// when the line ends first.
    static func stringEnd(_ line: [Character], from: Int, quote: String) -> Int? {
        let quoteCharacters = Array(quote)
        var index = from
        while index < line.count {
            if line[index] == "\\" { index += 2; continue }
            if index + quoteCharacters.count <= line.count, Array(line[index..<index + quoteCharacters.count]) == quoteCharacters {
                return index + quoteCharacters.count
            }
            index += 1
        }
        return nil
    }

    /// The end of a number literal: digits, letters (hex, exponents, suffixes like j), underscores,
    /// dots, and a sign right after an exponent's e.
    static func numberEnd(_ line: [Character], from: Int) -> Int {
        let isHex = from + 1 < line.count && line[from] == "0" && "xX".contains(line[from + 1])
        var index = from
        while index < line.count {
            let character = line[index]
            if character.isASCII && (character.isLetter || character.isNumber) || character == "_" || character == "." {
                index += 1
            } else if (character == "+" || character == "-"), !isHex, index > from, "eE".contains(line[index - 1]) {
                index += 1
            } else {
                break
            }
        }
        return index
    }

    static func isIdentifierStart(_ character: Character) -> Bool { character == "_" || character.isLetter }
    static func isIdentifierPart(_ character: Character) -> Bool { character == "_" || character.isLetter || character.isNumber }
}
