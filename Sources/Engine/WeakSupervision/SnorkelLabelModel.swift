import Foundation

/// The matrix-completion label model of Ratner et al. (AAAI 2019, "Training complex models with
/// multi-task weak supervision"), for conditionally independent programs, in the way snorkel's
/// `LabelModel` (0.9/0.10) fits it.
///
/// Votes are one-hot encoded per program (an abstain is all zeros), giving an n × m·k matrix A.
/// Its overlap statistics O = AᵀA / n are gathered once, from the votes' patterns; everything
/// after that works on the (m·k)² statistics only, so fitting time beyond that pass does not
/// depend on the number of rows.
///
/// The parameters μ (m·k × k) hold μ[program·k + vote, y] = P(program votes `vote` | Y = y).
/// With P = diag(p) the class balance, conditional independence gives, off the diagonal blocks,
/// O ≈ μ P μᵀ. The fit minimises
///
///     ‖ mask ⊙ (O − μ P μᵀ) ‖² + ‖ μ P 1 − diag(O) ‖² + λ ‖ μ − μ₀ ‖²
///
/// where the mask drops each program's block with itself, the second term matches each
/// program's vote frequencies, and the last pulls gently toward the initial μ₀.
///
/// Choices (documented deviations from snorkel's defaults):
/// - Optimiser: Adam (β₁ 0.9, β₂ 0.999), learning rate 0.01 decayed linearly to 1% of that over
///   at most 1,000 full-batch steps, stopping early once no parameter moves more than 1e-7.
///   snorkel's default (SGD, lr 0.01, 100 epochs) depends on the scale of O and often stops far
///   from the optimum when programs cover few rows; Adam's steps are scale free.
/// - Initialisation as snorkel: each program's precision is assumed 0.7, so
///   μ₀[i·k + y, y] = P(vote = y) · 0.7 / p_y; unlike snorkel (which leaves wrong-vote entries at
///   zero), the remaining 0.3 is spread evenly over the wrong votes. A small seeded multiplicative
///   noise (±1%, `SplitMix64(seed)`) is applied to the starting point (not to μ₀).
/// - Regularisation weight λ = 0.01 · (mean vote frequency of a program)², so that its strength
///   relative to the data term does not depend on how often programs vote.
/// - After each step μ is clamped to [ε, 1 − ε] (ε = min(0.01, 10^−⌈log₁₀ n⌉), as snorkel) and each
///   program's column (over its votes) is scaled down to sum at most 1 − ε, so that the
///   abstain probability stays non-negative.
/// - After fitting, the columns of μ are permuted (only among classes with equal balance, where the
///   loss cannot tell them apart) to maximise Σ_y p_y Σ_i μ[i·k + y, y], i.e. so that programs
///   are assumed better than random, as snorkel's `_break_col_permutation_symmetry` does.
///
/// Prediction: P(Y = y | votes) ∝ p_y Π_{voting programs i} μ[i·k + vote_i, y] (μ clipped to
/// [0.01, 0.99] as snorkel does), normalised; abstains contribute nothing, so a row where every
/// program abstains gets the prior p.
public struct SnorkelLabelModel: LabelModel {
    public var id: String { "snorkel" }

    /// Precision assumed for every program at the start (snorkel's `prec_init`).
    public var initialPrecision: Double
    /// Maximum number of full-batch optimiser steps.
    public var maxSteps: Int
    public var learningRate: Double
    /// Relative strength of the pull toward the initial μ (see the type's documentation).
    public var regularization: Double

    /// Fitted state.
    public internal(set) var programCount = 0
    public internal(set) var classCount = 0
    /// Class balance p used by the fit and the predictions.
    public internal(set) var classBalance: [Double] = []
    /// μ, row-major (m·k rows, k columns): μ[(program·k + vote)·k + y] = P(vote | Y = y).
    public internal(set) var conditionals: [Double] = []
    /// Optimiser steps taken by the last fit.
    public internal(set) var stepsTaken = 0

    public init(initialPrecision: Double = 0.7, maxSteps: Int = 1000, learningRate: Double = 0.01, regularization: Double = 0.01) {
        self.initialPrecision = initialPrecision
        self.maxSteps = maxSteps
        self.learningRate = learningRate
        self.regularization = regularization
    }

