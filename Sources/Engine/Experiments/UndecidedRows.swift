/// Rows a label model cannot decide: no program votes on them ("uncovered"), or its top
/// probabilities tie. The labeled valid split shows which class such rows tend to have (on
/// youtube, rows no program fires on are mostly spam although ham is the majority overall), so
/// the `learned` policy predicts, among the tied classes, the one most frequent among valid rows
/// of the same kind: the Bayes choice given "undecided", estimated on held-out labels.
struct UndecidedRows {
    enum Kind: Int, CaseIterable { case uncovered, tie }

    /// Add-one smoothed gold-class counts per kind, from the valid split.
    private(set) var counts: [[Double]]

    /// Learns the class counts of undecided valid rows from the model's valid probabilities
    /// (computed with no-vote rows made uniform, as `uniformUncovered` does).
    init(probabilities: ProbabilityMatrix, votes: LabelMatrix, gold: [Int]) {
        counts = Kind.allCases.map { _ in [Double](repeating: 1, count: probabilities.classes) }
        for row in 0..<probabilities.rows {
            if let kind = Self.kind(probabilities, votes, row) { counts[kind.rawValue][gold[row]] += 1 }
        }
    }

    static func kind(_ probabilities: ProbabilityMatrix, _ votes: LabelMatrix, _ row: Int) -> Kind? {
        if !votes.row(row).contains(where: { $0 >= 0 }) { return .uncovered }
        return tiedClasses(probabilities, row).count > 1 ? .tie : nil
    }

    static func tiedClasses(_ probabilities: ProbabilityMatrix, _ row: Int) -> [Int] {
        let slice = probabilities.row(row)
        guard let best = slice.max() else { return [] }
        return (0..<probabilities.classes).filter { probabilities[row, $0] >= best - 1e-12 }
    }

    /// Gives rows without any vote equal probabilities for every class (snorkel's and WRENCH's view).
    static func uniformUncovered(_ probabilities: inout ProbabilityMatrix, _ votes: LabelMatrix) {
        for row in 0..<votes.rows where !votes.row(row).contains(where: { $0 >= 0 }) {
            for label in 0..<probabilities.classes { probabilities[row, label] = 1 / Double(probabilities.classes) }
        }
    }

    /// The argmax of each row, with undecided rows resolved by the learned counts: among the tied
    /// classes the most frequent; equal counts fall back to `tieBreak`.
    func predict(_ probabilities: ProbabilityMatrix, _ votes: LabelMatrix, tieBreak: TieBreakPolicy) -> [Int] {
        var predictions = probabilities.argmax(tieBreak: tieBreak)
        for row in 0..<probabilities.rows {
            guard let kind = Self.kind(probabilities, votes, row) else { continue }
            let tied = Self.tiedClasses(probabilities, row)
            let weights = counts[kind.rawValue]
            guard let top = tied.map({ weights[$0] }).max() else { continue }
            let favoured = tied.filter { weights[$0] >= top }
            if favoured.count == 1 { predictions[row] = favoured[0] } else if !favoured.contains(predictions[row]) {
                predictions[row] = favoured[0]
            }
        }
        return predictions
    }
}
