@testable import Engine
import Foundation
import Testing
import TestSupport

/// Progress events collected from any thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [LabelingProgress] = []

    func append(_ event: LabelingProgress) {
        lock.lock(); defer { lock.unlock() }
        stored.append(event)
    }

    var events: [LabelingProgress] {
        lock.lock(); defer { lock.unlock() }
        return stored
    }
}

/// Cancels a task from inside its own progress callback, even when the callback comes before the
/// task handle is stored.
final class Canceller: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<LabelingOutcome, Error>?
    private var wanted = false

    func hold(_ task: Task<LabelingOutcome, Error>) {
        lock.lock(); defer { lock.unlock() }
        self.task = task
        if wanted { task.cancel() }
    }

    func cancel() {
        lock.lock(); defer { lock.unlock() }
        wanted = true
        task?.cancel()
    }
}

@Suite struct LabelingJobTests {
    static func demo() throws -> Dataset {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        return try DatasetCatalog(config: config, paths: paths).load("demo")
    }

    static func job(_ programs: [LabelingProgram], log: URL?) throws -> LabelingJob {
        var job = LabelingJob(dataset: try demo(), votes: .programs(programs), sandbox: try TestEnvironment.config().sandbox,
                              experimentLogFolder: log)
        job.settings.runs = 2
        job.settings.featureBits = 10
        return job
    }

