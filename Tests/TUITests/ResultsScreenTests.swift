import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// A finished labeling run with fixed numbers, so screens of it are the same on every machine.
enum ResultsFixtures {
    static let logFile = URL(fileURLWithPath: "/data/exp_log/demo/alchemist_keywords_gpt-4o-mini.txt")

    static func scores(_ accuracy: Double, _ f1: Double, valid: Bool = true) -> ModelScores {
        let test = SplitScores(accuracy: MeanStd(mean: accuracy, std: 0.012), f1: MeanStd(mean: f1, std: 0.021))
        let validScores = SplitScores(accuracy: MeanStd(mean: accuracy + 0.01, std: 0.01), f1: MeanStd(mean: f1 + 0.01, std: 0.02))
        return ModelScores(test: test, valid: valid ? validScores : nil, fitSeconds: 0.05)
    }

    static func outcome(endModels: Bool = true) throws -> LabelingOutcome {
        let labelModels: [(id: LabelModelID, scores: ModelScores)] = [
            (.mv, scores(0.812, 0.774)), (.wmv, scores(0.826, 0.790)), (.ds, scores(0.861, 0.833)),
            (.snorkel, scores(0.874, 0.851)), (.fs, scores(0.79, 0.75)),
        ]
        let ends: [(id: EndModelID, scores: ModelScores)] = endModels ? [(.lr, scores(0.903, 0.889)), (.mlp, scores(0.897, 0.880))] : []
        let result = LabelingRunResult(
            dataset: "demo", programs: 5, programNames: (1...5).map { "LF\($0)" }, runs: 5,
            coverage: [.train: 0.84, .valid: 0.86, .test: 0.83], labelModels: labelModels, bestLabelModel: .snorkel,
            selectionMetric: .accuracy, trainingRows: 336, endModels: ends, costUSD: Decimal(string: "0.0042")!, seconds: 12.34)
        let analysis = [
            ProgramAnalysis(name: "LF1", polarity: [1], coverage: 0.31, overlaps: 0.12, conflicts: 0.03, accuracy: 0.935),
            ProgramAnalysis(name: "LF2", polarity: [0], coverage: 0.42, overlaps: 0.2, conflicts: 0.05, accuracy: 0.881),
            ProgramAnalysis(name: "LF3_with_a_long_program_name", polarity: [0, 1], coverage: 0.55, overlaps: 0.3, conflicts: 0.11,
                            accuracy: 0.79, errors: 12, timeouts: 1, firstError: "ZeroDivisionError"),
            ProgramAnalysis(name: "LF4", polarity: [1], coverage: 0.08, overlaps: 0.05, conflicts: 0, accuracy: 1),
            ProgramAnalysis(name: "LF5", polarity: [], coverage: 0, overlaps: 0, conflicts: 0, accuracy: nil, loadError: "SyntaxError"),
        ]
        let model = try #require(try TestEnvironment.config().model(id: "gpt-4o-mini"))
        let template = try #require(try PromptTemplates.bundled().byDataset["youtube"])
        var prompting = PromptingCostEstimate(model: model, template: template, texts: [])
        prompting.rows = 1586
        prompting.cost = Decimal(string: "1.932")!
        return LabelingOutcome(result: result, analysis: analysis, totals: MatrixTotals(coverage: 0.86, overlaps: 0.34, conflicts: 0.12),
                               analysisSplit: .valid, provenance: LabelingProvenance(mode: "alchemist", prior: "keywords", model: "gpt-4o-mini"),
                               programsCost: Decimal(string: "0.0042")!, prompting: prompting, notes: [], logFile: logFile,
                               resultsFile: logFile.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("results.csv"))
    }

    static let plan: [LabelingStep] = [.apply(.train), .apply(.valid), .apply(.test)] + LabelModelID.allCases.map(LabelingStep.labelModel)
        + [.features] + EndModelID.allCases.map(LabelingStep.endModel)

    /// Mid-run: train applied, valid at 60 %, the rest waiting.
    static func running() -> ResultsView {
        var view = ResultsView(dataset: "demo")
        view.apply(.planned(plan))
        view.apply(.step(.apply(.train), done: 2000, total: 2000))
        view.apply(.step(.apply(.valid), done: 300, total: 500))
        return view
    }

