@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct PastResultsTests {
    static func result(dataset: String, accuracy: Double, cost: String) -> LabelingRunResult {
        let scores = ModelScores(test: SplitScores(accuracy: MeanStd(mean: accuracy, std: 0.01), f1: MeanStd(mean: accuracy - 0.1, std: 0.02)),
                                 valid: nil, fitSeconds: 0.1)
        return LabelingRunResult(dataset: dataset, programs: 4, programNames: ["a", "b", "c", "d"], runs: 3, coverage: [.train: 0.75],
                                 labelModels: [(.mv, scores), (.ds, scores)], bestLabelModel: .ds, selectionMetric: .accuracy,
                                 trainingRows: 30, endModels: [(.lr, scores)], costUSD: Decimal(string: cost)!, seconds: 2.5)
    }

    @Test func rowsWrittenByTheLogComeBackNewestFirst() throws {
        let folder = try TestEnvironment.temporaryFolder("past")
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = ExperimentLog(folder: folder)
        try log.record(Self.result(dataset: "demo", accuracy: 0.8, cost: "0.0042"), mode: "alchemist", prior: "keywords", model: "gpt-4o-mini",
                       date: Date(timeIntervalSince1970: 1_700_000_000))
        try log.record(Self.result(dataset: "odd, name", accuracy: 0.9, cost: "0"), mode: "scriptorium", prior: nil, model: "builtin",
                       date: Date(timeIntervalSince1970: 1_700_000_100))
        try log.record(Self.result(dataset: "older", accuracy: 0.7, cost: "1.5"), mode: "handwritten", prior: nil, model: "none",
                       date: Date(timeIntervalSince1970: 1_600_000_000))
        let rows = try PastResults.read(log.resultsFile)
        #expect(rows.map(\.dataset) == ["odd, name", "demo", "older"])
        #expect(rows.map(\.line) == [3, 2, 4])
        let demo = rows[1]
        #expect(demo.mode == "alchemist" && demo.prior == "keywords" && demo.codeModel == "gpt-4o-mini")
        #expect(demo.programs == 4 && demo.runs == 3 && demo.trainCoverage == 0.75)
        #expect(demo.bestLabelModel == "ds" && demo.labelModelTestAccuracy == 0.8 && demo.labelModelTestF1 == 0.7)
        #expect(demo.lrTestAccuracy == 0.8 && demo.mlpTestAccuracy == nil)
        #expect(demo.costUSD == Decimal(string: "0.0042") && demo.seconds == 2.5)
        #expect(demo.date == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(rows[0].prior == nil && rows[0].costUSD == 0)
    }

    @Test func noFileMeansNoRows() throws {
        #expect(try PastResults.read(URL(fileURLWithPath: "/nonexistent/results.csv")).isEmpty)
    }

    @Test func aMalformedRowIsAnErrorNamingFileAndLine() throws {
        let folder = try TestEnvironment.temporaryFolder("past-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = ExperimentLog(folder: folder)
        try log.record(Self.result(dataset: "demo", accuracy: 0.8, cost: "0"), mode: "m", prior: nil, model: "x")
        let good = try String(contentsOf: log.resultsFile, encoding: .utf8)
        let cases = [
            ("too,few,fields\n", "3 fields where the header has 18"),
            ("2024-01-01T00:00:00Z,demo,m,,x,four,3,0.5,mv,0.8,0.7,,,,,0,1.0,\n", "programs: \"four\" is not a whole number"),
            ("2024-01-01T00:00:00Z,demo,m,,x,4,3,0.5,mv,high,0.7,,,,,0,1.0,\n", "label_model_test_accuracy: \"high\" is not a number"),
            ("2024-01-01T00:00:00Z,\"demo,m,,x,4,3,0.5,mv,0.8,0.7,,,,,0,1.0\n", "never closed"),
        ]
        for (line, reason) in cases {
            try Data((good + line).utf8).write(to: log.resultsFile)
            let error = #expect(throws: PastResultsError.self) { try PastResults.read(log.resultsFile) }
            #expect(error?.line == 3)
            #expect(error?.description.hasPrefix("\(log.resultsFile.path):3: ") == true, "\(String(describing: error))")
            #expect(error?.description.contains(reason) == true, "\(String(describing: error))")
        }
        try Data("date,dataset\n".utf8).write(to: log.resultsFile)
        let header = #expect(throws: PastResultsError.self) { try PastResults.read(log.resultsFile) }
        #expect(header?.description.contains(":1: the header has no \"mode\" column") == true)
    }

    @Test func aFileFromBeforeSavedRunsGainsTheRunIDColumnAndRowsFindTheirRun() throws {
        let folder = try TestEnvironment.temporaryFolder("past-old")
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = ExperimentLog(folder: folder)
        let oldHeader = ExperimentLog.csvHeader.replacingOccurrences(of: ",run_id", with: "")
        try Data((oldHeader + "\n2024-01-01T00:00:00Z,demo,m,,x,4,3,0.5,mv,0.8,0.7,,,,,0,1.0\n").utf8).write(to: log.resultsFile)
        #expect(try PastResults.read(log.resultsFile).count == 1)  // read as it is
        let runs = folder.appendingPathComponent("runs")
        let run = runs.appendingPathComponent("demo/20250101T000000-12345678")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: run.appendingPathComponent(RunFolder.manifestFile))
        try log.record(Self.result(dataset: "demo", accuracy: 0.9, cost: "0"), mode: "m", prior: nil, model: "x",
                       runID: "20250101T000000-12345678")
        let lines = try String(contentsOf: log.resultsFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == Substring(ExperimentLog.csvHeader))
        #expect(lines.count == 3 && lines[1].hasSuffix("0,1.0,") && lines[2].hasSuffix(",20250101T000000-12345678"))
        let rows = try PastResults.read(log.resultsFile, runsFolder: runs)
        #expect(rows.first?.runID == "20250101T000000-12345678" && rows.first?.runFolder?.path == run.path)
        #expect(rows.last?.runID == nil && rows.last?.runFolder == nil)
        #expect(rows.first?.logFile == log.logFile(dataset: "demo", mode: "m", prior: nil, model: "x"))
    }
}
