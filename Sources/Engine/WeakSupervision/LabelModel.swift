/// How a class is chosen when probabilities tie.
public enum TieBreakPolicy: Sendable, Equatable {
    /// The tied class with the lowest id (deterministic, the default).
    case lowestClass
    /// A tied class drawn uniformly with a seeded generator (reproducible for a seed).
    case random(seed: UInt64)
}

/// Votes of programs on labeled rows: the validation data a label model may use.
public struct LabeledMatrix: Sendable {
    public var matrix: LabelMatrix
    /// Gold class per row, same row count as `matrix`.
    public var labels: [Int]

    public init(matrix: LabelMatrix, labels: [Int]) {
        self.matrix = matrix
        self.labels = labels
    }
}

/// Class probabilities per row, stored flat (row-major).
public struct ProbabilityMatrix: Sendable, Equatable {
    public internal(set) var rows: Int
    public let classes: Int
    public var values: [Double]

    public init(rows: Int, classes: Int, values: [Double]) {
        precondition(values.count == rows * classes, "one value per row and class")
        self.rows = rows
        self.classes = classes
        self.values = values
    }

    public init(rows: Int, classes: Int, fill: Double = 0) {
        self.init(rows: rows, classes: classes, values: [Double](repeating: fill, count: rows * classes))
    }

    public subscript(row: Int, label: Int) -> Double {
        get { values[row * classes + label] }
        set { values[row * classes + label] = newValue }
    }

    public func row(_ row: Int) -> ArraySlice<Double> { values[(row * classes)..<((row + 1) * classes)] }

    /// The most probable class of each row; ties (within 1e-12) follow `tieBreak`.
    public func argmax(tieBreak: TieBreakPolicy = .lowestClass) -> [Int] {
        var generator = SplitMix64(seed: { if case .random(let seed) = tieBreak { return seed } else { return 0 } }())
        return (0..<rows).map { row in
            let slice = self.row(row)
            guard let best = slice.max() else { return 0 }
            let tied = slice.indices.filter { slice[$0] >= best - 1e-12 }.map { $0 - row * classes }
            switch tieBreak {
            case .lowestClass: return tied[0]
            case .random: return tied.count == 1 ? tied[0] : tied[Int(generator.next() % UInt64(tied.count))]
            }
        }
    }
}

/// A weak-supervision label model: learns how far to trust each program from their votes
/// (and, where it uses them, labeled validation rows), then turns votes into class probabilities.
///
/// Conventions shared by every model: -1 is an abstain; a row on which every program abstains
/// gets the class prior (class frequencies of the validation labels when given, else uniform);
/// `fit` is deterministic for a given seed.
public protocol LabelModel: Sendable {
    /// Short id used on the command line and in results: mv, wmv, ds, snorkel, fs.
    var id: String { get }
    /// Fits from the training votes' patterns (`VotePatterns`): a model's fit depends on the rows
    /// only through how often each pattern occurs.
    /// - Throws: `LabelModelError` on votes outside -1..<classCount or mismatched validation data.
    mutating func fit(_ patterns: VotePatterns, classCount: Int, validation: LabeledMatrix?, seed: UInt64) throws
    /// - Throws: `LabelModelError` when not fitted, or when the matrix has another number of programs.
    func predictProbabilities(_ matrix: LabelMatrix) throws -> ProbabilityMatrix
}

extension LabelModel {
    /// Fits from every row of `matrix` (its patterns counted first).
    public mutating func fit(_ matrix: LabelMatrix, classCount: Int, validation: LabeledMatrix?, seed: UInt64) throws {
        try LabelModelInput.validate(matrix, classCount: classCount, validation: validation)
        try fit(VotePatterns(counting: matrix), classCount: classCount, validation: validation, seed: seed)
    }

    public func predict(_ matrix: LabelMatrix, tieBreak: TieBreakPolicy = .lowestClass) throws -> [Int] {
        try predictProbabilities(matrix).argmax(tieBreak: tieBreak)
    }
}

public struct LabelModelError: InputError, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Checks shared by all label models.
enum LabelModelInput {
    static func validate(_ matrix: LabelMatrix, classCount: Int, validation: LabeledMatrix?) throws {
        guard classCount >= 2 else { throw LabelModelError("a label model needs at least two classes, got \(classCount)") }
        if let bad = matrix.values.firstIndex(where: { $0 < -1 || Int($0) >= classCount }) {
            throw LabelModelError("vote \(matrix.values[bad]) of program \(bad % max(matrix.columns, 1)) on row \(bad / max(matrix.columns, 1)) is outside -1..\(classCount - 1)")
        }
        if let validation {
            guard validation.matrix.columns == matrix.columns else {
                throw LabelModelError("validation votes have \(validation.matrix.columns) programs, training votes \(matrix.columns)")
            }
            guard validation.labels.count == validation.matrix.rows else {
                throw LabelModelError("validation has \(validation.matrix.rows) rows but \(validation.labels.count) labels")
            }
            if let bad = validation.labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
                throw LabelModelError("validation label \(validation.labels[bad]) on row \(bad) is outside 0..\(classCount - 1)")
            }
        }
    }

    /// Class frequencies of the validation labels (add-one smoothed), else uniform.
    static func prior(classCount: Int, validation: LabeledMatrix?) -> [Double] {
        guard let labels = validation?.labels, !labels.isEmpty else {
            return [Double](repeating: 1 / Double(classCount), count: classCount)
        }
        var counts = [Double](repeating: 1, count: classCount)
        for label in labels { counts[label] += 1 }
        let total = counts.reduce(0, +)
        return counts.map { $0 / total }
    }
}

/// A small seeded generator (SplitMix64), so results do not depend on the platform's generator.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
