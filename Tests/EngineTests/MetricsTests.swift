import Engine
import Testing

@Suite struct MetricsTests {
    @Test func binaryExampleMatchesHandComputedValues() throws {
        // gold      1 1 1 0 0 0 0 1
        // predicted 1 0 1 1 0 0 0 1
        // Correct on 6 of 8: accuracy 0.75. Class 1: TP 3, FP 1, FN 1 → precision 3/4, recall 3/4, F1 0.75.
        // Class 0: TP 3, FP 1, FN 1 → 0.75 each as well; supports 4 and 4.
        let gold = [1, 1, 1, 0, 0, 0, 0, 1], predicted = [1, 0, 1, 1, 0, 0, 0, 1]
        #expect(try Metrics.accuracy(predicted: predicted, gold: gold) == 0.75)
        #expect(try Metrics.f1(predicted: predicted, gold: gold) == 0.75)
        let summary = try Metrics.summary(predicted: predicted, gold: gold, classCount: 2)
        #expect(summary.accuracy == 0.75 && summary.f1 == 0.75)
        #expect(summary.perClass.map(\.support) == [4, 4])
        // Class 1 predicted 5 times, 2 right, out of 3 gold: precision 2/5, recall 2/3, F1 = 2·(2/5)(2/3)/(2/5 + 2/3) = 0.5.
        #expect(abs(try Metrics.f1(predicted: [1, 1, 1, 1, 1, 0], gold: [1, 1, 0, 0, 0, 1]) - 0.5) < 1e-12)
    }

    @Test func threeClassExampleMatchesHandComputedValues() throws {
        // gold      0 0 0 1 1 2 2 2 2 2
        // predicted 0 1 0 1 2 2 2 0 2 1
        // Correct: rows 0, 2, 3, 5, 6, 8 → accuracy 0.6.
        // Class 0: predicted 3 (rows 0, 2, 7), TP 2, support 3 → P 2/3, R 2/3, F1 2/3.
        // Class 1: predicted 3 (rows 1, 3, 9), TP 1, support 2 → P 1/3, R 1/2, F1 = 2·(1/6)/(5/6) = 0.4.
        // Class 2: predicted 4 (rows 4, 5, 6, 8), TP 3, support 5 → P 3/4, R 3/5, F1 = 2·(9/20)/(27/20) = 2/3.
        // Weighted F1 = (3·2/3 + 2·0.4 + 5·2/3) / 10 = (2 + 0.8 + 10/3) / 10 = 0.61333…
        let gold = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2], predicted = [0, 1, 0, 1, 2, 2, 2, 0, 2, 1]
        let perClass = try Metrics.perClass(predicted: predicted, gold: gold, classCount: 3)
        let expected: [(Double, Double, Double, Int)] = [(2.0 / 3, 2.0 / 3, 2.0 / 3, 3), (1.0 / 3, 0.5, 0.4, 2), (0.75, 0.6, 2.0 / 3, 5)]
        for (metrics, (precision, recall, f1, support)) in zip(perClass, expected) {
            #expect(abs(metrics.precision - precision) < 1e-12 && abs(metrics.recall - recall) < 1e-12)
            #expect(abs(metrics.f1 - f1) < 1e-12 && metrics.support == support)
        }
        let weighted = (2 + 0.8 + 10.0 / 3) / 10
        #expect(abs(try Metrics.weightedF1(predicted: predicted, gold: gold, classCount: 3) - weighted) < 1e-12)
        let summary = try Metrics.summary(predicted: predicted, gold: gold, classCount: 3)
        #expect(abs(summary.accuracy - 0.6) < 1e-12 && abs(summary.f1 - weighted) < 1e-12)
    }

    @Test func zeroDenominatorsGiveZero() throws {
        #expect(try Metrics.accuracy(predicted: [], gold: []) == 0)
        // Class 1 never predicted and never gold: precision, recall and F1 are 0.
        #expect(try Metrics.f1(predicted: [0, 0], gold: [0, 0]) == 0)
        let perClass = try Metrics.perClass(predicted: [0, 0], gold: [0, 0], classCount: 3)
        #expect(perClass[2] == ClassMetrics(label: 2, precision: 0, recall: 0, f1: 0, support: 0))
        #expect(try Metrics.weightedF1(predicted: [], gold: [], classCount: 2) == 0)
    }

    @Test func lengthMismatchAndOutOfRangeClassesThrow() {
        #expect(throws: LabelModelError.self) { try Metrics.accuracy(predicted: [0, 1], gold: [0]) }
        #expect(throws: LabelModelError.self) { try Metrics.f1(predicted: [0], gold: [0, 1]) }
        #expect(throws: LabelModelError.self) { try Metrics.summary(predicted: [0, 1], gold: [0, 1, 1], classCount: 2) }
        #expect(throws: LabelModelError.self) { try Metrics.perClass(predicted: [0, 3], gold: [0, 1], classCount: 2) }
        do {
            _ = try Metrics.accuracy(predicted: [0, 1, 1], gold: [0])
        } catch {
            #expect("\(error)".contains("3 predictions for 1 gold labels"))
        }
    }

    @Test func coverageCountsRowsWithAVote() {
        #expect(Metrics.coverage(LabelMatrix(rows: [[0, -1], [-1, -1], [-1, 1], [1, 1]])) == 0.75)
        #expect(Metrics.coverage(LabelMatrix(rows: [])) == 0)
    }
}
