extension BindingScope {
    /// The labeling and results screen.
    public static let results = BindingScope("results")
}

extension Action {
    /// esc on the results screen: stop a running job, else go back.
    public static let stopOrBack = Action("stopOrBack")
    public static let rerun = Action("rerun")
    public static let togglePastResults = Action("togglePastResults")
    public static let openLog = Action("openLog")
    public static let exportRun = Action("exportRun")
    public static let exportRunPrograms = Action("exportRunPrograms")
    public static let predictFile = Action("predictFile")
}

extension KeyBindings {
    /// The labeling and results screen's bindings.
    static let results: [KeyBinding] = [
        KeyBinding(keys: [.escape], scope: .results, action: .stopOrBack, shortHelp: "stop/back",
                   longHelp: "Stop the labeling run while it runs; go back once it has ended.", showsInBar: true),
        KeyBinding(keys: [.char("r")], scope: .results, action: .rerun, shortHelp: "rerun",
                   longHelp: "Run the labeling again with the same choices (once the run has ended).", showsInBar: true),
        KeyBinding(keys: [.char("p")], scope: .results, action: .togglePastResults, shortHelp: "past",
                   longHelp: "Switch between this run and the past results of exp_log/results.csv.", showsInBar: true),
        KeyBinding(keys: [.char("o")], scope: .results, action: .openLog, shortHelp: "log",
                   longHelp: "Open the log of this run, or of the selected past result.", showsInBar: true),
        KeyBinding(keys: [.char("x")], scope: .results, action: .exportRun, shortHelp: "export",
                   longHelp: "Export the labeled training set of this run, or of the selected past result's saved run (the path's extension picks the format).",
                   showsInBar: true),
        KeyBinding(keys: [.char("e")], scope: .results, action: .exportRunPrograms, shortHelp: "export programs",
                   longHelp: "Write the programs of this run (or of the selected past result's run) as a folder that needs nothing of this tool.",
                   showsInBar: false),
        KeyBinding(keys: [.char("i")], scope: .results, action: .predictFile, shortHelp: "label a file",
                   longHelp: "Label the texts of a file with this run: its programs and label model, the end model where none votes; written to <run>/predictions/.",
                   showsInBar: false),
        KeyBinding(keys: [.tab], scope: .results, action: .focusNext, shortHelp: "next section",
                   longHelp: "Focus the next results section (programs, label models, end models, chart).", showsInBar: true),
        KeyBinding(keys: [.backTab], scope: .results, action: .focusPrevious, shortHelp: "prev section",
                   longHelp: "Focus the previous results section.", showsInBar: false),
        KeyBinding(keys: [.char("j"), .down], scope: .results, action: .selectNext, shortHelp: "down",
                   longHelp: "Scroll the focused section down, or select the next past result.", showsInBar: false),
        KeyBinding(keys: [.char("k"), .up], scope: .results, action: .selectPrevious, shortHelp: "up",
                   longHelp: "Scroll the focused section up, or select the previous past result.", showsInBar: false),
        KeyBinding(keys: [.char("g"), .home], scope: .results, action: .selectFirst, shortHelp: "top",
                   longHelp: "Go to the top of the focused section or of the past results.", showsInBar: false),
        KeyBinding(keys: [.char("G"), .end], scope: .results, action: .selectLast, shortHelp: "bottom",
                   longHelp: "Go to the bottom of the focused section or of the past results.", showsInBar: false),
    ]
}

/// Why a results key cannot be used now (`AppState.disabledReasons`).
func resultsDisabledReasons(_ view: ResultsView) -> [Action: String] {
    guard view.runToExport == nil else { return [:] }
    let reason = view.tab == .past ? "the selected past result has no saved run (labeled before runs were kept)"
        : view.isRunning ? "the run has not finished" : "no finished run to export"
    return [.exportRun: reason, .exportRunPrograms: reason, .predictFile: reason]
}
