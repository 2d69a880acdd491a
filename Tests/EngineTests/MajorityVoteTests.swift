import Engine
import Foundation
import Testing
import TestSupport

@Suite struct MajorityVoteTests {
    let matrix = LabelMatrix(rows: [[0, 0, 1], [1, -1, 1], [0, 1, -1], [-1, -1, -1]])

    @Test func probabilitiesAreNormalisedCountsAndAllAbstainRowsGetTheUniformPrior() throws {
        var model = MajorityVote()
        try model.fit(matrix, classCount: 2, validation: nil, seed: 0)
        let probabilities = try model.predictProbabilities(matrix)
        let expected: [Double] = [2.0 / 3, 1.0 / 3, 0, 1, 0.5, 0.5, 0.5, 0.5]
        #expect(zip(probabilities.values, expected).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(try model.predict(matrix) == [0, 1, 0, 0])
        #expect(model.id == "mv")
    }

    @Test func allAbstainRowsFollowValidationFrequencies() throws {
        // Validation labels 0, 0, 0, 1 with add-one smoothing: (3 + 1) / 6 and (1 + 1) / 6.
        let validation = LabeledMatrix(matrix: LabelMatrix(rows: [[0, -1, -1], [-1, -1, -1], [0, 0, 0], [1, 1, -1]]), labels: [0, 0, 0, 1])
        var model = MajorityVote()
        try model.fit(matrix, classCount: 2, validation: validation, seed: 0)
        let probabilities = try model.predictProbabilities(matrix)
        #expect(abs(probabilities[3, 0] - 4.0 / 6) < 1e-12 && abs(probabilities[3, 1] - 2.0 / 6) < 1e-12)
        // Rows with votes do not use the prior; the tie stays a tie.
        #expect(probabilities[2, 0] == 0.5 && probabilities[2, 1] == 0.5)
    }

    @Test func tiesGiveEqualProbabilitiesAndTheTieBreakPolicyDecides() throws {
        // Three classes, every row split between classes 0 and 1.
        let tied = LabelMatrix(rows: [[Int]](repeating: [0, 1, -1, -1], count: 200) + [[2, 2, 1, -1]])
        var model = MajorityVote()
        try model.fit(tied, classCount: 3, validation: nil, seed: 0)
        let probabilities = try model.predictProbabilities(tied)
        #expect(probabilities.row(0).elementsEqual([0.5, 0.5, 0]))
        #expect(try model.predict(tied).prefix(200).allSatisfy { $0 == 0 })
        let first = try model.predict(tied, tieBreak: .random(seed: 42))
        let again = try model.predict(tied, tieBreak: .random(seed: 42))
        let other = try model.predict(tied, tieBreak: .random(seed: 43))
        #expect(first == again)
        #expect(first != other)
        #expect(first.prefix(200).allSatisfy { $0 == 0 || $0 == 1 })
        #expect(first.prefix(200).contains(0) && first.prefix(200).contains(1))
        #expect(first[200] == 2 && other[200] == 2)
    }

    @Test func badVotesAndMismatchedMatricesThrowNamingRowAndProgram() throws {
        let bad = LabelMatrix(rows: [[0, 1, -1], [1, 0, 5]])
        let models: [any LabelModel] = [MajorityVote(), WeightedMajorityVote(), DawidSkene()]
        for var model in models {
            do {
                try model.fit(bad, classCount: 2, validation: nil, seed: 0)
                Issue.record("\(model.id) accepted vote 5 with two classes")
            } catch let error as LabelModelError {
                #expect(error.description.contains("program 2") && error.description.contains("row 1"), "\(error)")
            }
            #expect(throws: LabelModelError.self) { try model.predictProbabilities(matrix) }
            try model.fit(matrix, classCount: 2, validation: nil, seed: 0)
            #expect(throws: LabelModelError.self) { try model.predictProbabilities(LabelMatrix(rows: [[0, 1]])) }
            #expect(throws: LabelModelError.self) { try model.predictProbabilities(bad) }
            let shortLabels = LabeledMatrix(matrix: matrix, labels: [0])
            #expect(throws: LabelModelError.self) { try model.fit(matrix, classCount: 2, validation: shortLabels, seed: 0) }
        }
    }

    /// Majority vote on youtube's ten weak labels agrees with a plain Python computation of it.
    @Test func youtubeWeakLabelsMatchPythonReference() throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            return TestEnvironment.noteMissingSharedDatasets("youtubeWeakLabelsMatchPythonReference")
        }
        let folder = shared.appendingPathComponent("youtube")
        let split = try WrenchLoader.load(folder: folder, name: "youtube").split(.train)
        let weak = try #require(split.weakLabels)
        let matrix = LabelMatrix(rows: weak)
        var model = MajorityVote()
        try model.fit(matrix, classCount: 2, validation: nil, seed: 0)
        let probabilities = try model.predictProbabilities(matrix)
        let script = """
        import json, sys
        data = json.load(open(sys.argv[1]))
        out = []
        for key in sorted(data, key=int):
            votes = [v for v in data[key]["weak_labels"] if v >= 0]
            out += [votes.count(c) / len(votes) for c in range(2)] if votes else [0.5, 0.5]
        print(json.dumps(out))
        """
        let output = try PythonReference.run(script, arguments: [folder.appendingPathComponent("train.json").path])
        let reference = try #require(try JSONSerialization.jsonObject(with: output) as? [Double])
        #expect(reference.count == probabilities.values.count)
        #expect(zip(reference, probabilities.values).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
