import Foundation

/// Turning bytes from files and servers into the loaders' text: UTF-8 checked to the byte,
/// a leading byte-order mark dropped, every line break made "\n" (a CRLF pair is a single
/// Swift `Character`, which the splitter's "\n" separator would not match).
enum TextDecoding {
    static func utf8(_ data: Data) throws -> String {
        guard let text = data.withUnsafeBytes({ String(validating: $0.bindMemory(to: UInt8.self), as: UTF8.self) }) else {
            let (offset, line) = firstInvalidUTF8(data)
            throw SourceFailure("not valid UTF-8 at byte \(offset) (line \(line))")
        }
        return normalizeLineBreaks(text)
    }

    /// Byte offset (from 0) and line (from 1) of the first byte sequence that is not UTF-8.
    static func firstInvalidUTF8(_ data: Data) -> (offset: Int, line: Int) {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0, line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                if scalar == "\n" { line += 1 }
            case .emptyInput, .error:
                return (offset, line)
            }
        }
    }

    /// CRLF and lone CR become LF; a leading U+FEFF is dropped.
    static func normalizeLineBreaks(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var input = text.unicodeScalars[...]
        if input.first == "\u{FEFF}" { input = input.dropFirst() }
        var afterCR = false
        for scalar in input {
            if scalar == "\n" && afterCR { afterCR = false; continue }
            afterCR = scalar == "\r"
            scalars.append(afterCR ? "\n" : scalar)
        }
        return String(scalars)
    }

    /// The bytes of a local file, or a failure that says why not.
    static func readFile(_ file: URL) throws -> Data {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) else { throw SourceFailure("file not found") }
        if isFolder.boolValue { throw SourceFailure("is a folder, not a file") }
        do { return try Data(contentsOf: file) } catch {
            throw SourceFailure("cannot read the file (\(JSONReader.describe(error)))")
        }
    }
}

/// Plain text and Markdown files; a Markdown file's first "# " heading is its title.
enum PlainTextReader {
    static func read(_ file: URL, source: String) throws -> KnowledgeDocument {
        let text = try TextDecoding.utf8(TextDecoding.readFile(file))
        let ext = file.pathExtension.lowercased()
        let title = ext == "md" || ext == "markdown" ? markdownTitle(text) : nil
        return KnowledgeDocument(source: source, title: title, text: text)
    }

    /// The first level-1 ATX heading outside fenced code blocks (where "# " is a comment).
    static func markdownTitle(_ text: String) -> String? {
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("```") || line.hasPrefix("~~~") { inFence.toggle() }
            guard !inFence, line.hasPrefix("# ") else { continue }
            let title = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            return title.isEmpty ? nil : title
        }
        return nil
    }
}
