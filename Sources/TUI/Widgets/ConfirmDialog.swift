extension Action {
    static let dialogConfirm = Action("dialogConfirm")
    static let dialogCancel = Action("dialogCancel")
}

extension BindingScope {
    /// A yes/no question over a screen: it takes every key until answered.
    public static let confirmDialog = BindingScope("confirm dialog")
}

/// A centred yes/no box: "y confirm / n or esc cancel". Its keys are the `confirmDialog` bindings.
public struct ConfirmDialog: Sendable, Equatable {
    public var title: String
    public var message: String

    public init(title: String, message: String) {
        self.title = title
        self.message = message
    }

    public enum Answer: Sendable, Equatable { case confirmed, cancelled }

    /// The answer a key gives; nil for any other key (the dialog stays open).
    public func answer(for key: Key) -> Answer? {
        switch KeyBindings.action(for: key, in: .confirmDialog) {
        case .dialogConfirm: return .confirmed
        case .dialogCancel: return .cancelled
        default: return nil
        }
    }

    /// The message wrapped into at most `width` columns per line.
    func lines(width: Int) -> [String] {
        WrappedText.wrap(message, width: width)
    }

    /// Draws the box centred in `area`, over whatever is there.
    public func draw(into buffer: inout CellBuffer, in area: Rect) {
        let footer = "y confirm · n or esc cancel"
        let widest = max(DisplayWidth.of(title) + 4, DisplayWidth.of(footer), DisplayWidth.of(message))
        let width = min(area.width - 2, max(30, min(64, widest + 4)))
        guard width >= 10 else { return }
        let body = lines(width: width - 4)
        let height = min(area.height, body.count + 4)
        guard height >= 4 else { return }
        let rect = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: title, style: Style(.warning, bold: true))
        let inner = rect.inset(1)
        for (index, line) in body.prefix(inner.height - 2).enumerated() {
            buffer.put(line, x: inner.x + 1, y: inner.y + index, role: .text, maxWidth: inner.width - 2)
        }
        let footerX = inner.x + max(0, (inner.width - DisplayWidth.of(footer)) / 2)
        buffer.put(footer, x: footerX, y: inner.maxY - 1, role: .muted, maxWidth: inner.maxX - footerX)
    }
}
