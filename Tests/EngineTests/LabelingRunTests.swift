@testable import Engine
import Testing

@Suite struct LabelingRunTests {
    @Test func uncoveredRowsFollowThePriorOrAreUniform() throws {
        // Row 2 has no vote; the validation labels make class 0 the prior's majority.
        let votes = LabelMatrix(rows: [[1, 1], [0, -1], [-1, -1]])
        let validation = LabeledMatrix(matrix: LabelMatrix(rows: [[0, -1], [0, 0], [1, 1]]), labels: [0, 0, 1])
        var model = MajorityVote()
        try model.fit(votes, classCount: 2, validation: validation, seed: 0)
        var run = LabelingRun()
        run.uncovered = .prior
        for seed in 0..<8 {
            #expect(try run.predict(model, votes, .random(seed: UInt64(seed))) == [1, 0, 0])
        }
        run.uncovered = .uniform
        let draws = try (0..<16).map { try run.predict(model, votes, .random(seed: UInt64($0)))[2] }
        #expect(Set(draws) == [0, 1])  // a fair coin over 16 seeds shows both sides
        #expect(try (0..<16).allSatisfy { try run.predict(model, votes, .random(seed: UInt64($0)))[0...1] == [1, 0] })
    }

    @Test func selectionMetricIsF1ForImbalancedBinaryTasks() {
        #expect(LabelingRun.selectionMetric(classCount: 2, validLabels: [0, 0, 0, 0, 1]) == "f1")
        #expect(LabelingRun.selectionMetric(classCount: 2, validLabels: [0, 1, 0, 1]) == "accuracy")
        #expect(LabelingRun.selectionMetric(classCount: 3, validLabels: [0, 0, 0, 0, 1]) == "accuracy")
        #expect(LabelingRun.selectionMetric(classCount: 2, validLabels: nil) == "accuracy")
    }
}
