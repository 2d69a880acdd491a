/// A key press, independent of ncurses.
public enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right, tab, backTab, enter, escape, backspace, delete, pageUp, pageDown, home, end, ctrlC, resize
    /// Control plus a letter (not c, h, i, j, m: those are ctrl-c, backspace, tab and enter).
    case ctrl(Character)

    /// A character a text field takes as input (printable, not a control key).
    public var typedCharacter: Character? {
        guard case .char(let character) = self else { return nil }
        return character.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value != 127 }) ? character : nil
    }

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
        case .delete: return "del"
        case .ctrl(let letter): return "ctrl-\(letter)"
        case .pageUp: return "pgup"
        case .pageDown: return "pgdn"
        case .home: return "home"
        case .end: return "end"
        case .ctrlC: return "ctrl-c"
        case .resize: return "resize"
        }
    }
}