    static func finished() throws -> ResultsView {
        var view = running()
        view.finish(try outcome())
        return view
    }

    static func pastRows() -> [PastResult] {
        var rows = [
            PastResult(dateText: "2025-03-02T10:15:00Z", date: nil, dataset: "demo", mode: "alchemist", prior: "keywords", codeModel: "gpt-4o-mini",
                       programs: 5, runs: 5, trainCoverage: 0.84, bestLabelModel: "snorkel", labelModelTestAccuracy: 0.874,
                       labelModelTestF1: 0.851, lrTestAccuracy: 0.903, lrTestF1: 0.889, mlpTestAccuracy: 0.897, mlpTestF1: 0.88,
                       costUSD: Decimal(string: "0.0042")!, seconds: 12.34, line: 3),
            PastResult(dateText: "2025-03-01T09:00:00Z", date: nil, dataset: "youtube", mode: "wrench", prior: nil, codeModel: "human",
                       programs: 10, runs: 2, trainCoverage: 0.88, bestLabelModel: "ds", labelModelTestAccuracy: 0.84,
                       labelModelTestF1: 0.83, lrTestAccuracy: 0.9, lrTestF1: 0.9, mlpTestAccuracy: nil, mlpTestF1: nil,
                       costUSD: 0, seconds: 3.2, line: 2),
        ]
        rows[0].logFile = URL(fileURLWithPath: "/data/exp_log/demo/alchemist_keywords_gpt-4o-mini.txt")
        rows[0].runID = "20250302T101500-0a1b2c3d"
        rows[0].runFolder = URL(fileURLWithPath: "/data/runs/demo/20250302T101500-0a1b2c3d")
        rows[1].logFile = URL(fileURLWithPath: "/data/exp_log/youtube/wrench_human.txt")
        return rows
    }
}

@Suite struct WidgetTests {
    let table = Table(columns: [Table.Column(title: "name", minWidth: 4), Table.Column(title: "score", alignment: .right, minWidth: 5),
                                Table.Column(title: "note", minWidth: 4)],
                      rows: [[Table.Cell("a rather long name"), Table.Cell("0.5"), Table.Cell("ok")],
                             [Table.Cell("short"), Table.Cell("0.875"), Table.Cell("fine")]])

    @Test func aTableTakesItsNaturalWidthsWhenTheyFit() {
        #expect(table.columnWidths(for: 80) == [18, 5, 4])
        var buffer = CellBuffer(width: 40, height: 3)
        table.draw(into: &buffer, in: buffer.area)
        #expect(buffer.row(0) == "name                score  note         ")
        #expect(buffer.row(1) == "a rather long name    0.5  ok           ")
        #expect(buffer.row(2) == "short               0.875  fine         ")
        #expect(buffer[0, 0].style == Style(.muted, bold: true))
    }

    @Test func aNarrowTableShrinksTheWidestColumnThenDropsColumns() {
        #expect(table.columnWidths(for: 20) == [7, 5, 4])
        var buffer = CellBuffer(width: 20, height: 3)
        table.draw(into: &buffer, in: buffer.area)
        #expect(buffer.row(1) == "a rath…    0.5  ok  ")
        // Below every minimum, the rightmost columns go.
        #expect(table.columnWidths(for: 11) == [4, 5, 0])
        #expect(table.columnWidths(for: 3) == [0, 0, 0])
    }

    @Test func aTableScrollsToKeepItsSelectionVisible() {
        let rows = (0..<10).map { [Table.Cell("row \($0)")] }
        let table = Table(columns: [Table.Column(title: "x")], rows: rows, selected: 7)
        var buffer = CellBuffer(width: 10, height: 4)
        table.draw(into: &buffer, in: buffer.area)
        #expect((0..<4).map(buffer.row) == ["x         ", "row 5     ", "row 6     ", "row 7     "])
        #expect(buffer[0, 3].style.role == .selection && buffer[9, 3].style.reverse)
        #expect(buffer[0, 2].style.role == .text)
    }

