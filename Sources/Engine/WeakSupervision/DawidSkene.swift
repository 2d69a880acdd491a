import Foundation

/// Dawid–Skene: expectation–maximisation over one k×k confusion matrix per program.
///
/// By default (`Abstains.observed`) an abstain is one more response, so each confusion row has
/// k + 1 cells (abstain first); with `Abstains.ignored` abstains carry no information and are
/// skipped. The observed form is what WRENCH's Dawid–Skene does, and the one that works
/// with unipolar programs (each voting a single class, as in youtube and sms): when abstains are
/// ignored, such a program's vote is equally likely under every class and so tells nothing.
///
/// The posterior over classes of each training row starts as its majority vote (normalised
/// counts; the shared prior for a row without votes), then each iteration does, in this order:
/// - M-step: class prior π_c = (Σ_i T_ic + s) / (n + k·s); confusion row
///   μ_j[c][l] = (s + Σ_{i: j responds l} T_ic) / Σ_l' (s + Σ_{i: j responds l'} T_ic),
///   where s = `smoothing` is an additive (Dirichlet) pseudo-count that keeps every cell positive;
/// - E-step: T_ic ∝ π_c · Π_{j responds} μ_j[c][response_ij];
/// and stops when no posterior moved by more than `tolerance`, or after `maxIterations`.
///
/// When abstains are ignored only rows with at least one vote take part in EM (an all-abstain row
/// would only echo π back). Either way, all-abstain rows get the shared label-model prior
/// (validation frequencies, else uniform) when predicting, like every model; validation labels
/// are otherwise not used.
public struct DawidSkene: LabelModel {
    public var id: String { "ds" }

    /// Whether an abstain is information about the class (see the type's notes). The default,
    /// `.observed`, suits programs that vote one class only (most LLM-written and WRENCH programs):
    /// with abstains ignored their votes carry no information about the class.
    public enum Abstains: Sendable, Equatable {
        case ignored, observed
    }

    public var abstains: Abstains
    /// Pseudo-count added to every confusion cell and every class count (1 = Laplace smoothing).
    public var smoothing: Double
    public var maxIterations: Int
    public var tolerance: Double

    public internal(set) var classCount = 0
    public internal(set) var programCount = 0
    /// Class prior estimated by EM.
    public internal(set) var classPrior: [Double] = []
    /// Per program, row-major k×w: `confusion[j][c * w + r]` = P(program j responds r | class c).
    /// With abstains ignored w = k and r is the vote (given that j votes); observed, w = k + 1 and
    /// r is the vote + 1, 0 being an abstain.
    public internal(set) var confusion: [[Double]] = []
    /// EM iterations run by the last `fit`.
    public internal(set) var iterations = 0
    /// Probabilities given to all-abstain rows.
    public internal(set) var abstainPrior: [Double] = []
    /// Logarithms of `classPrior` and of `confusion` (flat: program, class, response), kept by the M-step.
    var logPrior: [Double] = []
    var logConfusion: [Double] = []

