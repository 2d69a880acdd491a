/// Recursive character splitting with true offsets. A document longer than `chunkSize` is cut
/// at paragraph breaks ("\n\n"); a paragraph still too long at line breaks, then at sentence
/// ends (". ", "! ", "? "), then at spaces, and a run with none of these at any character.
/// Chunks are then filled greedily: from its start a chunk reaches as far as `chunkSize`
/// allows and ends at the latest cut of the coarsest kind within reach (so a paragraph is
/// kept whole when it fits, and a chunk never stops mid-word while a space is in reach).
/// Each chunk after the first begins up to `overlap` characters before the previous one ended,
/// at the coarsest boundary found there (a character cut only when there is none). White space
/// at either end of a chunk is left out. Lengths and offsets count Swift `Character`s, so
/// `Array(text)[start..<start + Array(chunk.text).count]` is the chunk's text.
public struct TextSplitter: Sendable {
    public let chunkSize: Int
    public let overlap: Int

    /// Separators from coarsest to finest; one level may hold several.
    static let levels: [[[Character]]] = [["\n\n"], ["\n"], [". ", "! ", "? "], [" "]].map { $0.map(Array.init) }

    /// `chunkSize` is at least 1; `overlap` is kept below it (else no chunk would make progress).
    public init(chunkSize: Int = 1000, overlap: Int = 20) {
        self.chunkSize = max(1, chunkSize)
        self.overlap = max(0, min(overlap, self.chunkSize - 1))
    }

    public func split(_ document: KnowledgeDocument) -> [KnowledgeChunk] {
        let text = Array(document.text)
        var cuts: [Cut] = []
        collectCuts(text, 0..<text.count, level: 0, into: &cuts)
        cuts.append(Cut(position: text.count, level: -1))

        var chunks: [KnowledgeChunk] = []
        var start = 0
        var nextCut = 0  // index of the first cut after the previous chunk's end
        while true {
            while start < text.count && text[start].isWhitespace { start += 1 }
            guard start < text.count else { break }
            let reach = start + chunkSize
            let end: Int
            if text.count <= reach {
                end = text.count
            } else {
                // The latest cut of the coarsest level in (start, reach] after the previous chunk's end.
                var best: Cut?
                var k = nextCut
                while k < cuts.count && cuts[k].position <= reach {
                    if cuts[k].position > start, best.map({ cuts[k].level <= $0.level }) ?? true { best = cuts[k] }
                    k += 1
                }
                end = best?.position ?? reach
            }
            var last = end
            while last > start && text[last - 1].isWhitespace { last -= 1 }
            chunks.append(KnowledgeChunk(source: document.source, title: document.title, index: chunks.count,
                                         start: start, text: String(text[start..<last])))
            guard end < text.count else { break }
            while nextCut < cuts.count && cuts[nextCut].position <= end { nextCut += 1 }
            start = overlapStart(text, chunkStart: start, end: end, nextCut: cuts[nextCut].position)
        }
        return chunks
    }

    struct Cut {
        var position: Int
        /// Index into `levels`; -1 for the end of the text.
        var level: Int
    }

    /// Positions where a piece may end, in order: after each separator of the coarsest level found in
    /// `range`, then, within any piece still longer than `chunkSize`, the next levels down.
    func collectCuts(_ text: [Character], _ range: Range<Int>, level: Int, into cuts: inout [Cut]) {
        guard range.count > chunkSize else { return }
        for depth in level..<Self.levels.count {
            let positions = separatorEnds(text, range, Self.levels[depth])
            guard !positions.isEmpty else { continue }
            var pieceStart = range.lowerBound
            for position in positions + [range.upperBound] {
                collectCuts(text, pieceStart..<position, level: depth + 1, into: &cuts)
                if position < range.upperBound { cuts.append(Cut(position: position, level: depth)) }
                pieceStart = position
            }
            return
        }
        // No separator at all: characters are the last level, cut anywhere (see `split`).
    }

    /// Ends of the non-overlapping occurrences of any of `separators` inside `range`, excluding its end.
    func separatorEnds(_ text: [Character], _ range: Range<Int>, _ separators: [[Character]]) -> [Int] {
        var ends: [Int] = []
        var i = range.lowerBound
        scan: while i < range.upperBound {
            for separator in separators where Self.matches(text, at: i, separator, limit: range.upperBound) {
                i += separator.count
                if i < range.upperBound { ends.append(i) }
                continue scan
            }
            i += 1
        }
        return ends
    }

    static func matches(_ text: [Character], at index: Int, _ separator: [Character], limit: Int) -> Bool {
        guard index + separator.count <= limit else { return false }
        for k in 0..<separator.count where text[index + k] != separator[k] { return false }
        return true
    }

    /// Where the chunk after [chunkStart, end) begins: no earlier than `overlap` characters before
    /// `end`, late enough that the next cut is still within `chunkSize`, after the start of the
    /// previous chunk; at the coarsest separator boundary in that window, the earliest one of that
    /// level (the most overlap), with text after it. Without one, a character cut at the earliest
    /// position; without room, `end` (no overlap).
    func overlapStart(_ text: [Character], chunkStart: Int, end: Int, nextCut: Int) -> Int {
        var earliest = max(end - overlap, chunkStart + 1)
        if nextCut - end <= chunkSize { earliest = max(earliest, nextCut - chunkSize) }
        guard earliest < end else { return end }
        var lastText = end - 1
        while lastText >= earliest && text[lastText].isWhitespace { lastText -= 1 }
        let hasText = { (from: Int) in from <= lastText }
        for separators in Self.levels {
            for position in earliest..<end where position > 0 {
                let after = separators.contains { separator in
                    position >= separator.count && Self.matches(text, at: position - separator.count, separator, limit: position)
                }
                if after && hasText(position) { return position }
            }
        }
        return hasText(earliest) ? earliest : end
    }
}