    @Test func barsAreProportionalToTheirValues() {
        let chart = BarChart(bars: [])
        #expect(chart.bar(for: 0.5, width: 10) == "█████")
        #expect(chart.bar(for: 0.25, width: 10) == "██▌")
        #expect(chart.bar(for: 1.3, width: 4) == "████")
        #expect(chart.bar(for: 0, width: 4) == "")
        // Eighths drawn are the value's share of the width's eighths.
        func eighths(_ bar: String) -> Int { bar.reduce(0) { $0 + ($1 == "█" ? 8 : (BarChart.eighths.firstIndex(of: String($1)) ?? 0)) } }
        for value in stride(from: 0.0, through: 1.0, by: 0.05) {
            #expect(eighths(chart.bar(for: value, width: 30)) == Int((value * 240).rounded()))
        }
        var buffer = CellBuffer(width: 30, height: 2)
        BarChart(bars: [BarChart.Bar(label: "lr", value: 0.9, valueText: "0.900"), BarChart.Bar(label: "mlp", value: 0.45, valueText: "0.450")])
            .draw(into: &buffer, in: buffer.area)
        #expect(buffer.row(0).hasPrefix("lr  ") && buffer.row(0).hasSuffix(" 0.900"))
        let first = eighths(buffer.row(0)), second = eighths(buffer.row(1))
        #expect(abs(first - 2 * second) <= 1)
    }

    @Test func aProgressBarFillsItsShareAndCounts() {
        var bar = ProgressBar(label: "apply", done: 50, total: 100)
        #expect(bar.bar(width: 10, tick: 0) == "█████░░░░░")
        #expect(bar.countText == "50/100")
        bar.count = .percent
        #expect(bar.countText == "50%")
        var buffer = CellBuffer(width: 40, height: 1)
        ProgressBar(label: "apply to train", done: 1, total: 4, labelWidth: 16).draw(into: &buffer, in: buffer.area)
        #expect(buffer.row(0) == "apply to train   ████░░░░░░░░░░░░░░░ 1/4")
        let done = ProgressBar(label: "x", done: 9, total: 4)
        #expect(done.bar(width: 4, tick: 0) == "████")
    }

    @Test func anIndeterminateBarSweepsWithTheTick() {
        let bar = ProgressBar(label: "features", done: 0, total: nil)
        #expect(bar.isIndeterminate && bar.countText.isEmpty)
        let frames = (0..<8).map { bar.bar(width: 6, tick: $0) }
        #expect(frames[0] == "███░░░" && frames[1] == "░███░░" && frames[3] == "░░░███" && frames[4] == "░░███░")
        #expect(frames.allSatisfy { $0.filter { $0 == "█" }.count == 3 && $0.count == 6 })
    }

    @Test func theSpinnerCyclesThroughItsFrames() {
        #expect(Spinner.frame(0) == Spinner.frames[0])
        #expect(Spinner.frame(Spinner.frames.count + 2) == Spinner.frames[2])
        #expect(Spinner.frame(-1) == Spinner.frames.last)
    }
}

@Suite struct ResultsViewTests {
    @Test func progressForDifferentStepsMayComeInAnyOrder() {
        var view = ResultsView(dataset: "demo")
        view.apply(.step(.labelModel(.mv), done: 1, total: 5))  // before the plan
        view.apply(.planned([.apply(.train), .labelModel(.mv)]))
        view.apply(.step(.apply(.train), done: 40, total: 100))
        view.apply(.step(.apply(.train), done: 30, total: 100))  // a late report of another worker
        view.apply(.step(.endModel(.lr), done: 9, total: 2))    // unplanned, over-counted
        #expect(view.steps.map(\.step) == [.apply(.train), .labelModel(.mv), .endModel(.lr)])
        #expect(view.steps.map(\.done) == [40, 1, 2])
        #expect(view.steps.map(\.total) == [100, 5, 2])
        #expect(view.steps.map(\.isFinished) == [false, false, true])
        view.apply(.note("fs left out"))
        view.apply(.note("fs left out"))
        #expect(view.notes == ["fs left out"])
    }

