@preconcurrency import CNcurses
import Foundation

/// The terminal through ncursesw: the only file that imports CNcurses. Draws only the cells that
/// changed since the last frame, then `wnoutrefresh` + `doupdate`.
final class NcursesBackend: TerminalBackend {
    private var theme: Theme
    private var previous: CellBuffer?
    private var isOpen = false
    /// Colour pairs are in use: the terminal has colours and the theme is not monochrome.
    private var usesColor = false

    init(theme: Theme) {
        self.theme = theme
    }

    /// Takes over the terminal.
    func open() {
        setlocale(LC_ALL, "")
        if getenv("ESCDELAY") == nil { set_escdelay(25) }
        _ = initscr()
        isOpen = true
        _ = cbreak()
        _ = noecho()
        _ = keypad(cn_stdscr(), true)
        _ = curs_set(0)
        Self.restoreOnCrash()
        // Started even for a monochrome theme, so a coloured one can be applied later.
        if has_colors() {
            _ = start_color()
            _ = use_default_colors()
        }
        setUpColors()
    }

    /// On a crash (a trap, an abort, a bad memory access) the terminal is given back before the
    /// process dies, so the shell is usable; the signal is then raised again with its default
    /// action, so the crash itself is reported as usual. endwin is not async-signal-safe, but the
    /// process is ending either way and a raw terminal is the worse outcome.
    static func restoreOnCrash() {
        for number in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(number) { received in
                _ = endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    /// Shows `theme` from the next frame on: new colour pairs, and every cell drawn again (a switch
    /// to or from monochrome changes the pair of every cell).
    func apply(_ theme: Theme) {
        self.theme = theme
        guard isOpen else { return }
        setUpColors()
        previous = nil
        _ = clearok(cn_stdscr(), true)
    }

    /// One pair per role; none on a terminal without colours (`has_colors()` false), which therefore
    /// shows every theme as monochrome: bold, reverse and underline only.
    private func setUpColors() {
        usesColor = has_colors() && !theme.isMonochrome
        guard usesColor else { return }
        for (index, role) in StyleRole.allCases.enumerated() {
            _ = init_pair(Int16(index + 1), theme.color(role).number, -1)
        }
    }

    /// Gives the terminal back; safe to call twice.
    func close() {
        guard isOpen else { return }
        for number in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] { signal(number, SIG_DFL) }
        isOpen = false
        _ = curs_set(1)
        _ = endwin()
    }

    /// Hands the terminal to another program (an editor) until `resume`.
    func suspend() {
        guard isOpen else { return }
        _ = def_prog_mode()
        _ = endwin()
    }

    /// Takes the terminal back after `suspend` and redraws everything on the next frame.
    func resume() {
        _ = reset_prog_mode()
        _ = curs_set(0)
        previous = nil
        _ = wclear(cn_stdscr())
        _ = wrefresh(cn_stdscr())
    }

    /// Writes a control sequence straight to the terminal, after what ncurses has queued.
    func sendControl(_ sequence: String) {
        fflush(stdout)
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    /// True when the terminal has gone away (its window closed, the tmux session killed): reads fail,
    /// so the loop must end instead of spinning.
    func isGone() -> Bool {
        var attributes = termios()
        return tcgetattr(0, &attributes) != 0
    }

    func size() -> (width: Int, height: Int) {
        (Int(getmaxx(cn_stdscr())), Int(getmaxy(cn_stdscr())))
    }

    func draw(_ buffer: CellBuffer) {
        let window = cn_stdscr()
        let old = previous.flatMap { $0.width == buffer.width && $0.height == buffer.height ? $0 : nil }
        if old == nil { _ = werase(window) }
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                if let old, old[x, y] == cell { continue }
                put(cell, x: x, y: y, window: window)
            }
        }
        previous = buffer
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    private func put(_ cell: Cell, x: Int, y: Int, window: UnsafeMutablePointer<WINDOW>?) {
        var attributes: attr_t = 0
        if cell.style.bold { attributes |= cn_a_bold() }
        if cell.style.reverse { attributes |= cn_a_reverse() }
        if cell.style.underline { attributes |= cn_a_underline() }
        let pair: Int16 = usesColor ? Int16((StyleRole.allCases.firstIndex(of: cell.style.role) ?? 0) + 1) : 0
        var characters = cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) } + [0]
        var complex = cchar_t()
        _ = setcchar(&complex, &characters, attributes, pair, nil)
        _ = mvwadd_wch(window, Int32(y), Int32(x), &complex)
    }

    func readKey(timeoutMilliseconds: Int) -> Key? {
        let window = cn_stdscr()
        wtimeout(window, Int32(timeoutMilliseconds))
        var character: wint_t = 0
        let status = wget_wch(window, &character)
        if status == KEY_CODE_YES {
            switch Int32(character) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_BACKSPACE: return .backspace
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_DC: return .delete
            case KEY_RESIZE:
                previous = nil
                return .resize
            default: return nil
            }
        }
        guard status == OK else { return nil }
        switch character {
        case 3: return .ctrlC
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26:
            return .ctrl(Character(Unicode.Scalar(UInt8(96 + character))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return nil }
            return .char(Character(scalar))
        }
    }
}
