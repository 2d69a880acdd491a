import Foundation

/// The on-disk form of a labeling program. The header stays readable by the original tool's scripts:
///
///     """
///     <the final prompt>
///     """
///     # tokens: input=1200 output=350 total=1550
///     # cost: $[0.0012]
///     # alchemist: {"dataset": "youtube", ...}
///     <code>
///
/// The original pricing scripts find the cost with the pattern `\$\[(.*?)\]`.
public enum ProgramFile {
    public static func render(prompt: String, inputTokens: Int, outputTokens: Int, cost: Decimal,
                              metadata: ProgramMetadata, code: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(metadata), as: UTF8.self)
        var text = "\"\"\"\n\(escapeDocstring(prompt))\n\"\"\"\n"
        text += "# tokens: input=\(inputTokens) output=\(outputTokens) total=\(inputTokens + outputTokens)\n"
        text += "# cost: $[\(cost)]\n"
        text += "# alchemist: \(json)\n"
        text += code.hasSuffix("\n") ? code : code + "\n"
        return text
    }

    /// Reads a program file; a plain Python file without the header is accepted too.
    public static func parse(_ text: String, name: String, path: URL? = nil) -> LabelingProgram {
        var program = LabelingProgram(name: name, path: path, code: text, source: text)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        if lines.first == "\"\"\"", let close = lines.dropFirst().firstIndex(of: "\"\"\"") {
            program.prompt = unescapeDocstring(lines[1..<close].joined(separator: "\n"))
            index = close + 1
        }
        while index < lines.count {
            let line = lines[index]
            if let rest = value(line, "# tokens:") {
                let fields = Dictionary(rest.split(separator: " ").compactMap { pair -> (String, Int)? in
                    let parts = pair.split(separator: "=")
                    guard parts.count == 2, let number = Int(parts[1]) else { return nil }
                    return (String(parts[0]), number)
                }, uniquingKeysWith: { first, _ in first })
                program.inputTokens = fields["input"]
                program.outputTokens = fields["output"]
            } else if let rest = value(line, "# cost:") {
                if let open = rest.range(of: "$["), let close = rest.range(of: "]", range: open.upperBound..<rest.endIndex) {
                    program.cost = Decimal(string: String(rest[open.upperBound..<close.lowerBound]), locale: Locale(identifier: "en_US_POSIX"))
                }
            } else if let rest = value(line, "# alchemist:") {
                program.metadata = try? JSONDecoder().decode(ProgramMetadata.self, from: Data(rest.utf8))
            } else {
                break
            }
            index += 1
        }
        lines.removeFirst(min(index, lines.count))
        program.code = lines.joined(separator: "\n")
        return program
    }

    private static func value(_ line: String, _ prefix: String) -> String? {
        line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) : nil
    }

    /// Python reads `\\` as one backslash and `\"` as a quote, so the docstring's value is the prompt itself.
    static func escapeDocstring(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "\\\"\\\"\\\"")
    }

    static func unescapeDocstring(_ text: String) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            if character == "\\", let next = iterator.next() {
                result.append(next == "\\" || next == "\"" ? String(next) : "\\\(next)")
            } else {
                result.append(character)
            }
        }
        return result
    }
}
