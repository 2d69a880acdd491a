import Foundation

/// Why the uncovered rows cannot be walked.
public struct NoEnabledPrograms: Error, CustomStringConvertible, Sendable {
    public let dataset: String
    public var description: String {
        "\(dataset) has no enabled programs, so every row is uncovered: generate some (enter in setup) or enable them in the browser (p)"
    }
}

extension HandLabelQueue {
    /// The unlabeled train rows (not hand-labeled yet) on which every one of `programs` abstains,
    /// in file order: the programs run in the sandbox on those rows.
    /// - Throws: `NoEnabledPrograms` when `programs` is empty; the applier's `SandboxError` or
    ///   `CancellationError`.
    public static func uncovered(in dataset: Dataset, excluding labels: HandLabels, programs: [LabelingProgram],
                                 settings: SandboxSettings) async throws -> HandLabelQueue {
        guard !programs.isEmpty else { throw NoEnabledPrograms(dataset: dataset.name) }
        let rows = candidates(in: dataset, excluding: labels, splits: [.train])
        let outcome = try await ProgramApplier(settings: settings).apply(programs, to: rows.map(\.text), classCount: dataset.classCount)
        let uncovered = rows.indices.filter { row in !outcome.matrix.row(row).contains { $0 >= 0 } }
        return HandLabelQueue(source: .uncovered, rows: uncovered.map { rows[$0] })
    }
}
