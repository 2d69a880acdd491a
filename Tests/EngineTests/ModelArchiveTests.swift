import Engine
import Foundation
import Testing

/// Fitted models written to a `ParameterArchive` and read back predict bit for bit what they did.
@Suite struct ModelArchiveTests {
    /// Votes of 8 programs on 300 rows, each program right 60–90 % of the time when it votes.
    static func votes(rows: Int = 300, classes: Int = 3, seed: UInt64 = 7) -> (LabelMatrix, [Int]) {
        var generator = SplitMix64(seed: seed)
        var matrix = LabelMatrix(rows: rows, columns: 8)
        var gold: [Int] = []
        for row in 0..<rows {
            let truth = Int(generator.next() % UInt64(classes))
            gold.append(truth)
            for program in 0..<8 where generator.next() % 3 != 0 {
                let right = generator.next() % 100 < UInt64(60 + 4 * program)
                matrix[row, program] = right ? truth : Int(generator.next() % UInt64(classes))
            }
        }
        return (matrix, gold)
    }

    @Test(arguments: LabelModelID.allCases)
    func aLabelModelReadBackPredictsTheSame(_ id: LabelModelID) throws {
        let (train, gold) = Self.votes()
        let (other, _) = Self.votes(rows: 120, seed: 99)
        var model = id.make()
        try model.fit(train, classCount: 3, validation: LabeledMatrix(matrix: train, labels: gold), seed: 3)
        let bytes = try LabelModelID.archive(model).encoded()
        let restored = try LabelModelID.restore(try ParameterArchive(decoding: bytes, file: "label-model.bin"))
        #expect(restored.id == id.rawValue)
        #expect(try restored.predictProbabilities(other) == model.predictProbabilities(other))
        #expect(try restored.predictProbabilities(train) == model.predictProbabilities(train))
    }

    @Test(arguments: EndModelID.allCases)
    func anEndModelAndItsFeaturesReadBackPredictTheSame(_ id: EndModelID) throws {
        let words = ["server", "down", "printer", "toner", "urgent", "please", "outage", "password", "reset", "now", "broken", "mouse"]
        var generator = SplitMix64(seed: 11)
        func text() -> String { (0..<6).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ") }
        let texts = (0..<200).map { _ in text() }
        let fresh = (0..<50).map { _ in text() }
        var features = HashedTFIDF(bits: 10)
        features.fit(texts)
        var targets = ProbabilityMatrix(rows: texts.count, classes: 2)
        for (row, text) in texts.enumerated() {
            let urgent = text.contains("down") || text.contains("outage") || text.contains("now")
            targets[row, urgent ? 1 : 0] = 0.9
            targets[row, urgent ? 0 : 1] = 0.1
        }
        var model = id.make()
        try model.fit(features.transform(texts), targets: targets, validation: nil, seed: 5)
        var archive = try EndModelID.archive(model)
        features.archive(into: &archive)
        let bytes = try archive.encoded()
        if id == .mlp {
            // The first layer keeps only the columns training changed: 2^10 × 64 weights would be 256 KiB.
            #expect(archive.floats["inputWeights"] == nil && bytes.count < 1 << 16, "\(bytes.count) bytes")
        }
        let decoded = try ParameterArchive(decoding: bytes, file: "end-model.bin")
        let restored = try EndModelID.restore(decoded)
        let restoredFeatures = try HashedTFIDF(archive: decoded)
        #expect(restoredFeatures.transform(fresh) == features.transform(fresh))
        #expect(restored.predictProbabilities(restoredFeatures.transform(fresh)) == model.predictProbabilities(features.transform(fresh)))
    }

    @Test func aDamagedArchiveIsAClearError() throws {
        var archive = ParameterArchive(kind: "mv")
        archive.numbers = ["classCount": 2, "programCount": 3]
        archive.doubles = ["prior": [0.5, 0.5]]
        let bytes = try archive.encoded()
        #expect(try ParameterArchive(decoding: bytes, file: "f") == archive)
        #expect(throws: ParameterArchiveError.self) { try ParameterArchive(decoding: bytes.dropLast(3), file: "f") }
        #expect(throws: ParameterArchiveError.self) { try ParameterArchive(decoding: Data("not an archive".utf8), file: "f") }
        do {
            _ = try ParameterArchive(decoding: bytes.dropLast(8), file: "cut.bin")
            Issue.record("a cut archive was read")
        } catch let error as ParameterArchiveError {
            #expect(error.description.contains("cut.bin") && error.description.contains("expected 16 bytes"), "\(error)")
        }
        archive.doubles = ["prior": [0.5]]
        #expect(throws: ParameterArchiveError.self) { try LabelModelID.restore(archive) }
    }
}