    public var isFitted: Bool { classCount > 0 }

    /// Per program: P(vote = y | vote ≠ abstain, Y = y), averaged over classes y weighted by p.
    public var estimatedAccuracies: [Double] {
        let k = classCount
        return (0..<programCount).map { program in
            var accuracy = 0.0
            for y in 0..<k {
                var voting = 0.0
                for vote in 0..<k { voting += conditionals[(program * k + vote) * k + y] }
                if voting > 0 { accuracy += classBalance[y] * conditionals[(program * k + y) * k + y] / voting }
            }
            return accuracy
        }
    }

    // MARK: - Fitting

    public mutating func fit(_ patterns: VotePatterns, classCount: Int, validation: LabeledMatrix?, seed: UInt64) throws {
        try LabelModelInput.validate(patterns.votes, classCount: classCount, validation: validation)
        let m = patterns.columns
        let k = classCount
        let d = m * k
        let p = LabelModelInput.prior(classCount: classCount, validation: validation)
        let overlaps = Self.overlapMatrix(patterns, classCount: k)
        let n = max(patterns.rows, 1)
        let epsilon = min(0.01, pow(10, -ceil(log10(Double(n)))))

        // Initial μ₀ from each program's vote frequencies and the assumed precision.
        var initial = [Double](repeating: 0, count: d * k)
        var meanFrequency = 0.0
        for program in 0..<m {
            var coverage = 0.0
            for vote in 0..<k { coverage += overlaps[(program * k + vote) * d + program * k + vote] }
            meanFrequency += coverage / Double(max(m, 1))
            for vote in 0..<k {
                let frequency = overlaps[(program * k + vote) * d + program * k + vote]
                for y in 0..<k {
                    let share = vote == y ? initialPrecision : (1 - initialPrecision) / Double(k - 1)
                    initial[(program * k + vote) * k + y] = min(max(frequency * share / p[y], 0), 1)
                }
            }
        }
        Self.project(&initial, programs: m, classes: k, epsilon: epsilon)
        let lambda = regularization * meanFrequency * meanFrequency

        var generator = SplitMix64(seed: seed)
        var mu = initial.map { value -> Double in
            let unit = Double(generator.next() >> 11) / Double(1 << 53)
            return value * (1 + 0.02 * (unit - 0.5))
        }
        Self.project(&mu, programs: m, classes: k, epsilon: epsilon)

        // Adam over the small statistics.
        var first = [Double](repeating: 0, count: d * k)
        var second = [Double](repeating: 0, count: d * k)
        var gradient = [Double](repeating: 0, count: d * k)
        var muP = [Double](repeating: 0, count: d * k)
        var residual = [Double](repeating: 0, count: d * d)
        let beta1 = 0.9, beta2 = 0.999, adamEpsilon = 1e-12
        var steps = 0
        for step in 1...max(maxSteps, 1) {
            Self.gradient(mu: mu, p: p, overlaps: overlaps, initial: initial, lambda: lambda, programs: m, classes: k,
                          muP: &muP, residual: &residual, gradient: &gradient)
            let rate = learningRate * (1 - 0.99 * Double(step - 1) / Double(max(maxSteps - 1, 1)))
            let correction1 = 1 - pow(beta1, Double(step))
            let correction2 = 1 - pow(beta2, Double(step))
            var largestMove = 0.0
            for index in 0..<(d * k) {
                first[index] = beta1 * first[index] + (1 - beta1) * gradient[index]
                second[index] = beta2 * second[index] + (1 - beta2) * gradient[index] * gradient[index]
                let move = rate * (first[index] / correction1) / ((second[index] / correction2).squareRoot() + adamEpsilon)
                let before = mu[index]
                mu[index] -= move
                mu[index] = min(max(mu[index], epsilon), 1 - epsilon)
                largestMove = max(largestMove, abs(mu[index] - before))
            }
            Self.project(&mu, programs: m, classes: k, epsilon: epsilon)
            steps = step
            if !mu.allSatisfy(\.isFinite) { throw LabelModelError("the snorkel label model diverged (non-finite parameters)") }
            if largestMove < 1e-7 && step > 10 { break }
        }

        mu = Self.breakPermutationSymmetry(mu, p: p, programs: m, classes: k)
        programCount = m
        self.classCount = k
        classBalance = p
        conditionals = mu
        stepsTaken = steps
    }

