import Engine
import Foundation

/// Something that happened: a key, a new terminal size, a clock tick, or news from engine work.
/// Engine messages carry the id of the generation they belong to, so late news of a cancelled or
/// replaced generation is ignored.
public enum AppMessage: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case tick
    /// A line for the status bar (in the error role when `isError`).
    case status(String, isError: Bool = false)
    /// The OS sandbox check: a warning to keep on screen (running without it, or it cannot be made), or nil.
    case sandboxChecked(warning: String?)
    case generationPreparing(id: Int, String)
    case generation(id: Int, GenerationEvent)
    case generationFinished(id: Int, GeneratedProgram)
    case generationFailed(id: Int, message: String, advice: String)
    case generationCancelled(id: Int)
    case programSaved(id: Int, URL)
    case saveFailed(id: Int, String)
    /// The user edited the program in $EDITOR; the new code and its smoke test.
    case programEdited(id: Int, code: String, SmokeTestResult?)
    /// The programs browser, loaded (or reloaded) from disk and the ledger, with a status line.
    case programsLoaded(ProgramsBrowser, status: String?)
    case programsFailed(String)
    case labelingProgress(LabelingProgress)
    case labelingFinished(LabelingOutcome)
    case labelingFailed(String)
    case labelingCancelled
    case pastResults([PastResult])
    case pastResultsFailed(String)
    case fetchProgress(dataset: String, FetchProgress)
    case settingsLoaded(SettingsView)
    /// A file to show in the viewer, or why it cannot be read.
    case fileLoaded(URL, text: String?, error: String?)
    /// A folder's entries for the file picker (nil and an error when it cannot be read).
    case folderListed(URL, [FilePicker.Entry]?, error: String?)
    /// A download ended: the setup options read again (the dataset now present), or why it failed.
    case fetchFinished(dataset: String, options: SetupOptions?, error: String?)
    /// Hand labeling: a dataset's rows to label (or the other source's, for the open screen), or why not.
    case handLabelLoaded(HandLabelView)
    case handLabelFailed(String)
    /// A dataset's one-line description for the setup screen, or why it cannot be read.
    case datasetInfo(name: String, DatasetInfo)
    /// News of adding a dataset from a file (`AddDatasetNews`).
    case addDataset(AddDatasetNews)
}

/// What the loop must do after an update. Work on a generation names it by id; the runner keeps
/// the programs it produced.
public enum Effect: Sendable, Equatable {
    case render
    case quit
    /// Open (or reuse) the session for the current choices and write one program.
    case startGeneration(id: Int)
    /// Stop the call in flight; its spend is still recorded.
    case cancelGeneration
    case saveProgram(id: Int)
    case discardProgram(id: Int)
    /// Suspend the screen, open the program in $EDITOR, then smoke-test the edited code.
    case editProgram(id: Int)
    /// Load the programs browser.
    case openPrograms
    /// Carry out what the browser asked.
    case programs(ProgramsRequest)
    /// Run the labeling job on the enabled programs of a dataset.
    case startLabeling(dataset: String)
    case cancelLabeling
    case loadPastResults
    /// Write a saved run's train split to a file (`RunExport`); the outcome comes back as a status.
    case exportRun(run: URL, to: URL)
    /// Write a saved run's programs as a bundle (`ProgramBundle`).
    case exportRunPrograms(run: URL, to: URL)
    /// Label a file of new texts with a saved run (`RunPredictor`, with its programs when it has some).
    case predictWithRun(run: URL, input: URL)
    /// Show a file read-only in the viewer (an experiment log).
    case showFile(URL)
    case fetchDataset(String)
    case openSettings
    /// Read a folder for the file picker.
    case listFolder(URL)
    /// Show `theme` now; remember it in settings.json when asked.
    case applyTheme(Theme, remember: Bool)
    /// Hand labeling: build the queue of `source`; write the labels; the screen was left.
    case loadHandLabeling(dataset: String, source: HandLabelQueue.Source)
    case saveHandLabels(HandLabels)
    case closeHandLabeling
    /// Read a dataset's splits for the setup screen's info line.
    case loadDatasetInfo(String)
    /// Adding a dataset from a file: read it, plan it, write it (`AddDatasetWork`).
    case addDataset(AddDatasetWork)
}
