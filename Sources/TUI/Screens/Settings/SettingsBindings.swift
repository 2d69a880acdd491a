extension BindingScope {
    public static let settings = BindingScope("settings")
}

extension Action {
    public static let openSettings = Action("openSettings")
    public static let applyTheme = Action("applyTheme")
    public static let closeSettings = Action("closeSettings")
}

extension KeyBindings {
    /// The settings screen's bindings, and the key that opens it from setup.
    static let settings: [KeyBinding] = [
        KeyBinding(keys: [.char(",")], scope: .setup, action: .openSettings, shortHelp: "settings", longHelp: "Open the settings: theme, API keys, folders, default models.", showsInBar: false),
        KeyBinding(keys: [.char("k"), .up], scope: .settings, action: .selectPrevious, shortHelp: "up", longHelp: "Preview the previous theme.", showsInBar: true),
        KeyBinding(keys: [.char("j"), .down], scope: .settings, action: .selectNext, shortHelp: "down", longHelp: "Preview the next theme.", showsInBar: true),
        KeyBinding(keys: [.char("g"), .home], scope: .settings, action: .selectFirst, shortHelp: "first", longHelp: "Preview the first theme.", showsInBar: false),
        KeyBinding(keys: [.char("G"), .end], scope: .settings, action: .selectLast, shortHelp: "last", longHelp: "Preview the last theme.", showsInBar: false),
        KeyBinding(keys: [.enter], scope: .settings, action: .applyTheme, shortHelp: "keep theme", longHelp: "Keep the previewed theme and remember it in settings.json.", showsInBar: true),
        KeyBinding(keys: [.escape], scope: .settings, action: .closeSettings, shortHelp: "back", longHelp: "Go back, restoring the theme in use before the preview.", showsInBar: true),
        KeyBinding(keys: [.pageDown], scope: .settings, action: .scrollDown, shortHelp: "scroll", longHelp: "Scroll the keys, models and folders down.", showsInBar: false),
        KeyBinding(keys: [.pageUp], scope: .settings, action: .scrollUp, shortHelp: "scroll up", longHelp: "Scroll the keys, models and folders up.", showsInBar: false),
    ]
}
