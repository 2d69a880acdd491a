import Foundation

/// Rows with their votes as JSON lines, the form in which the label worker gets its partition
/// (`{"id", "text", "gold", "votes"}`) and the sample job hands its rows back
/// (`{"row", "text", "votes"}`): a chunk of rows at a time, with the votes as a matrix.
struct SparkVotedRows {
    /// A run of rows; `ids`, `rows` and `gold` hold what the lines had (else "", -1 and -1).
    struct Chunk {
        var ids: [String] = []
        var rows: [Int] = []
        var texts: [String] = []
        var gold: [LabelMatrix.Vote] = []
        var votes: LabelMatrix
    }

    private var lines: JSONLinesReader
    /// The votes each row must have: one per program.
    let programs: Int
    /// The votes must be in -1…classCount-1, and so must gold.
    let classCount: Int

    init(reader: ByteReader, programs: Int, classCount: Int) {
        lines = JSONLinesReader(reader: reader)
        self.programs = programs
        self.classCount = classCount
    }

    /// The next rows (at most `limit`), or nil at the end of the input.
    /// - Throws: `DatasetError` naming the line of a row that is not such an object.
    mutating func next(limit: Int) throws(DatasetError) -> Chunk? {
        var chunk = Chunk(votes: LabelMatrix(rows: 0, columns: programs))
        var values: [LabelMatrix.Vote] = []
        values.reserveCapacity(min(limit, 4096) * programs)
        let programs = programs, classCount = classCount
        while chunk.ids.count < limit {
            guard let row = try lines.nextObject({ (scanner, _) throws(ScanError) in
                try Self.row(&scanner, programs: programs, classCount: classCount)
            }) else { break }
            chunk.ids.append(row.id)
            chunk.rows.append(row.row)
            chunk.texts.append(row.text)
            chunk.gold.append(row.gold)
            values += row.votes
        }
        guard !chunk.ids.isEmpty else { return nil }
        chunk.votes = programs == 0 ? LabelMatrix(rows: chunk.ids.count, columns: 0) : LabelMatrix(columns: programs, values: values)
        return chunk
    }

    private static let keys = (id: Array("id".utf8), row: Array("row".utf8), text: Array("text".utf8),
                               gold: Array("gold".utf8), votes: Array("votes".utf8))

    private static func row(_ scanner: inout JSONScanner, programs: Int, classCount: Int) throws(ScanError)
        -> (id: String, row: Int, text: String, gold: LabelMatrix.Vote, votes: [LabelMatrix.Vote]) {
        var id = "", row = -1, gold: LabelMatrix.Vote = -1
        var text: String?
        var votes: [LabelMatrix.Vote]?
        func vote(_ scanner: inout JSONScanner, _ what: String) throws(ScanError) -> LabelMatrix.Vote {
            guard let value = scanner.integer(try scanner.scanNumber()), value >= -1, value < classCount else {
                throw .invalid(example: nil, "\(what) is not a class id in -1…\(classCount - 1)")
            }
            return LabelMatrix.Vote(value)
        }
        scanner.position += 1  // {
        var more = try scanner.peek() != UInt8(ascii: "}")
        if !more { scanner.position += 1 }
        while more {
            let key = try scanner.scanString()
            try scanner.expect(UInt8(ascii: ":"), "':' after a key")
            if scanner.matches(key, keys.text) {
                text = scanner.string(try scanner.scanString())
            } else if scanner.matches(key, keys.id) {
                id = scanner.string(try scanner.scanString())
            } else if scanner.matches(key, keys.row) {
                guard let value = scanner.integer(try scanner.scanNumber()), value >= 0 else { throw .invalid(example: nil, "row is not a row number") }
                row = value
            } else if scanner.matches(key, keys.gold) {
                gold = try vote(&scanner, "gold")
            } else if scanner.matches(key, keys.votes) {
                var found: [LabelMatrix.Vote] = []
                found.reserveCapacity(programs)
                try scanner.expect(UInt8(ascii: "["), "a list of votes")
                var next = try scanner.peek() != UInt8(ascii: "]")
                if !next { scanner.position += 1 }
                while next {
                    found.append(try vote(&scanner, "a vote"))
                    next = try scanner.nextMember(close: UInt8(ascii: "]"))
                }
                votes = found
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember(close: UInt8(ascii: "}"))
        }
        guard let text else { throw .invalid(example: nil, "missing string field \"text\"") }
        guard let votes, votes.count == programs else {
            throw .invalid(example: nil, "expected \"votes\", a list of \(programs) votes (one per program)")
        }
        return (id, row, text, gold, votes)
    }
}
