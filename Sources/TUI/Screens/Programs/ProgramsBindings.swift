extension Action {
    static let programsToggle = Action("programsToggle")
    static let programsExpand = Action("programsExpand")
    static let programsCollapse = Action("programsCollapse")
    static let programsFilter = Action("programsFilter")
    static let programsFilterKeep = Action("programsFilterKeep")
    static let programsFilterClear = Action("programsFilterClear")
    static let programsEdit = Action("programsEdit")
    static let programsDelete = Action("programsDelete")
    static let programsToggleEnabled = Action("programsToggleEnabled")
    static let programsTest = Action("programsTest")
    static let programsCopyPath = Action("programsCopyPath")
    static let programsNextTab = Action("programsNextTab")
    static let programsPreviousTab = Action("programsPreviousTab")
    static let programsPageDown = Action("programsPageDown")
    static let programsPageUp = Action("programsPageUp")
    static let programsBack = Action("programsBack")
}

extension BindingScope {
    /// The programs browser.
    public static let programs = BindingScope("programs")
    /// The browser's `/` filter while it is being typed: other keys edit the text.
    public static let programsFilter = BindingScope("programs filter")
}

extension KeyBindings {
    /// The programs browser's bindings, and the confirm dialog's (the browser asks before deleting).
    static let programs: [KeyBinding] = [
        KeyBinding(keys: [.char("k"), .up], scope: .programs, action: .selectPrevious, shortHelp: "up", longHelp: "Select the previous row of the tree.", showsInBar: false),
        KeyBinding(keys: [.char("j"), .down], scope: .programs, action: .selectNext, shortHelp: "down", longHelp: "Select the next row of the tree.", showsInBar: false),
        KeyBinding(keys: [.char("g"), .home], scope: .programs, action: .selectFirst, shortHelp: "first", longHelp: "Select the first row of the tree.", showsInBar: false),
        KeyBinding(keys: [.char("G"), .end], scope: .programs, action: .selectLast, shortHelp: "last", longHelp: "Select the last row of the tree.", showsInBar: false),
        KeyBinding(keys: [.enter, .char(" ")], scope: .programs, action: .programsToggle, shortHelp: "open/close", longHelp: "Expand or collapse the selected group.", showsInBar: false),
        KeyBinding(keys: [.right, .char("l")], scope: .programs, action: .programsExpand, shortHelp: "expand", longHelp: "Expand the selected group, or step into it when it is open.", showsInBar: false),
        KeyBinding(keys: [.left, .char("h")], scope: .programs, action: .programsCollapse, shortHelp: "collapse", longHelp: "Collapse the selected group, or step out to its parent.", showsInBar: false),
        KeyBinding(keys: [.char("/")], scope: .programs, action: .programsFilter, shortHelp: "filter", longHelp: "Filter the programs by name, path, dataset, mode, model, prior or run id.", showsInBar: true),
        KeyBinding(keys: [.char("e")], scope: .programs, action: .programsEdit, shortHelp: "edit", longHelp: "Open the selected program in $EDITOR.", showsInBar: true),
        KeyBinding(keys: [.char("d")], scope: .programs, action: .programsDelete, shortHelp: "delete", longHelp: "Delete the selected program file (asks first).", showsInBar: true),
        KeyBinding(keys: [.char("x")], scope: .programs, action: .programsToggleEnabled, shortHelp: "on/off", longHelp: "Enable or disable the selected program for labeling.", showsInBar: true),
        KeyBinding(keys: [.char("t")], scope: .programs, action: .programsTest, shortHelp: "test", longHelp: "Test the selected program on its dataset's valid split.", showsInBar: true),
        KeyBinding(keys: [.char("y")], scope: .programs, action: .programsCopyPath, shortHelp: "copy path", longHelp: "Copy the selected program's path to the clipboard.", showsInBar: true),
        KeyBinding(keys: [.tab], scope: .programs, action: .programsNextTab, shortHelp: "view", longHelp: "Show the next detail view: code, prompt, run.", showsInBar: true),
        KeyBinding(keys: [.backTab], scope: .programs, action: .programsPreviousTab, shortHelp: "prev view", longHelp: "Show the previous detail view.", showsInBar: false),
        KeyBinding(keys: [.pageDown, .char("J")], scope: .programs, action: .programsPageDown, shortHelp: "scroll down", longHelp: "Scroll the detail view down a page.", showsInBar: false),
        KeyBinding(keys: [.pageUp, .char("K")], scope: .programs, action: .programsPageUp, shortHelp: "scroll up", longHelp: "Scroll the detail view up a page.", showsInBar: false),
        KeyBinding(keys: [.escape], scope: .programs, action: .programsBack, shortHelp: "back", longHelp: "Clear the filter, or go back to the previous screen.", showsInBar: true),
        KeyBinding(keys: [.enter], scope: .programsFilter, action: .programsFilterKeep, shortHelp: "keep filter", longHelp: "Stop typing and keep the filter.", showsInBar: true),
        KeyBinding(keys: [.escape], scope: .programsFilter, action: .programsFilterClear, shortHelp: "clear", longHelp: "Clear the filter and stop typing.", showsInBar: true),
        KeyBinding(keys: [.up], scope: .programsFilter, action: .selectPrevious, shortHelp: "up", longHelp: "Select the previous row while typing.", showsInBar: false),
        KeyBinding(keys: [.down], scope: .programsFilter, action: .selectNext, shortHelp: "down", longHelp: "Select the next row while typing.", showsInBar: false),
        KeyBinding(keys: [.char("y")], scope: .confirmDialog, action: .dialogConfirm, shortHelp: "confirm", longHelp: "Answer yes.", showsInBar: true),
        KeyBinding(keys: [.char("n"), .escape], scope: .confirmDialog, action: .dialogCancel, shortHelp: "cancel", longHelp: "Answer no.", showsInBar: true),
    ]
}
