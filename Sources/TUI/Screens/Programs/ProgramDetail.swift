import Engine
import Foundation

/// The text of the detail pane: a header about the selection, then the lines of the detail view.
extension ProgramsBrowser {
    /// What the pane says about the selected program (or group) above the tabs.
    func headerLines() -> [StyledLine] {
        if let entry = selectedEntry { return programHeader(entry) }
        if case .group(let path)? = view.selected { return groupHeader(path) }
        return [StyledLine(tree.overall.programs == 0 && filter.text.isEmpty
                           ? "No programs yet: generate some, or save one with alchemist programs save."
                           : "Nothing matches the filter.", .muted)]
    }

    func programHeader(_ entry: ProgramEntry) -> [StyledLine] {
        let program = entry.program
        var lines = [
            StyledLine("path    ", .muted).then(entry.key, .text, bold: true),
            entry.enabled ? StyledLine("state   ", .muted).then("● enabled for labeling", .success)
                : StyledLine("state   ", .muted).then("○ disabled for labeling (x enables)", .warning),
        ]
        guard let metadata = program.metadata else {
            lines.append(StyledLine("made    ", .muted).then("no alchemist metadata (hand-written or an older file)", .muted))
            lines.append(StyledLine("tokens  ", .muted).then(tokenText(program.inputTokens ?? 0, program.outputTokens ?? 0, estimated: false))
                .then("  ").then(entry.cost.formatted(), .cost))
            lines.append(testLine(entry))
            return lines
        }
        lines.append(StyledLine("created ", .muted).then(Self.dateText(metadata.created)).then("  run ", .muted).then(metadata.runID))
        var models = StyledLine("models  ", .muted).then(metadata.mode).then(" · code ", .muted).then(metadata.codeModel)
        if let knowledge = metadata.knowledgeModel { models = models.then(" · knowledge ", .muted).then(knowledge) }
        if let prior = metadata.prior { models = models.then(" · prior ", .muted).then(prior) }
        lines.append(models)
        if metadata.stages.isEmpty {
            lines.append(StyledLine("stages  ", .muted).then("none recorded · ", .muted).then(entry.cost.formatted(), .cost))
        }
        for stage in metadata.stages {
            lines.append(StyledLine("  " + DisplayWidth.pad(stage.stage, to: 10), .accent)
                .then(DisplayWidth.pad(stage.model, to: 18))
                .then(DisplayWidth.pad(tokenText(stage.inputTokens, stage.outputTokens, estimated: stage.estimated), to: 18))
                .then(stage.cost.formatted(), .cost))
        }
        if metadata.stages.count > 1 {
            lines.append(StyledLine("  " + DisplayWidth.pad("total", to: 28), .muted)
                .then(DisplayWidth.pad(tokenText(program.inputTokens ?? 0, program.outputTokens ?? 0,
                                                 estimated: metadata.stages.contains(where: \.estimated)), to: 18))
                .then(entry.cost.formatted(), .cost, bold: true))
        }
        lines.append(testLine(entry))
        return lines
    }

    func tokenText(_ input: Int, _ output: Int, estimated: Bool) -> String {
        "\(input)/\(output)" + (estimated ? " (est.)" : "")
    }

    func testLine(_ entry: ProgramEntry) -> StyledLine {
        let line = StyledLine("test    ", .muted)
        guard let test = entry.latestTest else { return line.then("not tested — t tests it", .muted) }
        if let loadError = test.loadError { return line.then("does not load: \(loadError)", .error) }
        var result = line.then("\(test.split) \(test.rows) rows · ").then(String(format: "coverage %.1f %%", test.coverage * 100), .accent)
        if let accuracy = test.accuracy { result = result.then(" · ").then(String(format: "accuracy %.1f %%", accuracy * 100), .accent) }
        let problems = test.errors + test.timeouts
        result = result.then(" · ").then(problems == 0 ? "no errors" : "\(test.errors) errors, \(test.timeouts) timeouts",
                                          problems == 0 ? .text : .warning)
        return result.then(" · " + Self.dateText(test.date), .muted)
    }

    func groupHeader(_ path: [String]) -> [StyledLine] {
        let totals = tree.totals[.group(path)] ?? ProgramTree.Totals()
        let names = ["dataset", "mode", "code model", "prior"]
        var lines = [StyledLine("group   ", .muted).then(path.joined(separator: " › "), .text, bold: true)]
        if path.count <= names.count, tree.entries.values.contains(where: { $0.program.metadata != nil && $0.groupPath.starts(with: path) }) {
            lines.append(StyledLine("level   ", .muted).then(names[path.count - 1]))
        }
        lines.append(StyledLine("holds   ", .muted).then("\(totals.programs) programs, \(totals.enabled) enabled · total ")
            .then(totals.cost.formatted(), .cost, bold: true))
        return lines
    }

    /// The detail view's lines for `width` columns (not the code view, which draws itself).
    func contentLines(width: Int) -> [StyledLine] {
        if case .group(let path)? = view.selected {
            return groupContent(path)
        }
        guard let entry = selectedEntry else { return [] }
        switch tab {
        case .code: return []
        case .prompt:
            guard let prompt = entry.program.prompt, !prompt.isEmpty else {
                return [StyledLine("The file has no prompt in its header.", .muted)]
            }
            return WrappedText.wrap(prompt, width: width).map { StyledLine($0) }
        case .run: return runContent(entry, width: width)
        }
    }