    @Test func finishingFillsEveryStepAndShowsTheOutcome() throws {
        var view = ResultsFixtures.running()
        view.finish(try ResultsFixtures.outcome())
        #expect(view.status == .finished)
        #expect(view.steps.allSatisfy { $0.isFinished })
        #expect(view.visibleSections == ResultsSection.allCases)
        var noEnd = ResultsFixtures.running()
        noEnd.finish(try ResultsFixtures.outcome(endModels: false))
        #expect(noEnd.visibleSections == [.programs, .labelModels, .chart])
    }

    @Test func aFailureIsShownWithItsMessage() {
        var view = ResultsFixtures.running()
        view.fail("the test split of demo has unlabeled rows")
        #expect(view.status == .failed("the test split of demo has unlabeled rows"))
        let text = ResultsScreen.render(view, width: 80, height: 24).text
        #expect(text.contains("The run failed: the test split of demo has unlabeled rows"))
        #expect(text.contains("failed"))
    }

    @Test func escStopsARunningJobThenGoesBack() {
        var view = ResultsFixtures.running()
        #expect(view.handle(.char("r")) == nil)  // no rerun while running
        #expect(view.handle(.escape) == .cancel)
        #expect(view.isStopping && view.isRunning)
        #expect(ResultsScreen.render(view, width: 80, height: 24).text.contains("stopping…"))
        view.cancelled()
        #expect(view.status == .cancelled && !view.isStopping)
        #expect(ResultsScreen.render(view, width: 80, height: 24).text.contains("nothing was recorded"))
        #expect(view.handle(.char("r")) == .rerun)
        view.restart()
        #expect(view.status == .running && view.steps.isEmpty)
        view.finish(try! ResultsFixtures.outcome())
        #expect(view.handle(.escape) == .close)
    }

    @Test func globalKeysAreLeftToTheApp() {
        var view = ResultsFixtures.running()
        #expect(view.handle(.char("q")) == nil)
        #expect(view.handle(.char("?")) == nil)
        #expect(view.handle(.ctrlC) == nil)
        #expect(KeyBindings.action(for: .char("q"), in: .results) == .quit)
        #expect(KeyBindings.action(for: .char("?"), in: .results) == .toggleHelp)
        #expect(KeyBindings.clashes() == [])
    }

    @Test func sectionsTakeTheFocusInTurnAndScrollWithinTheirRows() throws {
        var view = try ResultsFixtures.finished()
        #expect(view.focus == .programs)
        _ = view.handle(.tab)
        #expect(view.focus == .labelModels)
        _ = view.handle(.backTab)
        _ = view.handle(.backTab)
        #expect(view.focus == .chart)
        _ = view.handle(.tab)
        _ = view.handle(.char("j"))
        _ = view.handle(.char("j"))
        #expect(view.scroll[.programs] == 2)
        _ = view.handle(.char("G"))
        #expect(view.scroll[.programs] == 4)  // the last row; drawing clamps it to a full page
        _ = view.handle(.char("g"))
        #expect(view.scroll[.programs] == 0)
    }

    @Test func pastResultsAreLoadedOnDemandAndBrowsable() throws {
        var view = try ResultsFixtures.finished()
        #expect(view.handle(.char("o")) == .openLog(ResultsFixtures.logFile))
        #expect(view.handle(.char("x")) == nil)  // this run was not saved
        #expect(resultsDisabledReasons(view)[.exportRun] == "no finished run to export")
        #expect(view.handle(.char("p")) == .loadPastResults)
        #expect(view.tab == .past)
        #expect(ResultsScreen.render(view, width: 80, height: 24).text.contains("loading…"))
        view.showPastResults(ResultsFixtures.pastRows())
        #expect(view.handle(.char("x")) == .export(run: URL(fileURLWithPath: "/data/runs/demo/20250302T101500-0a1b2c3d")))
        _ = view.handle(.down)
        _ = view.handle(.down)
        #expect(view.pastSelection == 1)
        #expect(view.handle(.char("o")) == .openLog(URL(fileURLWithPath: "/data/exp_log/youtube/wrench_human.txt")))
        #expect(view.handle(.char("x")) == nil)
        #expect(resultsDisabledReasons(view)[.exportRun]?.contains("no saved run") == true)
        #expect(view.handle(.escape) == nil)  // back to the run, not off the screen
        #expect(view.tab == .run)
        #expect(view.handle(.char("p")) == nil)  // already loaded
        view.pastResultsFailed("/data/exp_log/results.csv:3: programs: \"x\" is not a whole number")
        #expect(ResultsScreen.render(view, width: 80, height: 24).text.contains("results.csv:3: programs"))
    }

