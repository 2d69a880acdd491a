import Engine
import Foundation
import Testing
import TestSupport

@Suite struct SnorkelLabelModelTests {
    /// Votes of conditionally independent programs with planted accuracies and coverages
    /// (wrong votes uniform over the other classes), with the hidden truth.
    struct Planted {
        var matrix: LabelMatrix
        var truth: [Int]
        var accuracies: [Double]
    }

    static func uniform(_ generator: inout SplitMix64) -> Double {
        Double(generator.next() >> 11) / Double(1 << 53)
    }

    static func planted(rows: Int, classes: Int, programs: Int, seed: UInt64) -> Planted {
        var generator = SplitMix64(seed: seed)
        let accuracies = (0..<programs).map { 0.6 + 0.3 * Double($0) / Double(max(programs - 1, 1)) }
        let coverages = (0..<programs).map { 0.3 + 0.5 * Double(($0 * 3) % programs) / Double(max(programs - 1, 1)) }
        var matrix = LabelMatrix(rows: rows, columns: programs)
        var truth = [Int](repeating: 0, count: rows)
        for row in 0..<rows {
            let label = Int(generator.next() % UInt64(classes))
            truth[row] = label
            for program in 0..<programs where uniform(&generator) < coverages[program] {
                if uniform(&generator) < accuracies[program] {
                    matrix[row, program] = label
                } else {
                    let offset = 1 + Int(generator.next() % UInt64(classes - 1))
                    matrix[row, program] = (label + offset) % classes
                }
            }
        }
        return Planted(matrix: matrix, truth: truth, accuracies: accuracies)
    }



    static func f1(_ predicted: [Int], _ truth: [Int], positive: Int = 1) -> Double {
        let pairs = zip(predicted, truth)
        let truePositive = Double(pairs.filter { $0 == positive && $1 == positive }.count)
        let predictedPositive = Double(predicted.filter { $0 == positive }.count)
        let actualPositive = Double(truth.filter { $0 == positive }.count)
        guard truePositive > 0 else { return 0 }
        let precision = truePositive / predictedPositive, recall = truePositive / actualPositive
        return 2 * precision * recall / (precision + recall)
    }

    @Test(arguments: [2, 3])
    func recoversPlantedAccuraciesAndBeatsMajorityVote(classes: Int) throws {
        let data = Self.planted(rows: 20_000, classes: classes, programs: 8, seed: 42 + UInt64(classes))
        var model = SnorkelLabelModel()
        try model.fit(data.matrix, classCount: classes, validation: nil, seed: 1)
        let estimated = model.estimatedAccuracies
        print("snorkel planted k=\(classes): steps \(model.stepsTaken), planted \(data.accuracies.map { String(format: "%.3f", $0) }), estimated \(estimated.map { String(format: "%.3f", $0) })")
        #expect(estimated.count == 8)
        for (planted, found) in zip(data.accuracies, estimated) {
            #expect(abs(planted - found) < 0.05, "planted \(planted), estimated \(found)")
        }
        let predicted = try model.predict(data.matrix)
        let modelAccuracy = Baseline.accuracy(predicted, data.truth)
        let votingAccuracy = Baseline.accuracy(Baseline.majorityVote(data.matrix, classes: classes), data.truth)
        print("snorkel planted k=\(classes): label model accuracy \(modelAccuracy), majority vote \(votingAccuracy)")
        #expect(modelAccuracy >= votingAccuracy)
    }

    /// Started from worse-than-random programs, the fit lands on the mirrored solution; the
    /// column permutation step restores the labelling under which programs beat random.
    @Test func permutationSymmetryIsBrokenTowardBetterThanRandomPrograms() throws {
        let data = Self.planted(rows: 20_000, classes: 2, programs: 8, seed: 5)
        var model = SnorkelLabelModel(initialPrecision: 0.2)
        try model.fit(data.matrix, classCount: 2, validation: nil, seed: 2)
        let estimated = model.estimatedAccuracies
        print("snorkel mirrored start: estimated \(estimated.map { String(format: "%.3f", $0) })")
        for (planted, found) in zip(data.accuracies, estimated) {
            #expect(abs(planted - found) < 0.05, "planted \(planted), estimated \(found)")
        }
    }

    @Test func sameSeedGivesIdenticalProbabilities() throws {
        let data = Self.planted(rows: 3_000, classes: 3, programs: 6, seed: 7)
        var first = SnorkelLabelModel(), second = SnorkelLabelModel()
        try first.fit(data.matrix, classCount: 3, validation: nil, seed: 99)
        try second.fit(data.matrix, classCount: 3, validation: nil, seed: 99)
        #expect(try first.predictProbabilities(data.matrix) == second.predictProbabilities(data.matrix))
        #expect(first.conditionals == second.conditionals)
    }

