import Foundation

/// The results of labeling runs on disk: a readable log per configuration and one CSV row per run.
public struct ExperimentLog: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// `<folder>/<dataset>/<mode>[_<prior>]_<model>.txt`, replaced by each run of that configuration.
    public func logFile(dataset: String, mode: String, prior: String?, model: String) -> URL {
        let name = [mode, prior].compactMap { $0 }.joined(separator: "_") + "_\(model.replacingOccurrences(of: "/", with: "_")).txt"
        return folder.appendingPathComponent(dataset).appendingPathComponent(name)
    }

    public var resultsFile: URL { folder.appendingPathComponent("results.csv") }

    /// Writes the log and appends the CSV row; returns the log file.
    @discardableResult
    public func record(_ result: LabelingRunResult, mode: String, prior: String?, model: String, date: Date = Date(),
                       runID: String? = nil) throws -> URL {
        let file = logFile(dataset: result.dataset, mode: mode, prior: prior, model: model)
        try AtomicFile.write(Data(Self.text(result, mode: mode, prior: prior, model: model, date: date, runID: runID).utf8), to: file)
        try appendRow(result, mode: mode, prior: prior, model: model, date: date, runID: runID)
        return file
    }

    public static let csvHeader = "date,dataset,mode,prior,code_model,programs,runs,coverage_train,best_label_model,label_model_test_accuracy,label_model_test_f1,lr_test_accuracy,lr_test_f1,mlp_test_accuracy,mlp_test_f1,cost_usd,seconds,run_id"

    func appendRow(_ result: LabelingRunResult, mode: String, prior: String?, model: String, date: Date, runID: String? = nil) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try addRunIDColumnIfMissing()
        let best = result.labelModels.first { $0.id == result.bestLabelModel }?.scores.test
        func end(_ id: EndModelID) -> SplitScores? { result.endModels.first { $0.id == id }?.scores.test }
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "" }
        func quoted(_ text: String) -> String { text.contains(",") || text.contains("\"") ? "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"" : text }
        let fields = [
            ISO8601DateFormatter().string(from: date), result.dataset, mode, prior ?? "", model, String(result.programs), String(result.runs),
            number(result.coverage[.train]), result.bestLabelModel.rawValue, number(best?.accuracy.mean), number(best?.f1.mean),
            number(end(.lr)?.accuracy.mean), number(end(.lr)?.f1.mean), number(end(.mlp)?.accuracy.mean), number(end(.mlp)?.f1.mean),
            "\(result.costUSD)", String(format: "%.2f", result.seconds), runID ?? "",
        ].map(quoted)
        let isNew = !FileManager.default.fileExists(atPath: resultsFile.path)
        let line = (isNew ? Self.csvHeader + "\n" : "") + fields.joined(separator: ",") + "\n"
        // One write on a descriptor opened for appending: concurrent runs do not interleave lines.
        let descriptor = open(resultsFile.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw LabelModelError("\(resultsFile.path): cannot open for appending") }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw LabelModelError("\(resultsFile.path): write failed") }
    }

    /// A results.csv written before runs were saved gets the `run_id` column (empty for its rows),
    /// rewritten whole through a temporary file, so old and new rows share one header.
    func addRunIDColumnIfMissing() throws {
        guard let text = try? String(contentsOf: resultsFile, encoding: .utf8), let header = text.split(separator: "\n").first,
              !header.split(separator: ",").contains("run_id") else { return }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { line -> String in
            let body = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            return body + (body == String(header) ? ",run_id" : ",")
        }
        try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: resultsFile)
    }

    /// The readable results table.
    public static func text(_ result: LabelingRunResult, mode: String, prior: String?, model: String, date: Date, runID: String? = nil) -> String {
        func pair(_ value: MeanStd) -> String { String(format: "%.4f ± %.4f", value.mean, value.std) }
        var out = "Alchemist labeling run — \(ISO8601DateFormatter().string(from: date))\(runID.map { "   run \($0)" } ?? "")\n"
        out += "dataset: \(result.dataset)   mode: \(mode)\(prior.map { "   prior: \($0)" } ?? "")   code model: \(model)\n"
        out += "programs: \(result.programs)   runs: \(result.runs)   cost of the programs: $\(result.costUSD)\n"
        let coverage = SplitName.allCases.compactMap { split in result.coverage[split].map { "\(split.rawValue) \(String(format: "%.1f%%", $0 * 100))" } }
        out += "coverage: \(coverage.joined(separator: ", "))\n\n"
        out += "label model   test accuracy       test F1             valid accuracy      fit s\n"
        for (id, scores) in result.labelModels {
            out += id.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) + pair(scores.test.accuracy) + "   " + pair(scores.test.f1) + "   "
            out += (scores.valid.map { pair($0.accuracy) } ?? "–".padding(toLength: 17, withPad: " ", startingAt: 0)) + "   "
            out += String(format: "%.3f", scores.fitSeconds) + (id == result.bestLabelModel ? (result.selectionMetric == .none ? "   ← kept (no valid labels: the first listed)" : "   ← best (valid \(result.selectionMetric.rawValue))") : "") + "\n"
        }
        if !result.endModels.isEmpty {
            out += "\nend model (on \(result.trainingRows) covered train rows, soft labels of \(result.bestLabelModel.rawValue))\n"
            out += "              test accuracy       test F1             fit s\n"
            for (id, scores) in result.endModels {
                out += id.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0) + pair(scores.test.accuracy) + "   " + pair(scores.test.f1) + "   "
                out += String(format: "%.3f", scores.fitSeconds) + "\n"
            }
        }
        out += String(format: "\ntotal time: %.2f s\n", result.seconds)
        return out
    }
}
