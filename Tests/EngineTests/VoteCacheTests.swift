@testable import Engine
import Foundation
import Testing
import TestSupport

/// Labeling again with unchanged programs on unchanged data applies nothing; a changed program is
/// applied again, alone.
@Suite struct VoteCacheTests {
    static func notes(_ log: ProgressLog) -> [String] {
        log.events.compactMap { event in
            if case .note(let text) = event { return text }
            return nil
        }
    }

    @Test func aSecondRunTakesTheVotesFromTheCacheAndAChangedProgramIsAppliedAlone() async throws {
        let folder = try TestEnvironment.temporaryFolder("vote-cache")
        defer { try? FileManager.default.removeItem(at: folder) }
        let runs = folder.appendingPathComponent("runs")
        var programs = try SandboxFixtures.examplePrograms("demo")
        var job = try LabelingJobTests.job(programs, log: nil)
        job.runsFolder = runs
        let first = try await job.run { _ in }
        let firstVotes = try #require(first.savedRun).folder.appendingPathComponent("votes/train.csv")

        // The interpreter is gone: any program applied now fails the run, so passing shows nothing was applied.
        var cachedOnly = job
        cachedOnly.sandbox.python = "/nonexistent/python3"
        let log = ProgressLog()
        let second = try await cachedOnly.run { log.append($0) }
        #expect(Self.notes(log).contains { $0.contains("\(programs.count) of \(programs.count) programs come from the vote cache") },
                "\(Self.notes(log))")
        let secondVotes = try #require(second.savedRun).folder.appendingPathComponent("votes/train.csv")
        #expect(try Data(contentsOf: firstVotes) == Data(contentsOf: secondVotes))
        #expect(second.result.labelModels.map(\.scores.test) == first.result.labelModels.map(\.scores.test))

        // One program changes: it alone is applied, and its new votes are the ones used.
        programs[0].code = "def label_function(text):\n    return 1\n"
        programs[0].source = programs[0].code
        var changed = try LabelingJobTests.job(programs, log: nil)
        changed.runsFolder = runs
        let changedLog = ProgressLog()
        let third = try await changed.run { changedLog.append($0) }
        #expect(Self.notes(changedLog).contains { $0.contains("\(programs.count - 1) of \(programs.count) programs") }, "\(Self.notes(changedLog))")
        let train = try LabelingJobTests.demo().split(.train)
        let matrix = try #require(third.savedRun).folder.appendingPathComponent("votes/train.csv")
        let lines = try String(contentsOf: matrix, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        #expect(lines.count == train.count)
        #expect(lines.allSatisfy { $0.split(separator: ",")[1] == "1" }, "the changed program's votes are its new ones")
    }

    @Test func machineDependentOutcomesAreNotKept() throws {
        let folder = try TestEnvironment.temporaryFolder("vote-cache-kept")
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = VoteCache(runsFolder: folder, dataset: "d")
        let key = VoteCache.dataKey(texts: ["a", "b"], classCount: 2, workerScript: "w")
        var timedOut = ProgramReport(name: "p")
        timedOut.timeouts = 1
        #expect(!cache.store(source: "s", dataKey: key, votes: [0, -1], report: timedOut))
        #expect(cache.load(source: "s", dataKey: key, rows: 2) == nil)
        var erred = ProgramReport(name: "p")
        erred.errors = 1
        erred.firstError = "ValueError: x"
        #expect(cache.store(source: "s", dataKey: key, votes: [0, -1], report: erred))
        #expect(cache.load(source: "s", dataKey: key, rows: 2) == VoteCache.Entry(votes: [0, -1], report: erred))
        #expect(cache.load(source: "s", dataKey: key, rows: 3) == nil, "votes of another row count are not these")
        // Another text, another class count or another worker is another key.
        #expect(VoteCache.dataKey(texts: ["a", "c"], classCount: 2, workerScript: "w") != key)
        #expect(VoteCache.dataKey(texts: ["ab", ""], classCount: 2, workerScript: "w") != key)
        #expect(VoteCache.dataKey(texts: ["a", "b"], classCount: 3, workerScript: "w") != key)
        #expect(VoteCache.dataKey(texts: ["a", "b"], classCount: 2, workerScript: "w2") != key)
    }
}
