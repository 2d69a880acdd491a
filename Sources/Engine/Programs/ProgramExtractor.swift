import Foundation

public struct ExtractionError: Error, CustomStringConvertible, Equatable, Sendable {
    public let reason: String
    public var description: String { reason }
    public init(reason: String) { self.reason = reason }
}

/// Takes the labeling program out of an LLM's answer.
public enum ProgramExtractor {
    /// The ```python block that defines `label_function` (the first such, if several), else a bare
    /// `def label_function` with the imports and helpers just above it.
    public static func extract(from answer: String) throws -> String {
        let blocks = fencedBlocks(answer)
        if let block = blocks.first(where: definesLabelFunction) { return block }
        if let bare = bareDefinition(answer) { return bare }
        if blocks.isEmpty {
            throw ExtractionError(reason: "the answer has no ```python block and no `def label_function`")
        }
        throw ExtractionError(reason: "none of the answer's \(blocks.count) code block(s) defines label_function")
    }

    /// The program a user saved from the editor: the whole file, as it is. (An LLM's answer is
    /// extracted; an edited program is not: the extraction's look for prose around a bare
    /// definition would cut off constants above it, such as a multi-line set of words.)
    /// - Throws: when the file no longer defines `label_function`.
    public static func editedProgram(_ text: String) throws -> String {
        guard definesLabelFunction(text) else { throw ExtractionError(reason: "the edited file has no label_function") }
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    static func definesLabelFunction(_ code: String) -> Bool {
        code.range(of: #"(?m)^\s*def\s+label_function\s*\("#, options: .regularExpression) != nil
    }

    /// Code blocks fenced with ``` and tagged python/py/python3 or untagged; blocks in other languages
    /// are skipped. An unclosed last block runs to the end of the answer.
    static func fencedBlocks(_ text: String) -> [String] {
        enum State { case outside, code([Substring]), other }
        var blocks: [String] = []
        var state = State.outside
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") else {
                if case .code(var lines) = state {
                    lines.append(line)
                    state = .code(lines)
                }
                continue
            }
            switch state {
            case .code(let lines):
                blocks.append(lines.joined(separator: "\n"))
                state = .outside
            case .other:
                state = .outside
            case .outside:
                let tag = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
                state = ["", "python", "py", "python3"].contains(tag) ? .code([]) : .other
            }
        }
        if case .code(let lines) = state { blocks.append(lines.joined(separator: "\n")) }
        return blocks.map { $0.trimmingCharacters(in: .newlines) + "\n" }
    }

    /// A definition outside any fence: from the imports above it to the last indented or code-like line.
    static func bareDefinition(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let defLine = lines.firstIndex(where: { $0.range(of: #"^def\s+label_function\s*\("#, options: .regularExpression) != nil }) else {
            return nil
        }
        var start = defLine
        while start > 0, isCodeLine(lines[start - 1]) { start -= 1 }
        var end = defLine + 1
        while end < lines.count, lines[end].isEmpty || lines[end].first == " " || lines[end].first == "\t" || isCodeLine(lines[end]) {
            end += 1
        }
        let code = lines[start..<end].joined(separator: "\n").trimmingCharacters(in: .newlines)
        return code + "\n"
    }

    /// Top-level Python that typically surrounds a labeling function, as opposed to prose.
    static func isCodeLine(_ line: String) -> Bool {
        if line.trimmingCharacters(in: .whitespaces).isEmpty { return true }
        let patterns = [#"^(import|from)\s+\w"#, #"^#"#, #"^(def|class)\s+\w+"#, #"^@\w"#, #"^[A-Za-z_][A-Za-z0-9_]*\s*(=|:)[^=]"#, #"^[ \t]+\S"#]
        return patterns.contains { line.range(of: $0, options: .regularExpression) != nil }
    }
}

extension ExtractionError: InputError {}
