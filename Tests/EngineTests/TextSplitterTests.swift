import Engine
import Foundation
import Testing

@Suite struct TextSplitterTests {
    static func document(_ text: String) -> KnowledgeDocument {
        KnowledgeDocument(source: "doc.txt", title: "Doc", text: text)
    }

    /// The invariants every split must keep, whatever the text.
    static func checkInvariants(_ chunks: [KnowledgeChunk], of text: String, chunkSize: Int, overlap: Int,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let characters = Array(text)
        var covered = [Bool](repeating: false, count: characters.count)
        for (index, chunk) in chunks.enumerated() {
            let piece = Array(chunk.text)
            #expect(chunk.index == index, sourceLocation: sourceLocation)
            #expect(!piece.isEmpty, "empty chunk \(index)", sourceLocation: sourceLocation)
            #expect(piece.count <= chunkSize, "chunk \(index) has \(piece.count) characters", sourceLocation: sourceLocation)
            #expect(piece.first?.isWhitespace == false && piece.last?.isWhitespace == false, sourceLocation: sourceLocation)
            #expect(chunk.start >= 0 && chunk.start + piece.count <= characters.count, sourceLocation: sourceLocation)
            guard chunk.start >= 0, chunk.start + piece.count <= characters.count else { continue }
            #expect(Array(characters[chunk.start..<chunk.start + piece.count]) == piece,
                    "chunk \(index) is not the document's text at \(chunk.start)", sourceLocation: sourceLocation)
            for offset in chunk.start..<chunk.start + piece.count { covered[offset] = true }
            if index > 0 {
                let previous = chunks[index - 1]
                let previousEnd = previous.start + previous.text.count
                #expect(chunk.start > previous.start, sourceLocation: sourceLocation)
                #expect(previousEnd - chunk.start <= overlap, "chunks \(index - 1) and \(index) overlap by \(previousEnd - chunk.start)",
                        sourceLocation: sourceLocation)
            }
        }
        // Nothing but white space is ever left out.
        for (offset, character) in characters.enumerated() where !covered[offset] {
            #expect(character.isWhitespace, "character \(offset) (\(character)) is in no chunk", sourceLocation: sourceLocation)
        }
    }

    /// What follows the end of `chunk` in the document, up to `count` characters.
    static func after(_ chunk: KnowledgeChunk, in text: String, count: Int = 2) -> String {
        let characters = Array(text)
        let end = chunk.start + chunk.text.count
        return String(characters[end..<min(characters.count, end + count)])
    }

    @Test func shortDocumentIsOneTrimmedChunk() {
        let chunks = TextSplitter().split(Self.document("  \n hello world \n\n"))
        #expect(chunks == [KnowledgeChunk(source: "doc.txt", title: "Doc", index: 0, start: 4, text: "hello world")])
        #expect(TextSplitter().split(Self.document("")).isEmpty)
        #expect(TextSplitter().split(Self.document(" \n\n\t ")).isEmpty)
    }

    @Test func paragraphsAreKeptWholeWhenTheyFit() {
        let paragraphs = (1...12).map { "Paragraph \($0) says a few words. It has two sentences." }
        let text = paragraphs.joined(separator: "\n\n")
        let chunks = TextSplitter(chunkSize: 130, overlap: 0).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 130, overlap: 0)
        #expect(chunks.count == 6)  // two paragraphs (2 × 55 + 2 characters) fit, three do not
        for chunk in chunks {
            #expect(chunk.text.hasPrefix("Paragraph "))
            #expect(chunk.text.hasSuffix("two sentences."))
            #expect(["", "\n\n"].contains(Self.after(chunk, in: text)))
        }
    }

    @Test func longParagraphIsCutAtLineBreaks() {
        let text = (1...20).map { "line \($0) of a poem with words" }.joined(separator: "\n")
        let chunks = TextSplitter(chunkSize: 100, overlap: 0).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 100, overlap: 0)
        #expect(chunks.count > 1)
        for chunk in chunks {
            #expect(chunk.text.hasPrefix("line ") && chunk.text.hasSuffix(" with words"))
            #expect(["", "\n"].contains(Self.after(chunk, in: text, count: 1)))
        }
    }

    @Test func longLineIsCutAtSentenceEnds() {
        let sentences = ["First things come first. ", "Is this the second one? ", "Yes it is! ", "Then a fourth sentence follows. "]
        let text = String(repeating: sentences.joined(), count: 6)
        let chunks = TextSplitter(chunkSize: 90, overlap: 0).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 90, overlap: 0)
        for chunk in chunks {
            #expect([".", "?", "!"].contains(chunk.text.last.map(String.init) ?? ""), "\(chunk.text)")
            #expect(chunk.text.first?.isUppercase == true, "\(chunk.text)")
        }
    }

    @Test func longSentenceIsCutAtSpacesAndAWordWithoutThemAtCharacters() {
        let words = (0..<60).map { ["alpha", "beta", "gamma", "delta", "epsilon"][$0 % 5] }
        let text = words.joined(separator: " ")
        let chunks = TextSplitter(chunkSize: 40, overlap: 0).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 40, overlap: 0)
        let characters = Array(text)
        for chunk in chunks {
            #expect(chunk.start == 0 || characters[chunk.start - 1] == " ")
            #expect(["", " "].contains(Self.after(chunk, in: text, count: 1)))
        }
        let word = String(repeating: "x", count: 250)
        let pieces = TextSplitter(chunkSize: 100, overlap: 0).split(Self.document(word))
        #expect(pieces.map(\.start) == [0, 100, 200])
        #expect(pieces.map { $0.text.count } == [100, 100, 50])
    }

    @Test func aCoarserBreakWinsOverALaterFinerOne() {
        // A short paragraph, then one too long for a chunk: the first chunk is the short paragraph
        // alone, not the short paragraph plus the start of the long one.
        let long = String(repeating: "The long paragraph goes on. ", count: 10)
        let text = "Short opening.\n\n" + long
        let chunks = TextSplitter(chunkSize: 100, overlap: 0).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 100, overlap: 0)
        #expect(chunks.first?.text == "Short opening.")
        #expect(chunks.dropFirst().allSatisfy { $0.text.hasPrefix("The long") && $0.text.hasSuffix("goes on.") })
    }

    @Test func overlapStartsOnAWordAndStaysWithinTheLimit() {
        let text = (0..<80).map { "word\($0)" }.joined(separator: " ")
        let characters = Array(text)
        let chunks = TextSplitter(chunkSize: 60, overlap: 15).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 60, overlap: 15)
        #expect(chunks.count > 5)
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            let shared = previous.start + previous.text.count - next.start
            #expect(shared > 0 && shared <= 15, "overlap \(shared)")
            #expect(characters[next.start - 1] == " ", "chunk \(next.index) starts mid-word")
            #expect(previous.text.hasSuffix(String(characters[next.start..<(previous.start + previous.text.count)])))
        }
    }

    @Test func overlapPrefersASentenceStartToAWord() {
        let text = String(repeating: "One two three four five six. Seven eight nine. ", count: 8)
        let chunks = TextSplitter(chunkSize: 80, overlap: 30).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 80, overlap: 30)
        for chunk in chunks.dropFirst() {
            #expect(chunk.text.hasPrefix("Seven") || chunk.text.hasPrefix("One"), "\(chunk.text)")
        }
    }

    @Test func unbrokenTextOverlapsByCharacters() {
        let text = String(repeating: "abcdefghij", count: 30)
        let chunks = TextSplitter(chunkSize: 100, overlap: 10).split(Self.document(text))
        Self.checkInvariants(chunks, of: text, chunkSize: 100, overlap: 10)
        #expect(chunks.map(\.start) == [0, 90, 180, 270])
    }

    @Test func withoutOverlapChunksDoNotShareText() {
        let text = (0..<200).map { "w\($0)" }.joined(separator: " ")
        let chunks = TextSplitter(chunkSize: 50, overlap: 0).split(Self.document(text))
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.start >= previous.start + previous.text.count)
        }
    }

    @Test func unicodeIsCountedInCharacters() {
        // A family emoji, a flag and an accent made of two scalars are one Character each.
        let text = String(repeating: "日本語の文。 👨‍👩‍👧 🇫🇷 café e\u{301}té ", count: 40)
        for (size, overlap) in [(25, 5), (7, 3), (100, 20)] {
            let chunks = TextSplitter(chunkSize: size, overlap: overlap).split(Self.document(text))
            Self.checkInvariants(chunks, of: text, chunkSize: size, overlap: overlap)
        }
    }

    @Test func randomTextsKeepTheInvariants() {
        let alphabet: [String] = ["a", "b", "c", "word", "Zeta", " ", " ", " ", "\n", "\n\n", ". ", "! ", "? ", ".", "\t",
                                  "é", "日本", "👍🏽", "e\u{301}", "\r\n", "  "]
        var random = SplitMix64(seed: 42)
        for round in 0..<400 {
            let length = Int.random(in: 0...400, using: &random)
            let text = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }.joined()
            let size = Int.random(in: 1...80, using: &random)
            let overlap = Int.random(in: 0...30, using: &random)
            let splitter = TextSplitter(chunkSize: size, overlap: overlap)
            let chunks = splitter.split(Self.document(text))
            Self.checkInvariants(chunks, of: text, chunkSize: size, overlap: splitter.overlap)
            #expect(splitter.split(Self.document(text)) == chunks, "round \(round) is not deterministic")
        }
    }

    @Test func overlapIsKeptBelowTheChunkSize() {
        #expect(TextSplitter(chunkSize: 10, overlap: 50).overlap == 9)
        #expect(TextSplitter(chunkSize: 0, overlap: 5).chunkSize == 1)
        #expect(TextSplitter(chunkSize: 0, overlap: 5).overlap == 0)
        let chunks = TextSplitter(chunkSize: 1, overlap: 5).split(Self.document("ab c"))
        #expect(chunks.map(\.text) == ["a", "b", "c"])
    }

    @Test func chunksRoundTripThroughJSON() throws {
        let chunk = KnowledgeChunk(source: "a.csv#row 2", title: nil, index: 3, start: 17, text: "name: Ada")
        let decoded = try JSONDecoder().decode(KnowledgeChunk.self, from: JSONEncoder().encode(chunk))
        #expect(decoded == chunk)
    }
}
