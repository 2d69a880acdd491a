import Foundation
import Testing
@testable import TUI

@Suite struct TextFieldTests {
    @Test func editingKeysInsertDeleteAndMoveTheCursor() {
        var field = TextField()
        for character in "helo" { #expect(field.handle(.char(character)) == .edited) }
        #expect(field.text == "helo" && field.cursor == 4)
        field.handle(.left)
        field.handle(.char("l"))
        #expect(field.text == "hello" && field.cursor == 4)
        field.handle(.home)
        #expect(field.handle(.backspace) == .moved)
        #expect(field.handle(.char("\u{04}")) == .edited)  // ctrl-d deletes under the cursor
        #expect(field.text == "ello" && field.cursor == 0)
        field.handle(.end)
        #expect(field.handle(.char("\u{04}")) == .moved)
        field.handle(.backspace)
        #expect(field.text == "ell" && field.cursor == 3)
        field.handle(.right)
        #expect(field.cursor == 3)
        field.handle(.char("\u{01}"))  // ctrl-a
        #expect(field.cursor == 0)
        field.handle(.char("\u{05}"))  // ctrl-e
        #expect(field.cursor == 3)
        // Keys that are not editing are the owner's; control characters are not text.
        for key in [Key.enter, .escape, .up, .down, .tab, .char("\u{02}")] { #expect(field.handle(key) == .ignored) }
        #expect(field.text == "ell")
        // Graphemes, not bytes or scalars.
        field.insert("漢é")
        field.handle(.backspace)
        #expect(field.text == "ell漢" && field.cursor == 4)
        field.clear()
        #expect(field.text.isEmpty && field.cursor == 0)
    }

    @Test func theCursorStaysInViewAndIsReversed() {
        var field = TextField("abcdefghij")
        var buffer = CellBuffer(width: 8, height: 1)
        field.draw(into: &buffer, in: buffer.area, prompt: "/")
        // Prompt, then the end of the text and the cursor cell.
        #expect(buffer.row(0) == "/efghij ")
        #expect(buffer[0, 0].style.role == .accent)
        field.handle(.home)
        buffer = CellBuffer(width: 8, height: 1)
        field.draw(into: &buffer, in: buffer.area, prompt: "/")
        #expect(buffer.row(0) == "/abcdefg")
        #expect(buffer[1, 0].style.reverse && !buffer[2, 0].style.reverse)
    }
}

@Suite struct ConfirmDialogTests {
    @Test func yConfirmsNAndEscCancelAndOtherKeysWait() {
        let dialog = ConfirmDialog(title: "Delete?", message: "Really?")
        #expect(dialog.answer(for: .char("y")) == .confirmed)
        #expect(dialog.answer(for: .char("n")) == .cancelled)
        #expect(dialog.answer(for: .escape) == .cancelled)
        #expect(dialog.answer(for: .char("q")) == nil)
        #expect(dialog.answer(for: .enter) == nil)
        var buffer = CellBuffer(width: 50, height: 10)
        dialog.draw(into: &buffer, in: buffer.area)
        let rows = (0..<10).filter { buffer.row($0).contains("Really?") }
        #expect(rows.count == 1)
        #expect(buffer.text.contains("┌ Delete? "))
        #expect(buffer.text.contains("y confirm · n or esc cancel"))
    }
}

@Suite struct PythonHighlighterTests {
    /// The role of the first cell of `needle` on the rendered line that has it.
    func role(of needle: String, in buffer: CellBuffer) -> StyleRole? {
        for y in 0..<buffer.height {
            let row = buffer.row(y)
            guard let range = row.range(of: needle) else { continue }
            let column = DisplayWidth.of(String(row[row.startIndex..<range.lowerBound]))
            return buffer[column, y].style.role
        }
        return nil
    }

    @Test func keywordsStringsCommentsAndNumbersGetTheirRoles() {
        let source = """
            import re  # a comment with "quotes" and 42
            PATTERN = re.compile(r"\\d+ 'x' # not a comment")
            def label_function(text):
                \"\"\"Docstring over
                two lines with if and 7.\"\"\"
                if len(text) > 0x1F and text != 'a\\'b' or 1.5e-3:
                    return 1
                return None
            """
        let view = CodeView(source: source)
        var buffer = CellBuffer(width: 70, height: 8)
        view.draw(into: &buffer, in: buffer.area)
        #expect(role(of: "import", in: buffer) == .codeKeyword)
        #expect(role(of: "re  #", in: buffer) == .text)
        #expect(role(of: "# a comment", in: buffer) == .codeComment)
        #expect(role(of: "42", in: buffer) == .codeComment)
        #expect(role(of: "r\"\\d+", in: buffer) == .codeString)
        #expect(role(of: "# not a comment", in: buffer) == .codeString)
        #expect(role(of: "def", in: buffer) == .codeKeyword)
        #expect(role(of: "label_function", in: buffer) == .text)
        #expect(role(of: "two lines with if", in: buffer) == .codeString)
        #expect(role(of: "0x1F", in: buffer) == .codeNumber)
        #expect(role(of: "'a\\'b'", in: buffer) == .codeString)
        #expect(role(of: " or", in: buffer) == .text)
        #expect(role(of: "or 1", in: buffer) == .codeKeyword)
        #expect(role(of: "1.5e-3", in: buffer) == .codeNumber)
        #expect(role(of: "return 1", in: buffer) == .codeKeyword)
        #expect(role(of: "None", in: buffer) == .codeKeyword)
        // Line numbers are muted.
        #expect(buffer.row(0).hasPrefix("1 import"))
        #expect(buffer[0, 0].style.role == .muted)
    }

    @Test func spansCoverEachLineExactly() {
        let source = "x = 'unterminated\ny = 2 # c\n\"\"\"open\nstill\"\"\" + 3"
        let lines = PythonHighlighter.highlight(source)
        #expect(lines.map { $0.map(\.text).joined() } == source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        // A one-quote string ends with its line; a triple-quoted one runs on.
        #expect(lines[1].first == PythonHighlighter.Span("y = ", .text))
        #expect(lines[3].first == PythonHighlighter.Span("still\"\"\"", .codeString))
        #expect(lines[3].last == PythonHighlighter.Span("3", .codeNumber))
    }

    @Test func longLinesWrapUnderABlankGutterAndRowsKeepTheirWidth() {
        var buffer = CellBuffer(width: 20, height: 5)
        CodeView(source: "print('a very long line of code')\nx = 漢字漢字漢字漢字漢字漢字").draw(into: &buffer, in: buffer.area)
        #expect(buffer.row(0) == "1 print('a very long")
        #expect(buffer.row(1) == "   line of code')   ")
        #expect(buffer.row(2).hasPrefix("2 x = 漢字"))
        #expect(buffer.text.replacingOccurrences(of: "\n", with: "").filter { $0 == "漢" }.count == 6)  // nothing cut
        // The continuation keeps the string's role.
        #expect(buffer[3, 1].style.role == .codeString)
        for y in 0..<5 { #expect(DisplayWidth.of(buffer.row(y)) == 20) }
    }
}

@Suite struct TreeViewTests {
    @Test func selectionScrollsIntoViewAndStaysWhereItWas() {
        let leaves = (1...30).map { TreeNode(id: "leaf\($0)", label: "leaf \($0)", info: "\($0)") }
        var view = TreeView(roots: [TreeNode(id: "root", label: "root", children: leaves)], expanded: ["root"])
        view.pageHeight = 5
        #expect(view.selected == "root")
        view.move(by: 7)
        #expect(view.selected == "leaf7")
        var buffer = CellBuffer(width: 20, height: 5)
        view.draw(into: &buffer, in: buffer.area)
        #expect(buffer.row(4).hasPrefix("    leaf 7"))
        #expect(buffer.row(4).hasSuffix(" 7"))
        // Moving up inside the page does not scroll.
        view.move(by: -2)
        buffer = CellBuffer(width: 20, height: 5)
        view.draw(into: &buffer, in: buffer.area)
        #expect(buffer.row(0).hasPrefix("    leaf 3"))
        #expect(buffer[0, 2].style.reverse)
        view.collapseOrLeave()
        #expect(view.selected == "root")
        view.toggle()
        #expect(view.rows.count == 1)
    }
}
