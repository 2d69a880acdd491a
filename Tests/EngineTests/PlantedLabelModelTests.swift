import Engine
import Foundation
import Testing
import TestSupport

/// Weighted majority vote and Dawid–Skene on synthetic votes with planted program accuracies.
@Suite struct PlantedLabelModelTests {
    static let cases: [(classWeights: [Double], seed: UInt64)] = [([0.6, 0.4], 11), ([0.3, 0.3, 0.4], 12)]

    @Test(arguments: 0..<2) func dawidSkeneRecoversPlantedAccuraciesAndBeatsMajorityVote(caseIndex: Int) throws {
        let setup = Self.cases[caseIndex]
        let data = PlantedVotes(rows: 5000, classWeights: setup.classWeights, accuracies: PlantedVotes.accuracies,
                                coverages: PlantedVotes.coverages, seed: setup.seed)
        let k = setup.classWeights.count
        var mv = MajorityVote()
        try mv.fit(data.matrix, classCount: k, validation: nil, seed: 0)
        let mvAccuracy = try Metrics.accuracy(predicted: mv.predict(data.matrix), gold: data.truth)
        for abstains in [DawidSkene.Abstains.ignored, .observed] {
            var ds = DawidSkene(abstains: abstains)
            try ds.fit(data.matrix, classCount: k, validation: nil, seed: 0)
            for (estimated, planted) in zip(ds.estimatedAccuracies, PlantedVotes.accuracies) {
                #expect(abs(estimated - planted) < 0.05, "\(abstains): estimated \(estimated), planted \(planted)")
            }
            for (estimated, planted) in zip(ds.classPrior, setup.classWeights) { #expect(abs(estimated - planted) < 0.05) }
            let dsAccuracy = try Metrics.accuracy(predicted: ds.predict(data.matrix), gold: data.truth)
            print("planted \(k) classes, abstains \(abstains): mv \(mvAccuracy), ds \(dsAccuracy) after \(ds.iterations) iterations")
            #expect(dsAccuracy > mvAccuracy)
        }
    }

    @Test(arguments: 0..<2) func weightedMajorityVoteBeatsMajorityVoteWithAndWithoutValidation(caseIndex: Int) throws {
        let setup = Self.cases[caseIndex]
        let data = PlantedVotes(rows: 5000, classWeights: setup.classWeights, accuracies: PlantedVotes.accuracies,
                                coverages: PlantedVotes.coverages, seed: setup.seed)
        let labeled = PlantedVotes(rows: 500, classWeights: setup.classWeights, accuracies: PlantedVotes.accuracies,
                                   coverages: PlantedVotes.coverages, seed: setup.seed + 100)
        let k = setup.classWeights.count
        var mv = MajorityVote()
        try mv.fit(data.matrix, classCount: k, validation: nil, seed: 0)
        let mvAccuracy = try Metrics.accuracy(predicted: mv.predict(data.matrix), gold: data.truth)
        for validation in [nil, LabeledMatrix(matrix: labeled.matrix, labels: labeled.truth)] {
            var wmv = WeightedMajorityVote()
            try wmv.fit(data.matrix, classCount: k, validation: validation, seed: 0)
            let accuracy = try Metrics.accuracy(predicted: wmv.predict(data.matrix), gold: data.truth)
            print("planted \(k) classes, validation \(validation != nil): mv \(mvAccuracy), wmv \(accuracy), weights \(wmv.weights)")
            #expect(accuracy > mvAccuracy)
            if validation == nil {
                // Agreement with the others follows the planted order of accuracies.
                #expect(zip(wmv.weights, wmv.weights.dropFirst()).allSatisfy { $0 >= $1 })
            } else {
                for (estimated, planted) in zip(wmv.estimatedAccuracies, PlantedVotes.accuracies) {
                    #expect(abs(estimated - planted) < 0.1, "estimated \(estimated), planted \(planted)")
                }
            }
        }
    }

    @Test func sameSeedGivesIdenticalProbabilities() throws {
        func run() throws -> [ProbabilityMatrix] {
            let data = PlantedVotes(rows: 2000, classWeights: [0.3, 0.3, 0.4], accuracies: PlantedVotes.accuracies,
                                    coverages: PlantedVotes.coverages, seed: 99)
            var wmv = WeightedMajorityVote(), ds = DawidSkene()
            try wmv.fit(data.matrix, classCount: 3, validation: nil, seed: 5)
            try ds.fit(data.matrix, classCount: 3, validation: nil, seed: 5)
            return [try wmv.predictProbabilities(data.matrix), try ds.predictProbabilities(data.matrix)]
        }
        #expect(try run() == run())
    }

    /// The same EM written in plain Python, same initialisation, update order and smoothing.
    static let referenceScript = """
    import json, math, sys
    job = json.load(sys.stdin)
    k, s, observed = job["k"], job["smoothing"], job["observed"]
    votes = job["votes"]
    m = len(votes[0])
    w = k + 1 if observed else k
    # (program, response) pairs: an abstain is response 0 when observed, else left out.
    if observed:
        rows = [[(j, v + 1) for j, v in enumerate(r)] for r in votes]
    else:
        rows = [[(j, v) for j, v in enumerate(r) if v >= 0] for r in votes]
    kept = [r for r in rows if r]
    T = []
    for r in kept:
        cast = [v - (w - k) for _, v in r if v - (w - k) >= 0]
        t = [0.0] * k if cast else [1.0 / k] * k
        for v in cast:
            t[v] += 1.0 / len(cast)
        T.append(t)
    def posterior(r, prior, conf):
        scores = [math.log(prior[c]) + sum(math.log(conf[j][c][v]) for j, v in r) for c in range(k)]
        top = max(scores)
        e = [math.exp(x - top) for x in scores]
        z = sum(e)
        return [x / z for x in e]
    for iteration in range(1, job["iterations"] + 1):
        n = len(kept)
        prior = [(sum(t[c] for t in T) + s) / (n + k * s) for c in range(k)]
        conf = [[[s] * w for _ in range(k)] for _ in range(m)]
        for r, t in zip(kept, T):
            for j, v in r:
                for c in range(k):
                    conf[j][c][v] += t[c]
        conf = [[[x / sum(row) for x in row] for row in cj] for cj in conf]
        new = [posterior(r, prior, conf) for r in kept]
        change = max(abs(a - b) for tn, to in zip(new, T) for a, b in zip(tn, to))
        T = new
        if change < job["tolerance"]:
            break
    out = [posterior(r, prior, conf) if any(v >= 0 for v in votes[i]) else [1.0 / k] * k for i, r in enumerate(rows)]
    print(json.dumps({"probabilities": [x for row in out for x in row], "iterations": iteration}))
    """

    @Test(arguments: [(2, UInt64(3), false), (3, UInt64(4), false), (2, UInt64(5), true), (3, UInt64(6), true)])
    func dawidSkeneMatchesPythonReference(k: Int, seed: UInt64, observed: Bool) throws {
        // Low coverage so that some rows are all-abstain; few rows so that smoothing matters.
        let data = PlantedVotes(rows: 120, classWeights: [Double](repeating: 1, count: k), accuracies: [0.85, 0.75, 0.7, 0.6, 0.55],
                                coverages: [0.3, 0.5, 0.4, 0.35, 0.3], seed: seed)
        var ds = DawidSkene(abstains: observed ? .observed : .ignored)
        try ds.fit(data.matrix, classCount: k, validation: nil, seed: 0)
        let probabilities = try ds.predictProbabilities(data.matrix)
        let rows = (0..<data.matrix.rows).map { data.matrix.row($0).map(Int.init) }
        let job: [String: Any] = ["k": k, "smoothing": ds.smoothing, "votes": rows, "iterations": ds.maxIterations,
                                  "tolerance": ds.tolerance, "observed": observed]
        let output = try PythonReference.run(Self.referenceScript, input: try JSONSerialization.data(withJSONObject: job))
        let reference = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        let values = try #require(reference["probabilities"] as? [Double])
        #expect(values.count == probabilities.values.count)
        let worst = zip(values, probabilities.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-6, "largest difference \(worst)")
        #expect(reference["iterations"] as? Int == ds.iterations)
        #expect((0..<data.matrix.rows).contains { row in data.matrix.row(row).allSatisfy { $0 < 0 } })
    }
}
