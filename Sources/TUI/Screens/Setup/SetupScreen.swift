import Engine
import Foundation

/// The first screen: choose dataset, mode, models and prior type; see what one generation may cost.
public enum SetupScreen {
    public static let minimumWidth = Chrome.minimumWidth
    public static let minimumHeight = Chrome.minimumHeight

    /// The whole app's frame for `state` (kept here for the tests of the first screen).
    public static func render(_ state: AppState) -> CellBuffer { AppView.render(state) }

    public static func draw(_ state: AppState, into buffer: inout CellBuffer, in area: Rect) {
        let textRows = state.mode == .alchemistRAG ? 5 : 4
        // The dataset's info line, unless the terminal is so short that the panes need the row.
        let infoRows = area.height >= 20 ? 1 : 0
        let parts = area.split(.vertical, [.fixed(1), .fill, .fixed(infoRows), .fill, .fixed(textRows), .fixed(1), .fixed(1), .fixed(1)])
        Chrome.drawTitle(" Alchemist · setup", right: "\(state.dataset?.name ?? "no dataset") · \(state.mode.rawValue) ", into: &buffer, in: parts[0])
        let top = parts[1].split(.horizontal, [.percent(40), .percent(30), .fill])
        let bottom = parts[3].split(.horizontal, [.fill, .fill])
        datasetPane(state).draw(into: &buffer, in: top[0])
        modePane(state).draw(into: &buffer, in: top[1])
        priorPane(state).draw(into: &buffer, in: top[2])
        drawDatasetInfo(state, into: &buffer, in: parts[2])
        modelPane(state, .codeModel, width: bottom[0].width - 4).draw(into: &buffer, in: bottom[0])
        modelPane(state, .knowledgeModel, width: bottom[1].width - 4).draw(into: &buffer, in: bottom[1])
        drawTexts(state, into: &buffer, in: parts[4])
        drawSummary(state, into: &buffer, in: parts[5])
        if let fetch = state.fetch {
            // Bytes in KB so the count stays short; without a size from the server the bar sweeps.
            let bar = ProgressBar(label: "fetching \(fetch.dataset)/\(fetch.file)", done: Int(fetch.received / 1024),
                                  total: fetch.expected.map { Int($0 / 1024) }, count: .percent, labelWidth: 28)
            bar.draw(into: &buffer, in: Rect(x: parts[6].x + 1, y: parts[6].y, width: parts[6].width - 2, height: 1), tick: state.tick)
        } else {
            Chrome.drawStatus(state, into: &buffer, in: parts[6])
        }
        Chrome.drawHelpBar(state, into: &buffer, in: parts[7])
    }

    static func datasetPane(_ state: AppState) -> ListPane {
        let rows = state.options.datasets.map { row -> (String, StyleRole) in
            row.isPresent ? ("\(row.name)  \(row.sizeText ?? "")", .text) : ("\(row.name)  absent — \(row.canFetch ? "f fetches" : "a adds")", .warning)
        }
        return ListPane(title: Pane.dataset.title, rows: rows.map { ($0.0, $0.1) }, selected: state.selected(.dataset),
                        isFocused: state.focus == .dataset, isDimmed: false)
    }

    static func modePane(_ state: AppState) -> ListPane {
        ListPane(title: Pane.mode.title, rows: state.options.modes.map { ($0.id, .text) }, selected: state.selected(.mode),
                 isFocused: state.focus == .mode, isDimmed: false)
    }

    static func priorPane(_ state: AppState) -> ListPane {
        let active = state.isActive(.prior)
        return ListPane(title: active ? Pane.prior.title : "\(Pane.prior.title) (unused)", rows: state.options.priors.map { ($0.id, .text) },
                        selected: state.selected(.prior), isFocused: state.focus == .prior, isDimmed: !active)
    }

    static func modelPane(_ state: AppState, _ pane: Pane, width: Int) -> ListPane {
        let rows = state.options.models.map { model -> (text: String, role: StyleRole) in
            (modelRowText(model, width: width), model.isUsable && model.spec.retired == nil ? .text : .warning)
        }
        let active = state.isActive(pane)
        return ListPane(title: active ? pane.title : "\(pane.title) (unused by scriptorium)", rows: rows,
                        selected: state.selected(pane), isFocused: state.focus == pane, isDimmed: !active)
    }

