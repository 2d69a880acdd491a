/// A web page reduced to readable text: what is inside script, style, noscript, template and
/// head is dropped (the <title> is kept as the title), block elements become line breaks
/// (paragraph-like ones a blank line), other tags go, character references are decoded and
/// white space is collapsed. A small scanner of our own, not a conforming HTML parser: it only
/// needs to find text, and unclosed or odd markup just ends up as less text.
enum HTMLText {
    static let droppedElements: Set<String> = ["script", "style", "noscript", "template"]
    static let paragraphElements: Set<String> = [
        "p", "div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "main",
        "nav", "aside", "blockquote", "pre", "table", "ul", "ol", "dl", "figure", "form", "hr", "address",
        "fieldset", "details",
    ]
    static let lineElements: Set<String> = ["br", "li", "tr", "dt", "dd", "figcaption", "caption", "option", "summary"]
    static let cellElements: Set<String> = ["td", "th"]

    static func extract(_ html: String) -> (title: String?, text: String) {
        let s = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var title: String?
        var inHead = false
        var i = 0
        while i < s.count {
            if s[i] == "<" {
                if hasPrefix(s, at: i, "<!--") {
                    i = find(s, "-->", from: i + 4).map { $0 + 3 } ?? s.count
                    continue
                }
                if i + 1 < s.count, s[i + 1] == "!" || s[i + 1] == "?" {  // doctype, CDATA, processing instruction
                    i = (find(s, ">", from: i + 2) ?? s.count - 1) + 1
                    continue
                }
                if let tag = tag(s, at: i) {
                    i = tag.end
                    if !tag.closing && (droppedElements.contains(tag.name) || tag.name == "title") {
                        let close = closingTag(s, tag.name, from: i)
                        if tag.name == "title" && title == nil {
                            let text = decodeReferences(Array(s[i..<(close?.start ?? s.count)]))
                                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                            title = text.isEmpty ? nil : text
                        }
                        i = close?.end ?? s.count
                        continue
                    }
                    if tag.name == "head" { inHead = !tag.closing }
                    if tag.name == "body" { inHead = false }
                    if inHead { continue }
                    if paragraphElements.contains(tag.name) {
                        breakLines(&out, 2)
                    } else if lineElements.contains(tag.name) {
                        breakLines(&out, 1)
                    } else if cellElements.contains(tag.name) {
                        out.append(" ")
                    }
                    continue
                }
                // A "<" that starts no tag ("a < b") is text.
            }
            if inHead {
                i += 1
                continue
            }
            if s[i] == "&", let (scalar, next) = HTMLEntities.decode(s, at: i) {
                out.append(scalar)
                i = next
                continue
            }
            // Line breaks in the source are only white space; structure comes from the tags.
            out.append(s[i].properties.isWhitespace ? " " : s[i])
            i += 1
        }
        return (title, collapse(String(out)))
    }

    /// Ends the text so far with at least `count` line breaks (spaces after them aside): an
    /// element's opening and closing tags, or nested blocks, make one break, not several.
    static func breakLines(_ out: inout String.UnicodeScalarView, _ count: Int) {
        var have = 0
        for scalar in out.reversed() {
            if scalar == "\n" { have += 1 } else if scalar != " " { break }
        }
        for _ in have..<max(have, count) { out.append("\n") }
    }

    /// Runs of white space become one space, lines are trimmed, runs of blank lines become one.
    static func collapse(_ text: String) -> String {
        var lines: [String] = []
        var blankBefore = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = line.split(whereSeparator: { $0.isWhitespace })
            if words.isEmpty {
                blankBefore = !lines.isEmpty
                continue
            }
            if blankBefore { lines.append("") }
            blankBefore = false
            lines.append(words.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    static func decodeReferences(_ s: [Unicode.Scalar]) -> String {
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == "&", let (scalar, next) = HTMLEntities.decode(s, at: i) {
                out.append(scalar)
                i = next
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }

    /// The tag starting at `s[index]` ("<" then a letter, or "</" then a letter): its lower-cased
    /// name, whether it closes, and the index after its ">" (quoted attribute values may hold ">").
    static func tag(_ s: [Unicode.Scalar], at index: Int) -> (name: String, closing: Bool, end: Int)? {
        var i = index + 1
        let closing = i < s.count && s[i] == "/"
        if closing { i += 1 }
        guard i < s.count, ("a"..."z").contains(s[i]) || ("A"..."Z").contains(s[i]) else { return nil }
        var name = String.UnicodeScalarView()
        while i < s.count, HTMLEntities.isASCIILetterOrDigit(s[i]) || s[i] == "-" || s[i] == ":" {
            name.append(s[i])
            i += 1
        }
        var quote: Unicode.Scalar?
        while i < s.count {
            if let open = quote {
                if s[i] == open { quote = nil }
            } else if s[i] == "\"" || s[i] == "'" {
                quote = s[i]
            } else if s[i] == ">" {
                return (String(name).lowercased(), closing, i + 1)
            }
            i += 1
        }
        return (String(name).lowercased(), closing, s.count)
    }

    /// Where `</name` (any case) starts from `index`, and the index after its ">".
    static func closingTag(_ s: [Unicode.Scalar], _ name: String, from index: Int) -> (start: Int, end: Int)? {
        var i = index
        while let open = find(s, "</", from: i) {
            if let found = tag(s, at: open), found.closing, found.name == name { return (open, found.end) }
            i = open + 2
        }
        return nil
    }

    static func hasPrefix(_ s: [Unicode.Scalar], at index: Int, _ prefix: String) -> Bool {
        hasPrefix(s, at: index, Array(prefix.unicodeScalars))
    }

    static func hasPrefix(_ s: [Unicode.Scalar], at index: Int, _ prefix: [Unicode.Scalar]) -> Bool {
        guard index + prefix.count <= s.count else { return false }
        for k in 0..<prefix.count where s[index + k] != prefix[k] { return false }
        return true
    }

    static func find(_ s: [Unicode.Scalar], _ needle: String, from index: Int) -> Int? {
        let needle = Array(needle.unicodeScalars)
        var i = index
        while i < s.count {
            if s[i] == needle[0] && hasPrefix(s, at: i, needle) { return i }
            i += 1
        }
        return nil
    }
}
