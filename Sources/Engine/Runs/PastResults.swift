import Foundation

/// One row of exp_log/results.csv: a finished labeling run.
public struct PastResult: Sendable, Equatable {
    /// The `date` field as written (ISO 8601) and parsed.
    public var dateText: String
    public var date: Date?
    public var dataset: String
    public var mode: String
    public var prior: String?
    public var codeModel: String
    public var programs: Int
    public var runs: Int
    public var trainCoverage: Double?
    public var bestLabelModel: String
    public var labelModelTestAccuracy: Double?
    public var labelModelTestF1: Double?
    public var lrTestAccuracy: Double?
    public var lrTestF1: Double?
    public var mlpTestAccuracy: Double?
    public var mlpTestF1: Double?
    public var costUSD: Decimal
    public var seconds: Double?
    /// The row's line in the file (the header is line 1).
    public var line: Int
    /// The saved run of the row (`RunFolder`), when it was saved and still exists.
    public var runID: String?
    public var runFolder: URL?
    /// The configuration's readable log beside results.csv.
    public var logFile: URL?

    public init(dateText: String, date: Date?, dataset: String, mode: String, prior: String?, codeModel: String, programs: Int, runs: Int,
                trainCoverage: Double?, bestLabelModel: String, labelModelTestAccuracy: Double?, labelModelTestF1: Double?,
                lrTestAccuracy: Double?, lrTestF1: Double?, mlpTestAccuracy: Double?, mlpTestF1: Double?, costUSD: Decimal,
                seconds: Double?, line: Int) {
        self.dateText = dateText
        self.date = date
        self.dataset = dataset
        self.mode = mode
        self.prior = prior
        self.codeModel = codeModel
        self.programs = programs
        self.runs = runs
        self.trainCoverage = trainCoverage
        self.bestLabelModel = bestLabelModel
        self.labelModelTestAccuracy = labelModelTestAccuracy
        self.labelModelTestF1 = labelModelTestF1
        self.lrTestAccuracy = lrTestAccuracy
        self.lrTestF1 = lrTestF1
        self.mlpTestAccuracy = mlpTestAccuracy
        self.mlpTestF1 = mlpTestF1
        self.costUSD = costUSD
        self.seconds = seconds
        self.line = line
    }
}

/// A results.csv row that cannot be read; names the file and the line.
public struct PastResultsError: InputError, Equatable {
    public let file: String
    public let line: Int
    public let reason: String
    public var description: String { "\(file):\(line): \(reason)" }
}

/// Reads the rows `ExperimentLog` appends to results.csv.
public enum PastResults {
    /// The rows of `file`, newest first (rows with the same date: the later line first); no file, no
    /// rows. A row's saved run is looked for under `runsFolder`.
    public static func read(_ file: URL, runsFolder: URL? = nil) throws -> [PastResult] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let text: String
        do { text = try String(contentsOf: file, encoding: .utf8) } catch {
            throw PastResultsError(file: file.path, line: 0, reason: "cannot read the file (\(error.localizedDescription))")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.last == "" { lines.removeLast() }
        guard let headerLine = lines.first else { return [] }
        let header = try fields(headerLine, file: file.path, line: 1)
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        // run_id came later: files written before it are read without it.
        let needed = ExperimentLog.csvHeader.split(separator: ",").map(String.init).filter { $0 != "run_id" }
        if let missing = needed.first(where: { columns[$0] == nil }) {
            throw PastResultsError(file: file.path, line: 1, reason: "the header has no \"\(missing)\" column")
        }
        var rows: [PastResult] = []
        for (index, text) in lines.enumerated().dropFirst() where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = index + 1
            let values = try fields(text, file: file.path, line: number)
            guard values.count == header.count else {
                throw PastResultsError(file: file.path, line: number, reason: "\(values.count) fields where the header has \(header.count)")
            }
            var row = try row(values, columns: columns, file: file.path, line: number)
            row.logFile = ExperimentLog(folder: file.deletingLastPathComponent())
                .logFile(dataset: row.dataset, mode: row.mode, prior: row.prior, model: row.codeModel)
            if let index = columns["run_id"], !values[index].isEmpty {
                row.runID = values[index]
                let folder = runsFolder?.appendingPathComponent(row.dataset).appendingPathComponent(values[index])
                if let folder, FileManager.default.fileExists(atPath: folder.appendingPathComponent(RunFolder.manifestFile).path) {
                    row.runFolder = folder
                }
            }
            rows.append(row)
        }
        // Sorting on the date, then the line, keeps the order total even for unparsable dates.
        return rows.sorted { ($0.date ?? .distantPast, $0.line) > ($1.date ?? .distantPast, $1.line) }
    }

    static func row(_ values: [String], columns: [String: Int], file: String, line: Int) throws -> PastResult {
        func text(_ name: String) -> String { columns[name].map { values[$0] } ?? "" }
        func integer(_ name: String) throws -> Int {
            guard let value = Int(text(name)) else { throw PastResultsError(file: file, line: line, reason: "\(name): \"\(text(name))\" is not a whole number") }
            return value
        }
        func number(_ name: String) throws -> Double? {
            let value = text(name)
            if value.isEmpty { return nil }
            guard let number = Double(value) else { throw PastResultsError(file: file, line: line, reason: "\(name): \"\(value)\" is not a number") }
            return number
        }
        guard let cost = Decimal(string: text("cost_usd"), locale: Locale(identifier: "en_US_POSIX")), !text("cost_usd").isEmpty else {
            throw PastResultsError(file: file, line: line, reason: "cost_usd: \"\(text("cost_usd"))\" is not an amount")
        }
        return PastResult(
            dateText: text("date"), date: ISO8601DateFormatter().date(from: text("date")), dataset: text("dataset"), mode: text("mode"),
            prior: text("prior").isEmpty ? nil : text("prior"), codeModel: text("code_model"), programs: try integer("programs"),
            runs: try integer("runs"), trainCoverage: try number("coverage_train"), bestLabelModel: text("best_label_model"),
            labelModelTestAccuracy: try number("label_model_test_accuracy"), labelModelTestF1: try number("label_model_test_f1"),
            lrTestAccuracy: try number("lr_test_accuracy"), lrTestF1: try number("lr_test_f1"),
            mlpTestAccuracy: try number("mlp_test_accuracy"), mlpTestF1: try number("mlp_test_f1"), costUSD: cost,
            seconds: try number("seconds"), line: line)
    }

    /// Splits one CSV line: fields separated by commas, a field in double quotes may hold commas,
    /// and `""` inside it is a quote (how `ExperimentLog` writes them).
    static func fields(_ line: String, file: String, line number: Int) throws -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = line.makeIterator()
        var fieldStart = true
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    // A quote either ends the field or, doubled, stands for itself.
                    var lookahead = characters
                    if lookahead.next() == "\"" {
                        current.append("\"")
                        characters = lookahead
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "," {
                fields.append(current)
                current = ""
                fieldStart = true
                continue
            } else if character == "\"" && fieldStart {
                quoted = true
            } else if character == "\"" {
                throw PastResultsError(file: file, line: number, reason: "a quote inside an unquoted field")
            } else {
                current.append(character)
            }
            fieldStart = false
        }
        guard !quoted else { throw PastResultsError(file: file, line: number, reason: "a quoted field is never closed") }
        fields.append(current)
        return fields
    }
}
