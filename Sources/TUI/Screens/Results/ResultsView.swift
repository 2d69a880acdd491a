import Engine
import Foundation

/// What the results screen asks the app to do.
public enum ResultsRequest: Sendable, Equatable {
    /// Start the same labeling job again.
    case rerun
    /// Stop the running job (cancel its task); the app then calls `cancelled()`.
    case cancel
    /// Leave the screen.
    case close
    /// Read exp_log/results.csv and hand the rows to `showPastResults`.
    case loadPastResults
    /// Show this log file.
    case openLog(URL)
    /// Ask where to export this saved run's labels.
    case export(run: URL)
    /// Ask where to write this saved run's programs.
    case exportPrograms(run: URL)
    /// Ask for a file of new texts to label with this saved run.
    case predict(run: URL)
}

/// The sections of a finished run, in focus order.
public enum ResultsSection: Int, Sendable, CaseIterable {
    case programs, labelModels, endModels, chart
}

/// The state of the labeling and results screen: a value the app keeps and changes through these
/// methods only, then draws with `ResultsScreen.draw`.
public struct ResultsView: Sendable {
    public enum Status: Sendable, Equatable {
        /// No job: the screen was opened to browse past results.
        case idle
        case running
        case finished
        case failed(String)
        case cancelled
    }

    public enum Tab: Sendable, Equatable { case run, past }

    /// Counts of one step of the job.
    public struct StepState: Sendable, Equatable {
        public var step: LabelingStep
        public var done: Int
        public var total: Int
        public var isFinished: Bool { total > 0 && done >= total }
    }

    public var dataset: String
    public private(set) var status: Status
    public private(set) var steps: [StepState] = []
    public private(set) var notes: [String] = []
    public private(set) var outcome: LabelingOutcome?
    /// esc was pressed while running; the job has not stopped yet.
    public private(set) var isStopping = false
    public var tab: Tab
    public private(set) var focus: ResultsSection = .programs
    /// First row shown in each section's table.
    public private(set) var scroll: [ResultsSection: Int] = [:]
    /// Nil until loaded.
    public private(set) var past: [PastResult]?
    public private(set) var pastError: String?
    public private(set) var pastSelection = 0

    /// A screen for a job about to start (`running`), or for browsing past results (`idle`, past tab).
    public init(dataset: String, running: Bool = true) {
        self.dataset = dataset
        status = running ? .running : .idle
        tab = running ? .run : .past
    }

    public var isRunning: Bool { status == .running }

    // MARK: events from the job

    public mutating func apply(_ progress: LabelingProgress) {
        switch progress {
        case .planned(let planned):
            // Keep counts that arrived first; add the planned steps in the job's order.
            let known = Dictionary(steps.map { ($0.step, $0) }, uniquingKeysWith: { first, _ in first })
            steps = planned.map { known[$0] ?? StepState(step: $0, done: 0, total: 0) } + steps.filter { !planned.contains($0.step) }
        case .step(let step, let done, let total):
            if let index = steps.firstIndex(where: { $0.step == step }) {
                // Counts only grow: a late, smaller report from another worker is ignored.
                steps[index].total = max(steps[index].total, total)
                steps[index].done = min(max(steps[index].done, done), steps[index].total)
            } else {
                steps.append(StepState(step: step, done: min(done, total), total: total))
            }
        case .note(let note):
            if !notes.contains(note) { notes.append(note) }
        }
    }

    public mutating func finish(_ outcome: LabelingOutcome) {
        self.outcome = outcome
        for note in outcome.notes where !notes.contains(note) { notes.append(note) }
        for index in steps.indices {
            steps[index].total = max(1, steps[index].total)
            steps[index].done = steps[index].total
        }
        status = .finished
        isStopping = false
        focus = .programs
        scroll = [:]
        past = nil  // a new row was appended: reload when shown
    }

    public mutating func fail(_ message: String) {
        status = .failed(message)
        isStopping = false
    }

