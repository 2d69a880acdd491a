import Foundation

/// What a plan says to the user, the same in the CLI (`--dry-run`, the report after writing) and the TUI.
extension DatasetImportPlan {
    /// "ham 206, spam 44", or "unlabeled" when none of the rows has a label.
    public func countsText(_ rows: [Int]) -> String {
        let counts = classCounts(rows)
        let labeled = counts.reduce(0, +)
        guard labeled > 0 else { return "unlabeled" }
        let parts = zip(classes, counts).map { "\($0) \($1)" }.joined(separator: ", ")
        return labeled < rows.count ? "\(parts), \(rows.count - labeled) unlabeled" : parts
    }

    public func summaryLines(folder: URL?) -> [String] {
        var lines = [
            "file: \(request.source.path) (\(format.rawValue), \(rowCount) rows kept; columns: \(columns.joined(separator: ", ")))",
            "text column: \(textColumn) · label column: \(labelColumn ?? "none") · ids: \(idColumn.map { "column \($0)" } ?? "row positions")",
            "classes: \(classes.joined(separator: ", ")) · labeled rows: \(labeledCount) of \(rowCount)",
            "split (seed \(request.seed); valid \(validSize), test \(testSize)):",
        ]
        for split in SplitName.allCases {
            let rows = rows(of: split)
            lines.append("  \(split.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(String(format: "%7d", rows.count))  \(rows.isEmpty ? "" : countsText(rows))")
        }
        lines += warnings.map { "note: \($0)" }
        lines.append(folder.map { "added \(request.name) in \($0.path)" } ?? "dry run: nothing written")
        return lines
    }

    /// The `--json` report.
    public func summaryObject(folder: URL?) -> [String: Any] {
        var splits: [String: Any] = [:]
        for split in SplitName.allCases {
            let rows = rows(of: split)
            splits[split.rawValue] = ["rows": rows.count, "class_counts": Dictionary(uniqueKeysWithValues: zip(classes, classCounts(rows)))]
        }
        return [
            "name": request.name, "file": request.source.path, "format": format.rawValue, "columns": columns,
            "text_column": textColumn, "label_column": labelColumn ?? NSNull(), "id_column": idColumn ?? NSNull(),
            "classes": classes, "rows": rowCount, "labeled": labeledCount, "seed": request.seed, "splits": splits,
            "warnings": warnings, "written": folder != nil, "folder": folder?.path ?? NSNull(),
        ]
    }
}
