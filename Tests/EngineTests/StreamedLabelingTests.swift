import Engine
import Foundation
import Testing
import TestSupport

/// A labeling run whose train split streams from its file gives what the run on the loaded dataset
/// gives: the same votes, scores, saved votes and export.
@Suite struct StreamedLabelingTests {
    static func scores(_ outcome: LabelingOutcome) -> [String] {
        outcome.result.labelModels.map { "\($0.id) \($0.scores.test.accuracy.mean) \($0.scores.valid?.accuracy.mean ?? -1)" }
            + outcome.result.endModels.map { "\($0.id) \($0.scores.test.accuracy.mean) \($0.scores.valid?.accuracy.mean ?? -1)" }
    }

    @Test func aStreamedTrainSplitLabelsAsTheLoadedOne() async throws {
        let home = try TestEnvironment.temporaryFolder("streamed-label")
        defer { try? FileManager.default.removeItem(at: home) }
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": home.path])
        let catalog = DatasetCatalog(config: config, paths: paths)
        let programs = try SandboxFixtures.examplePrograms("demo")
        var settings = LabelingSettings(runs: 2, labelModels: [.mv, .snorkel, .ds], endModels: [.lr], featureBits: 10)

        func job(_ streamed: Bool, runs: String) throws -> LabelingJob {
            let runsFolder = home.appendingPathComponent(runs)
            if streamed {
                let (dataset, train) = try catalog.loadStreamingTrain("demo")
                #expect(dataset.splits[.train] == nil && dataset.splits[.valid] != nil && dataset.splits[.test] != nil)
                var job = LabelingJob(dataset: dataset, votes: .programs(programs), settings: settings, sandbox: config.sandbox,
                                      runsFolder: runsFolder)
                job.train = train
                return job
            }
            return LabelingJob(dataset: try catalog.load("demo"), votes: .programs(programs), settings: settings, sandbox: config.sandbox,
                               runsFolder: runsFolder)
        }
        let loaded = try await job(false, runs: "loaded").run()
        let streamed = try await job(true, runs: "streamed").run()
        #expect(Self.scores(streamed) == Self.scores(loaded))
        #expect(streamed.result.trainingRows == loaded.result.trainingRows && loaded.result.trainingRows > 0)
        let figures = { (outcome: LabelingOutcome) in outcome.analysis.map { [$0.coverage, $0.overlaps, $0.conflicts, $0.accuracy ?? -1] } }
        #expect(figures(streamed) == figures(loaded) && !figures(loaded).isEmpty)
        let savedLoaded = try #require(loaded.savedRun), savedStreamed = try #require(streamed.savedRun)
        for split in ["train", "valid", "test"] {
            let file = "votes/\(split).csv"
            #expect(try Data(contentsOf: savedStreamed.folder.appendingPathComponent(file))
                    == Data(contentsOf: savedLoaded.folder.appendingPathComponent(file)), "\(file)")
        }
        let exports = try [savedLoaded, savedStreamed].map { saved -> Data in
            let file = saved.folder.appendingPathComponent("export/train.csv")
            _ = try RunExport.write(try LoadedRun.load(saved.folder), catalog: catalog, to: file)
            return try Data(contentsOf: file)
        }
        #expect(exports[0] == exports[1])

        // A second streamed run takes every vote from the cache: nothing is applied (python is gone).
        settings.runs = 1
        var again = try job(true, runs: "streamed")
        again.sandbox.python = "/nonexistent/python3"
        let cached = try await again.run()
        #expect(cached.result.trainingRows == loaded.result.trainingRows)
    }
}
