import Foundation

/// Fitted end models and their text features to and from a `ParameterArchive`, so a saved model
/// turns new texts into exactly the probabilities the run's model gave.
extension EndModelID {
    /// - Throws: `LabelModelError` for a model type this tool does not know.
    public static func archive(_ model: any EndModel) throws -> ParameterArchive {
        switch model {
        case let model as LogisticRegression: return model.archived()
        case let model as MultilayerPerceptron: return model.archived()
        default: throw LabelModelError("end model \(model.id) cannot be saved")
        }
    }

    public static func restore(_ archive: ParameterArchive) throws -> any EndModel {
        switch EndModelID(rawValue: archive.kind) {
        case .lr: return try LogisticRegression(archive: archive)
        case .mlp: return try MultilayerPerceptron(archive: archive)
        case nil:
            throw ParameterArchiveError(file: archive.kind, reason: "not an end model (known: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }
}

extension TrainingSettings {
    func archive(into archive: inout ParameterArchive) {
        archive.numbers["maxEpochs"] = Double(maxEpochs)
        archive.numbers["patience"] = Double(patience)
        archive.numbers["learningRate"] = Double(learningRate)
        archive.numbers["l2"] = Double(l2)
    }

    init(archive: ParameterArchive) throws {
        self.init()
        maxEpochs = try archive.integer("maxEpochs")
        patience = try archive.integer("patience")
        learningRate = Float(try archive.number("learningRate"))
        l2 = Float(try archive.number("l2"))
    }
}

extension LogisticRegression {
    func archived() -> ParameterArchive {
        var archive = ParameterArchive(kind: id)
        settings.archive(into: &archive)
        archive.numbers["classes"] = Double(classes)
        archive.floats = ["weights": weights, "bias": bias]
        return archive
    }

    init(archive: ParameterArchive) throws {
        try archive.expect(kind: "lr")
        self.init(settings: try TrainingSettings(archive: archive))
        classes = try archive.integer("classes")
        bias = try archive.floatArray("bias", count: classes)
        weights = try archive.floatArray("weights")
        guard classes > 0, weights.count % classes == 0 else {
            throw ParameterArchiveError(file: archive.kind, reason: "\(weights.count) weights do not fit \(classes) classes")
        }
    }
}

extension MultilayerPerceptron {
    func archived() -> ParameterArchive {
        var archive = ParameterArchive(kind: id)
        settings.archive(into: &archive)
        archive.numbers["classes"] = Double(classes)
        archive.numbers["hiddenUnits"] = Double(hiddenUnits)
        archive.floats = ["hiddenBias": hiddenBias, "outputWeights": outputWeights, "outputBias": outputBias]
        // The first layer is millions of weights, most still at their start: keep the start's seed
        // and the columns that differ from it (compared bit for bit, so reading back is exact).
        guard hiddenUnits > 0, initSeed < 1 << 53 else {
            archive.floats["inputWeights"] = inputWeights
            return archive
        }
        var generator = SplitMix64(seed: initSeed)
        let start = Self.initialInputWeights(count: inputWeights.count, generator: &generator)
        var columns: [Double] = [], weights: [Float] = []
        for column in 0..<(inputWeights.count / hiddenUnits) {
            let range = (column * hiddenUnits)..<((column + 1) * hiddenUnits)
            if range.contains(where: { inputWeights[$0].bitPattern != start[$0].bitPattern }) {
                columns.append(Double(column))
                weights += inputWeights[range]
            }
        }
        archive.numbers["initSeed"] = Double(initSeed)
        archive.numbers["inputColumns"] = Double(inputWeights.count / hiddenUnits)
        archive.doubles["changedColumns"] = columns
        archive.floats["changedInputWeights"] = weights
        return archive
    }

    init(archive: ParameterArchive) throws {
        try archive.expect(kind: "mlp")
        let hidden = try archive.integer("hiddenUnits")
        self.init(hiddenUnits: hidden, settings: try TrainingSettings(archive: archive))
        settings = try TrainingSettings(archive: archive)  // the init lowers the rate; keep what was trained
        classes = try archive.integer("classes")
        hiddenBias = try archive.floatArray("hiddenBias", count: hidden)
        outputWeights = try archive.floatArray("outputWeights", count: hidden * classes)
        outputBias = try archive.floatArray("outputBias", count: classes)
        if archive.floats["inputWeights"] != nil {
            inputWeights = try archive.floatArray("inputWeights")
        } else {
            let seed = try archive.integer("initSeed"), count = try archive.integer("inputColumns") * hidden
            let columns = try archive.doubleArray("changedColumns")
            let changed = try archive.floatArray("changedInputWeights", count: columns.count * hidden)
            var generator = SplitMix64(seed: UInt64(seed))
            inputWeights = Self.initialInputWeights(count: count, generator: &generator)
            initSeed = UInt64(seed)
            for (index, column) in columns.enumerated() {
                guard let column = Int(exactly: column), column >= 0, (column + 1) * hidden <= count else {
                    throw ParameterArchiveError(file: archive.kind, reason: "changed column \(column) is outside the \(count / hidden) input columns")
                }
                for unit in 0..<hidden { inputWeights[column * hidden + unit] = changed[index * hidden + unit] }
            }
        }
        guard hidden > 0, inputWeights.count % hidden == 0 else {
            throw ParameterArchiveError(file: archive.kind, reason: "\(inputWeights.count) input weights do not fit \(hidden) hidden units")
        }
    }
}

extension HashedTFIDF {
    /// The fitted features' settings: the column count as bits and the learned idf weights.
    public func archive(into archive: inout ParameterArchive) {
        archive.numbers["featureBits"] = Double(featureCount.trailingZeroBitCount)
        archive.floats["idf"] = inverseDocumentFrequency
    }

    public init(archive: ParameterArchive) throws {
        let bits = try archive.integer("featureBits")
        guard Self.bitsRange.contains(bits) else {
            throw ParameterArchiveError(file: archive.kind, reason: "feature bits \(bits) out of range")
        }
        self.init(bits: bits, inverseDocumentFrequency: try archive.floatArray("idf", count: 1 << bits))
    }
}
