import Engine
import Foundation

/// What the programs browser asks the app to carry out; the browser itself never touches files,
/// the terminal or the sandbox. `ProgramsActions` does the engine side of most of them.
public enum ProgramsRequest: Sendable, Equatable {
    /// Suspend the screen and run `$EDITOR` on the file, then reload the browser.
    case openInEditor(URL)
    /// Ask whether to delete the file (a yes/no dialog on the overlay stack; yes sends `delete`).
    case askToDelete(URL, name: String)
    /// Delete the file: the user has already confirmed it.
    case delete(URL)
    /// Use (true) or skip (false) the program in labeling runs.
    case setEnabled(URL, Bool)
    /// Run the program on the valid split of its dataset in the sandbox and record the result.
    case testOnValid(LabelingProgram)
    /// Put the file's path on the clipboard.
    case copyPath(URL)
    /// Leave the browser for the previous screen.
    case close
}
