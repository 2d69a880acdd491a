import Foundation

/// A backend for tests: keeps every frame and plays back a script of keys and waits.
/// Used from one thread at a time (the loop's), so it is marked Sendable to be handed to it.
public final class TestBackend: TerminalBackend, @unchecked Sendable {
    /// One shown frame: its text rows and the role of every cell.
    public struct Frame: Sendable, Equatable {
        public var buffer: CellBuffer
        public var rows: [String] { (0..<buffer.height).map(buffer.row) }
        public var roles: [[StyleRole]] {
            (0..<buffer.height).map { y in (0..<buffer.width).map { x in buffer[x, y].style.role } }
        }
        public var text: String { buffer.text }
    }

    /// A step of the script: press a key, or let the loop run until the last frame shows a text.
    public enum Step: Sendable {
        case key(Key)
        /// Times out after `seconds`; the script then ends with Ctrl-C and `timedOut` names the text.
        /// Generous by default: under a full parallel test run the engine's tasks can wait long for
        /// a thread of the cooperative pool.
        case waitFor(String, seconds: Double = 300)
        case resize(width: Int, height: Int)
    }

    public private(set) var frames: [Frame] = []
    public var script: [Step]
    public var width: Int
    public var height: Int
    /// The text of the wait that timed out, if one did.
    public private(set) var timedOut: String?
    private var waitStarted: Date?

    public init(width: Int, height: Int, keys: [Key] = []) {
        self.width = width
        self.height = height
        self.script = keys.map { .key($0) }
    }

    public init(width: Int, height: Int, script: [Step]) {
        self.width = width
        self.height = height
        self.script = script
    }

    public func size() -> (width: Int, height: Int) { (width, height) }
    public func draw(_ buffer: CellBuffer) { frames.append(Frame(buffer: buffer)) }
    /// Control sequences the app sent (clipboard), in order.
    public private(set) var controls: [String] = []
    public func sendControl(_ sequence: String) { controls.append(sequence) }

    /// The next scripted key; nil (a timeout) while a wait is unmet; when the script is done, Ctrl-C,
    /// so a loop under test always ends.
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard let step = script.first else { return .ctrlC }
        switch step {
        case .key(let key):
            script.removeFirst()
            return key
        case .resize(let newWidth, let newHeight):
            script.removeFirst()
            width = newWidth
            height = newHeight
            return .resize
        case .waitFor(let text, let seconds):
            if frames.last?.text.contains(text) == true {
                script.removeFirst()
                waitStarted = nil
                return nil
            }
            let started = waitStarted ?? Date()
            waitStarted = started
            if Date().timeIntervalSince(started) > seconds {
                timedOut = text
                script.removeAll()
                return .ctrlC
            }
            Thread.sleep(forTimeInterval: min(0.01, Double(timeoutMilliseconds) / 1000))
            return nil
        }
    }
}
