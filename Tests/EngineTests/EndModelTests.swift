import Engine
import Foundation
import Testing
import TestSupport

@Suite struct EndModelTests {
    /// Two classes told apart by their words; one-hot targets.
    func toy() -> (train: [String], labels: [Int], test: [String], testLabels: [Int]) {
        var generator = SplitMix64(seed: 7)
        let positive = ["great", "excellent", "love", "wonderful", "superb"]
        let negative = ["awful", "terrible", "hate", "boring", "poor"]
        let filler = ["the", "movie", "plot", "was", "actors", "really", "film"]
        func sentence(_ label: Int) -> String {
            let cue = label == 1 ? positive : negative
            return (0..<6).map { index in
                index % 3 == 0 ? cue[Int(generator.next() % UInt64(cue.count))] : filler[Int(generator.next() % UInt64(filler.count))]
            }.joined(separator: " ")
        }
        let labels = (0..<400).map { $0 % 2 }
        let testLabels = (0..<100).map { ($0 + 1) % 2 }
        return (labels.map(sentence), labels, testLabels.map(sentence), testLabels)
    }

    func oneHot(_ labels: [Int], classes: Int) -> ProbabilityMatrix {
        var matrix = ProbabilityMatrix(rows: labels.count, classes: classes)
        for (row, label) in labels.enumerated() { matrix[row, label] = 1 }
        return matrix
    }

    @Test func tfidfRowsAreUnitLengthAndShareColumnsForSharedWords() {
        var features = HashedTFIDF(bits: 12)
        features.fit(["spam spam eggs", "eggs and ham", "ham"])
        let matrix = features.transform(["spam spam eggs", "eggs and ham", ""])
        #expect(matrix.rowCount == 3)
        for row in 0..<2 {
            let norm = matrix.row(row).values.reduce(Float(0)) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-5)
        }
        #expect(matrix.row(2).columns.isEmpty)
        // unigrams + bigrams: "spam spam eggs" has spam, eggs, "spam spam", "spam eggs" (four distinct terms, barring collisions)
        #expect(matrix.row(0).columns.count == 4)
        let shared = Set(matrix.row(0).columns).intersection(matrix.row(1).columns)
        #expect(shared.count == 1)  // "eggs"
    }

    @Test(arguments: ["lr", "mlp"])
    func learnsASeparableProblem(model id: String) throws {
        let data = toy()
        var features = HashedTFIDF(bits: 12)
        features.fit(data.train)
        let train = features.transform(data.train), test = features.transform(data.test)
        var model: any EndModel = id == "lr" ? LogisticRegression() : MultilayerPerceptron(hiddenUnits: 16)
        try model.fit(train, targets: oneHot(data.labels, classes: 2), validation: nil, seed: 1)
        let predicted = model.predict(test)
        let accuracy = Double(zip(predicted, data.testLabels).filter { $0 == $1 }.count) / Double(data.testLabels.count)
        #expect(accuracy > 0.95, "\(id): \(accuracy)")
    }

    @Test func trainingIsDeterministicForASeed() throws {
        let data = toy()
        var features = HashedTFIDF(bits: 12)
        features.fit(data.train)
        let train = features.transform(data.train)
        var first = MultilayerPerceptron(hiddenUnits: 8), second = MultilayerPerceptron(hiddenUnits: 8)
        try first.fit(train, targets: oneHot(data.labels, classes: 2), validation: nil, seed: 3)
        try second.fit(train, targets: oneHot(data.labels, classes: 2), validation: nil, seed: 3)
        #expect(first.predictProbabilities(train) == second.predictProbabilities(train))
    }

    @Test func mismatchedTargetsAreAClearError() {
        var model = LogisticRegression()
        var matrix = SparseMatrix(columnCount: 4)
        matrix.appendRow([(Int32(0), Float(1))])
        #expect(throws: LabelModelError.self) {
            try model.fit(matrix, targets: ProbabilityMatrix(rows: 2, classes: 2), validation: nil, seed: 0)
        }
    }

    @Test(arguments: ["lr", "mlp"])
    func youtubeWithGoldLabelsReachesASupervisedBaseline(model id: String) throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("youtubeWithGoldLabelsReachesASupervisedBaseline")
            return
        }
        let dataset = try WrenchLoader.load(folder: shared.appendingPathComponent("youtube"), name: "youtube")
        let train = try dataset.split(.train), valid = try dataset.split(.valid), test = try dataset.split(.test)
        var features = HashedTFIDF(bits: 14)
        features.fit(train.texts)
        var model: any EndModel = id == "lr" ? LogisticRegression() : MultilayerPerceptron(hiddenUnits: 32)
        try model.fit(features.transform(train.texts), targets: oneHot(train.labels.map { $0 ?? 0 }, classes: 2),
                      validation: (features.transform(valid.texts), valid.labels.map { $0 ?? 0 }), seed: 0)
        let predicted = model.predict(features.transform(test.texts))
        let gold = test.labels.map { $0 ?? 0 }
        let accuracy = Double(zip(predicted, gold).filter { $0 == $1 }.count) / Double(gold.count)
        print("youtube supervised \(id): test accuracy \(accuracy)")
        #expect(accuracy > 0.85)
    }
}
