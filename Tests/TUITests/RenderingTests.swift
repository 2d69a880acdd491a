import Testing
@testable import TUI

@Suite struct DisplayWidthTests {
    @Test func asciiIsOneColumnEach() {
        #expect(DisplayWidth.of("hello") == 5)
    }

    @Test func eastAsianWideCharactersTakeTwoColumns() {
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("한국") == 4)
        #expect(DisplayWidth.of("ｆｕｌｌ") == 8)
    }

    @Test func emojiTakeTwoColumns() {
        #expect(DisplayWidth.of("🙂") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)  // with a skin-tone modifier: one grapheme
        #expect(DisplayWidth.of("👩‍💻") == 2)  // a ZWJ sequence
        #expect(DisplayWidth.of("❤️") == 2)   // text symbol + VS16
    }

    @Test func combiningMarksTakeNoColumn() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("\u{301}") == 0)
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
    }

    @Test func truncationEndsWithEllipsisAndRespectsWideCharacters() {
        #expect(DisplayWidth.truncate("hello world", to: 6) == "hello…")
        #expect(DisplayWidth.truncate("hello", to: 5) == "hello")
        #expect(DisplayWidth.truncate("日本語テキスト", to: 6) == "日本…")  // 4 + 1 columns, a third wide glyph would not fit
        #expect(DisplayWidth.of(DisplayWidth.truncate("日本語テキスト", to: 6)) <= 6)
        #expect(DisplayWidth.truncate("abc", to: 0) == "")
        #expect(DisplayWidth.pad("ab", to: 4) == "ab  ")
    }
}

@Suite struct CellBufferTests {
    @Test func putClipsAtTheRightEdgeAndOutsideRows() {
        var buffer = CellBuffer(width: 5, height: 2)
        let end = buffer.put("abcdefg", x: 2, y: 0)
        #expect(buffer.row(0) == "  abc")
        #expect(end == 5)
        buffer.put("zz", x: -1, y: 1)
        #expect(buffer.row(1) == "z    ")
        buffer.put("ignored", x: 0, y: 7)
        #expect(buffer.text == "  abc\nz    ")
    }

    @Test func wideCharactersTakeTwoCells() {
        var buffer = CellBuffer(width: 6, height: 1)
        buffer.put("日本x", x: 0, y: 0, role: .accent)
        #expect(buffer[0, 0].text == "日")
        #expect(buffer[0, 0].width == 2)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer[2, 0].text == "本")
        #expect(buffer[4, 0].text == "x")
        #expect(buffer.row(0) == "日本x ")
        #expect(buffer[1, 0].style.role == .accent)
    }

    @Test func aWideGlyphThatWouldStraddleTheEdgeIsLeftOut() {
        var buffer = CellBuffer(width: 3, height: 1)
        buffer.put("a日本", x: 0, y: 0)
        #expect(buffer.row(0) == "a日")
        var narrow = CellBuffer(width: 2, height: 1)
        narrow.put("a日", x: 0, y: 0)
        #expect(narrow.row(0) == "a ")
    }

    @Test func overwritingHalfAWideGlyphBlanksTheOtherHalf() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("日本", x: 0, y: 0)
        buffer.put("x", x: 1, y: 0)  // the continuation of 日
        #expect(buffer.row(0) == " x本")
        buffer.put("y", x: 2, y: 0)  // the lead of 本
        #expect(buffer.row(0) == " xy ")
        #expect(buffer[3, 0].width == 1)
    }

    @Test func maxWidthTruncatesWithEllipsis() {
        var buffer = CellBuffer(width: 20, height: 1)
        let end = buffer.put("a long dataset name", x: 1, y: 0, role: .text, maxWidth: 8)
        #expect(buffer.row(0).hasPrefix(" a long …"))
        #expect(end == 9)
    }

    @Test func combiningMarksStayInTheirCell() {
        var buffer = CellBuffer(width: 4, height: 1)
        buffer.put("e\u{301}x", x: 0, y: 0)
        #expect(buffer[0, 0].text == "e\u{301}")
        #expect(buffer[1, 0].text == "x")
    }
}

@Suite struct RectTests {
    @Test func splitsHonourFixedPercentAndFill() {
        let rect = Rect(x: 0, y: 0, width: 100, height: 10)
        let parts = rect.split(.horizontal, [.fixed(10), .percent(30), .fill, .fill])
        #expect(parts.map(\.width) == [10, 30, 30, 30])
        #expect(parts.map(\.x) == [0, 10, 40, 70])
        let odd = Rect(x: 2, y: 3, width: 5, height: 11).split(.vertical, [.fixed(2), .fill, .fill])
        #expect(odd.map(\.height) == [2, 4, 5])
        #expect(odd.map(\.y) == [3, 5, 9])
    }

    @Test func fixedPartsAreClippedToTheSpaceThere() {
        let parts = Rect(x: 0, y: 0, width: 10, height: 1).split(.horizontal, [.fixed(8), .fixed(8), .fill])
        #expect(parts.map(\.width) == [8, 2, 0])
    }
}
