import Engine
import Foundation
import Testing
import TestSupport

/// A split applied window by window gives the votes of one pass over it, and what a program did
/// in one window still counts in the next.
@Suite struct WindowedApplyTests {
    @Test func windowsGiveTheVotesOfOnePass() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 400)
        let programs = try SandboxFixtures.examplePrograms("demo")
        var settings = SandboxSettings.defaults
        settings.workers = 2
        settings.batchSize = 32
        settings.windowRows = 90  // five windows, the last one short
        let progress = ProgressRecorder()
        let outcome = try await ProgramApplier(settings: settings).apply(programs, to: texts, classCount: 2,
                                                                         progress: { done, total in progress.record(done, total) })
        let reference = try ReferenceLabels.compute(programs.map(\.source), texts: texts, classCount: 2)
        #expect(outcome.matrix.rows == texts.count)
        #expect((0..<programs.count).map { outcome.matrix.column($0) } == reference)
        #expect(progress.last == (texts.count * programs.count, texts.count * programs.count))
        #expect(Int(outcome.sandboxFacts["sandboxes"] ?? "") ?? 0 >= 5, "each window has sandboxes of its own: \(outcome.sandboxFacts)")
    }

    @Test func aProgramStoppedInOneWindowStaysStopped() async throws {
        let texts = (0..<12).map { "text \($0)" }
        let spinner = LabelingProgram(name: "spinner", code: "def label_function(t):\n    while True:\n        pass\n")
        let honest = LabelingProgram(name: "honest", code: "def label_function(t):\n    return 1 if t.endswith('1') else -1\n")
        var settings = SandboxSettings.defaults
        settings.workers = 1
        settings.windowRows = 2  // three limit hits take two windows
        settings.callTimeoutSeconds = 0.2
        settings.maxLimitHits = 3
        let outcome = try await ProgramApplier(settings: settings).apply([spinner, honest], to: texts, classCount: 2)
        let report = outcome.reports[0]
        #expect(report.stopped, "\(report)")
        #expect(report.timeouts == 3, "the limit counts across windows, not per window: \(report)")
        #expect(outcome.matrix.column(0) == [Int](repeating: -1, count: texts.count))
        #expect(outcome.matrix.column(1) == texts.map { $0.hasSuffix("1") ? 1 : -1 })
        #expect(outcome.reports[1].faultCount == 0)
    }
}
