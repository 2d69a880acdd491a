/// Writes JSON without Foundation's encoder, for the hot path of sending texts to workers.
enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal. UTF-8 passes through; quotes, backslashes and
    /// control characters are escaped.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(0x22)
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                out.append(contentsOf: bytes[runStart..<index])
                runStart = index + 1
                switch byte {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            out.append(contentsOf: bytes[runStart...])
        }
        out.append(0x22)
    }

    static func appendArray(_ texts: ArraySlice<String>, to out: inout [UInt8]) {
        out.append(0x5B)
        var first = true
        for text in texts {
            if !first { out.append(0x2C) }
            first = false
            appendString(text, to: &out)
        }
        out.append(0x5D)
    }

    /// Parses a worker's votes: one character per vote (`chr(vote + 49)`) for up to 40 classes,
    /// else "1,-1,0". Returns nil on anything else, or on a vote outside -1..<classCount.
    static func parseVotes(_ text: String, expected: Int, classCount: Int) -> [LabelMatrix.Vote]? {
        guard classCount > 40 else {
            var text = text
            return text.withUTF8 { bytes -> [LabelMatrix.Vote]? in
                guard bytes.count == expected else { return nil }
                var votes = [LabelMatrix.Vote](repeating: 0, count: expected)
                for (index, byte) in bytes.enumerated() {
                    let vote = Int(byte) - 49
                    guard vote >= -1, vote < classCount else { return nil }
                    votes[index] = LabelMatrix.Vote(vote)
                }
                return votes
            }
        }
        return parseCommaSeparated(text, expected: expected, classCount: classCount)
    }

    static func parseCommaSeparated(_ text: String, expected: Int, classCount: Int) -> [LabelMatrix.Vote]? {
        var votes: [LabelMatrix.Vote] = []
        votes.reserveCapacity(expected)
        var value = 0, negative = false, digits = 0
        var text = text
        let ok: Bool = text.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case 0x2D where digits == 0 && !negative: negative = true
                case 0x30...0x39:
                    value = value &* 10 &+ Int(byte - 0x30)
                    digits += 1
                    guard digits <= 4 else { return false }
                case 0x2C:
                    guard digits > 0, let vote = LabelMatrix.Vote(exactly: negative ? -value : value) else { return false }
                    votes.append(vote)
                    value = 0; negative = false; digits = 0
                default: return false
                }
            }
            if digits > 0 {
                guard let vote = LabelMatrix.Vote(exactly: negative ? -value : value) else { return false }
                votes.append(vote)
            }
            return true
        }
        guard ok, votes.count == expected, votes.allSatisfy({ $0 >= -1 && Int($0) < classCount }) else { return nil }
        return votes
    }
}
