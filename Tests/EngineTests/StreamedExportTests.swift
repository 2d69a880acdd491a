@testable import Engine
import Foundation
import Testing
import TestSupport

/// The export reads each split beside its saved votes a chunk at a time; where the rows moved since
/// the run (a hand label took a train row to valid), their votes are found by id.
@Suite struct StreamedExportTests {
    static func rows(_ file: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: file, encoding: .utf8)
        let (_, rows) = try DelimitedText.parse(text, separator: ",", file: file.path)
        return rows.map(\.values)
    }

    @Test func aRowMovedSinceTheRunKeepsItsVotes() async throws {
        let folder = try TestEnvironment.temporaryFolder("streamed-export")
        defer { try? FileManager.default.removeItem(at: folder) }
        var job = try LabelingJobTests.job(try SandboxFixtures.examplePrograms("demo"), log: nil)
        job.runsFolder = folder.appendingPathComponent("runs")
        let outcome = try await job.run { _ in }
        let run = try LoadedRun.load(try #require(outcome.savedRun).folder)
        let saved = try run.votes(.train)

        let unchanged = folder.appendingPathComponent("unchanged.csv")
        let summary = try RunExport.write(run, dataset: job.dataset, splits: [.train, .valid], to: unchanged)
        let before = try Self.rows(unchanged)
        #expect(summary.rows == job.dataset.splits[.train]!.count + job.dataset.splits[.valid]!.count)
        let lf = run.manifest.programs.map(\.column)
        for (row, id) in saved.ids.enumerated() {
            #expect(before[row]["id"] == id)
            #expect(lf.enumerated().allSatisfy { column, name in before[row][name] == String(saved.matrix[row, column]) })
        }

        // Train row 5 moves to valid, as a hand label would move it.
        var moved = job.dataset
        var train = moved.splits[.train]!, valid = moved.splits[.valid]!
        let id = train.ids.remove(at: 5), text = train.texts.remove(at: 5)
        train.labels.remove(at: 5)
        valid.ids.append(id)
        valid.texts.append(text)
        valid.labels.append(1)
        moved.splits[.train] = train
        moved.splits[.valid] = valid
        let after = folder.appendingPathComponent("moved.csv")
        _ = try RunExport.write(run, dataset: moved, splits: [.train, .valid], to: after)
        let rows = try Self.rows(after)
        #expect(rows.count == before.count)
        let last = try #require(rows.last)
        #expect(last["id"] == id && last["gold"] == job.dataset.labelNames[1])
        #expect(lf.allSatisfy { last[$0] == before[5][$0] }, "the moved row keeps the votes the run saved for it")
        #expect(!rows.prefix(train.count).contains { $0["id"] == id })
    }
}
