/// What a cell means, not its colour: a theme maps each role to a colour (themes/*.json).
public enum StyleRole: String, Sendable, CaseIterable, Hashable {
    case text, muted, accent, border, borderFocused, selection, success, warning, error, cost
    case codeKeyword = "code.keyword"
    case codeString = "code.string"
    case codeComment = "code.comment"
    case codeNumber = "code.number"
}

/// A role plus the attributes that still show on a monochrome terminal.
public struct Style: Sendable, Hashable {
    public var role: StyleRole
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ role: StyleRole = .text, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()
}

/// One screen cell: a grapheme and its display width. A wide glyph takes its cell (width 2) and the
/// cell to its right, a continuation cell (empty text, width 0).
public struct Cell: Sendable, Hashable {
    public var text: String
    public var width: Int
    public var style: Style

    public init(_ text: String, width: Int, style: Style = .plain) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell(" ", width: 1)
    public var isContinuation: Bool { width == 0 }
}
