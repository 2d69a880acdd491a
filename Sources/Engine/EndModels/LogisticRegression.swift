import Foundation

/// Softmax regression on sparse features, trained on soft labels by per-example SGD with L2
/// weight decay (applied to the weights each example touches) and early stopping.
public struct LogisticRegression: EndModel {
    public var id: String { "lr" }
    public var settings: TrainingSettings
    var weights: [Float] = []   // featureCount × classes, row-major by feature
    var bias: [Float] = []
    var classes = 0

    public init(settings: TrainingSettings = TrainingSettings()) {
        self.settings = settings
    }

    public mutating func fit(_ rows: TrainingRows, validation: (features: SparseMatrix, labels: [Int])?, seed: UInt64) throws {
        try EndModelInput.validate(rows, validation)
        classes = rows.classes
        weights = [Float](repeating: 0, count: rows.columnCount * classes)
        bias = [Float](repeating: 0, count: classes)
        var generator = SplitMix64(seed: seed)
        var best = (accuracy: -1.0, weights: weights, bias: bias)
        var sinceBest = 0
        var scores = [Float](repeating: 0, count: classes)
        for epoch in 0..<settings.maxEpochs {
            let rate = settings.learningRate / (1 + Float(epoch) * 0.1)
            try EndModelInput.epoch(rows, &generator) { columns, values, targets in
                logits(columns, values, into: &scores)
                EndModelInput.softmax(&scores)
                let first = targets.startIndex
                for label in 0..<classes {
                    let gradient = scores[label] - Float(targets[first + label])
                    bias[label] -= rate * gradient
                    for (column, value) in zip(columns, values) {
                        let index = Int(column) * classes + label
                        weights[index] -= rate * (gradient * value + settings.l2 * weights[index])
                    }
                }
            }
            guard let validation else { continue }
            let accuracy = EndModelInput.accuracy(self, validation)
            if accuracy > best.accuracy {
                best = (accuracy, weights, bias)
                sinceBest = 0
            } else {
                sinceBest += 1
                if sinceBest >= settings.patience { break }
            }
        }
        if validation != nil {
            weights = best.weights
            bias = best.bias
        }
    }

    private func logits(_ columns: ArraySlice<Int32>, _ values: ArraySlice<Float>, into scores: inout [Float]) {
        for label in 0..<classes { scores[label] = bias[label] }
        for (column, value) in zip(columns, values) {
            let base = Int(column) * classes
            for label in 0..<classes { scores[label] += weights[base + label] * value }
        }
    }

    public func predictProbabilities(_ features: SparseMatrix) -> ProbabilityMatrix {
        var result = ProbabilityMatrix(rows: features.rowCount, classes: max(classes, 1))
        guard classes > 0 else { return result }
        var scores = [Float](repeating: 0, count: classes)
        for row in 0..<features.rowCount {
            let (columns, values) = features.row(row)
            logits(columns, values, into: &scores)
            EndModelInput.softmax(&scores)
            for label in 0..<classes { result[row, label] = Double(scores[label]) }
        }
        return result
    }
}
