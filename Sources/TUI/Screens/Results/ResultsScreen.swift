import Engine
import Foundation

/// The labeling and results screen: one progress bar per step while the job runs; then the LF
/// analysis, the label- and end-model tables, a chart of test accuracy, the cost line and the log
/// path; and a tab of past results. Draws only inside the rect it is given.
public enum ResultsScreen {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    /// Draws `view` into a new buffer of `width` × `height`.
    public static func render(_ view: ResultsView, width: Int, height: Int, tick: Int = 0) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        draw(view, into: &buffer, in: buffer.area, tick: tick)
        return buffer
    }

    /// - Parameters:
    ///   - status: the app's status line (an export's outcome, say), drawn above the help bar.
    public static func draw(_ view: ResultsView, into buffer: inout CellBuffer, in rect: Rect, tick: Int,
                            status: String = "", statusIsError: Bool = false) {
        buffer.fill(rect)
        guard rect.width >= minimumWidth, rect.height >= minimumHeight else {
            let message = "terminal too small: \(rect.width)×\(rect.height), need \(minimumWidth)×\(minimumHeight)"
            let x = rect.x + max(0, (rect.width - DisplayWidth.of(message)) / 2)
            buffer.put(message, x: x, y: rect.y + rect.height / 2, role: .warning, bold: true, maxWidth: rect.maxX - x)
            return
        }
        let parts = rect.split(.vertical, [.fixed(1), .fill, .fixed(1), .fixed(1)])
        drawTitle(view, into: &buffer, in: parts[0], tick: tick)
        switch view.tab {
        case .past: drawPast(view, into: &buffer, in: parts[1])
        case .run:
            if let outcome = view.outcome, view.status == .finished {
                drawFinished(view, outcome, into: &buffer, in: parts[1])
            } else {
                drawSteps(view, into: &buffer, in: parts[1], tick: tick)
            }
        }
        buffer.put(status, x: parts[2].x + 1, y: parts[2].y, role: statusIsError ? .error : .muted, bold: statusIsError,
                   maxWidth: parts[2].width - 2)
        Chrome.drawHelpBar(.results, disabled: resultsDisabledReasons(view), into: &buffer, in: parts[3])
    }

    // MARK: title

    static func statusText(_ view: ResultsView, tick: Int) -> (String, StyleRole) {
        switch view.status {
        case .idle: return ("past results", .accent)
        case .running:
            if view.isStopping { return ("\(Spinner.frame(tick)) stopping…", .warning) }
            let done = view.steps.filter(\.isFinished).count
            return ("\(Spinner.frame(tick)) running \(done)/\(view.steps.count)", .accent)
        case .finished: return (view.outcome.map { String(format: "done in %.1f s", $0.result.seconds) } ?? "done", .success)
        case .failed: return ("failed", .error)
        case .cancelled: return ("stopped", .warning)
        }
    }

    static func drawTitle(_ view: ResultsView, into buffer: inout CellBuffer, in rect: Rect, tick: Int) {
        let base = Style(.accent, reverse: true)
        buffer.fill(rect, style: base)
        let tabs = view.tab == .run ? "[run] past" : " run [past]"
        let left = " Alchemist · labeling · \(view.dataset)"
        let (status, role) = statusText(view, tick: tick)
        let right = "\(tabs)  \(status) "
        let rightWidth = DisplayWidth.of(right)
        buffer.put(left, x: rect.x, y: rect.y, style: Style(.accent, bold: true, reverse: true), maxWidth: max(0, rect.width - rightWidth - 1))
        let x = rect.maxX - rightWidth
        let afterTabs = buffer.put(tabs, x: x, y: rect.y, style: base)
        buffer.put("  \(status) ", x: afterTabs, y: rect.y, style: Style(role, bold: true, reverse: true))
    }

    // MARK: running, failed, cancelled

    static func drawSteps(_ view: ResultsView, into buffer: inout CellBuffer, in rect: Rect, tick: Int) {
        var messages: [(String, StyleRole)] = view.notes.map { ("note: \($0)", .warning) }
        switch view.status {
        case .failed(let message): messages.append(("The run failed: \(message)", .error))
        case .cancelled: messages.append(("The run was stopped; nothing was recorded. r runs it again.", .warning))
        case .idle: messages.append(("No labeling run here: p shows the past results.", .muted))
        default: break
        }
        let width = rect.width - 2
        let lines = messages.flatMap { text, role in wrap(text, width: width).map { ($0, role) } }
        let messageRows = min(lines.count, max(0, rect.height - 4))
        let boxHeight = min(rect.height - messageRows, max(3, view.steps.count + 2))
        let box = Rect(x: rect.x, y: rect.y, width: rect.width, height: boxHeight)
        buffer.box(box, title: "Steps", style: Style(.borderFocused, bold: true))
        let inner = box.inset(1)
        let active = view.isRunning ? view.steps.firstIndex { !$0.isFinished } : nil
        let countColumns = view.steps.map { $0.total > 0 ? 2 * String($0.total).count + 1 : 0 }.max() ?? 0
        // Keep the active step in view when the steps do not all fit.
        let first = max(0, min((active ?? 0) - inner.height / 2, view.steps.count - inner.height))
        for (line, index) in (first..<min(view.steps.count, first + inner.height)).enumerated() {
            let state = view.steps[index]
            var bar = ProgressBar(label: state.step.description, done: state.done, total: state.total, labelWidth: 20)
            bar.countColumns = countColumns
            if state.isFinished {
                bar.style = Style(.success)
            } else if index == active {
                bar.label = "\(Spinner.frame(tick)) \(state.step.description)"
                bar.labelStyle = Style(.text, bold: true)
            } else {
                bar.style = Style(.muted)
                bar.labelStyle = Style(.muted)
                bar.showsCount = state.done > 0
                if state.total == 0 { bar.total = 1 }
            }
            bar.draw(into: &buffer, in: Rect(x: inner.x + 1, y: inner.y + line, width: inner.width - 2, height: 1), tick: tick)
        }
        if first > 0 { buffer.put("↑", x: box.maxX - 2, y: box.y, style: Style(.borderFocused, bold: true)) }
        if first + inner.height < view.steps.count { buffer.put("↓", x: box.maxX - 2, y: box.maxY - 1, style: Style(.borderFocused, bold: true)) }
        for (offset, line) in lines.prefix(messageRows).enumerated() {
            buffer.put(line.0, x: rect.x + 1, y: box.maxY + offset, role: line.1, maxWidth: width)
        }
    }

    // MARK: finished

    static func drawFinished(_ view: ResultsView, _ outcome: LabelingOutcome, into buffer: inout CellBuffer, in rect: Rect) {
        let parts = rect.split(.vertical, [.fill, .fixed(2)])
        let sections = view.visibleSections
        let natural = Dictionary(uniqueKeysWithValues: sections.map { ($0, naturalHeight($0, view)) })
        let area = parts[0]
        let lowerLeft = (natural[.labelModels] ?? 0) + (natural[.endModels] ?? 0)
        let wideFits = area.width >= 100 && (natural[.programs] ?? 0) + max(lowerLeft, natural[.chart] ?? 0) <= area.height
        if wideFits {
            // Programs across the top; model tables on the left, the chart on the right.
            let rows = area.split(.vertical, [.fixed(natural[.programs] ?? 0), .fill])
            drawSection(.programs, view, outcome, into: &buffer, in: rows[0])
            let columns = rows[1].split(.horizontal, [.percent(65), .fill])
            let left = columns[0].split(.vertical, [.fixed(natural[.labelModels] ?? 0), .fixed(natural[.endModels] ?? 0)])
            drawSection(.labelModels, view, outcome, into: &buffer, in: left[0])
            if sections.contains(.endModels) { drawSection(.endModels, view, outcome, into: &buffer, in: left[1]) }
            drawSection(.chart, view, outcome, into: &buffer, in: Rect(x: columns[1].x + 1, y: columns[1].y, width: columns[1].width - 1,
                                                                       height: min(columns[1].height, natural[.chart] ?? 0)))
        } else {
            let heights = allocate(sections.map { natural[$0] ?? 0 }, focused: sections.firstIndex(of: view.focus) ?? 0, into: area.height)
            var y = area.y
            for (section, height) in zip(sections, heights) {
                drawSection(section, view, outcome, into: &buffer, in: Rect(x: area.x, y: y, width: area.width, height: height))
                y += height
            }
        }
        let footer = parts[1]
        var x = buffer.put("Cost  ", x: footer.x + 1, y: footer.y, role: .muted)
        buffer.put(outcome.costLine, x: x, y: footer.y, role: .cost, bold: true, maxWidth: footer.maxX - x - 1)
        x = buffer.put("Log   ", x: footer.x + 1, y: footer.y + 1, role: .muted)
        buffer.put(outcome.logFile?.path ?? "not recorded", x: x, y: footer.y + 1, role: .muted, maxWidth: footer.maxX - x - 1)
    }

    /// Rows a section wants: its box, its table's header and rows (the chart has no header).
    static func naturalHeight(_ section: ResultsSection, _ view: ResultsView) -> Int {
        view.rowCount(section) + (section == .chart ? 2 : 3)
    }

    /// Heights for stacked sections in `total` rows: all natural when they fit; else the focused one
    /// first, every other at least one line, and what is left to the others in order.
    static func allocate(_ natural: [Int], focused: Int, into total: Int) -> [Int] {
        guard natural.reduce(0, +) > total else { return natural }
        var heights = natural.map { _ in 1 }
        var left = total - heights.count
        let order = [focused] + natural.indices.filter { $0 != focused }
        for index in order where left > 0 {
            // A section gets a box with its header and at least one row, or stays one line.
            let extra = min(natural[index] - 1, left)
            if extra + 1 >= 4 || extra == natural[index] - 1 {
                heights[index] += extra
                left -= extra
            }
        }
        return heights
    }

    static func sectionTitle(_ section: ResultsSection, _ outcome: LabelingOutcome) -> String {
        let result = outcome.result
        switch section {
        case .programs:
            let totals = outcome.totals
            return "Programs on \(outcome.analysisSplit.rawValue) · coverage \(percent(totals.coverage)) · overlaps \(percent(totals.overlaps)) · conflicts \(percent(totals.conflicts))"
        case .labelModels:
            let chosen = result.selectionMetric == .none ? "no valid labels: first kept" : "best on valid \(result.selectionMetric.rawValue)"
            return "Label models · \(result.runs) runs · \(chosen)"
        case .endModels:
            return "End models · \(result.trainingRows) train rows, soft labels of \(result.bestLabelModel.rawValue)"
        case .chart:
            return "Test accuracy"
        }
    }

    static func drawSection(_ section: ResultsSection, _ view: ResultsView, _ outcome: LabelingOutcome, into buffer: inout CellBuffer, in rect: Rect) {
        guard rect.height > 0, rect.width > 4 else { return }
        let focused = view.focus == section
        let style = focused ? Style(.borderFocused, bold: true) : Style(.border)
        let title = (focused ? "▸ " : "") + sectionTitle(section, outcome)
        if rect.height < 3 {
            // Collapsed: one rule with the title; tab brings it into view.
            let rule = "── \(title) (\(view.rowCount(section))) "
            buffer.put(rule + String(repeating: "─", count: max(0, rect.width - DisplayWidth.of(rule))), x: rect.x, y: rect.y,
                       style: style, maxWidth: rect.width)
            return
        }
        buffer.box(rect, title: title, style: style)
        let inner = rect.inset(1)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        let rows = view.rowCount(section)
        let visible = section == .chart ? content.height : Table.visibleRows(in: content)
        let first = max(0, min(view.scroll[section] ?? 0, rows - visible))
        switch section {
        case .chart:
            var chart = chartOf(outcome)
            chart.bars = Array(chart.bars.dropFirst(first))
            chart.draw(into: &buffer, in: content)
        default:
            table(section, outcome, width: content.width).draw(into: &buffer, in: content, scroll: first)
        }
        if first > 0 { buffer.put("↑", x: rect.maxX - 2, y: rect.y, style: style) }
        if first + visible < rows { buffer.put("↓", x: rect.maxX - 2, y: rect.maxY - 1, style: style) }
    }

    static func table(_ section: ResultsSection, _ outcome: LabelingOutcome, width: Int) -> Table {
        let result = outcome.result
        switch section {
        case .programs:
            let columns = [
                Table.Column(title: "program", minWidth: 6), Table.Column(title: "polarity", minWidth: 3),
                Table.Column(title: "coverage", alignment: .right, minWidth: 8), Table.Column(title: "overlaps", alignment: .right, minWidth: 8),
                Table.Column(title: "conflicts", alignment: .right, minWidth: 9), Table.Column(title: "accuracy", alignment: .right, minWidth: 8),
                Table.Column(title: "errors", alignment: .right, minWidth: 6), Table.Column(title: "timeouts", alignment: .right, minWidth: 8),
            ]
            let rows = outcome.analysis.map { program -> [Table.Cell] in
                let errors: Table.Cell = program.loadError != nil
                    ? Table.Cell("no load", style: Style(.error, bold: true))
                    : Table.Cell("\(program.errors)", style: program.errors > 0 ? Style(.warning) : nil)
                return [
                    Table.Cell(program.name), Table.Cell(program.polarity.map(String.init).joined(separator: ",")),
                    Table.Cell(percent(program.coverage)), Table.Cell(percent(program.overlaps)), Table.Cell(percent(program.conflicts)),
                    Table.Cell(program.accuracy.map(percent) ?? "—"), errors,
                    Table.Cell("\(program.timeouts)", style: program.timeouts > 0 ? Style(.warning) : nil),
                ]
            }
            return Table(columns: columns, rows: rows)
        case .labelModels, .endModels:
            let models: [(id: String, isBest: Bool, scores: ModelScores)] = section == .labelModels
                ? result.labelModels.map { ($0.id.rawValue, $0.id == result.bestLabelModel, $0.scores) }
                : result.endModels.map { ($0.id.rawValue, false, $0.scores) }
            let hasValid = models.contains { $0.scores.valid != nil }
            var columns = [Table.Column(title: section == .labelModels ? "label model" : "end model", minWidth: 9),
                           Table.Column(title: "test acc", alignment: .right, minWidth: 13),
                           Table.Column(title: "test F1", alignment: .right, minWidth: 13)]
            if hasValid {
                columns += [Table.Column(title: "valid acc", alignment: .right, minWidth: 13),
                            Table.Column(title: "valid F1", alignment: .right, minWidth: 13)]
            }
            let rows = models.map { id, isBest, scores -> [Table.Cell] in
                let style: Style? = isBest ? Style(.success, bold: true) : nil
                var cells = [Table.Cell(isBest ? "\(id) ✓" : id, style: style), Table.Cell(meanStd(scores.test.accuracy), style: style),
                             Table.Cell(meanStd(scores.test.f1), style: style)]
                if hasValid {
                    cells += [Table.Cell(scores.valid.map { meanStd($0.accuracy) } ?? "—", style: style),
                              Table.Cell(scores.valid.map { meanStd($0.f1) } ?? "—", style: style)]
                }
                return cells
            }
            return Table(columns: columns, rows: rows)
        case .chart:
            return Table(columns: [], rows: [])
        }
    }

    /// Test accuracy of every label model, then every end model.
    static func chartOf(_ outcome: LabelingOutcome) -> BarChart {
        let result = outcome.result
        let label = result.labelModels.map { id, scores in
            BarChart.Bar(label: id.rawValue, value: scores.test.accuracy.mean, valueText: String(format: "%.3f", scores.test.accuracy.mean),
                         style: Style(id == result.bestLabelModel ? .success : .accent))
        }
        let end = result.endModels.map { id, scores in
            BarChart.Bar(label: id.rawValue, value: scores.test.accuracy.mean, valueText: String(format: "%.3f", scores.test.accuracy.mean),
                         style: Style(.cost))
        }
        return BarChart(bars: label + end)
    }

    // MARK: past results

    static func drawPast(_ view: ResultsView, into buffer: inout CellBuffer, in rect: Rect) {
        let count = view.past.map { " (\($0.count))" } ?? ""
        buffer.box(rect, title: "▸ Past results · exp_log/results.csv\(count)", style: Style(.borderFocused, bold: true))
        let inner = rect.inset(1)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        guard let past = view.past else {
            buffer.put("loading…", x: content.x, y: content.y, role: .muted)
            return
        }
        if let error = view.pastError {
            for (line, text) in wrap(error, width: content.width).prefix(content.height).enumerated() {
                buffer.put(text, x: content.x, y: content.y + line, role: .error)
            }
            return
        }
        guard !past.isEmpty else {
            buffer.put("No labeling run recorded yet.", x: content.x, y: content.y, role: .muted, maxWidth: content.width)
            return
        }
        let parts = content.split(.vertical, [.fill, .fixed(1)])
        pastTable(past, selected: view.pastSelection).draw(into: &buffer, in: parts[0])
        if let row = past.indices.contains(view.pastSelection) ? past[view.pastSelection] : nil {
            // The row's saved run first: x, e and i act on it.
            let run = row.runID.map { id in row.runFolder != nil ? "run \(id)" : "run \(id) (gone)" } ?? "no saved run"
            var details = [dateText(row.dateText), run, "\(row.mode)\(row.prior.map { " · prior \($0)" } ?? "") · \(row.codeModel)", "\(row.runs) runs"]
            if let f1 = row.labelModelTestF1 { details.append("\(row.bestLabelModel) F1 \(String(format: "%.3f", f1))") }
            if let coverage = row.trainCoverage { details.append("train coverage \(percent(coverage))") }
            if let seconds = row.seconds { details.append(String(format: "%.1f s", seconds)) }
            details.append("line \(row.line)")
            buffer.put(details.joined(separator: " · "), x: parts[1].x, y: parts[1].y, role: .muted, maxWidth: parts[1].width)
        }
    }

    static func pastTable(_ rows: [PastResult], selected: Int) -> Table {
        func score(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "—" }
        let columns = [
            Table.Column(title: "date", minWidth: 10), Table.Column(title: "dataset", minWidth: 4), Table.Column(title: "mode", minWidth: 4),
            Table.Column(title: "model", minWidth: 5), Table.Column(title: "LFs", alignment: .right, minWidth: 3),
            Table.Column(title: "best LM", minWidth: 4), Table.Column(title: "acc", alignment: .right, minWidth: 5),
            Table.Column(title: "LR", alignment: .right, minWidth: 5), Table.Column(title: "MLP", alignment: .right, minWidth: 5),
            Table.Column(title: "cost", alignment: .right, minWidth: 4),
        ]
        let cells = rows.map { row -> [Table.Cell] in
            [Table.Cell(String(row.dateText.prefix(10)), style: Style(.muted)), Table.Cell(row.dataset), Table.Cell(row.mode),
             Table.Cell(row.codeModel), Table.Cell("\(row.programs)"), Table.Cell(row.bestLabelModel), Table.Cell(score(row.labelModelTestAccuracy)),
             Table.Cell(score(row.lrTestAccuracy)), Table.Cell(score(row.mlpTestAccuracy)),
             Table.Cell(row.costUSD > 0 ? PromptingCostEstimate.dollars(row.costUSD) : "free", style: Style(.cost))]
        }
        var table = Table(columns: columns, rows: cells, selected: selected)
        table.gap = 1
        return table
    }

    // MARK: formatting

    /// "2025-03-01T09:15:00Z" → "2025-03-01 09:15".
    static func dateText(_ iso: String) -> String {
        String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    static func meanStd(_ value: MeanStd) -> String { String(format: "%.3f ± %.3f", value.mean, value.std) }

    /// `text` in lines of at most `width` columns, broken at spaces (a longer word is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if DisplayWidth.of(candidate) <= width {
                current = candidate
            } else {
                if !current.isEmpty { lines.append(current) }
                current = DisplayWidth.of(word) <= width ? word : DisplayWidth.truncate(word, to: width)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
