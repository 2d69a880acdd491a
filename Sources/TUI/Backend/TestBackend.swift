/// A backend for tests: keeps every frame and plays back queued keys.
public final class TestBackend: TerminalBackend {
    /// One shown frame: its text rows and the role of every cell.
    public struct Frame: Sendable, Equatable {
        public var buffer: CellBuffer
        public var rows: [String] { (0..<buffer.height).map(buffer.row) }
        public var roles: [[StyleRole]] {
            (0..<buffer.height).map { y in (0..<buffer.width).map { x in buffer[x, y].style.role } }
        }
        public var text: String { buffer.text }
    }

    public private(set) var frames: [Frame] = []
    public var keys: [Key]
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int, keys: [Key] = []) {
        self.width = width
        self.height = height
        self.keys = keys
    }

    public func size() -> (width: Int, height: Int) { (width, height) }
    public func draw(_ buffer: CellBuffer) { frames.append(Frame(buffer: buffer)) }

    /// The next queued key; when none is left, Ctrl-C, so a loop under test always ends.
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        keys.isEmpty ? .ctrlC : keys.removeFirst()
    }
}
