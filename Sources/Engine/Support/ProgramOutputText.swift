/// Makes text a labeling program produced (an exception message, a print) safe to show as one line
/// of data: nothing in it can move the cursor, set the title or the clipboard, recolour the
/// terminal, forge further lines of a report or reorder what is shown around it.
public enum ProgramOutputText {
    /// `text` with terminal escape sequences removed (CSI, OSC, DCS, APC, PM, SOS, two-byte ESC
    /// sequences and their 8-bit C1 forms), every other C0/C1 control character (CR, LF, TAB, NUL,
    /// DEL…) and the line and paragraph separators U+2028/U+2029 turned into a space (a run of
    /// them together with the spaces around it becomes one space; at the start or the end, none,
    /// and trailing spaces go too), zero-width joiners and other text kept as they are, the
    /// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) removed, and cut to
    /// `limit` characters, the last of which is "…" when something was cut.
    ///
    /// One pass over the UTF-8 bytes: linear in the length of `text`.
    public static func clean(_ text: String, limit: Int = 300) -> String {
        var copy = text
        let bytes = copy.withUTF8 { buffer in
            var cleaner = Cleaner(capacity: buffer.count)
            var index = 0
            while index < buffer.count { index = cleaner.step(buffer, at: index) }
            return cleaner.output
        }
        return cut(String(decoding: bytes, as: UTF8.self), to: limit)
    }

    static func cut(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        guard let end = text.index(text.startIndex, offsetBy: limit, limitedBy: text.endIndex), end < text.endIndex else {
            return text
        }
        return String(text[..<text.index(text.startIndex, offsetBy: limit - 1)]) + "…"
    }
}

/// The byte-level state machine behind `ProgramOutputText.clean`. The input is valid UTF-8, and
/// everything it removes or replaces is whole scalars, so the output is valid UTF-8 too.
private struct Cleaner {
    enum State {
        case text
        /// After ESC.
        case escape
        /// After ESC and intermediate bytes (ESC ( B): up to a final byte.
        case escapeIntermediate
        /// A control sequence (ESC [ or U+009B): parameters and intermediates up to a final byte.
        case controlSequence
        /// An OSC, DCS, APC, PM or SOS string: up to ST (ESC \ or U+009C), or BEL.
        case controlString
    }

    var output: [UInt8] = []
    var state = State.text
    /// Spaces seen since the last shown character, not written yet.
    var pendingSpaces = 0
    /// True when the pending run holds a control character: it becomes one space.
    var pendingControl = false

    init(capacity: Int) { output.reserveCapacity(capacity) }

    /// Handles the scalar or byte at `index`; returns the index to go on from.
    mutating func step(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        // An 8-bit C1 control is U+0080–U+009F, encoded C2 80…C2 9F.
        let c1: UInt8? = byte == 0xC2 && index + 1 < bytes.count && (0x80...0x9F).contains(bytes[index + 1]) ? bytes[index + 1] : nil
        let width = c1 == nil ? 1 : 2
        switch state {
        case .text:
            return text(bytes, at: index, byte: byte, c1: c1)
        case .escape:
            switch byte {
            case UInt8(ascii: "["): state = .controlSequence
            case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "_"), UInt8(ascii: "^"), UInt8(ascii: "X"): state = .controlString
            case 0x20...0x2F: state = .escapeIntermediate
            case 0x30...0x7E: state = .text
            case 0x1B: break
            default:
                state = .text
                return index // Not a sequence after all: the byte is read again as text.
            }
            return index + 1
        case .escapeIntermediate:
            switch byte {
            case 0x20...0x2F: return index + 1
            case 0x30...0x7E: state = .text; return index + 1
            default: state = .text; return index
            }
        case .controlSequence:
            switch byte {
            case 0x40...0x7E: state = .text
            case 0x20...0x3F: break
            case 0x1B: state = .escape
            case 0x18, 0x1A: state = .text; return index // CAN and SUB cancel the sequence.
            case 0x00...0x1F, 0x7F: break // Terminals act on these inside a sequence; here they go.
            default: state = .text; return index
            }
            return index + 1
        case .controlString:
            switch byte {
            case 0x07: state = .text
            case 0x1B: state = .escape // ESC \ ends the string; any other ESC ends it and starts a sequence.
            case 0x18, 0x1A: state = .text; return index
            default: if c1 == 0x9C { state = .text }
            }
            return index + width
        }
    }

    private mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, byte: UInt8, c1: UInt8?) -> Int {
        if let c1 {
            switch c1 {
            case 0x9B: state = .controlSequence
            case 0x9D, 0x90, 0x9F, 0x9E, 0x98: state = .controlString
            default: pendingControl = true
            }
            return index + 2
        }
        switch byte {
        case 0x1B:
            state = .escape
            return index + 1
        case 0x20:
            pendingSpaces += 1
            return index + 1
        case 0x00...0x1F, 0x7F:
            pendingControl = true
            return index + 1
        case 0xE2 where index + 2 < bytes.count:
            let second = bytes[index + 1], third = bytes[index + 2]
            // U+202A–U+202E (embeddings and overrides) and U+2066–U+2069 (isolates): removed.
            if second == 0x80 && (0xAA...0xAE).contains(third) || second == 0x81 && (0xA6...0xA9).contains(third) {
                return index + 3
            }
            // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: line breaks, so a space.
            if second == 0x80 && (third == 0xA8 || third == 0xA9) {
                pendingControl = true
                return index + 3
            }
        default:
            break
        }
        flushSpaces()
        output.append(byte)
        return index + 1
    }

    /// Writes the pending run before a shown character: one space for a run with a control
    /// character (none at the start), the spaces themselves otherwise.
    private mutating func flushSpaces() {
        if pendingControl {
            if !output.isEmpty { output.append(0x20) }
        } else if pendingSpaces > 0 {
            output.append(contentsOf: repeatElement(0x20, count: pendingSpaces))
        }
        pendingSpaces = 0
        pendingControl = false
    }
}