    /// "gpt-4o-mini     $0.15/$0.60 no key": the id (shortened first when space is short), the price
    /// per million input/output tokens and the flags, in `width` columns.
    static func modelRowText(_ model: SetupOptions.ModelRow, width: Int) -> String {
        let flags = model.flags
        let price = model.spec.inputPerMTok == 0 && model.spec.outputPerMTok == 0 ? " free" : " \(price(model.spec.inputPerMTok))/\(price(model.spec.outputPerMTok))"
        let tail = price + (flags.isEmpty ? "" : " " + flags.joined(separator: ", "))
        let nameWidth = max(8, min(20, width - DisplayWidth.of(tail)))
        return DisplayWidth.pad(model.spec.id, to: nameWidth) + tail
    }

    static func drawTexts(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
        buffer.box(rect, title: "Mission (m edits) · query (u edits) · R resets", style: Style(.border))
        let inner = rect.inset(1)
        var mission = state.mission.replacingOccurrences(of: "\n", with: " ")
        if mission.hasPrefix("Mission:") { mission = String(mission.dropFirst(8)).trimmingCharacters(in: .whitespaces) }
        var x = buffer.put("Mission: ", x: inner.x, y: inner.y, role: .accent)
        buffer.put(mission, x: x, y: inner.y, role: .text, maxWidth: inner.maxX - x)
        x = buffer.put("Query:   ", x: inner.x, y: inner.y + 1, role: .accent)
        if state.mode.usesKnowledge {
            buffer.put(state.query.replacingOccurrences(of: "\n", with: " "), x: x, y: inner.y + 1, role: .text, maxWidth: inner.maxX - x)
        } else {
            buffer.put("not used by scriptorium", x: x, y: inner.y + 1, role: .muted, maxWidth: inner.maxX - x)
        }
        if state.mode == .alchemistRAG {
            x = buffer.put("Sources: ", x: inner.x, y: inner.y + 2, role: .accent)
            if state.knowledgePath.isEmpty {
                buffer.put("none yet — K chooses a source-list JSON file, a folder or a file", x: x, y: inner.y + 2, role: .warning, maxWidth: inner.maxX - x)
            } else {
                buffer.put(state.knowledgePath, x: x, y: inner.y + 2, role: .text, maxWidth: inner.maxX - x)
            }
        }
    }

    /// The selected dataset's classes, rows per split and balance, or how to get it.
    static func drawDatasetInfo(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.height > 0 else { return }
        let x = buffer.put("\(state.dataset?.name ?? "Dataset"): ", x: rect.x + 1, y: rect.y, role: .accent, maxWidth: rect.width - 2)
        let info = state.datasetInfoLine
        buffer.put(info.text, x: x, y: rect.y, role: info.role, maxWidth: rect.maxX - 1 - x)
    }

    static func drawSummary(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
        var x = buffer.put("Worst case per program: ", x: rect.x + 1, y: rect.y, role: .text)
        if let cost = state.worstCaseCost {
            x = buffer.put(Money.text(cost), x: x, y: rect.y, role: .cost, bold: true)
        } else {
            x = buffer.put("—", x: x, y: rect.y, role: .muted)
        }
        let models = state.mode.usesKnowledge
            ? "\(state.knowledgeModel?.spec.id ?? "?") → \(state.codeModel?.spec.id ?? "?")"
            : state.codeModel?.spec.id ?? "?"
        buffer.put("  (\(state.stagesText), \(models), \(state.options.maxOutputTokens) output tokens per call)", x: x, y: rect.y,
                   role: .muted, maxWidth: rect.maxX - x - 1)
    }

    /// A price per million tokens with at least two decimals: "$0.50".
    static func price(_ amount: Decimal) -> String {
        let text = "\(amount)"
        guard let dot = text.firstIndex(of: ".") else { return "$\(text).00" }
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        return "$" + text + String(repeating: "0", count: max(0, 2 - decimals))
    }
}

extension AppState {
    var stagesText: String { mode.usesKnowledge ? "knowledge + code" : "code only" }
}
