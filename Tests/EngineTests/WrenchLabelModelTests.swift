import Engine
import Foundation
import Testing
import TestSupport

/// Label models on the WRENCH datasets' own weak labels: fit on train, score on test.
/// The printed numbers are meant for comparison with published WRENCH results.
@Suite struct WrenchLabelModelTests {
    func rounded(_ value: Double) -> String { String(format: "%.4f", value) }

    struct Expectation: Sendable {
        let dataset: String
        let minimumAccuracy: [String: Double]
    }

    /// Lower bounds of test accuracy, keyed "model/tie-break". Dawid–Skene with abstains ignored
    /// has none: every youtube and sms program votes a single class, so, abstains aside, its votes
    /// carry no information and the model falls back to the majority class.
    /// sms's spam-voting programs are mostly wrong on its test split, so F1 there is low for all.
    @Test(arguments: [Expectation(dataset: "youtube", minimumAccuracy: ["mv/random": 0.8, "mv/lowest": 0.75, "wmv/lowest": 0.8,
                                                                        "wmv/random": 0.8, "ds/lowest": 0.8]),
                      Expectation(dataset: "sms", minimumAccuracy: ["mv/lowest": 0.8, "wmv/lowest": 0.8, "ds-ignored/lowest": 0.8,
                                                                    "ds/lowest": 0.8])])
    func labelModelsScorePlausiblyOnTheTestSplit(_ expectation: Expectation) throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            return TestEnvironment.noteMissingSharedDatasets("labelModelsScorePlausiblyOnTheTestSplit")
        }
        let dataset = try WrenchLoader.load(folder: shared.appendingPathComponent(expectation.dataset), name: expectation.dataset)
        let train = try dataset.split(.train), valid = try dataset.split(.valid), test = try dataset.split(.test)
        let trainMatrix = LabelMatrix(rows: try #require(train.weakLabels))
        let testMatrix = LabelMatrix(rows: try #require(test.weakLabels))
        let validation = LabeledMatrix(matrix: LabelMatrix(rows: try #require(valid.weakLabels)), labels: valid.labels.compactMap { $0 })
        let gold = test.labels.compactMap { $0 }
        #expect(gold.count == test.count)
        print("\(expectation.dataset): \(trainMatrix.columns) programs, train coverage \(Metrics.coverage(trainMatrix)), test coverage \(Metrics.coverage(testMatrix))")
        let models: [(String, any LabelModel)] = [("mv", MajorityVote()), ("wmv", WeightedMajorityVote()),
                                                   ("ds-ignored", DawidSkene(abstains: .ignored)), ("ds", DawidSkene())]
        for (name, _) in models { #expect(name == "ds-ignored" || expectation.minimumAccuracy.keys.contains { $0.hasPrefix(name + "/") }) }
        for (name, var model) in models {
            try model.fit(trainMatrix, classCount: dataset.classCount, validation: validation, seed: 0)
            let probabilities = try model.predictProbabilities(testMatrix)
            for (policy, tieBreak) in [("lowest", TieBreakPolicy.lowestClass), ("random", .random(seed: 0))] {
                let summary = try Metrics.summary(predicted: probabilities.argmax(tieBreak: tieBreak), gold: gold, classCount: dataset.classCount)
                print("\(expectation.dataset) \(name) ties \(policy): test accuracy \(rounded(summary.accuracy)) f1 \(rounded(summary.f1))")
                if let minimum = expectation.minimumAccuracy["\(name)/\(policy)"] {
                    #expect(summary.accuracy > minimum, "\(name) ties \(policy)")
                }
            }
        }
    }
}
