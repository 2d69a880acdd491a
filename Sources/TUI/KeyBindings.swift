/// What a key does; `update` acts on these, never on raw keys. A struct rather than an enum so each
/// screen declares its own actions in its own file (`extension Action { static let … }`).
public struct Action: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let quit = Action("quit")
    public static let forceQuit = Action("forceQuit")
    public static let toggleHelp = Action("toggleHelp")
    public static let closeOverlay = Action("closeOverlay")
    public static let focusNext = Action("focusNext")
    public static let focusPrevious = Action("focusPrevious")
    public static let selectPrevious = Action("selectPrevious")
    public static let selectNext = Action("selectNext")
    public static let selectFirst = Action("selectFirst")
    public static let selectLast = Action("selectLast")
    public static let generate = Action("generate")
    public static let editMission = Action("editMission")
    public static let editQuery = Action("editQuery")
    public static let editKnowledgePath = Action("editKnowledgePath")
    public static let resetTexts = Action("resetTexts")
    public static let openPrograms = Action("openPrograms")
    public static let label = Action("label")
    public static let fetchDataset = Action("fetchDataset")
}

/// Where a binding applies. `global` bindings apply everywhere unless the active scope binds the key.
/// Screens add their own scopes in their own files.
public struct BindingScope: RawRepresentable, Sendable, Hashable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    public static let global = BindingScope("global")
    public static let setup = BindingScope("setup")
    public static let helpOverlay = BindingScope("help overlay")
}

/// One key binding: the data the help bar, the `?` overlay and docs/keybindings.md come from.
public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var scope: BindingScope
    public var action: Action
    public var shortHelp: String
    public var longHelp: String
    public var showsInBar: Bool

    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// One entry of the help bar: a key and what it does, or, while it cannot be used, why not.
public struct HelpBarItem: Sendable, Equatable {
    public var text: String
    public var disabledReason: String?

    /// "s save", or "s save (already saved)" while disabled.
    public var label: String { disabledReason.map { "\(text) (\($0))" } ?? text }
}

public enum KeyBindings {
    /// Every binding of the TUI: the core ones, then each screen's.
    public static let all: [KeyBinding] = core + editor + generate + programs + results + settings + handLabel + addDataset

    /// Quitting, help and the setup screen.
    static let core: [KeyBinding] = [
        KeyBinding(keys: [.char("q")], scope: .global, action: .quit, shortHelp: "quit", longHelp: "Quit the TUI.", showsInBar: true),
        KeyBinding(keys: [.ctrlC], scope: .global, action: .forceQuit, shortHelp: "quit", longHelp: "Quit at once, restoring the terminal.", showsInBar: false),
        KeyBinding(keys: [.char("?")], scope: .global, action: .toggleHelp, shortHelp: "help", longHelp: "Show or hide the list of key bindings.", showsInBar: true),
        KeyBinding(keys: [.enter], scope: .setup, action: .generate, shortHelp: "generate", longHelp: "Write a program with the current choices (opens the generate screen).", showsInBar: true),
        KeyBinding(keys: [.char("m")], scope: .setup, action: .editMission, shortHelp: "mission", longHelp: "Edit the mission statement.", showsInBar: true),
        KeyBinding(keys: [.tab], scope: .setup, action: .focusNext, shortHelp: "next pane", longHelp: "Move the focus to the next pane.", showsInBar: true),
        KeyBinding(keys: [.backTab], scope: .setup, action: .focusPrevious, shortHelp: "prev pane", longHelp: "Move the focus to the previous pane.", showsInBar: false),
        KeyBinding(keys: [.char("k"), .up], scope: .setup, action: .selectPrevious, shortHelp: "up", longHelp: "Select the previous row of the focused pane.", showsInBar: true),
        KeyBinding(keys: [.char("j"), .down], scope: .setup, action: .selectNext, shortHelp: "down", longHelp: "Select the next row of the focused pane.", showsInBar: true),
        KeyBinding(keys: [.char("g"), .home], scope: .setup, action: .selectFirst, shortHelp: "first", longHelp: "Select the first row of the focused pane.", showsInBar: false),
        KeyBinding(keys: [.char("G"), .end], scope: .setup, action: .selectLast, shortHelp: "last", longHelp: "Select the last row of the focused pane.", showsInBar: false),
        KeyBinding(keys: [.char("p")], scope: .setup, action: .openPrograms, shortHelp: "programs", longHelp: "Browse the saved programs with their cost.", showsInBar: true),
        KeyBinding(keys: [.char("l")], scope: .setup, action: .label, shortHelp: "label", longHelp: "Run the label and end models on the dataset's enabled programs.", showsInBar: true),
        KeyBinding(keys: [.char("f")], scope: .setup, action: .fetchDataset, shortHelp: "fetch", longHelp: "Download the selected dataset when it is not on disk.", showsInBar: false),
        KeyBinding(keys: [.char("u")], scope: .setup, action: .editQuery, shortHelp: "query", longHelp: "Edit the prior-knowledge query (modes with a knowledge stage).", showsInBar: false),
        KeyBinding(keys: [.char("K")], scope: .setup, action: .editKnowledgePath, shortHelp: "knowledge path", longHelp: "Choose the knowledge path of Alchemist with RAG (a source-list JSON file, a folder or a file) in a file picker; t there types it.", showsInBar: false),
        KeyBinding(keys: [.char("R")], scope: .setup, action: .resetTexts, shortHelp: "reset texts", longHelp: "Reset the mission and query to the dataset template's.", showsInBar: false),
        KeyBinding(keys: [.escape, .char("?")], scope: .helpOverlay, action: .closeOverlay, shortHelp: "close", longHelp: "Close the help overlay.", showsInBar: true),
    ]

