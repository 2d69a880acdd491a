extension BindingScope {
    public static let generate = BindingScope("generate")
    public static let editor = BindingScope("editor")
}

extension Action {
    public static let back = Action("back")
    public static let saveProgram = Action("saveProgram")
    public static let discardProgram = Action("discardProgram")
    public static let regenerate = Action("regenerate")
    public static let generateMore = Action("generateMore")
    public static let editProgram = Action("editProgram")
    public static let switchPane = Action("switchPane")
    public static let scrollUp = Action("scrollUp")
    public static let scrollDown = Action("scrollDown")
    public static let followTail = Action("followTail")
    public static let closeEditor = Action("closeEditor")
    public static let cancelEditor = Action("cancelEditor")
}

extension KeyBindings {
    /// The generate screen's bindings.
    static let generate: [KeyBinding] = [
        KeyBinding(keys: [.escape], scope: .generate, action: .back, shortHelp: "cancel/back", longHelp: "Cancel the call in flight (its spend is still recorded); when nothing runs, go back to setup.", showsInBar: true),
        KeyBinding(keys: [.char("s")], scope: .generate, action: .saveProgram, shortHelp: "save", longHelp: "Save the program (with its prompt, tokens and cost).", showsInBar: true),
        KeyBinding(keys: [.char("d")], scope: .generate, action: .discardProgram, shortHelp: "discard", longHelp: "Discard the program (its calls stay in the ledger, marked discarded).", showsInBar: true),
        KeyBinding(keys: [.char("r")], scope: .generate, action: .regenerate, shortHelp: "regenerate", longHelp: "Write another program with the same choices (an unsaved one is discarded).", showsInBar: true),
        KeyBinding(keys: [.char("n")], scope: .generate, action: .generateMore, shortHelp: "N more", longHelp: "Write N more programs (asks how many; 5 at first), saving each one that loads.", showsInBar: true),
        KeyBinding(keys: [.char("e")], scope: .generate, action: .editProgram, shortHelp: "edit", longHelp: "Edit the program in $EDITOR before saving; it is smoke-tested again.", showsInBar: true),
        KeyBinding(keys: [.char("p")], scope: .generate, action: .openPrograms, shortHelp: "programs", longHelp: "Browse the saved programs with their cost.", showsInBar: false),
        KeyBinding(keys: [.char("l")], scope: .generate, action: .label, shortHelp: "label", longHelp: "Run the label and end models on the dataset's enabled programs.", showsInBar: true),
        KeyBinding(keys: [.tab], scope: .generate, action: .switchPane, shortHelp: "pane", longHelp: "Switch which stream pane pgup/pgdn scroll.", showsInBar: false),
        KeyBinding(keys: [.pageUp, .char("k"), .up], scope: .generate, action: .scrollUp, shortHelp: "scroll up", longHelp: "Scroll the focused stream pane up (it stops following the stream).", showsInBar: false),
        KeyBinding(keys: [.pageDown, .char("j"), .down], scope: .generate, action: .scrollDown, shortHelp: "scroll down", longHelp: "Scroll the focused stream pane down.", showsInBar: false),
        KeyBinding(keys: [.end, .char("G")], scope: .generate, action: .followTail, shortHelp: "follow", longHelp: "Follow the end of the stream again.", showsInBar: false),
    ]

    /// The text editor overlay: every other key edits the text.
    static let editor: [KeyBinding] = [
        KeyBinding(keys: [.escape], scope: .editor, action: .closeEditor, shortHelp: "done", longHelp: "Keep the text and close the editor.", showsInBar: true),
        KeyBinding(keys: [.ctrl("x")], scope: .editor, action: .cancelEditor, shortHelp: "undo all", longHelp: "Close the editor without keeping the changes.", showsInBar: true),
    ]
}
