import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor (a file or a pipe) in large blocks into one reused buffer, for the
/// parsers of every text format. A parser looks at `window` (the bytes read and not yet consumed),
/// consumes what it has parsed, and calls `fill()` when an entry runs past the end of the window;
/// it then parses the entry again from its start. The reader keeps the line number of the
/// window's start.
final class ByteReader {
    static let defaultBlockSize = 1 << 20
    /// No single entry (a row, a record, a line) may need a window larger than this.
    static let largestEntry = 256 << 20

    /// For errors: the file, or what the pipe reads.
    let path: String
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private let blockSize: Int
    private var storage: UnsafeMutableRawBufferPointer
    /// First byte not yet consumed (an index into `bytes`).
    private(set) var start = 0
    /// End of the bytes read so far.
    private(set) var end = 0
    /// True once the descriptor reported its end: the window then holds all that is left.
    private(set) var reachedEnd = false
    /// The 1-based line of the byte at `start`.
    private(set) var line = 1
    /// The offset in the file of the byte at `start`.
    private(set) var fileOffset = 0

    /// Opens a file for reading.
    /// - Throws: `DatasetError` when the file cannot be opened.
    convenience init(file: URL, blockSize: Int = ByteReader.defaultBlockSize) throws(DatasetError) {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DatasetError(file: file.path, reason: "cannot read the file (\(String(cString: strerror(errno))))")
        }
        self.init(descriptor: descriptor, path: file.path, closes: true, blockSize: blockSize)
    }

    /// Reads an open descriptor; closes it at the end when `closes` is true.
    init(descriptor: Int32, path: String, closes: Bool, blockSize: Int = ByteReader.defaultBlockSize) {
        self.descriptor = descriptor
        self.path = path
        self.closesDescriptor = closes
        self.blockSize = max(1, blockSize)
        storage = .allocate(byteCount: self.blockSize, alignment: 16)
    }

    /// Bytes already in memory, as if read from a file.
    init(bytes: some Collection<UInt8>, path: String) {
        descriptor = -1
        self.path = path
        closesDescriptor = false
        blockSize = max(1, bytes.count)
        storage = .allocate(byteCount: blockSize, alignment: 16)
        end = storage.initializeMemory(as: UInt8.self, fromContentsOf: bytes).count
        reachedEnd = true
    }

    deinit {
        storage.deallocate()
        if closesDescriptor { close(descriptor) }
    }

    /// The size of the buffer: a block, or the largest entry read so far with a block.
    var capacity: Int { storage.count }

    /// The buffer from its first byte up to `end`: indices are the same as `start` and `end`.
    /// Valid until the next `fill()`.
    var bytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: storage.baseAddress?.assumingMemoryBound(to: UInt8.self), count: end)
    }

    /// The bytes read and not yet consumed.
    var window: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[start..<end]) }

    /// Reads more bytes after the window, moving the window to the front of the buffer first (so
    /// indices into `bytes` change). Returns false at the end of the input.
    /// - Throws: `DatasetError` when reading fails or one entry would need more than `largestEntry` bytes.
    func fill() throws(DatasetError) -> Bool {
        if reachedEnd { return false }
        if start > 0 {
            if start < end, let base = storage.baseAddress { memmove(base, base + start, end - start) }
            end -= start
            start = 0
        }
        if end == storage.count {
            guard storage.count < Self.largestEntry else {
                throw DatasetError(file: path, reason: "line \(line): one row is longer than \(Self.largestEntry >> 20) MiB")
            }
            let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: min(storage.count * 2, Self.largestEntry), alignment: 16)
            if let from = storage.baseAddress, let to = larger.baseAddress { memcpy(to, from, end) }
            storage.deallocate()
            storage = larger
        }
        while true {
            guard let base = storage.baseAddress else { return false }
            let count = read(descriptor, base + end, storage.count - end)
            if count > 0 {
                end += count
                return true
            }
            if count == 0 {
                reachedEnd = true
                return false
            }
            if errno == EINTR { continue }
            throw DatasetError(file: path, reason: "cannot read the file (\(String(cString: strerror(errno))))")
        }
    }

    /// Marks `count` bytes at the window's start as parsed, counting the line feeds among them.
    func consume(_ count: Int) {
        consume(count, lines: Self.lineFeeds(in: UnsafeBufferPointer(rebasing: bytes[start..<(start + count)])))
    }

    /// Marks `count` bytes as parsed, of which the caller counted `lines` line breaks.
    func consume(_ count: Int, lines: Int) {
        start += count
        fileOffset += count
        line += lines
    }

    /// The line of the byte at `index` (an index into `bytes`, at or after `start`).
    func line(at index: Int) -> Int {
        line + Self.lineFeeds(in: UnsafeBufferPointer(rebasing: bytes[start..<min(max(index, start), end)]))
    }

    /// The offset in the file of the byte at `index`.
    func fileOffset(at index: Int) -> Int { fileOffset + (index - start) }

    /// Skips a UTF-8 byte order mark at the very start of the input.
    func skipByteOrderMark() throws(DatasetError) {
        guard fileOffset == 0 else { return }
        while end - start < 3, try fill() {}
        let window = window
        if window.count >= 3, window[0] == 0xEF, window[1] == 0xBB, window[2] == 0xBF { consume(3, lines: 0) }
    }

    static func lineFeeds(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes { count &+= byte == 0x0A ? 1 : 0 }
        return count
    }
}
