import Engine
import Foundation

/// The live generation: the knowledge stages and the code stage stream into their own panes
/// (retrieved passages above them in RAG mode), each with its model, spinner, tokens and dollars;
/// then the extracted program and its smoke test.
public enum GenerateScreen {
    /// Where each part of the screen goes at the state's size.
    struct Layout {
        var title, passages, knowledge, code, smokeTest, totals, status, help: Rect
    }

    static func layout(_ state: AppState, in area: Rect) -> Layout {
        let view = state.generation
        let passageCount = view?.passages.count ?? 0
        let parts = area.split(.vertical, [.fixed(1), .fixed(passageCount > 0 ? min(6, passageCount + 2) : 0), .fill,
                                           .fixed(1), .fixed(1), .fixed(1), .fixed(1)])
        let usesKnowledge = !(view?.knowledgeStages.isEmpty ?? true) || state.mode.usesKnowledge
        let columns = usesKnowledge ? parts[2].split(.horizontal, [.percent(45), .fill])
            : [Rect(x: parts[2].x, y: parts[2].y, width: 0, height: 0), parts[2]]
        return Layout(title: parts[0], passages: parts[1], knowledge: columns[0], code: columns[1], smokeTest: parts[3],
                      totals: parts[4], status: parts[5], help: parts[6])
    }

    public static func draw(_ state: AppState, into buffer: inout CellBuffer, in area: Rect) {
        guard let view = state.generation else { return }
        let parts = layout(state, in: area)
        drawTitle(state, view, into: &buffer, in: parts.title)
        if !view.passages.isEmpty { drawPassages(view, into: &buffer, in: parts.passages) }
        if parts.knowledge.width > 0 { drawKnowledge(state, view, into: &buffer, in: parts.knowledge) }
        drawCode(state, view, into: &buffer, in: parts.code)
        drawSmokeTest(view, into: &buffer, in: parts.smokeTest)
        drawTotals(state, view, into: &buffer, in: parts.totals)
        Chrome.drawStatus(state, into: &buffer, in: parts.status)
        Chrome.drawHelpBar(state, into: &buffer, in: parts.help)
    }

    static func drawTitle(_ state: AppState, _ view: GenerationView, into buffer: inout CellBuffer, in rect: Rect) {
        var batch = ""
        if view.inBatch {
            let done = view.batchSaved
            batch = " · batch: \(done) saved, \(view.remaining) to go"
        }
        let right = "\(state.dataset?.name ?? "?") · \(state.mode.rawValue)\(batch) "
        Chrome.drawTitle(" Alchemist · generate", right: right, into: &buffer, in: rect)
    }

    static func drawPassages(_ view: GenerationView, into buffer: inout CellBuffer, in rect: Rect) {
        buffer.box(rect, title: "Retrieved passages (\(view.passages.count))", style: Style(.border))
        let inner = rect.inset(1)
        for (rank, passage) in view.passages.prefix(inner.height).enumerated() {
            let head = String(format: "%d  %.3f  %@ #%d  ", rank + 1, passage.score, passage.chunk.source, passage.chunk.index)
            let x = buffer.put(head, x: inner.x, y: inner.y + rank, role: .accent, maxWidth: inner.width)
            buffer.put(passage.chunk.text.replacingOccurrences(of: "\n", with: " "), x: x, y: inner.y + rank, role: .text,
                       maxWidth: inner.maxX - x)
        }
    }

    /// "Heuristics · gpt-4o-mini ⠙" (✓ when done).
    static func stageTitle(_ pane: GenerationView.StagePane?, name: String, tick: Int) -> String {
        guard let pane else { return name }
        let activity = pane.isFinished ? "✓" : Spinner.frame(tick)
        return "\(name) · \(pane.model?.id ?? "?") \(activity)"
    }

    /// "$0.0002 · 812 in / 96 out tokens (est.)", and a note when the answer hit the output cap.
    static func stageStats(_ pane: GenerationView.StagePane) -> String {
        let estimated = pane.usage.estimated ? " (est.)" : ""
        let cut = pane.finishReason?.note.map { " · \($0)" } ?? ""
        return "\(Money.text(pane.cost)) · \(pane.usage.inputTokens) in / \(pane.usage.outputTokens) out tokens\(estimated)\(cut)"
    }

