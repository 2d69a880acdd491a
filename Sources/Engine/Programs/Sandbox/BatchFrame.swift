import Foundation

/// How a batch of texts travels to a worker: a header line, then a payload of known length.
///
///     B <batch> <count> <bytes>\n  then the texts' UTF-8 joined by NUL bytes
///     J <batch> <count> <bytes>\n  then a JSON array of strings (for a batch where a text holds a NUL)
///
/// The NUL-joined form needs no escaping on our side and one `decode().split("\0")` in Python, both
/// C loops; the worker checks that it got `count` texts.
enum BatchFrame {
    static func encode(batch: Int, texts: ArraySlice<String>) -> [UInt8] {
        var size = max(0, texts.count - 1)
        var hasNUL = false
        for var text in texts {
            text.withUTF8 { bytes in
                size += bytes.count
                if !hasNUL, let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil { hasNUL = true }
            }
        }
        if hasNUL {
            var payload: [UInt8] = []
            JSONText.appendArray(texts, to: &payload)
            return Array("J \(batch) \(texts.count) \(payload.count)\n".utf8) + payload
        }
        var frame = Array("B \(batch) \(texts.count) \(size)\n".utf8)
        frame.reserveCapacity(frame.count + size)
        var first = true
        for var text in texts {
            if !first { frame.append(0) }
            first = false
            text.withUTF8 { frame.append(contentsOf: $0) }
        }
        return frame
    }
}
