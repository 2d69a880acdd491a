import Foundation

/// Why scanning stopped. Offsets are indices into the scanned buffer; the reader turns them into lines.
enum ScanError: Error {
    /// The buffer ended inside the value: more input may complete it.
    case needMore
    /// Not JSON (or not the format's syntax) at the offset.
    case syntax(at: Int, String)
    /// A byte sequence that is not UTF-8 starts at the offset.
    case invalidUTF8(at: Int)
    /// Well-formed, but breaks a rule of the format; `example` names the row where the scanner knows it.
    case invalid(example: String?, String)
}

/// A string as it lies in the buffer, between its quotes.
struct JSONStringToken {
    var start: Int
    var end: Int
    var hasEscapes: Bool
    var isASCII: Bool
}

/// A number as it lies in the buffer.
struct JSONNumberToken {
    var start: Int
    var end: Int
    /// No fraction and no exponent.
    var isInteger: Bool
}

/// A small JSON scanner over raw UTF-8 bytes. It reads one value at a time from `position`; at the
/// end of the buffer it throws `.needMore`, so a streaming reader can read more and scan the
/// current entry again from its start. Strings are checked for UTF-8, escapes (with \u surrogate
/// pairs) and control characters as they are scanned.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var position: Int

    static let maximumDepth = 512

    init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) {
        self.bytes = bytes
        self.position = position
    }

    // MARK: structure

    /// Moves past spaces, tabs and line breaks.
    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next byte after whitespace, without moving past it.
    @inline(__always)
    mutating func peek() throws(ScanError) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw .needMore }
        return bytes[position]
    }

    /// True when only whitespace is left in the buffer.
    mutating func isAtEnd() -> Bool {
        skipWhitespace()
        return position >= bytes.count
    }

    /// Moves past `byte` (after whitespace), or throws naming what was expected.
    @inline(__always)
    mutating func expect(_ byte: UInt8, _ what: String) throws(ScanError) {
        guard try peek() == byte else { throw unexpected(expected: what) }
        position += 1
    }

    /// A syntax error at the current position.
    func unexpected(expected what: String) -> ScanError {
        guard position < bytes.count else { return .needMore }
        return .syntax(at: position, "expected \(what), found \(Self.describe(bytes[position]))")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x20 { return "a space" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    // MARK: strings

    /// Scans the string at the current position (after whitespace) and moves past its closing quote.
    mutating func scanString() throws(ScanError) -> JSONStringToken {
        guard try peek() == UInt8(ascii: "\"") else { throw unexpected(expected: "a string") }
        guard let base = bytes.baseAddress else { throw .needMore }
        let count = bytes.count
        let start = position + 1
        var index = start
        var hasEscapes = false
        var highBits: UInt64 = 0
        while true {
            // Eight bytes at a time until a quote, a backslash or a control character.
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let special = ((quote &- 0x0101_0101_0101_0101) & ~quote
                    | (backslash &- 0x0101_0101_0101_0101) & ~backslash
                    | (word &- 0x2020_2020_2020_2020) & ~word) & 0x8080_8080_8080_8080
                if special != 0 {
                    let skipped = special.trailingZeroBitCount >> 3
                    highBits |= word & ((1 &<< UInt64(skipped &* 8)) &- 1)
                    index += skipped
                    break
                }
                highBits |= word
                index += 8
            }
            guard index < count else { throw .needMore }
            let byte = base[index]
            switch byte {
            case UInt8(ascii: "\""):
                position = index + 1
                let token = JSONStringToken(start: start, end: index, hasEscapes: hasEscapes,
                                            isASCII: highBits & 0x8080_8080_8080_8080 == 0)
                if !token.isASCII, let bad = UTF8Check.firstInvalid(in: UnsafeBufferPointer(rebasing: bytes[start..<index])) {
                    throw .invalidUTF8(at: start + bad)
                }
                return token
            case UInt8(ascii: "\\"):
                hasEscapes = true
                guard index + 1 < count else { throw .needMore }
                switch base[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    let unit = try hex4(at: index + 2)
                    if unit >= 0xD800 && unit < 0xDC00 {
                        guard index + 8 <= count else { throw .needMore }
                        guard base[index + 6] == UInt8(ascii: "\\"), base[index + 7] == UInt8(ascii: "u") else {
                            throw .syntax(at: index, "\\u\(String(unit, radix: 16)) is half of a surrogate pair without the other half")
                        }
                        let low = try hex4(at: index + 8)
                        guard low >= 0xDC00 && low < 0xE000 else {
                            throw .syntax(at: index, "\\u\(String(unit, radix: 16)) is half of a surrogate pair without the other half")
                        }
                        index += 12
                    } else if unit >= 0xDC00 && unit < 0xE000 {
                        throw .syntax(at: index, "\\u\(String(unit, radix: 16)) is half of a surrogate pair without the other half")
                    } else {
                        index += 6
                    }
                default:
                    throw .syntax(at: index, "\\\(Self.describe(base[index + 1])) is not a JSON escape")
                }
            case 0x00..<0x20:
                throw .syntax(at: index, "a control character (\(Self.describe(byte))) inside a string must be escaped")
            default:
                highBits |= UInt64(byte)
                index += 1
            }
        }
    }

    /// The value of four hex digits at `index`.
    private func hex4(at index: Int) throws(ScanError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .needMore }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .syntax(at: index - 2, "\\u needs four hex digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The text of a scanned string (already checked: this cannot fail).
    func string(_ token: JSONStringToken) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        guard token.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: raw.count) { out in
            guard let from = raw.baseAddress, let to = out.baseAddress else { return 0 }
            var read = 0, written = 0
            while read < raw.count {
                // Copy the run up to the next backslash in one go.
                let runStart = UnsafeRawPointer(from + read)
                let run = memchr(runStart, 0x5C, raw.count - read).map { runStart.distance(to: UnsafeRawPointer($0)) } ?? raw.count - read
                memcpy(to + written, from + read, run)
                written += run
                read += run
                guard read < raw.count else { break }
                let kind = raw[read + 1]
                read += 2
                let scalar: UInt32
                switch kind {
                case UInt8(ascii: "b"): scalar = 0x08
                case UInt8(ascii: "f"): scalar = 0x0C
                case UInt8(ascii: "n"): scalar = 0x0A
                case UInt8(ascii: "r"): scalar = 0x0D
                case UInt8(ascii: "t"): scalar = 0x09
                case UInt8(ascii: "u"):
                    let unit = Self.hexValue(raw, read)
                    read += 4
                    if unit >= 0xD800 && unit < 0xDC00 {
                        let low = Self.hexValue(raw, read + 2)
                        read += 6
                        scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = unit
                    }
                default: scalar = UInt32(kind)  // \" \\ \/
                }
                written += Self.encode(scalar, into: out, at: written)
            }
            return written
        }
    }

    private static func hexValue(_ raw: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            let digit = byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func encode(_ scalar: UInt32, into out: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        switch scalar {
        case ..<0x80:
            out[index] = UInt8(scalar)
            return 1
        case ..<0x800:
            out[index] = UInt8(0xC0 | scalar >> 6)
            out[index + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case ..<0x10000:
            out[index] = UInt8(0xE0 | scalar >> 12)
            out[index + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[index + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            out[index] = UInt8(0xF0 | scalar >> 18)
            out[index + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            out[index + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            out[index + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    /// True when the scanned string is exactly `key` (given as its UTF-8 bytes).
    func matches(_ token: JSONStringToken, _ key: [UInt8]) -> Bool {
        if token.hasEscapes { return Array(string(token).utf8) == key }
        guard token.end - token.start == key.count else { return false }
        return key.withUnsafeBufferPointer { key in
            guard let keyBase = key.baseAddress, let base = bytes.baseAddress else { return key.isEmpty }
            return memcmp(base + token.start, keyBase, key.count) == 0
        }
    }

    // MARK: numbers and literals

    /// Scans the number at the current position (after whitespace) by JSON's grammar.
    mutating func scanNumber() throws(ScanError) -> JSONNumberToken {
        _ = try peek()
        let start = position
        var index = position
        func digit(_ index: Int) throws(ScanError) -> Bool {
            guard index < bytes.count else { throw .needMore }
            return bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard try digit(index) else { throw .syntax(at: index, "expected a digit") }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { while try digit(index) { index += 1 } }
        var isInteger = true
        guard index < bytes.count else { throw .needMore }
        if bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard try digit(index) else { throw .syntax(at: index, "expected a digit after the decimal point") }
            while try digit(index) { index += 1 }
        }
        if bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            guard index < bytes.count else { throw .needMore }
            if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard try digit(index) else { throw .syntax(at: index, "expected a digit in the exponent") }
            while try digit(index) { index += 1 }
        }
        position = index
        return JSONNumberToken(start: start, end: index, isInteger: isInteger)
    }

    /// The number as written.
    func text(_ token: JSONNumberToken) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
    }

    /// The number's value when it is a whole number that fits an Int (1.0 and 1e2 count).
    func integer(_ token: JSONNumberToken) -> Int? {
        if token.isInteger && token.end - token.start <= 18 {
            var index = token.start
            let negative = bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            var value = 0
            while index < token.end {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            return negative ? -value : value
        }
        guard let double = Double(text(token)) else { return nil }
        return Int(exactly: double)
    }

    /// The number as the text kept for a cell: a whole number without a fraction ("1.0" is "1"),
    /// otherwise the shortest text of its Double.
    func cellText(_ token: JSONNumberToken) -> String {
        if token.isInteger { return text(token) == "-0" ? "0" : text(token) }
        guard let double = Double(text(token)) else { return text(token) }
        if double == double.rounded(), abs(double) < 1e15 { return String(Int(double)) }
        return String(double)
    }

    enum Literal { case `true`, `false`, null }

    /// Scans true, false or null at the current position (after whitespace).
    mutating func scanLiteral() throws(ScanError) -> Literal {
        let first = try peek()
        let word: StaticString, literal: Literal
        switch first {
        case UInt8(ascii: "t"): (word, literal) = ("true", .true)
        case UInt8(ascii: "f"): (word, literal) = ("false", .false)
        case UInt8(ascii: "n"): (word, literal) = ("null", .null)
        default: throw unexpected(expected: "a value")
        }
        let length = word.utf8CodeUnitCount
        for offset in 0..<length {
            guard position + offset < bytes.count else { throw .needMore }
            guard bytes[position + offset] == word.utf8Start[offset] else {
                throw .syntax(at: position, "expected a value, found \(Self.describe(first))")
            }
        }
        position += length
        return literal
    }

    /// Moves past one value of any kind (objects and arrays with all they hold).
    mutating func skipValue(depth: Int = 0) throws(ScanError) {
        switch try peek() {
        case UInt8(ascii: "\""):
            _ = try scanString()
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { throw .syntax(at: position, "objects and arrays nest too deeply") }
            position += 1
            if try peek() == UInt8(ascii: "}") {
                position += 1
                return
            }
            while true {
                _ = try scanString()
                try expect(UInt8(ascii: ":"), "':' after a key")
                try skipValue(depth: depth + 1)
                let next = try peek()
                position += 1
                if next == UInt8(ascii: "}") { return }
                guard next == UInt8(ascii: ",") else {
                    position -= 1
                    throw unexpected(expected: "',' or '}'")
                }
            }
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { throw .syntax(at: position, "objects and arrays nest too deeply") }
            position += 1
            if try peek() == UInt8(ascii: "]") {
                position += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                let next = try peek()
                position += 1
                if next == UInt8(ascii: "]") { return }
                guard next == UInt8(ascii: ",") else {
                    position -= 1
                    throw unexpected(expected: "',' or ']'")
                }
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        default:
            _ = try scanLiteral()
        }
    }

    /// Moves past ',' and returns true, or past `close` and returns false.
    @inline(__always)
    mutating func nextMember(close: UInt8) throws(ScanError) -> Bool {
        let next = try peek()
        if next == UInt8(ascii: ",") {
            position += 1
            return true
        }
        guard next == close else { throw unexpected(expected: "',' or '\(Character(Unicode.Scalar(close)))'") }
        position += 1
        return false
    }
}