    /// The job stopped after `.cancel`.
    public mutating func cancelled() {
        status = .cancelled
        isStopping = false
    }

    /// A new run of the same job starts.
    public mutating func restart() {
        status = .running
        steps = []
        notes = []
        outcome = nil
        isStopping = false
        tab = .run
    }

    public mutating func showPastResults(_ rows: [PastResult]) {
        past = rows
        pastError = nil
        pastSelection = min(pastSelection, max(0, rows.count - 1))
    }

    public mutating func pastResultsFailed(_ message: String) {
        past = []
        pastError = message
    }

    // MARK: keys

    /// Acts on a key of the results scope; returns what the app must do, if anything. Keys this
    /// screen does not bind (q, ?, ctrl-c) return nil and are the app's.
    public mutating func handle(_ key: Key) -> ResultsRequest? {
        guard let action = KeyBindings.action(for: key, in: .results) else { return nil }
        switch action {
        case .stopOrBack:
            if tab == .past && status != .idle {
                tab = .run
                return nil
            }
            if isRunning {
                isStopping = true
                return .cancel
            }
            return .close
        case .rerun:
            return isRunning || status == .idle ? nil : .rerun
        case .togglePastResults:
            if tab == .past {
                if status == .idle { return past == nil ? .loadPastResults : nil }
                tab = .run
                return nil
            }
            tab = .past
            return past == nil ? .loadPastResults : nil
        case .openLog:
            return logToOpen.map(ResultsRequest.openLog)
        case .exportRun:
            return runToExport.map { ResultsRequest.export(run: $0) }
        case .exportRunPrograms:
            return runToExport.map { ResultsRequest.exportPrograms(run: $0) }
        case .predictFile:
            return runToExport.map { ResultsRequest.predict(run: $0) }
        case .focusNext, .focusPrevious:
            guard tab == .run, outcome != nil else { return nil }
            let sections = visibleSections
            let here = sections.firstIndex(of: focus) ?? 0
            focus = sections[(here + (action == .focusNext ? 1 : sections.count - 1)) % sections.count]
        case .selectNext, .selectPrevious, .selectFirst, .selectLast:
            move(action)
        default:
            return nil
        }
        return nil
    }

    /// The sections a finished run shows (no end-model table when none was trained).
    public var visibleSections: [ResultsSection] {
        ResultsSection.allCases.filter { $0 != .endModels || !(outcome?.result.endModels.isEmpty ?? true) }
    }

    /// Rows of a section's table or chart.
    public func rowCount(_ section: ResultsSection) -> Int {
        guard let outcome else { return 0 }
        switch section {
        case .programs: return outcome.analysis.count
        case .labelModels: return outcome.result.labelModels.count
        case .endModels: return outcome.result.endModels.count
        case .chart: return outcome.result.labelModels.count + outcome.result.endModels.count
        }
    }

    private mutating func move(_ action: Action) {
        let step: Int
        switch action {
        case .selectNext: step = 1
        case .selectPrevious: step = -1
        case .selectFirst: step = Int.min / 2
        default: step = Int.max / 2
        }
        if tab == .past {
            let count = past?.count ?? 0
            pastSelection = count == 0 ? 0 : min(max(0, pastSelection + step), count - 1)
        } else if outcome != nil {
            // The screen shows as many rows as fit, starting here; it clamps the end on drawing.
            let count = rowCount(focus)
            scroll[focus] = count == 0 ? 0 : min(max(0, (scroll[focus] ?? 0) + step), count - 1)
        }
    }

    /// The log `o` opens: this run's, or in the past tab the selected row's configuration's log.
    public var logToOpen: URL? {
        if tab == .past { return past?[safeRow: pastSelection]?.logFile }
        return outcome?.logFile
    }

    /// The saved run `x` exports: this run's, or in the past tab the selected row's.
    public var runToExport: URL? {
        if tab == .past { return past?[safeRow: pastSelection]?.runFolder }
        return outcome?.savedRun?.folder
    }
}

extension Array {
    fileprivate subscript(safeRow index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
