import Foundation

/// One program's line of the LF analysis: how its votes behave on the analysed split, and what went
/// wrong while it ran in the sandbox (summed over every split it was applied to).
public struct ProgramAnalysis: Sendable, Equatable {
    public var name: String
    /// Class ids the program emitted, ascending.
    public var polarity: [Int]
    public var coverage: Double
    public var overlaps: Double
    public var conflicts: Double
    /// Fraction of its votes that match the gold label; nil when it voted on no labeled row.
    public var accuracy: Double?
    /// Calls that raised or returned something other than a class (rows lost to a crash included).
    public var errors: Int
    public var timeouts: Int
    /// Why the program could not be loaded at all.
    public var loadError: String?
    /// The first problem seen, as one line.
    public var firstError: String?

    public init(name: String, polarity: [Int], coverage: Double, overlaps: Double, conflicts: Double, accuracy: Double?,
                errors: Int = 0, timeouts: Int = 0, loadError: String? = nil, firstError: String? = nil) {
        self.name = name
        self.polarity = polarity
        self.coverage = coverage
        self.overlaps = overlaps
        self.conflicts = conflicts
        self.accuracy = accuracy
        self.errors = errors
        self.timeouts = timeouts
        self.loadError = loadError
        self.firstError = firstError
    }

    public init(name: String, statistics: ProgramStatistics, reports: [ProgramReport]) {
        self.init(name: name, polarity: statistics.polarity, coverage: statistics.coverage, overlaps: statistics.overlaps,
                  conflicts: statistics.conflicts, accuracy: statistics.accuracy,
                  errors: reports.reduce(0) { $0 + $1.errors + $1.invalid }, timeouts: reports.reduce(0) { $0 + $1.timeouts },
                  loadError: reports.lazy.compactMap(\.loadError).first, firstError: reports.lazy.compactMap(\.firstError).first)
    }
}

/// Where the votes of a labeling run came from, as the experiment log names it.
public struct LabelingProvenance: Sendable, Equatable {
    public var mode: String
    public var prior: String?
    public var model: String

    public init(mode: String, prior: String?, model: String) {
        self.mode = mode
        self.prior = prior
        self.model = model
    }
}

/// Everything a finished labeling job produced.
public struct LabelingOutcome: Sendable {
    public var result: LabelingRunResult
    /// One entry per program, in the programs' order.
    public var analysis: [ProgramAnalysis]
    /// Totals of the analysed split's matrix.
    public var totals: MatrixTotals
    /// The split the analysis was computed on: valid when the dataset has one, else train.
    public var analysisSplit: SplitName
    public var provenance: LabelingProvenance
    /// The programs' total cost (the same as `result.costUSD`).
    public var programsCost: Decimal
    /// What labeling the train rows by prompting would have cost, when a model was given to compare with.
    public var prompting: PromptingCostEstimate?
    /// Label models left out and similar remarks.
    public var notes: [String]
    /// The run's readable log and the CSV of all runs; nil when the job was not asked to record.
    public var logFile: URL?
    public var resultsFile: URL?
    /// Where the run was saved; nil when the job was not asked to save it.
    public var savedRun: SavedRun?

    public init(result: LabelingRunResult, analysis: [ProgramAnalysis], totals: MatrixTotals, analysisSplit: SplitName,
                provenance: LabelingProvenance, programsCost: Decimal, prompting: PromptingCostEstimate? = nil,
                notes: [String] = [], logFile: URL? = nil, resultsFile: URL? = nil) {
        self.result = result
        self.analysis = analysis
        self.totals = totals
        self.analysisSplit = analysisSplit
        self.provenance = provenance
        self.programsCost = programsCost
        self.prompting = prompting
        self.notes = notes
        self.logFile = logFile
        self.resultsFile = resultsFile
    }

    /// "$0.0042 for the programs vs ≈$1.93 to label …", or just the programs' cost without an estimate.
    public var costLine: String {
        prompting?.comparison(programsCost: programsCost) ?? PromptingCostEstimate.programsText(programsCost)
    }
}
