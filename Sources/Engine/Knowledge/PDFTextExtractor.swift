import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Text of a PDF through poppler's `pdftotext -layout -enc UTF-8 FILE -` (a child process):
/// no PDF parser of our own. Pages (form feeds) become blank lines; trailing spaces go.
struct PDFTextExtractor: Sendable {
    /// The program to run; nil when it was not found.
    let executable: String?

    static let missingReason = "pdftotext not found: install poppler-utils (scripts/setup does)"
    /// More output than this is refused rather than held in memory (a 1,000-page book is ~5 MB).
    static let outputLimit = 256 << 20

    /// `configured` is a path to use; nil looks for `pdftotext` on PATH, then in /usr/bin.
    init(configured: String?) {
        if let configured {
            executable = FileManager.default.isExecutableFile(atPath: configured) ? configured : nil
            return
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        executable = folders.map { URL(fileURLWithPath: $0).appendingPathComponent("pdftotext").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func text(of file: URL) async throws -> String {
        guard let executable else { throw SourceFailure(Self.missingReason) }
        guard FileManager.default.fileExists(atPath: file.path) else { throw SourceFailure("file not found") }
        let status: TerminationStatus, output: Data, errors: String
        do {
            let result = try await Subprocess.run(
                .path(FilePath(executable)),
                arguments: ["-layout", "-enc", "UTF-8", file.path, "-"],
                output: .data(limit: Self.outputLimit),
                error: .string(limit: 64 << 10))
            (status, output, errors) = (result.terminationStatus, result.standardOutput, result.standardError)
        } catch {
            throw SourceFailure("pdftotext could not run (\(error))")
        }
        guard status.isSuccess else {
            let detail = Self.oneLine(errors)
            let how: String
            switch status {
            case .exited(let code): how = "exit status \(code)"
            case .signaled(let signal): how = "killed by signal \(signal)"
            }
            throw SourceFailure("pdftotext failed (\(how))" + (detail.isEmpty ? "" : ": \(detail)"))
        }
        // pdftotext writes UTF-8 as asked; a stray bad byte is replaced rather than losing the document.
        let raw = String(decoding: output, as: UTF8.self)
        return Self.tidy(TextDecoding.normalizeLineBreaks(raw))
    }

    /// pdftotext's messages on one line (a failure is shown as one): distinct lines joined by "; ".
    static func oneLine(_ errors: String) -> String {
        var seen: Set<String> = []
        let lines = errors.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
        let joined = lines.joined(separator: "; ")
        return joined.count > 500 ? String(joined.prefix(500)) + "…" : joined
    }

    /// Page ends become blank lines; trailing spaces of lines and of the text go.
    static func tidy(_ text: String) -> String {
        // pdftotext ends each page with "\n" then a form feed: one blank line between pages.
        let pages = text.replacingOccurrences(of: "\n\u{0C}", with: "\n\n").replacingOccurrences(of: "\u{0C}", with: "\n\n")
        let lines = pages.split(separator: "\n", omittingEmptySubsequences: false)
        var out = lines.map { line -> Substring in
            var line = line
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            return line
        }.joined(separator: "\n")
        while let last = out.last, last.isWhitespace { out.removeLast() }
        return out
    }
}