    @Test func browsingOnlyStartsOnThePastTab() {
        var view = ResultsView(dataset: "demo", running: false)
        #expect(view.status == .idle && view.tab == .past)
        #expect(view.handle(.char("p")) == .loadPastResults)  // stays on the past tab, asks for the rows
        view.showPastResults([])
        #expect(ResultsScreen.render(view, width: 80, height: 24).text.contains("No labeling run recorded yet."))
        #expect(view.handle(.char("r")) == nil)
        #expect(view.handle(.escape) == .close)
    }
}

@Suite struct ResultsScreenTests {
    static let sizes = [(80, 24), (120, 40), (60, 16)]

    @Test func theFinishedScreenShowsTablesChartCostAndLog() throws {
        let buffer = ResultsScreen.render(try ResultsFixtures.finished(), width: 120, height: 40)
        let text = buffer.text
        for needle in ["Programs on valid · coverage 86.0%", "LF3_with_a_long_program_name", "no load", "93.5%",
                       "snorkel ✓", "0.874 ± 0.012", "valid acc", "End models · 336 train rows", "Test accuracy",
                       "$0.0042 for the programs vs ≈$1.93 to label 1,586 rows by prompting gpt-4o-mini (1/460)",
                       ResultsFixtures.logFile.path, "done in 12.3 s"] {
            #expect(text.contains(needle), "missing \(needle)")
        }
        let best = try #require((0..<buffer.height).first { buffer.row($0).contains("snorkel ✓") })
        let x = try #require(buffer.row(best).range(of: "snorkel").map { buffer.row(best).distance(from: buffer.row(best).startIndex, to: $0.lowerBound) })
        #expect(buffer[x, best].style == Style(.success, bold: true))
    }

    @Test func aSmallScreenCollapsesTheSectionsNotInFocus() throws {
        var view = try ResultsFixtures.finished()
        var text = ResultsScreen.render(view, width: 60, height: 16).text
        #expect(text.contains("▸ Programs on valid"))
        #expect(text.contains("Cost"))
        _ = view.handle(.tab)
        _ = view.handle(.tab)
        text = ResultsScreen.render(view, width: 60, height: 16).text
        #expect(text.contains("▸ End models"))
        #expect(text.contains("lr"))
    }

    @Test(arguments: [(80, 24), (120, 40), (60, 16), (61, 17), (100, 30), (200, 60), (59, 16), (40, 10)])
    func everyRowIsExactlyTheWidthAndNothingLeavesTheRect(width: Int, height: Int) throws {
        var past = try ResultsFixtures.finished()
        past.showPastResults(ResultsFixtures.pastRows())
        past.tab = .past
        var failed = ResultsFixtures.running()
        failed.apply(.note("fs left out: FlyingSquid needs at least 3 programs"))
        failed.fail(String(repeating: "a long failure message ", count: 20))
        for view in [ResultsFixtures.running(), try ResultsFixtures.finished(), past, failed] {
            let buffer = ResultsScreen.render(view, width: width, height: height, tick: 5)
            for y in 0..<height { #expect(DisplayWidth.of(buffer.row(y)) == width) }
            // Drawn inside a rect of a larger buffer, the cells around the rect stay as they were.
            var outer = CellBuffer(width: width + 4, height: height + 2)
            for y in 0..<outer.height { outer.put(String(repeating: "x", count: outer.width), x: 0, y: y) }
            ResultsScreen.draw(view, into: &outer, in: Rect(x: 2, y: 1, width: width, height: height), tick: 5)
            for y in 0..<outer.height {
                for x in 0..<outer.width where !(2..<width + 2).contains(x) || !(1..<height + 1).contains(y) {
                    #expect(outer[x, y].text == "x", "(\(x), \(y)) overwritten at \(width)×\(height)")
                }
            }
        }
    }
}

@Suite struct ResultsScreenSnapshots {
    @Test(arguments: ResultsScreenTests.sizes)
    func running(width: Int, height: Int) throws {
        try Snapshot.check(ResultsScreen.render(ResultsFixtures.running(), width: width, height: height, tick: 3), named: "results-running-\(width)x\(height)")
    }