    /// The action of `key` in `scope`: the scope's own binding first, then a global one.
    public static func action(for key: Key, in scope: BindingScope, bindings: [KeyBinding] = all) -> Action? {
        bindings.first { $0.scope == scope && $0.keys.contains(key) }?.action
            ?? bindings.first { $0.scope == .global && $0.keys.contains(key) }?.action
    }

    /// Keys bound twice in one scope, as "scope: key" texts (empty when there is no clash).
    public static func clashes(in bindings: [KeyBinding] = all) -> [String] {
        var seen: Set<String> = []
        var clashes: [String] = []
        for binding in bindings {
            for key in binding.keys {
                let name = "\(binding.scope.rawValue): \(key.label)"
                if !seen.insert(name).inserted { clashes.append(name) }
            }
        }
        return clashes
    }

    /// The bottom help bar for `scope`: the global bar bindings it does not override (quit and help
    /// first, so a narrow terminal cuts the least needed ones; none for an overlay, which takes every
    /// key), then its own. A binding whose action is in `disabled` carries the reason it cannot be used now.
    public static func helpBarItems(for scope: BindingScope, disabled: [Action: String] = [:], withGlobal: Bool = true,
                                    bindings: [KeyBinding] = all) -> [HelpBarItem] {
        let own = bindings.filter { $0.scope == scope && $0.showsInBar }
        let ownKeys = Set(own.flatMap(\.keys))
        let global = scope == .global || !withGlobal ? [] : bindings.filter { $0.scope == .global && $0.showsInBar && ownKeys.isDisjoint(with: $0.keys) }
        return (global + own).map { HelpBarItem(text: "\($0.keyLabel) \($0.shortHelp)", disabledReason: disabled[$0.action]) }
    }

    /// The help bar as one line of text.
    public static func helpBar(for scope: BindingScope, disabled: [Action: String] = [:], withGlobal: Bool = true,
                               bindings: [KeyBinding] = all) -> String {
        helpBarItems(for: scope, disabled: disabled, withGlobal: withGlobal, bindings: bindings).map(\.label).joined(separator: "  ")
    }

    /// docs/keybindings.md.
    public static func markdown(bindings: [KeyBinding] = all) -> String {
        var lines = ["# Key bindings", "", "Generated from `Sources/TUI/KeyBindings.swift` by the TUITests (`ALCHEMIST_RECORD=1 swift test --filter TUITests` rewrites it).", ""]
        var scopes: [BindingScope] = []
        for binding in bindings where !scopes.contains(binding.scope) { scopes.append(binding.scope) }
        for scope in scopes {
            let rows = bindings.filter { $0.scope == scope }
            guard !rows.isEmpty else { continue }
            lines += ["## \(scope.rawValue)", "", "| keys | action | in help bar |", "|---|---|---|"]
            for binding in rows {
                let keys = binding.keys.map { "`\($0.label == "`" ? "` ` `" : $0.label)`" }.joined(separator: ", ")
                lines.append("| \(keys) | \(binding.longHelp) | \(binding.showsInBar ? "yes" : "no") |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
