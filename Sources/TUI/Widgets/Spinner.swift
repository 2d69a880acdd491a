/// A busy indicator: the frame for a tick counter (the app ticks about ten times a second).
enum Spinner {
    static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    static func frame(_ tick: Int) -> String {
        frames[((tick % frames.count) + frames.count) % frames.count]
    }
}
