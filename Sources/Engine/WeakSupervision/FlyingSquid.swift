import Foundation

/// FlyingSquid: the closed-form triplet method of Fu et al., "Fast and Three-rious: Speeding Up
/// Weak Supervision with Triplet Methods" (ICML 2020).
///
/// **Binary model.** Votes become λ ∈ {-1, 0, +1} (class 1 → +1, class 0 → -1, abstain → 0) and the
/// hidden class Y ∈ {-1, +1}. Each program i has an accuracy parameter a_i = E[λ_i Y | λ_i ≠ 0].
/// For programs that are conditionally independent given Y (and whose abstaining does not depend on Y),
/// the observable second moment M_ij = E[λ_i λ_j | λ_i ≠ 0, λ_j ≠ 0] equals a_i a_j.
///
/// **Moment estimator (abstains).** As FlyingSquid does when abstentions are allowed, M_ij is computed
/// only over the rows where *both* programs vote: M_ij = (co-votes − 2·disagreements) / co-votes.
/// Co-votes and disagreements of every pair are counted from the votes' patterns (`VotePatterns`),
/// each weighted by the rows it stands for.
///
/// **Triplets.** For any other pair (j, k), a_i² = M_ij M_ik / M_jk. Rather than averaging these noisy
/// ratios (a near-zero M_jk makes one ratio explode), the estimate pools every usable pair (j, k) —
/// all three pairs with at least `minimumCoVotes` co-voting rows — as a ratio of sums:
/// a_i² = Σ |M_ij M_ik| / Σ |M_jk|, i.e. the |M_jk|-weighted average of the per-triplet estimates.
/// A program with no usable triplet gets the mean of the programs that have one (0.4 if none has).
///
/// **Signs and clipping.** Triplets identify |a_i| only; like FlyingSquid's `all_positive` sign recovery,
/// every program is taken to be better than random (a_i ≥ 0). |a_i| is clipped to [0, 0.99] so the
/// log-odds stay finite.
///
/// **Posterior.** The independent-programs model with symmetric accuracies: a voting program is right
/// with probability (1 + a_i)/2, so
/// logit P(Y = 1 | votes) = log(p₁/p₀) + Σ_{i votes} λ_i · log((1 + a_i)/(1 − a_i)),
/// with class balance p from `LabelModelInput.prior` (validation label frequencies, else uniform).
/// A row where everyone abstains therefore gets the prior.
///
/// **More than two classes.** One-vs-rest, as WRENCH's FlyingSquid wrapper: for each class c a binary
/// model sees λ = +1 where a program votes c, −1 where it votes another class, 0 where it abstains, with
/// class balance (1 − p_c, p_c). The per-class positive probabilities q_c are then divided by their sum.
/// (WRENCH applies a softmax to the q_c instead; the most probable class is the same, and plain
/// normalisation keeps an all-abstain row exactly at the prior.)
public struct FlyingSquid: LabelModel {
    public var id: String { "fs" }
    /// Triplets need three programs.
    public static let minimumPrograms = 3
    /// Pairs with fewer co-voting rows are left out of the triplets.
    public var minimumCoVotes: Int
    /// Largest accuracy parameter |a_i| allowed.
    public var maximumAccuracyParameter: Double

    /// Per program, the estimated probability that its vote is correct when it votes. Binary: (1 + a_i)/2.
    /// One-vs-rest: from the per-class accuracies ρ_c = (1 + a_i^c)/2 through the identity
    /// P(correct) = (Σ_c ρ_c − (K − 2)) / 2 (a right vote agrees with the truth in all K one-vs-rest
    /// problems, a wrong vote disagrees in exactly two), clamped to [0, 1].
    public internal(set) var estimatedAccuracies: [Double] = []
    /// Accuracy parameters a_i per binary model (one model for two classes, else one per class).
    public internal(set) var accuracyParameters: [[Double]] = []
    public internal(set) var prior: [Double] = []
    var programCount = 0
    var classCount = 0
    var fitted = false

    public init(minimumCoVotes: Int = 3, maximumAccuracyParameter: Double = 0.99) {
        self.minimumCoVotes = minimumCoVotes
        self.maximumAccuracyParameter = maximumAccuracyParameter
    }

    public mutating func fit(_ patterns: VotePatterns, classCount: Int, validation: LabeledMatrix?, seed: UInt64) throws {
        try LabelModelInput.validate(patterns.votes, classCount: classCount, validation: validation)
        let m = patterns.columns
        guard m >= Self.minimumPrograms else {
            throw LabelModelError("FlyingSquid needs at least \(Self.minimumPrograms) programs to form triplets, got \(m)")
        }
        let counts = Self.pairCounts(patterns, classCount: classCount)
        let models = classCount == 2 ? [1] : Array(0..<classCount)
        var parameters: [[Double]] = []
        for positive in models {
            // Second moments of the binary problem "positive vs the rest", over co-voting rows.
            var moments = [Double](repeating: 0, count: m * m)
            var usable = [Bool](repeating: false, count: m * m)
            for i in 0..<m {
                for j in (i + 1)..<m {
                    let n = counts.coVotes[i * m + j]
                    guard n >= minimumCoVotes, n > 0 else { continue }
                    let disagreements = classCount == 2 ? counts.disagreements[i * m + j]
                                                        : counts.disagreements[positive * m * m + i * m + j]
                    let value = Double(n - 2 * disagreements) / Double(n)
                    moments[i * m + j] = value
                    moments[j * m + i] = value
                    usable[i * m + j] = true
                    usable[j * m + i] = true
                }
            }
            parameters.append(estimateAccuracyParameters(moments: moments, usable: usable, programs: m))
        }
        accuracyParameters = parameters
        prior = LabelModelInput.prior(classCount: classCount, validation: validation)
        programCount = m
        self.classCount = classCount
        if classCount == 2 {
            estimatedAccuracies = parameters[0].map { (1 + $0) / 2 }
        } else {
            estimatedAccuracies = (0..<m).map { i in
                let sum = parameters.reduce(0) { $0 + (1 + $1[i]) / 2 }
                return min(1, max(0, (sum - Double(classCount - 2)) / 2))
            }
        }
        fitted = true
    }