    /// A group's detail: its programs with their cost and latest coverage.
    func groupContent(_ path: [String]) -> [StyledLine] {
        tree.entries.values.filter { $0.groupPath.starts(with: path) }
            .sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }
            .map { entry in
                let relative = entry.groupPath.dropFirst(path.count) + [ProgramTree.fileName(entry)]
                var line = StyledLine(DisplayWidth.pad(relative.joined(separator: "/"), to: 28), entry.enabled ? .text : .muted)
                    .then(DisplayWidth.pad(entry.cost.formatted(), to: 10), .cost)
                if let test = entry.latestTest, test.loadError == nil {
                    line = line.then(String(format: "cov %.1f %%", test.coverage * 100), .muted)
                }
                return entry.enabled ? line : line.then("  off", .warning)
            }
    }

    /// The run view: the programs of the selected program's run, then the run's calls and total.
    func runContent(_ entry: ProgramEntry, width: Int) -> [StyledLine] {
        guard let runID = entry.runID else {
            return [StyledLine("No run id: the file has no alchemist metadata.", .muted)]
        }
        var lines = [StyledLine("run ", .muted).then(runID, .text, bold: true)]
        let summary = runs[runID]
        if let run = summary?.run {
            lines.append(StyledLine("started ", .muted).then(Self.dateText(run.started)).then(" · \(run.dataset) · \(run.mode) · \(run.codeModel)", .muted))
        }
        let siblings = entries.filter { $0.runID == runID }.sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }
        lines.append(StyledLine(""))
        lines.append(StyledLine("programs saved by this run", .accent))
        let keyWidth = min(siblings.map { DisplayWidth.of($0.key) }.max() ?? 0, max(12, width - 16))
        for sibling in siblings {
            let marker = sibling.key == entry.key ? "› " : "  "
            var line = StyledLine(marker + DisplayWidth.pad(sibling.key, to: keyWidth), sibling.enabled ? .text : .muted)
                .then(" " + sibling.cost.formatted(), .cost)
            if !sibling.enabled { line = line.then("  off", .warning) }
            lines.append(line)
        }
        if let summary {
            let keys = ProgramStates(root: root)
            let shown = Set(siblings.map(\.key))
            let missing = summary.programs.filter { !shown.contains(keys.key(for: URL(fileURLWithPath: $0.path))) }.count
            if missing > 0 { lines.append(StyledLine("  + \(missing) more recorded in the ledger (deleted, or in another folder)", .muted)) }
        }
        lines.append(StyledLine(""))
        guard let summary, summary.run != nil || !summary.calls.isEmpty else {
            lines.append(StyledLine("The ledger has no record of this run.", .muted))
            return lines
        }
        lines.append(StyledLine("calls", .accent))
        for call in summary.calls {
            let role: StyleRole = switch call.status {
            case .ok: .text
            case .failed: .error
            case .cancelled: .warning
            case .discarded: .muted
            }
            lines.append(StyledLine("  " + DisplayWidth.pad(call.stage, to: 10), .accent)
                .then(DisplayWidth.pad(call.model, to: 18))
                .then(DisplayWidth.pad(tokenText(call.inputTokens, call.outputTokens, estimated: call.estimated), to: 18))
                .then(DisplayWidth.pad(Money.text(call.cost), to: 10), .cost)
                .then(call.status.rawValue, role))
        }
        var total = StyledLine("run total ", .muted).then(Money.text(summary.total), .cost, bold: true)
            .then(" · \(summary.calls.count) calls", .muted)
        let unused = [CallStatus.failed, .cancelled, .discarded].map { ($0, summary.cost(of: $0)) }.filter { $0.1.calls > 0 }
        if !unused.isEmpty {
            total = total.then(" · \(Money.text(summary.unusedCost)) unused", .warning)
        }
        lines.append(total)
        if !unused.isEmpty {
            lines.append(StyledLine("unused  ", .muted).then(unused.map { "\($0.1.calls) \($0.0.rawValue) \(Money.text($0.1.cost))" }
                .joined(separator: " · "), .warning))
        }
        if summary.endedWithoutProgram, siblings.isEmpty { lines.append(StyledLine("The run paid for code but saved no program.", .warning)) }
        return lines
    }

    /// The code view of the selected program, numbered as lines of the file.
    func codeView() -> CodeView? {
        guard let program = selectedEntry?.program else { return nil }
        let headerLines = program.source.split(separator: "\n", omittingEmptySubsequences: false).count
            - program.code.split(separator: "\n", omittingEmptySubsequences: false).count
        var code = CodeView(source: program.code, firstLineNumber: headerLines + 1)
        code.scroll = detailScroll
        return code
    }

    /// "2025-06-15 15:06 UTC" from an ISO 8601 text (unchanged when it is something else).
    static func dateText(_ iso: String) -> String {
        guard iso.count >= 16, iso.dropFirst(10).first == "T" else { return iso }
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }

    static func dateText(_ date: Date) -> String {
        dateText(ISO8601DateFormatter().string(from: date))
    }
}
