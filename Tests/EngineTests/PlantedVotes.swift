import Engine

/// Synthetic votes with known program accuracies, for checking label models against a hidden truth.
struct PlantedVotes {
    let matrix: LabelMatrix
    let truth: [Int]

    /// Each row's true class is drawn from `classWeights`; program j votes with probability
    /// `coverages[j]`, rightly with probability `accuracies[j]`, else uniformly among the other classes.
    init(rows: Int, classWeights: [Double], accuracies: [Double], coverages: [Double], seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }
        let k = classWeights.count
        let weightTotal = classWeights.reduce(0, +)
        var matrix = LabelMatrix(rows: rows, columns: accuracies.count)
        var truth: [Int] = []
        for row in 0..<rows {
            var draw = uniform() * weightTotal
            var label = 0
            while label < k - 1 && draw >= classWeights[label] {
                draw -= classWeights[label]
                label += 1
            }
            truth.append(label)
            for program in accuracies.indices where uniform() < coverages[program] {
                if uniform() < accuracies[program] {
                    matrix[row, program] = label
                } else {
                    let other = Int(generator.next() % UInt64(k - 1))
                    matrix[row, program] = other < label ? other : other + 1
                }
            }
        }
        self.matrix = matrix
        self.truth = truth
    }

    static let accuracies = [0.9, 0.85, 0.8, 0.7, 0.65, 0.6]
    static let coverages = [0.3, 0.4, 0.8, 0.5, 0.7, 0.6]
}
