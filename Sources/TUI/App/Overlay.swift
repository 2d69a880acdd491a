import Foundation

/// Something drawn over the screen that takes the keys while it is on top: the one stack of the
/// editor, the file picker, the log viewer, the key help and the yes/no dialogs. The top overlay
/// takes every key; closing it (esc, or its own answer) pops it and the one below takes the keys.
public enum Overlay: Sendable, Equatable {
    /// The text editor over one of the setup screen's texts (or the "how many more" count).
    case editor(EditedText, TextEditor)
    /// The file picker of the knowledge path.
    case picker(FilePicker)
    /// The file picker of "add a dataset" (`a` on setup).
    case datasetFilePicker(FilePicker)
    /// A file shown read-only (an experiment log).
    case viewer(TextViewer)
    /// The `?` list of key bindings of the screen below.
    case help
    /// A yes/no question; `onYes` is what the app does when the answer is yes.
    case confirm(ConfirmDialog, onYes: [Effect])

    /// The binding scope whose keys the overlay takes, for the help bar; nil for the picker and the
    /// viewer, which draw their own key line.
    var scope: BindingScope? {
        switch self {
        case .editor: return .editor
        case .picker, .datasetFilePicker, .viewer: return nil
        case .help: return .helpOverlay
        case .confirm: return .confirmDialog
        }
    }
}

extension AppState {
    /// The overlay on top, which takes the keys.
    public var topOverlay: Overlay? { overlays.last }

    public mutating func push(_ overlay: Overlay) { overlays.append(overlay) }

    /// Replaces the top overlay (after it handled a key).
    mutating func replaceTop(with overlay: Overlay) {
        guard !overlays.isEmpty else { return }
        overlays[overlays.count - 1] = overlay
    }

    mutating func popOverlay() { _ = overlays.popLast() }

    /// The open editor, when it is on top.
    public var editing: (target: EditedText, editor: TextEditor)? {
        guard case .editor(let target, let editor)? = topOverlay else { return nil }
        return (target, editor)
    }

    /// The open file picker, when it is on top.
    public var picker: FilePicker? {
        guard case .picker(let picker)? = topOverlay else { return nil }
        return picker
    }

    /// The open log viewer, when it is on top.
    public var viewer: TextViewer? {
        guard case .viewer(let viewer)? = topOverlay else { return nil }
        return viewer
    }

    /// True while the key help is on top.
    public var showsHelp: Bool { topOverlay == .help }
}