    public func predictProbabilities(_ matrix: LabelMatrix) throws -> ProbabilityMatrix {
        try LabelModelInput.checkFitted(matrix, classCount: fitted ? classCount : 0, programCount: programCount, model: id)
        let m = programCount
        let k = classCount
        let weights = accuracyParameters.map { $0.map { log((1 + $0) / (1 - $0)) } }
        var result = ProbabilityMatrix(rows: matrix.rows, classes: k)
        matrix.values.withUnsafeBufferPointer { votes in
            result.values.withUnsafeMutableBufferPointer { out in
                if k == 2 {
                    let base = log(prior[1] / prior[0])
                    let w = weights[0]
                    for row in 0..<matrix.rows {
                        var logit = base
                        for i in 0..<m {
                            let vote = votes[row * m + i]
                            if vote == 1 { logit += w[i] } else if vote == 0 { logit -= w[i] }
                        }
                        let positive = Self.sigmoid(logit)
                        out[row * 2] = 1 - positive
                        out[row * 2 + 1] = positive
                    }
                } else {
                    let bases = prior.map { log($0 / (1 - $0)) }
                    for row in 0..<matrix.rows {
                        var total = 0.0
                        for c in 0..<k {
                            var logit = bases[c]
                            let w = weights[c]
                            for i in 0..<m {
                                let vote = votes[row * m + i]
                                if vote == Int32(c) { logit += w[i] } else if vote >= 0 { logit -= w[i] }
                            }
                            let q = Self.sigmoid(logit)
                            out[row * k + c] = q
                            total += q
                        }
                        if total > 0 {
                            for c in 0..<k { out[row * k + c] /= total }
                        } else {
                            for c in 0..<k { out[row * k + c] = prior[c] }
                        }
                    }
                }
            }
        }
        return result
    }

    // MARK: - Estimation

    /// Co-vote counts per pair (i < j, at i*m+j) and disagreement counts: for two classes one array
    /// (i*m+j); for more, per class c the rows where both vote and exactly one votes c (c*m*m + i*m+j).
    /// Counted once per pattern, weighted by the rows it stands for.
    static func pairCounts(_ patterns: VotePatterns, classCount: Int) -> (coVotes: [Int], disagreements: [Int]) {
        let m = patterns.columns
        let mm = m * m
        // Tracked classes: class 1 alone for two classes (disagreeing co-votes differ on it), else all.
        let tracked = classCount == 2 ? 1 : classCount
        var coVotes = [Int](repeating: 0, count: mm)
        var disagreements = [Int](repeating: 0, count: tracked * mm)
        patterns.votes.values.withUnsafeBufferPointer { votes in
            for pattern in 0..<patterns.count {
                let weight = patterns.counts[pattern], start = pattern * m
                for i in 0..<m {
                    let first = Int(votes[start + i])
                    guard first >= 0 else { continue }
                    for j in (i + 1)..<max(m, i + 1) {
                        let second = Int(votes[start + j])
                        guard second >= 0 else { continue }
                        coVotes[i * m + j] += weight
                        guard first != second else { continue }
                        if classCount == 2 {
                            disagreements[i * m + j] += weight
                        } else {
                            // Exactly one of the two votes class c: c is one of the two votes.
                            disagreements[first * mm + i * m + j] += weight
                            disagreements[second * mm + i * m + j] += weight
                        }
                    }
                }
            }
        }
        return (coVotes, disagreements)
    }

    /// |a_i| from pooled triplets: a_i² = Σ_{j<k} |M_ij M_ik| / Σ_{j<k} |M_jk| over pairs (j, k) where all
    /// three moments are usable; clipped to [0, maximumAccuracyParameter].
    private func estimateAccuracyParameters(moments: [Double], usable: [Bool], programs m: Int) -> [Double] {
        var estimates = [Double?](repeating: nil, count: m)
        for i in 0..<m {
            var numerator = 0.0
            var denominator = 0.0
            for j in 0..<m where j != i && usable[i * m + j] {
                for k in (j + 1)..<m where k != i && usable[i * m + k] && usable[j * m + k] {
                    numerator += abs(moments[i * m + j] * moments[i * m + k])
                    denominator += abs(moments[j * m + k])
                }
            }
            if denominator > 1e-12 {
                estimates[i] = min(maximumAccuracyParameter, max(0, (numerator / denominator).squareRoot()))
            }
        }
        let known = estimates.compactMap { $0 }
        let fallback = known.isEmpty ? 0.4 : known.reduce(0, +) / Double(known.count)
        return estimates.map { $0 ?? fallback }
    }

    private static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
    }
}