    /// O = AᵀA / n for the one-hot vote matrix A (abstains all zeros), as a flat d × d array.
    static func overlapMatrix(_ patterns: VotePatterns, classCount k: Int) -> [Double] {
        let d = patterns.columns * k
        let counts = pairCounts(patterns, classCount: k)
        let n = Double(max(patterns.rows, 1))
        var overlaps = [Double](repeating: 0, count: d * d)
        for a in 0..<d {
            for b in a..<d {
                // Pairs were counted with the earlier program first; the block is symmetric.
                let value = Double(counts[a * d + b] + (a == b ? 0 : counts[b * d + a])) / n
                overlaps[a * d + b] = value
                overlaps[b * d + a] = value
            }
        }
        return overlaps
    }

    /// Rows with both votes (earlier program first), counting only the pairs cast in each pattern,
    /// each pattern as many times as it occurs. Integer counts: the same whatever the patterns' order.
    static func pairCounts(_ patterns: VotePatterns, classCount k: Int) -> [Int] {
        let m = patterns.columns
        let d = m * k
        var counts = [Int](repeating: 0, count: d * d)
        var active = [Int](repeating: 0, count: max(m, 1))
        patterns.votes.values.withUnsafeBufferPointer { votes in
            counts.withUnsafeMutableBufferPointer { counts in
                active.withUnsafeMutableBufferPointer { active in
                    for pattern in 0..<patterns.count {
                        let weight = patterns.counts[pattern]
                        var cast = 0
                        let base = pattern * m
                        for program in 0..<m {
                            let vote = Int(votes[base + program])
                            if vote >= 0 {
                                active[cast] = program * k + vote
                                cast += 1
                            }
                        }
                        for a in 0..<cast {
                            let rowOffset = active[a] * d
                            counts[rowOffset + active[a]] += weight
                            for b in (a + 1)..<max(cast, a + 1) { counts[rowOffset + active[b]] += weight }
                        }
                    }
                }
            }
        }
        return counts
    }

    /// Gradient of the loss with respect to μ, in place.
    static func gradient(mu: [Double], p: [Double], overlaps: [Double], initial: [Double], lambda: Double,
                         programs m: Int, classes k: Int,
                         muP: inout [Double], residual: inout [Double], gradient: inout [Double]) {
        let d = m * k
        for a in 0..<d {
            for y in 0..<k { muP[a * k + y] = mu[a * k + y] * p[y] }
        }
        // R = mask ⊙ (μ P μᵀ − O), symmetric.
        for a in 0..<d {
            let blockA = a / k
            for b in 0..<d {
                if b / k == blockA {
                    residual[a * d + b] = 0
                    continue
                }
                var model = 0.0
                for y in 0..<k { model += muP[a * k + y] * mu[b * k + y] }
                residual[a * d + b] = model - overlaps[a * d + b]
            }
        }
        // d/dμ ‖R‖² = 4 R μ P; d/dμ ‖μP1 − diag O‖² = 2 r pᵀ; d/dμ λ‖μ − μ₀‖² = 2λ(μ − μ₀).
        for a in 0..<d {
            var marginal = -overlaps[a * d + a]
            for y in 0..<k { marginal += muP[a * k + y] }
            for y in 0..<k {
                var sum = 0.0
                for b in 0..<d where residual[a * d + b] != 0 { sum += residual[a * d + b] * muP[b * k + y] }
                gradient[a * k + y] = 4 * sum + 2 * marginal * p[y] + 2 * lambda * (mu[a * k + y] - initial[a * k + y])
            }
        }
    }

    /// Clamps μ to [ε, 1 − ε] and scales each program's columns down to sum at most 1 − ε.
    static func project(_ mu: inout [Double], programs m: Int, classes k: Int, epsilon: Double) {
        for index in mu.indices { mu[index] = min(max(mu[index], epsilon), 1 - epsilon) }
        for program in 0..<m {
            for y in 0..<k {
                var total = 0.0
                for vote in 0..<k { total += mu[(program * k + vote) * k + y] }
                if total > 1 - epsilon {
                    let scale = (1 - epsilon) / total
                    for vote in 0..<k { mu[(program * k + vote) * k + y] *= scale }
                }
            }
        }
    }

