@testable import Engine
import Foundation
import Testing

/// End-model training rows in blocks: what is appended is read back, every epoch visits every row
/// once, and rows in one block train exactly as rows in memory always did.
@Suite struct TrainingRowsTests {
    /// Two classes told apart by which of two word groups a row has; targets a little soft.
    static func problem(rows: Int, seed: UInt64 = 5) -> (features: SparseMatrix, targets: ProbabilityMatrix, labels: [Int]) {
        var generator = SplitMix64(seed: seed)
        var features = SparseMatrix(columnCount: 64)
        var targets = ProbabilityMatrix(rows: rows, classes: 2)
        var labels: [Int] = []
        for row in 0..<rows {
            let label = Int(generator.next() % 2)
            let base = Int32(label * 32)
            let columns = Set((0..<4).map { _ in base + Int32(generator.next() % 32) }).sorted()
            features.appendRow(columns.map { ($0, Float(1) / Float(columns.count).squareRoot()) })
            targets[row, label] = 0.9
            targets[row, 1 - label] = 0.1
            labels.append(label)
        }
        return (features, targets, labels)
    }

    @Test func blocksPastTheFirstGoToAFileAndComeBackTheSame() throws {
        let data = Self.problem(rows: 10)
        let rows = TrainingRows(columnCount: 64, classes: 2, blockRows: 3)
        try rows.append(data.features, targets: data.targets)
        #expect(rows.rowCount == 10 && rows.blockCount == 4)
        var features = SparseMatrix(columnCount: 64)
        var targets: [Double] = []
        for index in 0..<rows.blockCount {
            let block = try rows.block(index)
            #expect(block.features.rowCount == (index < 3 ? 3 : 1))
            for row in 0..<block.features.rowCount {
                let (columns, values) = block.features.row(row)
                features.appendRow(zip(columns, values))
                targets += block.targets.row(row)
            }
        }
        #expect(features == data.features)
        #expect(targets == data.targets.values)
        let spilled = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("alchemist-training-") }
        #expect(!spilled.isEmpty)
    }

    @Test func theBlockFileIsRemovedWithTheRows() throws {
        func spilled() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("alchemist-training-") })
        }
        let before = try spilled()
        do {
            let rows = TrainingRows(columnCount: 64, classes: 2, blockRows: 2)
            let data = Self.problem(rows: 5)
            try rows.append(data.features, targets: data.targets)
            #expect(try spilled().count == before.count + 1)
        }
        #expect(try spilled().isSubset(of: before))
    }

    @Test func anEpochVisitsEveryRowOnce() throws {
        let data = Self.problem(rows: 50)
        let rows = TrainingRows(columnCount: 64, classes: 2, blockRows: 7)
        try rows.append(data.features, targets: data.targets)
        var generator = SplitMix64(seed: 1)
        var seen: [String: Int] = [:]
        try EndModelInput.epoch(rows, &generator) { columns, values, targets in
            seen["\(Array(columns)) \(Array(values)) \(Array(targets))", default: 0] += 1
        }
        var expected: [String: Int] = [:]
        for row in 0..<50 {
            let (columns, values) = data.features.row(row)
            expected["\(Array(columns)) \(Array(values)) \(Array(data.targets.row(row)))", default: 0] += 1
        }
        #expect(seen == expected)
    }

    @Test(arguments: EndModelID.allCases)
    func rowsInBlocksTrainAModelThatWorks(id: EndModelID) throws {
        let data = Self.problem(rows: 400)
        let held = Self.problem(rows: 200, seed: 6)
        let inMemory = { () -> any EndModel in
            var model = id.make()
            try? model.fit(data.features, targets: data.targets, validation: (held.features, held.labels), seed: 2)
            return model
        }()
        // One block is the whole set in memory: the same model, bit for bit.
        let oneBlock = TrainingRows(columnCount: 64, classes: 2, blockRows: 1000)
        try oneBlock.append(data.features, targets: data.targets)
        var same = id.make()
        try same.fit(oneBlock, validation: (held.features, held.labels), seed: 2)
        #expect(same.predictProbabilities(held.features) == inMemory.predictProbabilities(held.features))
        // Many blocks: another order of rows, as good a model, and deterministic.
        var results: [[Int]] = []
        for _ in 0..<2 {
            let blocks = TrainingRows(columnCount: 64, classes: 2, blockRows: 33)
            try blocks.append(data.features, targets: data.targets)
            var model = id.make()
            try model.fit(blocks, validation: (held.features, held.labels), seed: 2)
            results.append(model.predict(held.features))
        }
        #expect(results[0] == results[1])
        let accuracy = Double(zip(results[0], held.labels).filter { $0 == $1 }.count) / Double(held.labels.count)
        #expect(accuracy > 0.95, "\(id) accuracy \(accuracy)")
    }
}
