import CEngineShims
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The texts of a run in one sealed, read-only memory file (memfd) that every program process
/// maps as its descriptor 3: a batch travels as a header naming a byte range, each process decodes
/// only that range, and no text is copied through a pipe once per program.
///
/// The file holds the texts' UTF-8 joined by NUL bytes; a batch with a text that itself holds a NUL
/// travels in the pipe instead (`nulBatches`). Sealed against writing, growing and shrinking, and
/// handed out read-only, so no program can change what another reads.
final class SharedTexts {
    let fd: Int32
    /// Byte offset where each row starts; one more entry for the end.
    private let starts: [Int]
    let nulBatches: Set<Int>

    /// nil when the kernel gives no memfd (the pipe is used) or there is nothing to share.
    init?(texts: [String], batchSize: Int) {
        var blob: [UInt8] = []
        blob.reserveCapacity(texts.reduce(0) { $0 + $1.utf8.count + 1 })
        var starts: [Int] = []
        starts.reserveCapacity(texts.count + 1)
        var nulBatches: Set<Int> = []
        for (row, var text) in texts.enumerated() {
            if row > 0 { blob.append(0) }
            starts.append(blob.count)
            text.withUTF8 { bytes in
                if let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil { nulBatches.insert(row / batchSize) }
                blob.append(contentsOf: bytes)
            }
        }
        starts.append(blob.count)
        guard !blob.isEmpty else { return nil }
        let fd = blob.withUnsafeBytes { ces_sealed_memory_file("alchemist-texts", $0.baseAddress, $0.count) }
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.starts = starts
        self.nulBatches = nulBatches
    }

    deinit { close(fd) }

    /// The frame of a batch: `R <batch> <count> <offset> <length> <first row>\n` (a zygote that
    /// decoded every text takes rows first..first+count; a process without them decodes the bytes).
    func frame(batch: Int, rows: Range<Int>) -> [UInt8] {
        let offset = starts[rows.lowerBound]
        let length = starts[rows.upperBound] - offset - (rows.upperBound < starts.count - 1 ? 1 : 0)
        return Array("R \(batch) \(rows.count) \(offset) \(length) \(rows.lowerBound)\n".utf8)
    }
}
