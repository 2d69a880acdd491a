import Foundation

/// How a new program did on labeled rows before it is saved.
public struct SmokeTestResult: Sendable, Equatable {
    public var split: String
    public var rows: Int
    /// Share of rows the program voted on.
    public var coverage: Double
    /// Accuracy on the covered rows with a gold label; nil without labels or votes.
    public var accuracy: Double?
    /// Votes per class id.
    public var votesPerClass: [Int]
    /// Why the program does not load (syntax error, forbidden import, no label_function); nil when it loads.
    public var loadError: String?
    public var errors: Int
    public var timeouts: Int
    public var firstError: String?

    public var loads: Bool { loadError == nil }

    public var summary: String {
        if let loadError { return "does not load: \(loadError)" }
        var parts = ["\(split) \(rows) rows", String(format: "coverage %.1f %%", coverage * 100)]
        if let accuracy { parts.append(String(format: "accuracy %.1f %% on covered rows", accuracy * 100)) }
        parts.append("votes " + votesPerClass.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " "))
        if errors + timeouts > 0 { parts.append("\(errors) errors, \(timeouts) timeouts" + (firstError.map { " (\($0))" } ?? "")) }
        return parts.joined(separator: ", ")
    }
}

/// Runs a program in the sandbox on the labeled valid split (else a slice of train), up to `maxRows`.
public struct SmokeTester: Sendable {
    public var split: String
    public var texts: [String]
    public var labels: [Int?]
    public var classCount: Int
    public var applier: ProgramApplier

    public init(dataset: Dataset, settings: SandboxSettings, maxRows: Int = 2000) throws {
        let chosen: (SplitName, DatasetSplit)
        if let valid = dataset.splits[.valid], valid.count > 0 {
            chosen = (.valid, valid)
        } else {
            chosen = (.train, try dataset.split(.train))
        }
        split = chosen.0.rawValue
        texts = Array(chosen.1.texts.prefix(maxRows))
        labels = Array(chosen.1.labels.prefix(maxRows))
        classCount = dataset.classCount
        applier = ProgramApplier(settings: settings)
    }

    public func run(code: String, name: String = "new program") async throws -> SmokeTestResult {
        let program = LabelingProgram(name: name, code: code)
        let outcome = try await applier.apply([program], to: texts, classCount: classCount)
        let report = outcome.reports[0]
        var votes = [Int](repeating: 0, count: classCount)
        var covered = 0, judged = 0, right = 0
        for row in 0..<outcome.matrix.rows {
            let vote = Int(outcome.matrix.row(row).first ?? -1)
            guard vote >= 0 else { continue }
            covered += 1
            votes[vote] += 1
            if let gold = labels[row] {
                judged += 1
                if gold == vote { right += 1 }
            }
        }
        return SmokeTestResult(
            split: split, rows: texts.count, coverage: texts.isEmpty ? 0 : Double(covered) / Double(texts.count),
            accuracy: judged > 0 ? Double(right) / Double(judged) : nil, votesPerClass: votes, loadError: report.loadError,
            errors: report.errors + report.invalid + report.kills, timeouts: report.timeouts, firstError: report.firstError)
    }
}
