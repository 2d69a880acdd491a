import Foundation

/// What the user asked `datasets add` for; nil fields take the documented defaults.
public struct DatasetImportRequest: Sendable {
    public var name: String
    public var source: URL
    public var textColumn: String?
    public var labelColumn: String?
    public var idColumn: String?
    public var classes: [String]?
    public var description: String?
    public var validSize: SplitSize?
    public var testSize: SplitSize?
    public var seed: UInt64
    /// Read no labels (every row unlabeled, `classes` needed) even when a column is named `label`.
    public var noLabelColumn = false
    /// Ids are the rows' positions even when a column is named `id`.
    public var noIDColumn = false

    public init(name: String, source: URL, textColumn: String? = nil, labelColumn: String? = nil, idColumn: String? = nil,
                classes: [String]? = nil, description: String? = nil, validSize: SplitSize? = nil, testSize: SplitSize? = nil,
                seed: UInt64 = 0) {
        self.name = name
        self.source = source
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.idColumn = idColumn
        self.classes = classes
        self.description = description
        self.validSize = validSize
        self.testSize = testSize
        self.seed = seed
    }
}

/// A dataset read from one file and split, before anything is written: what `--dry-run` shows and
/// what `DatasetImport.write` puts on disk.
public struct DatasetImportPlan: Sendable {
    public var request: DatasetImportRequest
    public var format: TabularFile.Format
    public var columns: [String]
    public var textColumn: String
    public var labelColumn: String?
    /// nil: the ids are the rows' positions in the file (0-based).
    public var idColumn: String?
    public var classes: [String]
    public var validSize: SplitSize
    public var testSize: SplitSize
    public var ids: [String]
    public var texts: [String]
    public var labels: [Int?]
    public var split: StratifiedSplit
    /// Rows left out (each with its line and why) and other things worth knowing.
    public var warnings: [String]

    public var rowCount: Int { texts.count }
    public var labeledCount: Int { labels.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }

    /// Rows of a split, and how many of them each class has.
    public func rows(of split: SplitName) -> [Int] {
        switch split {
        case .train: return self.split.train
        case .valid: return self.split.valid
        case .test: return self.split.test
        }
    }

    public func classCounts(_ rows: [Int]) -> [Int] {
        var counts = [Int](repeating: 0, count: classes.count)
        for row in rows { if let label = labels[row] { counts[label] += 1 } }
        return counts
    }
}

/// `datasets add`: one file of rows becomes a dataset folder (dataset.json and JSONL splits with
/// ids, texts and class names), written beside its place and renamed in, so a failure leaves nothing.
public enum DatasetImport {
    public static func plan(_ request: DatasetImportRequest, reservedNames: Set<String> = []) throws -> DatasetImportPlan {
        try requireValidName(request.name, reserved: reservedNames)
        return try plan(request, table: try TabularFile.read(request.source), reservedNames: reservedNames)
    }

    /// The plan of `request` on a file read already (the TUI reads once, then plans as the choices change).
    public static func plan(_ request: DatasetImportRequest, table: TabularFile, reservedNames: Set<String> = []) throws -> DatasetImportPlan {
        try requireValidName(request.name, reserved: reservedNames)
        let file = request.source.path
        let chosen = try chooseColumns(table, text: request.textColumn, label: request.labelColumn, id: request.idColumn)
        let textColumn = chosen.text
        let labelColumn = request.noLabelColumn ? nil : chosen.label, idColumn = request.noIDColumn ? nil : chosen.id

        var warnings: [String] = []
        var kept: [TabularFile.Row] = []
        var emptyLines: [Int] = []
        for row in table.rows {
            if let text = row.values[textColumn], !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                kept.append(row)
            } else {
                emptyLines.append(row.line)
            }
        }
        if !emptyLines.isEmpty {
            let shown = emptyLines.prefix(10).map(String.init).joined(separator: ", ")
            warnings.append("left out \(emptyLines.count) row(s) with an empty \"\(textColumn)\": line \(shown)\(emptyLines.count > 10 ? ", …" : "")")
        }
        guard !kept.isEmpty else { throw DatasetError(file: file, reason: "no row has a text in column \"\(textColumn)\"") }