    @Test(arguments: ResultsScreenTests.sizes)
    func finished(width: Int, height: Int) throws {
        try Snapshot.check(ResultsScreen.render(try ResultsFixtures.finished(), width: width, height: height), named: "results-finished-\(width)x\(height)")
    }

    @Test func pastResults() throws {
        var view = try ResultsFixtures.finished()
        _ = view.handle(.char("p"))
        view.showPastResults(ResultsFixtures.pastRows())
        _ = view.handle(.char("j"))
        try Snapshot.check(ResultsScreen.render(view, width: 80, height: 24), named: "results-past-80x24")
    }
}

extension ResultsFixtures {
    /// The results screen of a finished run, showing the past results (the first names a saved run).
    static func pastResultsScreen() throws -> AppState {
        var state = try Fixtures.state()
        var view = ResultsView(dataset: "demo", running: false)
        view.showPastResults(pastRows())
        state.results = view
        state.screen = .results
        return state
    }

    /// The saved run of the first past row.
    static let pastRun = URL(fileURLWithPath: "/data/runs/demo/20250302T101500-0a1b2c3d")
}

/// `x` on the results screen asks for a path (proposed under the run folder) and exports there.
@Suite struct ResultsExportTests {
    @Test func xAsksForAPathUnderTheRunFolderAndEnterExports() throws {
        var state = try ResultsFixtures.pastResultsScreen()
        let run = ResultsFixtures.pastRun
        _ = update(&state, .key(.char("x")))
        let editing = try #require(state.editing)
        #expect(editing.target == .exportPath)
        #expect(editing.editor.text == run.appendingPathComponent("export/train.csv").path)
        #expect(AppView.render(state).text.contains("Export the train"), "\(AppView.render(state).text)")
        for _ in 0..<"train.csv".count { _ = update(&state, .key(.backspace)) }
        for character in "labels.parquet" { _ = update(&state, .key(.char(character))) }
        let effects = update(&state, .key(.enter))
        #expect(effects.contains(.exportRun(run: run, to: run.appendingPathComponent("export/labels.parquet"))), "\(effects)")
        #expect(state.topOverlay == nil)
        #expect(state.status.contains("exporting to"))
        _ = update(&state, .status("wrote 400 rows to /data/runs/demo/x/export/labels.parquet (…)"))
        #expect(AppView.render(state).text.contains("wrote 400 rows"))
    }
}

/// `e` writes a saved run's programs, `i` labels a file with it; both ask for the path first.
@Suite struct ResultsProgramsAndPredictTests {
    @Test func eProposesTheRunsProgramsFolderAndIAsksForAFile() throws {
        var state = try ResultsFixtures.pastResultsScreen()
        let run = ResultsFixtures.pastRun
        _ = update(&state, .key(.char("e")))
        #expect(state.editing?.target == .programsExportPath)
        #expect(state.editing?.editor.text == run.appendingPathComponent("programs").path)
        #expect(update(&state, .key(.enter)).contains(.exportRunPrograms(run: run, to: run.appendingPathComponent("programs"))))
        _ = update(&state, .key(.char("i")))
        #expect(state.editing?.target == .predictInput)
        for _ in 0..<(state.editing?.editor.text.count ?? 0) { _ = update(&state, .key(.backspace)) }
        for character in "/tmp/new.csv" { _ = update(&state, .key(.char(character))) }
        #expect(update(&state, .key(.enter)).contains(.predictWithRun(run: run, input: URL(fileURLWithPath: "/tmp/new.csv"))))
        #expect(RunExport.predictionFile(run: run, input: URL(fileURLWithPath: "/tmp/new.csv")).path
            == run.appendingPathComponent("predictions/new-labeled.csv").path)
        // A past result without a saved run: the keys say why instead.
        _ = update(&state, .key(.down))
        #expect(state.disabledReasons[.predictFile]?.contains("no saved run") == true)
    }
}