    static func drawKnowledge(_ state: AppState, _ view: GenerationView, into buffer: inout CellBuffer, in rect: Rect) {
        let stages = view.knowledgeStages
        let focused = !view.focusesCode
        let title = stages.count > 1
            ? "\(stages.count) knowledge calls · \(Money.text(stages.reduce(Decimal(0)) { $0 + $1.cost }))"
            : stageTitle(stages.last, name: "Heuristics", tick: state.tick)
        buffer.box(rect, title: title, style: focused ? Style(.borderFocused, bold: true) : Style(.border))
        let inner = rect.inset(1)
        var lines: [(text: String, style: Style)] = []
        if stages.isEmpty {
            let waiting = view.phase == .preparing ? (view.preparation.last ?? "preparing…") : "waiting for the knowledge stage…"
            lines.append((waiting, Style(.muted)))
        }
        for pane in stages {
            if stages.count > 1 {
                lines.append((stageTitle(pane, name: "\(pane.number). \(pane.stage.rawValue)", tick: state.tick), Style(.accent, bold: true)))
            }
            lines.append((stageStats(pane), Style(.cost)))
            if let retry = pane.retry { lines.append((retry, Style(.warning))) }
            lines += WrappedText.wrap(pane.text, width: inner.width).map { ($0, Style(.text)) }
        }
        view.knowledgeViewport.draw(lines, into: &buffer, in: inner)
    }

    static func drawCode(_ state: AppState, _ view: GenerationView, into buffer: inout CellBuffer, in rect: Rect) {
        let pane = view.codeStage
        let title = stageTitle(pane, name: "Program", tick: state.tick)
        buffer.box(rect, title: title, style: view.focusesCode ? Style(.borderFocused, bold: true) : Style(.border))
        let inner = rect.inset(1)
        var lines: [(text: String, style: Style)] = []
        switch view.phase {
        case .failed(let message, let advice):
            lines = WrappedText.wrap("✗ \(message)", width: inner.width).map { ($0, Style(.error, bold: true)) }
            lines += WrappedText.wrap("what to do: \(advice)", width: inner.width).map { ($0, Style(.warning)) }
            lines.append(("", Style(.text)))
            lines.append(("r tries again · esc goes back to setup", Style(.muted)))
        case .cancelled:
            lines = [("cancelled: nothing was saved; the spend so far is in the ledger", Style(.warning)),
                     ("r writes another program · esc goes back", Style(.muted))]
        default:
            if let pane { lines.append((stageStats(pane), Style(.cost))) }
            if let code = view.code, !view.isBusy {
                // The finished program: highlighted, from its first line, scrolled by the keys.
                if let stats = lines.first { buffer.put(stats.text, x: inner.x, y: inner.y, style: stats.style, maxWidth: inner.width) }
                var codeView = CodeView(source: code)
                codeView.scroll(by: view.codeScroll, height: inner.height - 1, width: inner.width)
                codeView.draw(into: &buffer, in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1))
                return
            } else if let pane {
                if let retry = pane.retry { lines.append((retry, Style(.warning))) }
                lines += WrappedText.wrap(pane.text, width: inner.width).map { ($0, Style(.text)) }
            } else {
                lines = [(view.phase == .preparing ? (view.preparation.last ?? "preparing…") : "waiting for the code stage…", Style(.muted))]
            }
            if let reason = view.extractionError, view.code == nil, !view.isBusy {
                lines.append(("✗ no program: \(reason)", Style(.error, bold: true)))
            }
        }
        view.codeViewport.draw(lines, into: &buffer, in: inner)
    }

    static func drawSmokeTest(_ view: GenerationView, into buffer: inout CellBuffer, in rect: Rect) {
        let x = buffer.put(" Smoke test: ", x: rect.x, y: rect.y, role: .text, bold: true)
        guard let smoke = view.smokeTest else {
            buffer.put(view.code == nil ? "—" : "running on the valid split…", x: x, y: rect.y, role: .muted, maxWidth: rect.maxX - x)
            return
        }
        let role: StyleRole = !smoke.loads ? .error : smoke.errors + smoke.timeouts > 0 ? .warning : .success
        buffer.put(smoke.summary, x: x, y: rect.y, role: role, maxWidth: rect.maxX - x - 1)
    }

    static func drawTotals(_ state: AppState, _ view: GenerationView, into buffer: inout CellBuffer, in rect: Rect) {
        var x = buffer.put(" Program: ", x: rect.x, y: rect.y, role: .text, bold: true)
        let estimated = view.isEstimated ? " (est.)" : ""
        x = buffer.put("\(view.inputTokens) in / \(view.outputTokens) out\(estimated) ", x: x, y: rect.y, role: .text)
        x = buffer.put(Money.text(view.programCost), x: x, y: rect.y, role: .cost, bold: true)
        x = buffer.put("  Session: ", x: x, y: rect.y, role: .text, bold: true)
        let live = view.isBusy ? view.programCost : 0
        x = buffer.put(Money.text(state.sessionSpend + live), x: x, y: rect.y, role: .cost)
        x = buffer.put(", \(state.sessionSaved) saved", x: x, y: rect.y, role: .text)
        if let url = view.savedURL {
            buffer.put("  ✓ \(url.lastPathComponent)", x: x, y: rect.y, role: .success, maxWidth: rect.maxX - x)
        }
    }
}
