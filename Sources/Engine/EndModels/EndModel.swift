import Foundation

/// A small classifier trained on the label model's soft labels, so the final labels generalise
/// beyond the rows the programs cover.
public protocol EndModel: Sendable {
    /// Short id used on the command line and in results: lr, mlp.
    var id: String { get }
    /// Trains on the rows' targets (one probability row per feature row), visiting the rows block by
    /// block in a seeded order each epoch (`EndModelInput.epoch`). With `validation` (features and
    /// gold labels) training stops when validation accuracy has not improved for a few epochs and
    /// the best epoch's weights are kept. Deterministic for a given seed.
    mutating func fit(_ rows: TrainingRows, validation: (features: SparseMatrix, labels: [Int])?, seed: UInt64) throws
    func predictProbabilities(_ features: SparseMatrix) -> ProbabilityMatrix
}

extension EndModel {
    public func predict(_ features: SparseMatrix) -> [Int] { predictProbabilities(features).argmax() }

    /// Trains on rows already in memory, as one block.
    public mutating func fit(_ features: SparseMatrix, targets: ProbabilityMatrix, validation: (features: SparseMatrix, labels: [Int])?,
                             seed: UInt64) throws {
        guard features.rowCount == targets.rows else {
            throw LabelModelError("end model: \(features.rowCount) feature rows but \(targets.rows) target rows")
        }
        try fit(TrainingRows(TrainingBlock(features: features, targets: targets)), validation: validation, seed: seed)
    }
}

/// Settings shared by the end models' training loops.
public struct TrainingSettings: Sendable, Equatable {
    public var maxEpochs = 40
    /// Epochs without a better validation accuracy before stopping.
    public var patience = 5
    public var learningRate: Float = 0.1
    public var l2: Float = 1e-5
    public init() {}
}

enum EndModelInput {
    static func validate(_ rows: TrainingRows, _ validation: (features: SparseMatrix, labels: [Int])?) throws {
        guard rows.rowCount > 0 else { throw LabelModelError("end model: no training rows (did the programs cover nothing?)") }
        if let validation {
            guard validation.features.rowCount == validation.labels.count else {
                throw LabelModelError("end model: \(validation.features.rowCount) validation rows but \(validation.labels.count) labels")
            }
            if let bad = validation.labels.first(where: { $0 < 0 || $0 >= rows.classes }) {
                throw LabelModelError("end model: validation label \(bad) is outside 0..\(rows.classes - 1)")
            }
        }
    }

    static func softmax(_ logits: inout [Float]) {
        let top = logits.max() ?? 0
        var sum: Float = 0
        for index in logits.indices {
            logits[index] = exp(logits[index] - top)
            sum += logits[index]
        }
        for index in logits.indices { logits[index] /= sum }
    }

    static func accuracy(_ model: some EndModel, _ validation: (features: SparseMatrix, labels: [Int])) -> Double {
        let predicted = model.predict(validation.features)
        let correct = zip(predicted, validation.labels).filter { $0 == $1 }.count
        return Double(correct) / Double(max(1, validation.labels.count))
    }

    static func shuffled(_ count: Int, _ generator: inout SplitMix64) -> [Int] {
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        return order
    }

    /// One epoch: every training row once, with its targets. One block is visited in a shuffled
    /// order; several blocks in a shuffled order of blocks, each block's rows shuffled, so only one
    /// block is read at a time.
    static func epoch(_ rows: TrainingRows, _ generator: inout SplitMix64,
                      _ visit: (ArraySlice<Int32>, ArraySlice<Float>, ArraySlice<Double>) -> Void) throws {
        let order = rows.blockCount == 1 ? [0] : shuffled(rows.blockCount, &generator)
        for index in order {
            let block = try rows.block(index)
            for row in shuffled(block.features.rowCount, &generator) {
                let (columns, values) = block.features.row(row)
                visit(columns, values, block.targets.row(row))
            }
        }
    }
}