    /// Permutes the class columns of μ, within groups of classes with equal balance, to maximise
    /// Σ_y p_y Σ_i μ[i·k + perm(y), y]: the labelling under which programs agree most with the class
    /// they name. Exhaustive for groups of up to 7 classes, greedy beyond.
    static func breakPermutationSymmetry(_ mu: [Double], p: [Double], programs m: Int, classes k: Int) -> [Double] {
        // score[vote][column] = Σ_i μ[i·k + vote, column] · p_column
        var score = [Double](repeating: 0, count: k * k)
        for program in 0..<m {
            for vote in 0..<k {
                for y in 0..<k { score[vote * k + y] += mu[(program * k + vote) * k + y] * p[y] }
            }
        }
        var groups: [[Int]] = []
        for y in 0..<k {
            if let index = groups.firstIndex(where: { abs(p[$0[0]] - p[y]) < 1e-12 }) {
                groups[index].append(y)
            } else {
                groups.append([y])
            }
        }
        // assignment[vote] = the current column that becomes column `vote`.
        var assignment = Array(0..<k)
        for group in groups where group.count > 1 {
            let chosen: [Int]
            if group.count <= 7 {
                var best = group
                var bestScore = -Double.infinity
                var current = group
                permutations(&current, 0) { candidate in
                    var total = 0.0
                    for (slot, column) in zip(group, candidate) { total += score[slot * k + column] }
                    if total > bestScore + 1e-15 {
                        bestScore = total
                        best = candidate
                    }
                }
                chosen = best
            } else {
                var free = Set(group)
                var picked: [Int] = []
                for slot in group {
                    let column = free.max { (score[slot * k + $0], -$0) < (score[slot * k + $1], -$1) } ?? slot
                    picked.append(column)
                    free.remove(column)
                }
                chosen = picked
            }
            for (slot, column) in zip(group, chosen) { assignment[slot] = column }
        }
        if assignment == Array(0..<k) { return mu }
        var permuted = mu
        for row in 0..<(m * k) {
            for y in 0..<k { permuted[row * k + y] = mu[row * k + assignment[y]] }
        }
        return permuted
    }

    /// Calls `visit` with every permutation of `items[start...]` (items before `start` fixed),
    /// in lexicographic-by-position order starting with the identity.
    private static func permutations(_ items: inout [Int], _ start: Int, _ visit: ([Int]) -> Void) {
        if start >= items.count - 1 {
            visit(items)
            return
        }
        for index in start..<items.count {
            items.swapAt(start, index)
            permutations(&items, start + 1, visit)
            items.swapAt(start, index)
        }
    }

    // MARK: - Prediction

    public func predictProbabilities(_ matrix: LabelMatrix) throws -> ProbabilityMatrix {
        try LabelModelInput.checkFitted(matrix, classCount: isFitted ? classCount : 0, programCount: programCount, model: id)
        let k = classCount
        let m = programCount
        let logMu = conditionals.map { log(min(max($0, 0.01), 0.99)) }
        let logPrior = classBalance.map { log($0) }
        var values = [Double](repeating: 0, count: matrix.rows * k)
        matrix.values.withUnsafeBufferPointer { votes in
            logMu.withUnsafeBufferPointer { logMu in
                values.withUnsafeMutableBufferPointer { out in
                    for row in 0..<matrix.rows {
                        let target = row * k
                        for y in 0..<k { out[target + y] = logPrior[y] }
                        for program in 0..<m {
                            let vote = Int(votes[row * m + program])
                            guard vote >= 0 else { continue }
                            let base = (program * k + vote) * k
                            for y in 0..<k { out[target + y] += logMu[base + y] }
                        }
                        var largest = -Double.infinity
                        for y in 0..<k { largest = max(largest, out[target + y]) }
                        var total = 0.0
                        for y in 0..<k {
                            let value = exp(out[target + y] - largest)
                            out[target + y] = value
                            total += value
                        }
                        for y in 0..<k { out[target + y] /= total }
                    }
                }
            }
        }
        return ProbabilityMatrix(rows: matrix.rows, classes: k, values: values)
    }
}
