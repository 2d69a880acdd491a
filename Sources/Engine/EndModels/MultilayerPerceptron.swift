import Foundation

/// One hidden layer of ReLU units on sparse features, softmax output, trained on soft labels by
/// per-example SGD with early stopping; the first layer only touches the columns a row has.
public struct MultilayerPerceptron: EndModel {
    public var id: String { "mlp" }
    public var settings: TrainingSettings
    public let hiddenUnits: Int
    var inputWeights: [Float] = []   // featureCount × hidden
    var hiddenBias: [Float] = []
    var outputWeights: [Float] = []  // hidden × classes
    var outputBias: [Float] = []
    var classes = 0
    /// The seed of the last fit: the first layer starts from its first draws, and a column no
    /// training row has keeps them (so a saved model stores only the columns training changed).
    var initSeed: UInt64 = 0

    public init(hiddenUnits: Int = 64, settings: TrainingSettings = TrainingSettings()) {
        self.hiddenUnits = hiddenUnits
        var settings = settings
        settings.learningRate = min(settings.learningRate, 0.05)
        self.settings = settings
    }

    public mutating func fit(_ rows: TrainingRows, validation: (features: SparseMatrix, labels: [Int])?, seed: UInt64) throws {
        try EndModelInput.validate(rows, validation)
        classes = rows.classes
        var generator = SplitMix64(seed: seed)
        initSeed = seed
        inputWeights = Self.initialInputWeights(count: rows.columnCount * hiddenUnits, generator: &generator)
        hiddenBias = [Float](repeating: 0, count: hiddenUnits)
        let outputScale = (6 / Float(hiddenUnits + classes)).squareRoot()
        outputWeights = (0..<(hiddenUnits * classes)).map { _ in Self.uniform(outputScale, &generator) }
        outputBias = [Float](repeating: 0, count: classes)

        var best = (accuracy: -1.0, state: snapshot())
        var sinceBest = 0
        var hidden = [Float](repeating: 0, count: hiddenUnits)
        var scores = [Float](repeating: 0, count: classes)
        var hiddenGradient = [Float](repeating: 0, count: hiddenUnits)
        for epoch in 0..<settings.maxEpochs {
            let rate = settings.learningRate / (1 + Float(epoch) * 0.1)
            try EndModelInput.epoch(rows, &generator) { columns, values, targets in
                forward(columns, values, hidden: &hidden, scores: &scores)
                let first = targets.startIndex
                for label in 0..<classes { scores[label] -= Float(targets[first + label]) }  // output gradient
                for unit in 0..<hiddenUnits {
                    var sum: Float = 0
                    for label in 0..<classes { sum += outputWeights[unit * classes + label] * scores[label] }
                    hiddenGradient[unit] = hidden[unit] > 0 ? sum : 0
                }
                for unit in 0..<hiddenUnits where hidden[unit] > 0 {
                    for label in 0..<classes {
                        let index = unit * classes + label
                        outputWeights[index] -= rate * (scores[label] * hidden[unit] + settings.l2 * outputWeights[index])
                    }
                }
                for label in 0..<classes { outputBias[label] -= rate * scores[label] }
                for unit in 0..<hiddenUnits where hiddenGradient[unit] != 0 { hiddenBias[unit] -= rate * hiddenGradient[unit] }
                for (column, value) in zip(columns, values) {
                    let base = Int(column) * hiddenUnits
                    for unit in 0..<hiddenUnits where hiddenGradient[unit] != 0 {
                        inputWeights[base + unit] -= rate * (hiddenGradient[unit] * value + settings.l2 * inputWeights[base + unit])
                    }
                }
            }
            guard let validation else { continue }
            let accuracy = EndModelInput.accuracy(self, validation)
            if accuracy > best.accuracy {
                best = (accuracy, snapshot())
                sinceBest = 0
            } else {
                sinceBest += 1
                if sinceBest >= settings.patience { break }
            }
        }
        if validation != nil { restore(best.state) }
    }

    static func uniform(_ scale: Float, _ generator: inout SplitMix64) -> Float {
        (Float(generator.next() >> 40) / Float(1 << 24) * 2 - 1) * scale
    }

    /// The first layer's starting weights: the first `count` draws of the fit's generator, small
    /// because inputs are L2-normalised rows with few non-zeros.
    static func initialInputWeights(count: Int, generator: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in uniform(0.1, &generator) }
    }

    private struct State {
        var inputWeights: [Float], hiddenBias: [Float], outputWeights: [Float], outputBias: [Float]
    }

    private func snapshot() -> State { State(inputWeights: inputWeights, hiddenBias: hiddenBias, outputWeights: outputWeights, outputBias: outputBias) }

    private mutating func restore(_ state: State) {
        inputWeights = state.inputWeights
        hiddenBias = state.hiddenBias
        outputWeights = state.outputWeights
        outputBias = state.outputBias
    }

    private func forward(_ columns: ArraySlice<Int32>, _ values: ArraySlice<Float>, hidden: inout [Float], scores: inout [Float]) {
        for unit in 0..<hiddenUnits { hidden[unit] = hiddenBias[unit] }
        for (column, value) in zip(columns, values) {
            let base = Int(column) * hiddenUnits
            for unit in 0..<hiddenUnits { hidden[unit] += inputWeights[base + unit] * value }
        }
        for unit in 0..<hiddenUnits where hidden[unit] < 0 { hidden[unit] = 0 }
        for label in 0..<classes {
            var sum = outputBias[label]
            for unit in 0..<hiddenUnits { sum += outputWeights[unit * classes + label] * hidden[unit] }
            scores[label] = sum
        }
        EndModelInput.softmax(&scores)
    }

    public func predictProbabilities(_ features: SparseMatrix) -> ProbabilityMatrix {
        var result = ProbabilityMatrix(rows: features.rowCount, classes: max(classes, 1))
        guard classes > 0 else { return result }
        var hidden = [Float](repeating: 0, count: hiddenUnits)
        var scores = [Float](repeating: 0, count: classes)
        for row in 0..<features.rowCount {
            let (columns, values) = features.row(row)
            forward(columns, values, hidden: &hidden, scores: &scores)
            for label in 0..<classes { result[row, label] = Double(scores[label]) }
        }
        return result
    }
}
