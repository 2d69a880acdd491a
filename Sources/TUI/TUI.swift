import Engine

/// The full-screen front end (issue: terminal UI). Empty for now: the package layout is in place
/// so the TUI can grow here without touching the engine.
public enum TUI {
    public static let isAvailable = false
}
