import Engine
import Foundation
import Testing
import TestSupport

@Suite struct ProgramApplierTests {
    @Test func youtubeKeywordProgramsMatchPythonExactly() async throws {
        guard let shared = TestEnvironment.sharedDatasets else {
            TestEnvironment.noteMissingSharedDatasets("youtubeKeywordProgramsMatchPythonExactly")
            return
        }
        let dataset = try WrenchLoader.load(folder: shared.appendingPathComponent("youtube"), name: "youtube")
        let train = try dataset.split(.train)
        let programs = try SandboxFixtures.examplePrograms("youtube")
        #expect(programs.count == 10)
        var settings = SandboxSettings.defaults
        settings.batchSize = 300  // several batches per worker
        settings.workers = 2
        let outcome = try await ProgramApplier(settings: settings).apply(programs, to: train.texts, classCount: 2)
        let reference = try ReferenceLabels.compute(programs.map(\.source), texts: train.texts, classCount: 2)
        for column in 0..<programs.count {
            #expect(outcome.matrix.column(column) == reference[column], "\(programs[column].name) differs from Python")
        }
        #expect(outcome.reports.allSatisfy { $0.faultCount == 0 && $0.loadError == nil && !$0.stopped })
        #expect(outcome.workers == 2 && outcome.restarts == 0)
        // Programs do vote: every one of them covers some rows.
        #expect((0..<programs.count).allSatisfy { column in outcome.matrix.column(column).contains { $0 >= 0 } })
    }

    @Test func demoProgramsMatchPythonWithOneWorker() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 400)
        let programs = try SandboxFixtures.examplePrograms("demo")
        var settings = SandboxSettings.defaults
        settings.workers = 1
        settings.batchSize = 64
        let progress = ProgressRecorder()
        let outcome = try await ProgramApplier(settings: settings).apply(programs, to: texts, classCount: 2,
                                                                         progress: { done, total in progress.record(done, total) })
        let reference = try ReferenceLabels.compute(programs.map(\.source), texts: texts, classCount: 2)
        #expect((0..<programs.count).map { outcome.matrix.column($0) } == reference)
        #expect(progress.last == (texts.count * programs.count, texts.count * programs.count))
    }

    @Test func workerIsConfined() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 10)
        let program = LabelingProgram(name: "p", code: "def label_function(t):\n    return 0\n")
        let outcome = try await ProgramApplier().apply([program], to: texts, classCount: 2)
        let facts = outcome.sandboxFacts
        if getuid() == 0 {
            #expect(facts["os_user"]?.hasPrefix("nobody (uid 65534) outside") == true, "a root engine must start sandboxes as an unprivileged account: \(facts)")
        }
        #expect(facts["os_sandbox"]?.hasPrefix("bubblewrap") == true, "\(facts)")
        #expect(facts["uid"] == "65534")
        #expect(facts["no_new_privileges"] == "true" || facts["no_new_privileges"] == "1")
        #expect(facts["seccomp"]?.hasPrefix("on") == true, "\(facts)")
        #expect(facts["descriptors"] == "closed")
        #expect(facts["network"] == "isolated (own namespace)")
        #expect(outcome.matrix.column(0) == [Int](repeating: 0, count: texts.count))
    }

    @Test func noProgramsOrNoTextsGiveAnEmptyMatrix() async throws {
        let outcome = try await ProgramApplier().apply([], to: ["a"], classCount: 2)
        #expect(outcome.matrix.rows == 1 && outcome.matrix.columns == 0)
    }

    @Test func missingInterpreterIsAClearError() async throws {
        var settings = SandboxSettings.defaults
        settings.python = "/nonexistent/python3"
        let program = LabelingProgram(name: "p", code: "def label_function(t):\n    return 0\n")
        await #expect {
            try await ProgramApplier(settings: settings).apply([program], to: ["x"], classCount: 2)
        } throws: { error in (error as? SandboxError)?.reason.contains("/nonexistent/python3") == true }
    }
}

final class ProgressRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Int, Int) = (0, 0)
    func record(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        if done >= value.0 { value = (done, total) }
    }
    var last: (Int, Int) { lock.lock(); defer { lock.unlock() }; return value }
}
