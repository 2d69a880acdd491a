import Engine
import Foundation

/// What every screen shares: the title bar, the status line, the help bar, the `?` overlay, the
/// text editor overlay, the too-small message (dollar amounts come from Engine's `Money`).
public enum Chrome {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    static func drawTitle(_ left: String, right: String, into buffer: inout CellBuffer, in rect: Rect) {
        buffer.fill(rect, style: Style(.accent, reverse: true))
        buffer.put(left, x: rect.x, y: rect.y, style: Style(.accent, bold: true, reverse: true), maxWidth: rect.width)
        let x = rect.maxX - DisplayWidth.of(right)
        if x > rect.x + DisplayWidth.of(left) + 2 { buffer.put(right, x: x, y: rect.y, style: Style(.accent, reverse: true)) }
    }

    static func drawStatus(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
        var x = rect.x + 1
        if let warning = state.sandboxWarning {
            let text = "⚠ \(warning) · "
            buffer.put(text, x: x, y: rect.y, role: .warning, bold: true, maxWidth: rect.width - 2)
            x += DisplayWidth.of(text)
        }
        guard x < rect.maxX - 1 else { return }
        buffer.put(state.status, x: x, y: rect.y, role: state.statusIsError ? .error : .muted, bold: state.statusIsError,
                   maxWidth: rect.maxX - 1 - x)
    }

    /// The help bar of the screen in front; a key that cannot be used now is dimmed, with its reason.
    /// (An overlay's bar is drawn over it by `AppView`.)
    static func drawHelpBar(_ state: AppState, into buffer: inout CellBuffer, in rect: Rect) {
        drawHelpBar(state.scope, disabled: state.disabledReasons, into: &buffer, in: rect)
    }

    static func drawHelpBar(_ scope: BindingScope, disabled: [Action: String] = [:], withGlobal: Bool = true,
                            into buffer: inout CellBuffer, in rect: Rect) {
        var x = rect.x + 1
        // Keys keep their places whether usable or not, so the eye finds them where they were.
        for (index, item) in KeyBindings.helpBarItems(for: scope, disabled: disabled, withGlobal: withGlobal).enumerated() {
            let text = (index > 0 ? "  " : "") + item.label
            guard x < rect.maxX - 1 else { break }
            buffer.put(text, x: x, y: rect.y, role: item.disabledReason == nil ? .muted : .border, maxWidth: rect.maxX - 1 - x)
            x += DisplayWidth.of(text)
        }
    }

    /// The message shown instead of a screen below the minimum size.
    static func drawTooSmall(into buffer: inout CellBuffer, in area: Rect) {
        let message = "terminal too small: \(area.width)×\(area.height), need \(minimumWidth)×\(minimumHeight)"
        let x = max(0, (area.width - DisplayWidth.of(message)) / 2)
        buffer.put(message, x: x, y: area.height / 2, role: .warning, bold: true, maxWidth: area.width - x)
    }

    /// The `?` overlay: the bindings of the current scope, then the global ones.
    static func drawHelp(_ scope: BindingScope, into buffer: inout CellBuffer, in area: Rect) {
        let bindings = KeyBindings.all.filter { $0.scope == scope } + KeyBindings.all.filter { $0.scope == .global }
        let lines = bindings.map { "\(DisplayWidth.pad($0.keyLabel, to: 14)) \($0.longHelp)" }
        let width = min(area.width - 4, (lines.map(DisplayWidth.of).max() ?? 20) + 4)
        let height = min(area.height - 2, lines.count + 2)
        let rect = Rect(x: (area.width - width) / 2, y: (area.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: "Keys: \(scope.rawValue) — esc closes", style: Style(.borderFocused, bold: true))
        let inner = rect.inset(1)
        for (index, line) in lines.prefix(inner.height).enumerated() {
            buffer.put(line, x: inner.x + 1, y: inner.y + index, role: .text, maxWidth: inner.width - 2)
        }
    }

    /// The text editor overlay over the middle of the screen.
    static func drawEditor(_ target: EditedText, _ editor: inout TextEditor, into buffer: inout CellBuffer, in area: Rect) {
        let oneLine = target.isOneLine
        let width = min(area.width - 4, 100)
        let height = oneLine ? 5 : min(area.height - 4, 14)
        let rect = Rect(x: (area.width - width) / 2, y: (area.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: target.title, style: Style(.borderFocused, bold: true))
        let inner = rect.inset(1)
        let text = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height - 1)
        editor.draw(into: &buffer, in: text)
        let help = (oneLine ? "enter/" : "") + KeyBindings.helpBar(for: .editor, bindings: KeyBindings.editor)
        buffer.put(help, x: inner.x + 1, y: inner.maxY - 1, role: .muted, maxWidth: inner.width - 2)
    }
}
