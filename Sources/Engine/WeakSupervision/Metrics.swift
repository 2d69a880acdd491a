/// Classification scores of predictions against gold labels.
///
/// Zero denominators give 0: accuracy of no rows, precision of a class never predicted, recall of
/// a class with no gold rows, F1 when precision + recall is 0, weighted F1 with no rows.
/// Sequences of different lengths, and class ids outside 0..<classCount, throw `LabelModelError`.
public enum Metrics {
    public static func accuracy(predicted: [Int], gold: [Int]) throws -> Double {
        try checkLengths(predicted, gold)
        guard !gold.isEmpty else { return 0 }
        return Double(zip(predicted, gold).filter { $0 == $1 }.count) / Double(gold.count)
    }

    /// F1 of the positive class (class id 1 unless given); every other id counts as negative.
    public static func f1(predicted: [Int], gold: [Int], positive: Int = 1) throws -> Double {
        try checkLengths(predicted, gold)
        var truePositives = 0, predictedPositives = 0, goldPositives = 0
        for (guess, truth) in zip(predicted, gold) {
            if guess == positive { predictedPositives += 1 }
            if truth == positive { goldPositives += 1 }
            if guess == positive && truth == positive { truePositives += 1 }
        }
        return scores(truePositives: truePositives, predicted: predictedPositives, gold: goldPositives).f1
    }

    public static func perClass(predicted: [Int], gold: [Int], classCount: Int) throws -> [ClassMetrics] {
        try checkLengths(predicted, gold)
        for (name, labels) in [("predicted", predicted), ("gold", gold)] {
            if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
                throw LabelModelError("\(name) class \(labels[bad]) on row \(bad) is outside 0..\(classCount - 1)")
            }
        }
        var truePositives = [Int](repeating: 0, count: classCount)
        var predictedCounts = truePositives, goldCounts = truePositives
        for (guess, truth) in zip(predicted, gold) {
            predictedCounts[guess] += 1
            goldCounts[truth] += 1
            if guess == truth { truePositives[truth] += 1 }
        }
        return (0..<classCount).map { label in
            let score = scores(truePositives: truePositives[label], predicted: predictedCounts[label], gold: goldCounts[label])
            return ClassMetrics(label: label, precision: score.precision, recall: score.recall, f1: score.f1, support: goldCounts[label])
        }
    }

    /// Per-class F1 averaged with weights equal to each class's support.
    public static func weightedF1(predicted: [Int], gold: [Int], classCount: Int) throws -> Double {
        weighted(try perClass(predicted: predicted, gold: gold, classCount: classCount))
    }

    /// Fraction of rows where at least one program votes; 0 for a matrix without rows.
    public static func coverage(_ matrix: LabelMatrix) -> Double {
        guard matrix.rows > 0 else { return 0 }
        let covered = (0..<matrix.rows).filter { row in matrix.row(row).contains { $0 >= 0 } }.count
        return Double(covered) / Double(matrix.rows)
    }

    public static func summary(predicted: [Int], gold: [Int], classCount: Int) throws -> MetricSummary {
        let perClass = try perClass(predicted: predicted, gold: gold, classCount: classCount)
        let f1 = classCount == 2 ? perClass[1].f1 : weighted(perClass)
        return MetricSummary(accuracy: try accuracy(predicted: predicted, gold: gold), f1: f1, perClass: perClass)
    }

    private static func weighted(_ classes: [ClassMetrics]) -> Double {
        let total = classes.reduce(0) { $0 + $1.support }
        guard total > 0 else { return 0 }
        return classes.reduce(0) { $0 + $1.f1 * Double($1.support) } / Double(total)
    }

    private static func scores(truePositives: Int, predicted: Int, gold: Int) -> (precision: Double, recall: Double, f1: Double) {
        let precision = predicted > 0 ? Double(truePositives) / Double(predicted) : 0
        let recall = gold > 0 ? Double(truePositives) / Double(gold) : 0
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return (precision, recall, f1)
    }

    private static func checkLengths(_ predicted: [Int], _ gold: [Int]) throws {
        guard predicted.count == gold.count else {
            throw LabelModelError("\(predicted.count) predictions for \(gold.count) gold labels: the lengths must match")
        }
    }
}
