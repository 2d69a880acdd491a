import Engine
import Foundation

/// What `alchemist apply` prints, as a table or as JSON.
struct ApplyReport {
    let dataset: String
    let labelNames: [String]
    let split: SplitName
    let rowCount: Int
    let programs: [LabelingProgram]
    /// The `--lfs` files that could not be read (stderr named them already).
    var skipped: [ProgramStoreError] = []
    let outcome: ApplyOutcome
    let statistics: [ProgramStatistics]
    let totals: MatrixTotals
    let seconds: Double
    /// With `--errors N`: per program the labeled rows it gets wrong, at most `mistakeLimit`.
    var mistakes: [[ProgramMistake]]?
    var mistakeLimit = 0

    func className(_ id: Int) -> String { labelNames.indices.contains(id) ? labelNames[id] : String(id) }

    func json() throws -> String {
        let items: [[String: Any]] = programs.indices.map { index in
            let stats = statistics[index], report = outcome.reports[index]
            var item: [String: Any] = [
                "name": report.name,
                "path": programs[index].path?.path ?? NSNull(),
                "polarity": stats.polarity,
                "coverage": stats.coverage,
                "overlaps": stats.overlaps,
                "conflicts": stats.conflicts,
                "accuracy": stats.accuracy.map { $0 as Any } ?? NSNull(),
                "errors": report.faultCount,
                "timeouts": report.timeouts,
                "invalid": report.invalid,
                "kills": report.kills,
                "loaded": report.loadError == nil,
                "stopped": report.stopped,
                "first_error": (report.loadError ?? report.firstError).map { $0 as Any } ?? NSNull(),
            ]
            if let mistakes {
                item["wrong"] = mistakes[index].map { ["row": $0.row, "id": $0.id, "text": $0.text, "vote": className($0.vote), "gold": className($0.gold)] }
            }
            return item
        }
        let object: [String: Any] = [
            "dataset": dataset,
            "split": split.rawValue,
            "rows": rowCount,
            "programs": items,
            "skipped": SkippedPrograms.json(skipped),
            "totals": ["coverage": totals.coverage, "overlaps": totals.overlaps, "conflicts": totals.conflicts],
            "sandbox": outcome.sandboxFacts,
            "seconds": seconds,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func table() -> String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0 * 100) } ?? "–" }
        let header = ["program", "polarity", "coverage", "overlaps", "conflicts", "accuracy", "errors"]
        var body: [[String]] = []
        for index in programs.indices {
            let stats = statistics[index], report = outcome.reports[index]
            let names = stats.polarity.map { $0 < labelNames.count ? labelNames[$0] : String($0) }
            body.append([
                report.name, names.isEmpty ? "–" : names.joined(separator: ","), percent(stats.coverage), percent(stats.overlaps),
                percent(stats.conflicts), percent(stats.accuracy), report.loadError != nil ? "not loaded" : String(report.faultCount),
            ])
        }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == 0 || index == 1 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
        var out = "\(dataset) / \(split.rawValue): \(rowCount) rows, \(programs.count) programs, \(String(format: "%.2f", seconds)) s\n\n"
        out += line(header) + "\n"
        out += body.map(line).joined(separator: "\n") + "\n\n"
        out += "all programs: coverage \(percent(totals.coverage)), overlaps \(percent(totals.overlaps)), conflicts \(percent(totals.conflicts))\n"
        let problems = outcome.reports.filter { $0.loadError != nil || $0.firstError != nil }
        if !problems.isEmpty {
            out += "\nproblems:\n"
            for report in problems {
                var notes: [String] = []
                if report.timeouts > 0 { notes.append("\(report.timeouts) timeouts") }
                if report.kills > 0 { notes.append("\(report.kills) worker kills") }
                if report.stopped { notes.append("stopped for the rest of the run") }
                let suffix = notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"
                out += "  \(report.name): \(report.loadError ?? report.firstError ?? "")\(suffix)\n"
            }
        }
        if let mistakes {
            out += "\nwrong rows (up to \(mistakeLimit) a program: its vote, the gold label, the text):\n"
            for (index, rows) in mistakes.enumerated() {
                out += "  \(outcome.reports[index].name):\(rows.isEmpty ? " none" : "")\n"
                for mistake in rows {
                    // A dataset's text is not terminal input: control characters and escapes are shown, never sent.
                    let text = ProgramOutputText.clean(mistake.text, limit: 160)
                    out += "    \(ProgramOutputText.clean(mistake.id, limit: 40))  \(className(mistake.vote)) ≠ \(className(mistake.gold))  \(text)\n"
                }
            }
        }
        let facts = outcome.sandboxFacts
        if !facts.isEmpty {
            out += "\n" + Self.sandboxLine(facts: facts, workers: outcome.workers)
            if outcome.restarts > 0 { out += ", \(outcome.restarts) process restarts" }
            out += "\n"
        }
        return out
    }

    /// What confined the programs, in one line; a loud warning first when no OS sandbox did.
    static func sandboxLine(facts: [String: String], workers: Int) -> String {
        var line = ""
        let os = facts["os_sandbox"] ?? "?"
        if os.hasPrefix("none") {
            line += "WARNING: the programs ran WITHOUT an operating-system sandbox (\(os.dropFirst(6).dropLast()))\n"
        }
        line += "sandbox: \(os.hasPrefix("bubblewrap") ? "bubblewrap (own user, mount, PID, IPC, network namespaces; read-only root)" : "Python-level checks only")"
        line += ", user \(facts["os_user"] ?? facts["uid"].map { "uid \($0)" } ?? "?"), network \(facts["network"] ?? "?")"
        line += ", seccomp \(facts["seccomp"] ?? "?"), memory \(facts["memory_mb"] ?? "?") MB"
        line += ", new files/sockets \(facts["descriptors"] == "closed" ? "blocked" : "not blocked")"
        line += ", \(workers) process\(workers == 1 ? "" : "es") at once"
        return line
    }
}