    @Test func allAbstainRowsGetThePrior() throws {
        let data = Self.planted(rows: 2_000, classes: 2, programs: 5, seed: 3)
        let validation = LabeledMatrix(matrix: LabelMatrix(rows: [[1, -1, -1, -1, -1], [1, 1, -1, -1, -1], [0, -1, -1, -1, -1]]),
                                       labels: [1, 1, 0])
        var model = SnorkelLabelModel()
        try model.fit(data.matrix, classCount: 2, validation: validation, seed: 0)
        let probabilities = try model.predictProbabilities(LabelMatrix(rows: 2, columns: 5))
        // Add-one smoothed validation frequencies: (1 + 1) / 5 and (2 + 1) / 5.
        for row in 0..<2 {
            #expect(abs(probabilities[row, 0] - 0.4) < 1e-12 && abs(probabilities[row, 1] - 0.6) < 1e-12)
        }
        var uniformModel = SnorkelLabelModel()
        try uniformModel.fit(data.matrix, classCount: 2, validation: nil, seed: 0)
        let uniform = try uniformModel.predictProbabilities(LabelMatrix(rows: 1, columns: 5))
        #expect(abs(uniform[0, 0] - 0.5) < 1e-12 && abs(uniform[0, 1] - 0.5) < 1e-12)
    }

    @Test func badVotesAndWidthsAreErrors() throws {
        var model = SnorkelLabelModel()
        #expect(throws: LabelModelError.self) { try model.fit(LabelMatrix(rows: [[0, 2], [1, -1]]), classCount: 2, validation: nil, seed: 0) }
        #expect(throws: LabelModelError.self) { try model.fit(LabelMatrix(rows: [[0, -2], [1, -1]]), classCount: 2, validation: nil, seed: 0) }
        #expect(throws: LabelModelError.self) { try model.predictProbabilities(LabelMatrix(rows: [[0, 1]])) }
        try model.fit(LabelMatrix(rows: [[0, 0, -1], [1, 1, 1], [0, -1, 0], [1, 1, -1]]), classCount: 2, validation: nil, seed: 0)
        #expect(throws: LabelModelError.self) { try model.predictProbabilities(LabelMatrix(rows: [[0, 1]])) }
        #expect(throws: LabelModelError.self) { try model.predictProbabilities(LabelMatrix(rows: [[0, 1, 5]])) }
        #expect(try model.predict(LabelMatrix(rows: [[0, 0, 0], [1, 1, 1]])) == [0, 1])
    }

    @Test(arguments: ["youtube", "sms"])
    func wrenchDatasetTestAccuracy(name: String) throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("wrenchDatasetTestAccuracy(\(name))")
            return
        }
        let dataset = try WrenchLoader.load(folder: shared.appendingPathComponent(name), name: name)
        let train = try dataset.split(.train), valid = try dataset.split(.valid), test = try dataset.split(.test)
        let trainVotes = try #require(train.weakLabels), validVotes = try #require(valid.weakLabels)
        let testVotes = try #require(test.weakLabels)
        let validation = LabeledMatrix(matrix: LabelMatrix(rows: validVotes), labels: valid.labels.map { $0 ?? 0 })
        var model = SnorkelLabelModel()
        let start = Date()
        try model.fit(LabelMatrix(rows: trainVotes), classCount: dataset.classCount, validation: validation, seed: 0)
        let seconds = Date().timeIntervalSince(start)
        let testMatrix = LabelMatrix(rows: testVotes)
        let predicted = try model.predict(testMatrix)
        let truth = test.labels.map { $0 ?? 0 }
        let accuracy = Baseline.accuracy(predicted, truth), f1 = Self.f1(predicted, truth)
        let voting = Baseline.majorityVote(testMatrix, classes: dataset.classCount)
        print("snorkel \(name): test accuracy \(String(format: "%.4f", accuracy)), F1(class 1) \(String(format: "%.4f", f1)); "
              + "majority vote accuracy \(String(format: "%.4f", Baseline.accuracy(voting, truth))), F1 \(String(format: "%.4f", Self.f1(voting, truth))); "
              + "fit \(String(format: "%.3f", seconds)) s, \(model.stepsTaken) steps")
        #expect(accuracy > (name == "youtube" ? 0.8 : 0.6))
    }
}
