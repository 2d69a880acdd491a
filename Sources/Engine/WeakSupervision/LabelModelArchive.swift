import Foundation

/// Fitted label models to and from a `ParameterArchive`: every stored number, so a model read back
/// predicts exactly what the fitted one did.
extension LabelModelID {
    /// - Throws: `LabelModelError` for a model type this tool does not know.
    public static func archive(_ model: any LabelModel) throws -> ParameterArchive {
        switch model {
        case let model as MajorityVote: return model.archived()
        case let model as WeightedMajorityVote: return model.archived()
        case let model as DawidSkene: return model.archived()
        case let model as SnorkelLabelModel: return model.archived()
        case let model as FlyingSquid: return model.archived()
        default: throw LabelModelError("label model \(model.id) cannot be saved")
        }
    }

    /// The model an archive holds, its kind being a label model id.
    public static func restore(_ archive: ParameterArchive) throws -> any LabelModel {
        guard let id = LabelModelID(rawValue: archive.kind) else {
            throw ParameterArchiveError(file: archive.kind, reason: "not a label model (known: \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        switch id {
        case .mv: return try MajorityVote(archive: archive)
        case .wmv: return try WeightedMajorityVote(archive: archive)
        case .ds: return try DawidSkene(archive: archive)
        case .snorkel: return try SnorkelLabelModel(archive: archive)
        case .fs: return try FlyingSquid(archive: archive)
        }
    }
}

/// Rows of equal length stored flat, with the row count beside them.
private extension ParameterArchive {
    mutating func setRows(_ name: String, _ rows: [[Double]]) {
        numbers[name + ".rows"] = Double(rows.count)
        doubles[name] = rows.flatMap { $0 }
    }

    func rows(_ name: String) throws -> [[Double]] {
        let count = try integer(name + ".rows")
        let flat = try doubleArray(name)
        guard count > 0 else { return [] }
        guard flat.count % count == 0 else {
            throw ParameterArchiveError(file: kind, reason: "\"\(name)\": \(flat.count) values do not make \(count) rows")
        }
        let width = flat.count / count
        return (0..<count).map { Array(flat[($0 * width)..<(($0 + 1) * width)]) }
    }
}

extension MajorityVote {
    func archived() -> ParameterArchive {
        var archive = ParameterArchive(kind: id)
        archive.numbers = ["classCount": Double(classCount), "programCount": Double(programCount)]
        archive.doubles = ["prior": prior]
        return archive
    }

    init(archive: ParameterArchive) throws {
        try archive.expect(kind: "mv")
        self.init()
        classCount = try archive.integer("classCount")
        programCount = try archive.integer("programCount")
        prior = try archive.doubleArray("prior", count: classCount)
    }
}

extension WeightedMajorityVote {
    func archived() -> ParameterArchive {
        var archive = ParameterArchive(kind: id)
        archive.numbers = ["classCount": Double(classCount)]
        archive.doubles = ["estimatedAccuracies": estimatedAccuracies, "weights": weights, "prior": prior]
        return archive
    }

    init(archive: ParameterArchive) throws {
        try archive.expect(kind: "wmv")
        self.init()
        classCount = try archive.integer("classCount")
        estimatedAccuracies = try archive.doubleArray("estimatedAccuracies")
        weights = try archive.doubleArray("weights", count: estimatedAccuracies.count)
        prior = try archive.doubleArray("prior", count: classCount)
    }
}

extension DawidSkene {
    func archived() -> ParameterArchive {
        var archive = ParameterArchive(kind: id)
        archive.numbers = ["abstainsObserved": abstains == .observed ? 1 : 0, "smoothing": smoothing, "maxIterations": Double(maxIterations),
                           "tolerance": tolerance, "classCount": Double(classCount), "programCount": Double(programCount),
                           "iterations": Double(iterations)]
        archive.doubles = ["classPrior": classPrior, "abstainPrior": abstainPrior, "logPrior": logPrior, "logConfusion": logConfusion]
        archive.setRows("confusion", confusion)
        return archive
    }

    init(archive: ParameterArchive) throws {
        try archive.expect(kind: "ds")
        self.init(smoothing: try archive.number("smoothing"), maxIterations: try archive.integer("maxIterations"),
                  tolerance: try archive.number("tolerance"), abstains: try archive.number("abstainsObserved") == 1 ? .observed : .ignored)
        classCount = try archive.integer("classCount")
        programCount = try archive.integer("programCount")
        iterations = try archive.integer("iterations")
        classPrior = try archive.doubleArray("classPrior", count: classCount)
        abstainPrior = try archive.doubleArray("abstainPrior", count: classCount)
        logPrior = try archive.doubleArray("logPrior", count: classCount)
        logConfusion = try archive.doubleArray("logConfusion", count: programCount * classCount * responseCount)
        confusion = try archive.rows("confusion")
    }
}

extension SnorkelLabelModel {
    func archived() -> ParameterArchive {
        var archive = ParameterArchive(kind: id)
        archive.numbers = ["initialPrecision": initialPrecision, "maxSteps": Double(maxSteps), "learningRate": learningRate,
                           "regularization": regularization, "programCount": Double(programCount), "classCount": Double(classCount),
                           "stepsTaken": Double(stepsTaken)]
        archive.doubles = ["classBalance": classBalance, "conditionals": conditionals]
        return archive
    }

    init(archive: ParameterArchive) throws {
        try archive.expect(kind: "snorkel")
        self.init(initialPrecision: try archive.number("initialPrecision"), maxSteps: try archive.integer("maxSteps"),
                  learningRate: try archive.number("learningRate"), regularization: try archive.number("regularization"))
        programCount = try archive.integer("programCount")
        classCount = try archive.integer("classCount")
        stepsTaken = try archive.integer("stepsTaken")
        classBalance = try archive.doubleArray("classBalance", count: classCount)
        conditionals = try archive.doubleArray("conditionals", count: programCount * classCount * classCount)
    }
}

extension FlyingSquid {
    func archived() -> ParameterArchive {
        var archive = ParameterArchive(kind: id)
        archive.numbers = ["minimumCoVotes": Double(minimumCoVotes), "maximumAccuracyParameter": maximumAccuracyParameter,
                           "programCount": Double(programCount), "classCount": Double(classCount), "fitted": fitted ? 1 : 0]
        archive.doubles = ["estimatedAccuracies": estimatedAccuracies, "prior": prior]
        archive.setRows("accuracyParameters", accuracyParameters)
        return archive
    }

    init(archive: ParameterArchive) throws {
        try archive.expect(kind: "fs")
        self.init(minimumCoVotes: try archive.integer("minimumCoVotes"),
                  maximumAccuracyParameter: try archive.number("maximumAccuracyParameter"))
        programCount = try archive.integer("programCount")
        classCount = try archive.integer("classCount")
        fitted = try archive.number("fitted") == 1
        estimatedAccuracies = try archive.doubleArray("estimatedAccuracies", count: programCount)
        prior = try archive.doubleArray("prior", count: classCount)
        accuracyParameters = try archive.rows("accuracyParameters")
    }
}