    public init(smoothing: Double = 1, maxIterations: Int = 100, tolerance: Double = 1e-6, abstains: Abstains = .observed) {
        self.abstains = abstains
        self.smoothing = smoothing
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Columns of a confusion row: k, or k + 1 when abstains are observed.
    public var responseCount: Int { abstains == .observed ? classCount + 1 : classCount }

    /// P(vote is right | program votes) per program: Σ_c π_c μ_j[c][c] when abstains are ignored,
    /// else Σ_c π_c μ_j[c][c + 1] / Σ_c π_c (1 - μ_j[c][abstain]).
    public var estimatedAccuracies: [Double] {
        let k = classCount, w = responseCount, shift = w - k
        return confusion.map { matrix in
            var right = 0.0, voted = 0.0
            for label in 0..<k {
                right += classPrior[label] * matrix[label * w + label + shift]
                voted += classPrior[label] * (shift == 1 ? 1 - matrix[label * w] : 1)
            }
            return voted > 0 ? right / voted : 0
        }
    }

    public mutating func fit(_ patterns: VotePatterns, classCount k: Int, validation: LabeledMatrix?, seed: UInt64) throws {
        try LabelModelInput.validate(patterns.votes, classCount: k, validation: validation)
        classCount = k
        programCount = patterns.columns
        abstainPrior = LabelModelInput.prior(classCount: k, validation: validation)
        // EM over the distinct patterns, each weighted by its rows: rows with the same votes always
        // have the same posterior, so this is EM over the rows.
        let votes = Votes(patterns, observeAbstains: abstains == .observed)
        let n = votes.rowCount, shift = responseCount - k
        // Posteriors of the rows in EM, row-major n×k, initialised with majority vote.
        var posterior = [Double](repeating: 0, count: n * k)
        for row in 0..<n {
            let cast = votes.range(row).map { votes.labels[$0] - shift }.filter { $0 >= 0 }
            for label in cast { posterior[row * k + label] += 1 / Double(cast.count) }
            if cast.isEmpty { for label in 0..<k { posterior[row * k + label] = abstainPrior[label] } }
        }
        var next = posterior
        iterations = 0
        for iteration in 1...max(maxIterations, 1) {
            maximise(votes, posterior: posterior)
            expect(votes, into: &next)
            var change = 0.0
            for index in 0..<next.count { change = max(change, abs(next[index] - posterior[index])) }
            swap(&posterior, &next)
            iterations = iteration
            if change < tolerance { break }
        }
    }

    public func predictProbabilities(_ matrix: LabelMatrix) throws -> ProbabilityMatrix {
        try LabelModelInput.checkFitted(matrix, classCount: classCount, programCount: programCount, model: id)
        var result = ProbabilityMatrix(rows: matrix.rows, classes: classCount)
        var posterior = [Double](repeating: 0, count: classCount)
        for row in 0..<matrix.rows {
            let voted = matrix.row(row).enumerated().filter { $0.element >= 0 }
            if voted.isEmpty {
                for label in 0..<classCount { result[row, label] = abstainPrior[label] }
                continue
            }
            let pairs = abstains == .observed ? matrix.row(row).enumerated().map { ($0.offset, Int($0.element) + 1) }
                : voted.map { ($0.offset, Int($0.element)) }
            rowPosterior(pairs, into: &posterior[...])
            for label in 0..<classCount { result[row, label] = posterior[label] }
        }
        return result
    }

    /// M-step: class prior and confusion matrices from the current posteriors.
    private mutating func maximise(_ votes: Votes, posterior: [Double]) {
        let k = classCount, n = votes.rowCount, w = responseCount
        var classTotals = [Double](repeating: 0, count: k)
        var counts = [[Double]](repeating: [Double](repeating: smoothing, count: k * w), count: programCount)
        for row in 0..<n {
            let weight = votes.weights[row]
            for label in 0..<k { classTotals[label] += weight * posterior[row * k + label] }
            for index in votes.range(row) {
                let program = votes.programs[index], vote = votes.labels[index]
                for label in 0..<k { counts[program][label * w + vote] += weight * posterior[row * k + label] }
            }
        }
        let denominator = votes.totalWeight + Double(k) * smoothing
        classPrior = classTotals.map { denominator > 0 ? ($0 + smoothing) / denominator : 1 / Double(k) }
        for program in 0..<programCount {
            for label in 0..<k {
                let cells = (label * w)..<((label + 1) * w)
                let total = counts[program][cells].reduce(0, +)
                for cell in cells { counts[program][cell] = total > 0 ? counts[program][cell] / total : 1 / Double(w) }
            }
        }
        confusion = counts
        logPrior = classPrior.map { log($0) }
        logConfusion = counts.flatMap { $0.map { log($0) } }
    }

    /// E-step: posteriors of every row with votes from the current parameters. Works from the
    /// log tables of the last M-step and allocates nothing per row (this loop is most of EM's time).
    private func expect(_ votes: Votes, into posterior: inout [Double]) {
        let k = classCount, w = responseCount, block = k * w
        logConfusion.withUnsafeBufferPointer { table in
            votes.programs.withUnsafeBufferPointer { programs in
                votes.labels.withUnsafeBufferPointer { labels in
                    posterior.withUnsafeMutableBufferPointer { out in
                        for row in 0..<votes.rowCount {
                            let base = row * k
                            let range = votes.range(row)
                            var top = -Double.infinity
                            for label in 0..<k {
                                var score = logPrior[label]
                                for index in range { score += table[programs[index] * block + label * w + labels[index]] }
                                out[base + label] = score
                                top = max(top, score)
                            }
                            var total = 0.0
                            for label in 0..<k {
                                out[base + label] = exp(out[base + label] - top)
                                total += out[base + label]
                            }
                            for label in 0..<k { out[base + label] /= total }
                        }
                    }
                }
            }
        }
    }

    /// Posterior over classes of one row given its (program, response) pairs, computed in log space.
    private func rowPosterior(_ pairs: [(Int, Int)], into out: inout ArraySlice<Double>) {
        let k = classCount, w = responseCount, start = out.startIndex
        for label in 0..<k {
            var score = logPrior[label]
            for (program, response) in pairs { score += logConfusion[program * k * w + label * w + response] }
            out[start + label] = score
        }
        let top = out.max() ?? 0
        var total = 0.0
        for index in out.indices {
            out[index] = exp(out[index] - top)
            total += out[index]
        }
        for index in out.indices { out[index] /= total }
    }

    /// The responses of the patterns in EM, in compressed-row form: with abstains ignored, the votes
    /// of patterns that have any; observed, every pattern and every program, with response = vote + 1.
    private struct Votes {
        var programs: [Int] = []
        var labels: [Int] = []
        /// Start of each kept pattern in `programs`/`labels`, plus the end.
        var starts: [Int] = [0]
        /// Rows each kept pattern stands for.
        var weights: [Double] = []
        var totalWeight = 0.0

        init(_ patterns: VotePatterns, observeAbstains: Bool) {
            let matrix = patterns.votes
            for row in 0..<matrix.rows {
                for (program, vote) in matrix.row(row).enumerated() where observeAbstains || vote >= 0 {
                    programs.append(program)
                    labels.append(Int(vote) + (observeAbstains ? 1 : 0))
                }
                if programs.count > starts[starts.count - 1] {
                    starts.append(programs.count)
                    weights.append(Double(patterns.counts[row]))
                    totalWeight += Double(patterns.counts[row])
                }
            }
        }

        var rowCount: Int { starts.count - 1 }
        func range(_ row: Int) -> Range<Int> { starts[row]..<starts[row + 1] }
    }
}
