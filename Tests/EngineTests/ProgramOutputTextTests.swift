import Engine
import Foundation
import Testing

/// Program output shown to the user is data: no escape sequence, control character or bidi
/// override of it reaches the terminal.
@Suite struct ProgramOutputTextTests {
    func clean(_ text: String, limit: Int = 300) -> String { ProgramOutputText.clean(text, limit: limit) }

    /// Nothing below U+0020, DEL, C1 or a bidi control survives.
    func isInert(_ text: String) -> Bool {
        !text.unicodeScalars.contains { scalar in
            let value = scalar.value
            return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
        }
    }

    @Test func forgedReportLinesBecomeOneLine() {
        #expect(clean("ok\n  good0: 0 errors") == "ok good0: 0 errors")
        #expect(clean("a\r\nb\tc\u{0B}d\u{0C}e") == "a b c d e")
        #expect(clean("\n\nleading and trailing\n\n") == "leading and trailing")
        #expect(clean("spaces  kept") == "spaces  kept")
        #expect(clean("line\u{2028}separator\u{2029}too") == "line separator too")
    }

    @Test func ansiColourIsRemoved() {
        #expect(clean("\u{1B}[31mred\u{1B}[0m and \u{1B}[1;38;5;196mbold\u{1B}[m") == "red and bold")
        #expect(clean("\u{1B}[2J\u{1B}[Hcleared") == "cleared")
        #expect(clean("\u{1B}[?1049hscreen") == "screen")
    }

    @Test func oscTitleAndClipboardAreRemoved() {
        #expect(clean("\u{1B}]0;owned\u{07}after") == "after")
        #expect(clean("\u{1B}]0;owned\u{1B}\\after") == "after")
        #expect(clean("copy\u{1B}]52;c;ZXZpbA==\u{07} done") == "copy done")
        #expect(clean("\u{1B}]8;;http://evil\u{1B}\\link\u{1B}]8;;\u{1B}\\") == "link")
    }

    @Test func dcsApcPmSosStringsAreRemoved() {
        for opener in ["P", "_", "^", "X"] {
            #expect(clean("a\u{1B}\(opener)payload; with stuff\u{1B}\\b") == "ab", "\(opener)")
        }
    }

    @Test func eightBitFormsAreRemoved() {
        #expect(clean("\u{9B}31mred\u{9B}0m") == "red")
        #expect(clean("\u{9D}0;owned\u{9C}after") == "after")
        #expect(clean("\u{90}qpayload\u{9C}x") == "x")
        #expect(clean("a\u{85}b\u{9C}c") == "a b c")
    }

    @Test func loneAndTwoByteEscapes() {
        #expect(clean("end\u{1B}") == "end")
        #expect(clean("end\u{1B}[") == "end")
        #expect(clean("end\u{1B}[12;") == "end")
        #expect(clean("\u{1B}creset \u{1B}7saved\u{1B}8") == "reset saved")
        #expect(clean("\u{1B}(Bcharset") == "charset")
        #expect(clean("\u{1B}\u{1B}[31mx") == "x")
        // A cancelled sequence: the text after it shows.
        #expect(clean("\u{1B}[31\u{18}shown") == "shown")
    }

    @Test func bidiOverridesAndIsolatesAreRemoved() {
        #expect(clean("safe\u{202E}txt.exe") == "safetxt.exe")
        #expect(clean("\u{2066}a\u{2067}b\u{2068}c\u{2069}\u{202A}\u{202B}\u{202C}\u{202D}") == "abc")
    }

    @Test func nulAndDelBecomeSpaces() {
        #expect(clean("a\u{0}b\u{7F}c") == "a b c")
        #expect(clean("a\u{0}\u{0}\u{7F} b") == "a b")
    }

    @Test func textStaysIntact() {
        let text = "緊急 ✅ 🚀 👩‍👩‍👧 café naïve Ünïcödé — \"quotes\" {json: [1, 2]} é\u{301}"
        #expect(clean(text) == text)
        #expect(clean("👩\u{200D}💻") == "👩\u{200D}💻")
    }

    @Test func theLimitCountsCharacters() {
        #expect(clean(String(repeating: "x", count: 300)) == String(repeating: "x", count: 300))
        let cut = clean(String(repeating: "x", count: 301))
        #expect(cut.count == 300)
        #expect(cut == String(repeating: "x", count: 299) + "…")
        #expect(clean(String(repeating: "👩‍👩‍👧", count: 20), limit: 10) == String(repeating: "👩‍👩‍👧", count: 9) + "…")
        #expect(clean("abc", limit: 0) == "")
        #expect(clean("abc", limit: 1) == "…")
        #expect(clean("\u{1B}[31mabc\u{1B}[0m", limit: 3) == "abc")
    }

    @Test func theOutputIsInertWhateverTheInput() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["\u{1B}", "[", "]", "\\", "\u{07}", "\u{9B}", "\u{9C}", "\u{9D}", "\u{90}", "\u{85}", "\n", "\r", "\u{0}",
                      "\u{7F}", "\u{202E}", "\u{2067}", "\u{2028}", "0", ";", "m", "P", "_", "(", " ", "x", "é", "緊", "🚀", "\u{18}"]
        for _ in 0..<500 {
            let text = (0..<40).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let cleaned = clean(text, limit: 10_000)
            #expect(isInert(cleaned), "\(text.debugDescription) → \(cleaned.debugDescription)")
            #expect(!cleaned.hasSuffix(" "), "\(text.debugDescription) → \(cleaned.debugDescription)")
        }
    }

    @Test func aMegabyteTakesMilliseconds() {
        let noisy = String(repeating: "err \u{1B}[31mred\u{1B}[0m\n\u{1B}]0;t\u{07}緊急🚀 ", count: 40_000)
        let unterminated = "\u{1B}]" + String(repeating: "a", count: 1_000_000)
        let digits = "\u{1B}[" + String(repeating: "1;", count: 500_000)
        let plain = String(repeating: "x", count: 1_000_000)
        for text in [noisy, unterminated, digits, plain] {
            #expect(text.utf8.count >= 1_000_000)
            let started = ContinuousClock.now
            let cleaned = ProgramOutputText.clean(text)
            let elapsed = ContinuousClock.now - started
            // Milliseconds in a release build; a generous bound for a debug build on a busy machine.
            #expect(elapsed < .milliseconds(500), "\(elapsed)")
            #expect(cleaned.count <= 300)
        }
    }
}
