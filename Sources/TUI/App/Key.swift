/// A key press, independent of ncurses.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right, tab, backTab, enter, escape, backspace, pageUp, pageDown, home, end, ctrlC, resize

    /// How help texts write the key.
    public var label: String {
        switch self {
        case .char(" "): return "space"
        case .char(let character): return String(character)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .tab: return "tab"
        case .backTab: return "shift-tab"
        case .enter: return "enter"
        case .escape: return "esc"
        case .backspace: return "backspace"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .home: return "home"
        case .end: return "end"
        case .ctrlC: return "ctrl-c"
        case .resize: return "resize"
        }
    }
}
