@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct LabelingRunTests {
    @Test func everyModelIDMakesTheModelOfThatID() {
        for id in LabelModelID.allCases { #expect(id.make().id == id.rawValue) }
        for id in EndModelID.allCases { #expect(id.make().id == id.rawValue) }
    }

    @Test func unknownModelIDsAreRefusedNamingTheKnownOnes() throws {
        #expect(try LabelModelID(parsing: "snorkel") == .snorkel)
        #expect(try EndModelID(parsing: "mlp") == .mlp)
        let label = #expect(throws: LabelModelError.self) { try LabelModelID(parsing: "magic") }
        #expect(label?.description == "unknown label model \"magic\" (known: mv, wmv, ds, snorkel, fs)")
        let end = #expect(throws: LabelModelError.self) { try EndModelID(parsing: "svm") }
        #expect(end?.description == "unknown end model \"svm\" (known: lr, mlp)")
        #expect(throws: LabelModelError.self) { try LabelModelID(parsing: "MV") }  // ids are exact
        // JSON carries the same words as the log.
        #expect(String(decoding: try JSONEncoder().encode([LabelModelID.fs]), as: UTF8.self) == #"["fs"]"#)
        #expect(try JSONDecoder().decode([EndModelID].self, from: Data(#"["lr"]"#.utf8)) == [.lr])
    }

    @Test func settingsDefaultToEveryModelFiveRunsAndLearnedUndecidedRows() throws {
        let defaults = LabelingSettings()
        #expect(defaults.runs == 5 && defaults.featureBits == 18 && defaults.uncovered == .learned && defaults.endModelRows == nil)
        #expect(defaults.labelModels == [.mv, .wmv, .ds, .snorkel, .fs] && defaults.endModels == [.lr, .mlp])
        #expect(LabelingRun().settings == defaults)
        try defaults.validate()
        #expect(throws: LabelModelError("runs: must be at least 1")) { try LabelingSettings(runs: 0).validate() }
        #expect(throws: LabelModelError("name at least one label model")) { try LabelingSettings(labelModels: []).validate() }
        #expect(throws: LabelModelError("label model \"mv\" is named twice")) { try LabelingSettings(labelModels: [.mv, .ds, .mv]).validate() }
        #expect(throws: LabelModelError("end model \"lr\" is named twice")) { try LabelingSettings(endModels: [.lr, .lr]).validate() }
        #expect(throws: LabelModelError("feature bits: expected 8…24, found 7")) { try LabelingSettings(featureBits: 7).validate() }
    }

    @Test func uncoveredRowsFollowThePriorOrAreUniform() throws {
        // Row 2 has no vote; the validation labels make class 0 the prior's majority.
        let votes = LabelMatrix(rows: [[1, 1], [0, -1], [-1, -1]])
        let validation = LabeledMatrix(matrix: LabelMatrix(rows: [[0, -1], [0, 0], [1, 1]]), labels: [0, 0, 1])
        var model = MajorityVote()
        try model.fit(votes, classCount: 2, validation: validation, seed: 0)
        var run = LabelingRun()
        run.settings.uncovered = .prior
        for seed in 0..<8 {
            #expect(try run.predict(model, votes, .random(seed: UInt64(seed))) == [1, 0, 0])
        }
        run.settings.uncovered = .uniform
        let draws = try (0..<16).map { try run.predict(model, votes, .random(seed: UInt64($0)))[2] }
        #expect(Set(draws) == [0, 1])  // a fair coin over 16 seeds shows both sides
        #expect(try (0..<16).allSatisfy { try run.predict(model, votes, .random(seed: UInt64($0)))[0...1] == [1, 0] })
    }

    @Test func learnedPolicyPredictsWhatUndecidedValidRowsWere() throws {
        // Valid: class 0 is the majority, but its no-vote rows are class 1 and its 1–1 ties class 0.
        let validation = LabeledMatrix(
            matrix: LabelMatrix(rows: [[0, -1], [0, 0], [0, -1], [1, 1], [-1, -1], [-1, -1], [0, 1], [1, 0]]),
            labels: [0, 0, 0, 1, 1, 1, 0, 0])
        let test = LabelMatrix(rows: [[-1, -1], [1, 0], [0, 1], [1, -1], [-1, -1]])
        var model = MajorityVote()
        try model.fit(test, classCount: 2, validation: validation, seed: 0)
        var run = LabelingRun()
        for seed in 0..<8 {
            let learned = try run.predict(model, test: test, validation: validation, .random(seed: UInt64(seed)))
            #expect(learned.test == [1, 0, 0, 1, 1])
            #expect(learned.valid == [0, 0, 0, 1, 1, 1, 0, 0])
        }
        // The prior policy gives no-vote rows the majority class instead.
        run.settings.uncovered = .prior
        #expect(try run.predict(model, test: test, validation: validation, .random(seed: 0)).test[0] == 0)
        // Without valid labels, learned falls back to the prior (uniform here): ties stay random.
        run.settings.uncovered = .learned
        let draws = try (0..<16).map { try run.predict(model, test: test, validation: nil, .random(seed: UInt64($0))).test[1] }
        #expect(Set(draws) == [0, 1])
    }

    @Test func selectionMetricIsF1ForImbalancedBinaryTasks() {
        #expect(LabelingRun.selectionMetric(classCount: 2, validLabels: [0, 0, 0, 0, 1]) == .f1)
        #expect(LabelingRun.selectionMetric(classCount: 2, validLabels: [0, 1, 0, 1]) == .accuracy)
        #expect(LabelingRun.selectionMetric(classCount: 3, validLabels: [0, 0, 0, 0, 1]) == .accuracy)
        #expect(LabelingRun.selectionMetric(classCount: 2, validLabels: nil) == .none)
    }

    /// Votes of three keyword rules, computed here (no sandbox needed for this test).
    static func votes(_ texts: [String]) -> LabelMatrix {
        LabelMatrix(rows: texts.map { text in
            let lower = text.lowercased()
            return [lower.contains("down") || lower.contains("outage") ? 1 : -1,
                    lower.contains("please") || lower.contains("when you can") ? 0 : -1,
                    lower.contains("urgent") || lower.contains("asap") ? 1 : -1]
        })
    }

    @Test func aRunIsDeterministicAndItsNumbersHangTogether() throws {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        let demo = try DatasetCatalog(config: config, paths: paths).load("demo")
        let matrices = Dictionary(uniqueKeysWithValues: try SplitName.allCases.map { ($0, Self.votes(try demo.split($0).texts)) })
        var run = LabelingRun()
        run.settings.runs = 2
        run.settings.featureBits = 10
        let first = try run.run(dataset: demo, programNames: ["a", "b", "c"], matrices: matrices, cost: Decimal(string: "0.25")!)
        let second = try run.run(dataset: demo, programNames: ["a", "b", "c"], matrices: matrices, cost: Decimal(string: "0.25")!)
        // Fit times vary; every score is identical.
        #expect(first.labelModels.map(\.scores.test) == second.labelModels.map(\.scores.test))
        #expect(first.labelModels.map(\.scores.valid) == second.labelModels.map(\.scores.valid))
        #expect(first.endModels.map(\.scores.test) == second.endModels.map(\.scores.test))
        #expect(first.bestLabelModel == second.bestLabelModel)
        #expect(first.labelModels.map(\.id) == LabelModelID.allCases)
        #expect(first.endModels.map(\.id) == EndModelID.allCases)
        let covered = (0..<matrices[.train]!.rows).filter { row in matrices[.train]!.row(row).contains { $0 >= 0 } }.count
        #expect(first.trainingRows == covered)
        #expect(first.coverage[.train] == Double(covered) / Double(try demo.split(.train).count))
        #expect(first.costUSD == Decimal(string: "0.25"))
        for scores in first.labelModels.map(\.scores) + first.endModels.map(\.scores) {
            #expect((0...1).contains(scores.test.accuracy.mean) && scores.test.accuracy.std >= 0)
        }
    }

    @Test func withoutValidLabelsNothingIsChosenOnTest() throws {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        var demo = try DatasetCatalog(config: config, paths: paths).load("demo")
        demo.splits[.valid] = nil
        let matrices = Dictionary(uniqueKeysWithValues: try [SplitName.train, .test].map { ($0, Self.votes(try demo.split($0).texts)) })
        var run = LabelingRun()
        run.settings.runs = 2
        run.settings.featureBits = 10
        run.settings.labelModels = [.ds, .mv]
        let result = try run.run(dataset: demo, programNames: ["a", "b", "c"], matrices: matrices, cost: 0)
        #expect(result.selectionMetric == SelectionMetric.none)
        #expect(result.bestLabelModel == .ds)  // the first listed, whatever its test score
        #expect(result.labelModels.allSatisfy { $0.scores.valid == nil })
        let text = ExperimentLog.text(result, mode: "m", prior: nil, model: "x", date: Date())
        #expect(text.contains("kept (no valid labels"))
    }
}