        let (classes, labels) = try classify(kept, column: labelColumn, given: request.classes, file: file)
        let ids = try rowIDs(kept, all: table.rows, column: idColumn, file: file)
        let labeled = labels.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        let unlabeled = labels.count - labeled
        let defaults = SplitSize.defaults(labeled: labeled, unlabeled: unlabeled)
        let validSize = request.validSize ?? defaults.valid, testSize = request.testSize ?? defaults.test
        let validRows = validSize.rows(of: labeled)
        var testRows = testSize.rows(of: labeled)
        if case .fraction(let valid) = validSize, case .fraction(let test) = testSize, valid + test <= 1 + 1e-9 {
            testRows = min(testRows, labeled - validRows)  // two halves of an odd count are not one row too many
        }
        guard validRows + testRows <= labeled else {
            throw DatasetError(file: file, reason: "the valid split (\(validRows) rows) and the test split (\(testRows)) need more than the \(labeled) labeled rows")
        }
        let split = StratifiedSplit.make(labels: labels, classCount: classes.count, valid: validRows, test: testRows, seed: request.seed)
        if split.train.isEmpty {
            throw DatasetError(file: file, reason: "the train split would be empty: every row goes to valid or test; give smaller --valid-size / --test-size")
        }
        var counts = [Int](repeating: 0, count: classes.count)
        for case let label? in labels { counts[label] += 1 }
        let missing = zip(classes, counts).filter { $0.1 == 0 }.map(\.0)
        if labeled > 0, !missing.isEmpty {
            warnings.append("no labeled row of \(missing.joined(separator: ", ")): the metrics cannot measure \(missing.count == 1 ? "it" : "them") until rows are labeled (hand labeling in the TUI)")
        }
        if labeled == 0 {
            warnings.append("no row is labeled: label some by hand in the TUI before generating (the smoke test and the metrics need labeled rows)")
        }
        return DatasetImportPlan(
            request: request, format: table.format, columns: table.columns, textColumn: textColumn, labelColumn: labelColumn,
            idColumn: idColumn, classes: classes, validSize: validSize, testSize: testSize, ids: ids,
            texts: kept.map { $0.values[textColumn] ?? "" }, labels: labels, split: split, warnings: warnings)
    }

    /// Writes the plan as `<dataDir>/<name>/`; `replace` swaps out a folder already there (keeping its hand labels).
    @discardableResult
    public static func write(_ plan: DatasetImportPlan, into dataDir: URL, replace: Bool = false) throws -> URL {
        let contents = DatasetFolder.Contents(
            name: plan.request.name, description: plan.request.description ?? "Texts from \(plan.request.source.lastPathComponent).",
            classes: plan.classes, ids: plan.ids, texts: plan.texts, labels: plan.labels, split: plan.split,
            source: sourceObject(plan), readme: nil)
        return try DatasetFolder.write(contents, into: dataDir, replace: replace, purpose: "adding")
    }

    /// Names `datasets add` refuses: the named datasets that `datasets fetch` can get. A named
    /// dataset without a public source (reddit) may be added from the user's own file.
    public static func reservedNames(_ config: AppConfig) -> Set<String> {
        Set(config.datasets.filter { FetchRoute.of($0).isFetchable }.map(\.name))
    }

    /// A request for a named dataset keeps config.json's classes (in its order, so class ids match
    /// the prompts) and description unless the user gave others.
    public static func request(_ request: DatasetImportRequest, config: AppConfig) -> DatasetImportRequest {
        guard let spec = config.dataset(named: request.name) else { return request }
        var adapted = request
        adapted.classes = request.classes ?? spec.labels
        adapted.description = request.description ?? spec.description
        return adapted
    }

    /// A dataset name is a folder name: letters, digits, `-` and `_`, not one of the named ten.
    /// The one rule for a file's columns: the text column given, else `text`, else the only column
    /// holding text (ambiguity is an error listing the candidates); the label column given, else
    /// `label` when there is one; the id column given, else `id` when there is one.
    public static func chooseColumns(_ table: TabularFile, text: String?, label: String?, id: String?) throws
        -> (text: String, label: String?, id: String?) {
        let file = table.file.path
        func requireColumn(_ name: String, _ flag: String) throws {
            guard table.columns.contains(name) else {
                throw DatasetError(file: file, reason: "no column \"\(name)\" (\(flag)); the columns are \(table.columns.joined(separator: ", "))")
            }
        }
        if let column = label { try requireColumn(column, "--label-column") }
        if let column = id { try requireColumn(column, "--id-column") }
        let labelColumn = label ?? (table.columns.contains("label") ? "label" : nil)
        let idColumn = id ?? (table.columns.contains("id") ? "id" : nil)
        let textColumn: String
        if let column = text {
            try requireColumn(column, "--text-column")
            textColumn = column
        } else if table.columns.contains("text") {
            textColumn = "text"
        } else {
            let candidates = table.columns.filter { table.textColumns.contains($0) && $0 != labelColumn && $0 != idColumn }
            guard candidates.count == 1 else {
                throw DatasetError(file: file, reason: candidates.isEmpty
                    ? "no column holds text; name it with --text-column (the columns are \(table.columns.joined(separator: ", ")))"
                    : "more than one column could be the text (\(candidates.joined(separator: ", "))); name it with --text-column")
            }
            textColumn = candidates[0]
        }
        guard textColumn != labelColumn else { throw DatasetError(file: file, reason: "the text column and the label column are both \"\(textColumn)\"") }
        return (textColumn, labelColumn, idColumn)
    }

    static func requireValidName(_ name: String, reserved: Set<String>) throws {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("-"),
              name.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw DatasetError(file: name, reason: "a dataset name uses letters, digits, - and _ (at most 64, not starting with -)")
        }
        if reserved.contains(name) {
            throw DatasetError(file: name, reason: "\(name) is one of the named datasets, fetched with `alchemist datasets fetch \(name)`; choose another name")
        }
    }

    /// The class list and each row's class id. Labels may be class names (any case) or class ids;
    /// without `given` the classes are the distinct labels in order of first appearance (numbers
    /// sorted, so the id of "0" is 0).
    static func classify(_ rows: [TabularFile.Row], column: String?, given: [String]?, file: String) throws -> ([String], [Int?]) {
        let raw: [String?] = rows.map { row in column.flatMap { row.values[$0]?.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        var classes: [String]
        if let given {
            classes = given.map { $0.trimmingCharacters(in: .whitespaces) }
            if let empty = classes.firstIndex(where: \.isEmpty) { throw DatasetError(file: file, reason: "--classes: class \(empty + 1) has no name") }
            if Set(classes.map { $0.lowercased() }).count != classes.count { throw DatasetError(file: file, reason: "--classes: class names must be distinct") }
        } else {
            guard let column else {
                throw DatasetError(file: file, reason: "no label column (the file has no column \"label\"): name it with --label-column, or give the classes with --classes a,b")
            }
            var seen: [String] = []
            for case let label? in raw where !seen.contains(label) { seen.append(label) }
            let numbers = seen.compactMap { Int($0) }
            classes = numbers.count == seen.count ? numbers.sorted().map(String.init) : seen
            guard classes.count >= 2 else {
                throw DatasetError(file: file, reason: "column \"\(column)\" holds \(classes.count) distinct label(s) (\(classes.joined(separator: ", "))); a task needs two classes: give them with --classes a,b")
            }
        }
        guard classes.count >= 2 else { throw DatasetError(file: file, reason: "--classes: a task needs at least two classes") }
        var labels: [Int?] = []
        for (row, label) in zip(rows, raw) {
            guard let label else { labels.append(nil); continue }
            if let index = classes.firstIndex(of: label) ?? classes.firstIndex(where: { $0.caseInsensitiveCompare(label) == .orderedSame }) {
                labels.append(index)
            } else if given != nil, let id = Int(label), id >= 0, id < classes.count {
                labels.append(id)
            } else {
                throw DatasetError(file: file, example: "line \(row.line)",
                                   reason: "column \"\(column ?? "")\": label \"\(label)\" is neither a class name nor a class id (classes: \(classes.joined(separator: ", ")))")
            }
        }
        return (classes, labels)
    }

    /// Each kept row's id: its value in `column`, else its position among all rows of the file.
    static func rowIDs(_ rows: [TabularFile.Row], all: [TabularFile.Row], column: String?, file: String) throws -> [String] {
        guard let column else {
            var position: [Int: Int] = [:]
            for (index, row) in all.enumerated() { position[row.line] = index }
            return rows.map { String(position[$0.line] ?? 0) }
        }
        var firstLine: [String: Int] = [:]
        return try rows.map { row in
            guard let id = row.values[column]?.trimmingCharacters(in: .whitespaces), !id.isEmpty else {
                throw DatasetError(file: file, example: "line \(row.line)", reason: "column \"\(column)\" (the ids) is empty")
            }
            if let earlier = firstLine[id] {
                throw DatasetError(file: file, example: "line \(row.line)", reason: "column \"\(column)\": id \"\(id)\" is also on line \(earlier)")
            }
            firstLine[id] = row.line
            return id
        }
    }

    /// The provenance of an added file, kept as `source` in dataset.json.
    static func sourceObject(_ plan: DatasetImportPlan) -> [String: Any] {
        [
            "file": plan.request.source.lastPathComponent, "format": plan.format.rawValue,
            "text_column": plan.textColumn, "label_column": plan.labelColumn ?? NSNull(), "id_column": plan.idColumn ?? NSNull(),
            "split_seed": plan.request.seed, "valid_size": plan.validSize.description, "test_size": plan.testSize.description,
            "rows": ["train": plan.split.train.count, "valid": plan.split.valid.count, "test": plan.split.test.count],
            "added": ISO8601DateFormatter().string(from: Date()),
        ]
    }
}