    @Test func stepsComeInOrderWithCountsThatOnlyGrowAndTheResultIsRecorded() async throws {
        let folder = try TestEnvironment.temporaryFolder("job")
        defer { try? FileManager.default.removeItem(at: folder) }
        var job = try Self.job(try SandboxFixtures.examplePrograms("demo"), log: folder)
        job.settings.labelModels = [.mv, .ds]
        job.settings.endModels = [.lr]
        let log = ProgressLog()
        let outcome = try await job.run { log.append($0) }

        let events = log.events
        let expected: [LabelingStep] = [.apply(.train), .apply(.valid), .apply(.test), .labelModel(.mv), .labelModel(.ds), .features, .endModel(.lr)]
        #expect(events.first == .planned(expected))
        var order: [LabelingStep] = []
        var last: [LabelingStep: (done: Int, total: Int)] = [:]
        for case .step(let step, let done, let total) in events {
            #expect(done >= 0 && done <= total, "\(step): \(done)/\(total)")
            if let previous = last[step] {
                #expect(done >= previous.done && total == previous.total, "\(step) went from \(previous) to \(done)/\(total)")
            } else {
                order.append(step)
            }
            last[step] = (done, total)
        }
        #expect(order == expected)
        // Every step ends complete: votes for the splits, runs for the models.
        #expect(expected.allSatisfy { last[$0].map { $0.done == $0.total } == true })
        #expect(last[.apply(.train)]?.total == 5 * (try Self.demo().split(.train).count))
        #expect(last[.labelModel(.mv)]?.total == 2)

        #expect(outcome.result.labelModels.map(\.id) == [.mv, .ds])
        #expect(outcome.result.endModels.map(\.id) == [.lr])
        #expect(outcome.provenance == LabelingProvenance(mode: "handwritten", prior: nil, model: "none"))
        #expect(outcome.notes.isEmpty)
        let logFile = try #require(outcome.logFile)
        #expect(logFile.path.hasSuffix("demo/handwritten_none.txt"))
        #expect(try String(contentsOf: logFile, encoding: .utf8).contains("label model"))
        let rows = try PastResults.read(try #require(outcome.resultsFile))
        #expect(rows.count == 1)
        #expect(rows.first?.dataset == "demo" && rows.first?.bestLabelModel == outcome.result.bestLabelModel.rawValue)
    }

    /// The analysis must match votes computed outside the sandbox by trusted Python.
    @Test func theAnalysisAgreesWithTheVotesOnTheValidSplit() async throws {
        let programs = try SandboxFixtures.examplePrograms("demo")
        var job = try Self.job(programs, log: nil)
        job.settings.labelModels = [.mv]
        job.settings.endModels = []
        let outcome = try await job.run()
        let valid = try Self.demo().split(.valid)
        let columns = try ReferenceLabels.compute(programs.map(\.source), texts: valid.texts, classCount: 2)
        #expect(outcome.analysisSplit == .valid)
        #expect(outcome.analysis.map(\.name) == programs.map(\.name))
        #expect(outcome.logFile == nil && outcome.resultsFile == nil)
        let rows = Double(valid.count)
        for (program, column) in zip(outcome.analysis, columns) {
            let voted = column.indices.filter { column[$0] >= 0 }
            let correct = voted.filter { column[$0] == valid.labels[$0] }
            #expect(program.coverage == Double(voted.count) / rows, "\(program.name)")
            #expect(program.accuracy == (voted.isEmpty ? nil : Double(correct.count) / Double(voted.count)), "\(program.name)")
            #expect(program.polarity == Set(voted.map { column[$0] }).sorted())
            let overlapping = voted.filter { row in columns.filter { $0[row] >= 0 }.count > 1 }
            #expect(program.overlaps == Double(overlapping.count) / rows)
            let conflicting = voted.filter { row in columns.contains { $0[row] >= 0 && $0[row] != column[row] } }
            #expect(program.conflicts == Double(conflicting.count) / rows)
            #expect(program.errors == 0 && program.timeouts == 0 && program.loadError == nil)
        }
        let anyVote = (0..<valid.count).filter { row in columns.contains { $0[row] >= 0 } }
        #expect(outcome.totals.coverage == Double(anyVote.count) / rows)
        #expect(outcome.result.coverage[.valid] == outcome.totals.coverage)
    }

    @Test func faultsOfAProgramAreCountedOverEverySplit() async throws {
        let broken = LabelingProgram(name: "broken", code: "def label_function(text):\n    return 1 // (len(text) % 2)\n")
        var job = try Self.job(Array(try SandboxFixtures.examplePrograms("demo").prefix(2)) + [broken], log: nil)
        job.settings.labelModels = [.mv]
        job.settings.endModels = []
        let outcome = try await job.run()
        let data = try Self.demo()
        let evenRows = data.splits.values.reduce(0) { $0 + $1.texts.filter { $0.unicodeScalars.count % 2 == 0 }.count }
        let program = try #require(outcome.analysis.last)
        #expect(program.name == "broken")
        #expect(program.errors == evenRows)
        #expect(program.firstError?.contains("ZeroDivisionError") == true)
    }

    @Test func withTwoProgramsFlyingSquidIsLeftOutWithANote() async throws {
        var job = try Self.job(Array(try SandboxFixtures.examplePrograms("demo").prefix(2)), log: nil)
        job.settings.endModels = []
        let log = ProgressLog()
        let outcome = try await job.run { log.append($0) }
        let note = "fs left out: FlyingSquid needs at least 3 programs"
        #expect(log.events.contains(.note(note)))
        #expect(outcome.notes == [note])
        #expect(outcome.result.labelModels.map(\.id) == [.mv, .wmv, .ds, .snorkel])
        guard case .planned(let steps) = log.events.first else { Issue.record("no plan first"); return }
        #expect(!steps.contains(.labelModel(.fs)))

        job.settings.labelModels = [.fs]
        await #expect(throws: LabelModelError.self) { try await job.run() }
    }

    @Test func theJobHandsItsSettingsToTheRunUnchanged() async throws {
        let programs = try SandboxFixtures.examplePrograms("demo")
        let settings = LabelingSettings(runs: 3, labelModels: [.ds, .fs, .mv], endModels: [.lr], featureBits: 9, uncovered: .uniform,
                                        endModelRows: 50)
        let job = LabelingJob(dataset: try Self.demo(), votes: .programs(programs), settings: settings,
                              sandbox: try TestEnvironment.config().sandbox)
        #expect(LabelingJob(dataset: try Self.demo(), votes: .datasetWeakLabels).settings == LabelingSettings())
        #expect(job.labelingRun(programCount: programs.count).settings == settings)
        // With two programs only FlyingSquid is taken out.
        var withoutFS = settings
        withoutFS.labelModels = [.ds, .mv]
        #expect(job.labelingRun(programCount: 2).settings == withoutFS)
        #expect(job.labelingRun(programCount: 0).settings == withoutFS)  // no programs is refused elsewhere, by what is missing

        let outcome = try await job.run()
        #expect(outcome.result.runs == 3)
        #expect(outcome.result.labelModels.map(\.id) == [.ds, .fs, .mv])
        #expect(outcome.result.endModels.map(\.id) == [.lr])
        // The end models trained on a sample of 50 covered rows, with features of 2^9 columns.
        #expect(outcome.result.trainingRows == 50)
        #expect(outcome.result.fitted?.features?.featureCount == 1 << 9)
    }

    @Test func aCancelledJobStopsAndRecordsNothing() async throws {
        let folder = try TestEnvironment.temporaryFolder("job-cancel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let job = try Self.job(try SandboxFixtures.examplePrograms("demo"), log: folder)
        let canceller = Canceller()
        let log = ProgressLog()
        let task = Task {
            try await job.run { event in
                log.append(event)
                if case .step = event { canceller.cancel() }
            }
        }
        canceller.hold(task)
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        // It stopped while applying: no model ran, nothing was written.
        #expect(!log.events.contains { if case .step(.labelModel, _, _) = $0 { return true } else { return false } })
        #expect(!FileManager.default.fileExists(atPath: ExperimentLog(folder: folder).resultsFile.path))
    }

    @Test func aDatasetWithoutWeakLabelsIsRefused() async throws {
        let job = LabelingJob(dataset: try Self.demo(), votes: .datasetWeakLabels)
        let error = await #expect(throws: LabelModelError.self) { try await job.run() }
        #expect(error?.description.contains("no weak_labels") == true)
    }
}
