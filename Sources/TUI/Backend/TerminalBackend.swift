/// Where frames go and keys come from: ncurses in the app, a recorder in tests.
public protocol TerminalBackend: AnyObject {
    /// The current terminal size in cells.
    func size() -> (width: Int, height: Int)
    /// Shows `buffer`.
    func draw(_ buffer: CellBuffer)
    /// The next key, or nil when none came within `timeoutMilliseconds`.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// Hands the terminal to another program until `resume`.
    func suspend()
    func resume()
    /// True when the terminal is gone and the app should end.
    func isGone() -> Bool
    /// Shows `theme` from the next frame on (the settings screen's preview).
    func apply(_ theme: Theme)
    /// Sends a control sequence the screen does not show (OSC 52: put text on the clipboard).
    func sendControl(_ sequence: String)
}

extension TerminalBackend {
    public func suspend() {}
    public func resume() {}
    public func isGone() -> Bool { false }
    public func sendControl(_ sequence: String) {}
    public func apply(_ theme: Theme) {}
}
