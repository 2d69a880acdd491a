import Engine
import Foundation

/// Prints generation events as they come: stage headers, the answer token by token, retries,
/// usage and cost, the extracted program and the smoke test. Answers go to stdout; nothing is buffered.
final class StreamPrinter: @unchecked Sendable {
    private let showPrompts: Bool
    private let lock = NSLock()
    private var atLineStart = true

    init(showPrompts: Bool) { self.showPrompts = showPrompts }

    func line(_ text: String) {
        lock.withLock {
            write((atLineStart ? "" : "\n") + text + "\n")
            atLineStart = true
        }
    }

    func show(_ event: GenerationEvent) {
        switch event {
        case .retrieved(let passages):
            line("── retrieved \(passages.count) passage\(passages.count == 1 ? "" : "s") ──")
            for (rank, passage) in passages.enumerated() {
                let preview = passage.chunk.text.replacingOccurrences(of: "\n", with: " ").prefix(100)
                line(String(format: "[%d] %.3f  %@ #%d  %@", rank + 1, passage.score, passage.chunk.source, passage.chunk.index, String(preview)))
            }
        case .stageStarted(let stage, let model, let prompt, let number, let of):
            let estimate = TokenEstimate.tokens(prompt.rendered)
            line("── stage \(number)/\(of): \(stage.rawValue) · \(model.id) (\(model.provider.rawValue)) · prompt ≈\(estimate) tokens ──")
            if showPrompts { line(prompt.rendered + "\n── answer ──") }
        case .text(_, let piece):
            lock.withLock {
                write(piece)
                atLineStart = piece.hasSuffix("\n")
            }
        case .retrying(_, let attempt, let delay, let error):
            line(String(format: "↻ %@; retry %d in %.1f s", "\(error)", attempt, delay))
        case .usage:
            break  // the TUI ticks these; the terminal shows the totals at the end of each stage
        case .stageFinished(let stage, let usage, let cost, let reason):
            let note = reason?.note.map { " · \($0)" } ?? ""
            line("── \(stage.rawValue): \(usage.inputTokens) in / \(usage.outputTokens) out tokens\(usage.estimated ? " (est.)" : "") · \(Money.format(cost, .ledger))\(note) ──")
        case .programExtracted(let code):
            line("── program extracted (\(code.split(separator: "\n").count) lines) ──")
        case .extractionFailed(let reason):
            line("── no program: \(reason) ──")
        case .smokeTest(let result):
            line("── smoke test: \(result.summary) ──")
        case .saved(let url):
            line("saved: \(url.path)")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
