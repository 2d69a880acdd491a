import Foundation

/// How the settings screen is laid out: title, theme list beside the preview, the keys/models/folders
/// box (scrolled with pgup/pgdn when short of rows), status and help bar.
extension SettingsView {
    /// A run of text in one style; a line's `shrinks` segment is cut first when the line is too long.
    struct Segment {
        var text: String
        var style: Style
        var shrinks = false
    }

    /// Rows the theme list and the preview keep at least, borders included.
    static let minimumTopHeight = 6

    public func draw(into buffer: inout CellBuffer, in area: Rect) {
        let lines = infoLines()
        let infoHeight = max(3, min(lines.count + 2, area.height - 3 - Self.minimumTopHeight))
        let parts = area.split(.vertical, [.fixed(1), .fill, .fixed(infoHeight), .fixed(1), .fixed(1)])
        let colours = policy.forcesMonochrome ? " (no colour)" : ""
        Chrome.drawTitle(" Alchemist · settings", right: "theme: \(shown.name)\(colours) ", into: &buffer, in: parts[0])
        let top = parts[1].split(.horizontal, [.fixed(max(22, min(34, area.width * 35 / 100))), .fill])
        themePane().draw(into: &buffer, in: top[0])
        buffer.box(top[1], title: "Preview · \(shown.name)", style: Style(.border))
        ThemeSwatch().draw(into: &buffer, in: Rect(x: top[1].x + 2, y: top[1].y + 1, width: top[1].width - 3, height: top[1].height - 2))
        drawInfo(lines, into: &buffer, in: parts[2])
        drawStatus(into: &buffer, in: parts[3])
        Chrome.drawHelpBar(.settings, into: &buffer, in: parts[4])
    }

    func themePane() -> ListPane {
        let rows = themes.map { row -> (text: String, role: StyleRole) in
            var text = row.name
            if row.origin != .bundled { text += " · \(row.origin.rawValue)" }
            if row.theme == nil { return (text + " · broken", .error) }
            if row.name == inUse.name { text += " ✓" }
            return (text, .text)
        }
        return ListPane(title: "Theme", rows: rows, selected: selected, isFocused: true, isDimmed: false)
    }

    /// The keys' status (never their values), the default models and the folders.
    func infoLines() -> [[Segment]] {
        func heading(_ text: String) -> [Segment] { [Segment(text: text, style: Style(.accent, bold: true))] }
        let keyWidth = (keys.map { DisplayWidth.of($0.variable) }.max() ?? 0) + 2
        let labelWidth = (folders.map { DisplayWidth.of($0.label) }.max() ?? 0) + 2
        var lines = [heading("API keys")]
        lines += keys.map { key in
            [Segment(text: "  " + DisplayWidth.pad(key.variable, to: keyWidth), style: Style(.text)),
             Segment(text: key.summary, style: Style(key.isPresent ? .success : .warning))]
        }
        lines.append(heading("Defaults  ") + [Segment(text: "code model ", style: Style(.muted)), Segment(text: codeModel, style: Style(.text)),
                      Segment(text: " · dataset ", style: Style(.muted)), Segment(text: dataset, style: Style(.text))])
        lines.append(heading("Folders"))
        lines += folders.map { folder in
            [Segment(text: "  " + DisplayWidth.pad(folder.label, to: labelWidth), style: Style(.muted)),
             Segment(text: FolderStatus.shortPath(folder.url, project: projectFolder, home: homeFolder), style: Style(.text), shrinks: true),
             Segment(text: folder.exists ? "  exists" : "  missing", style: Style(folder.exists ? .success : .warning))]
        }
        return lines
    }

    func drawInfo(_ lines: [[Segment]], into buffer: inout CellBuffer, in rect: Rect) {
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
        let first = min(infoScroll, max(0, lines.count - inner.height))
        buffer.box(rect, title: "Keys · default models · folders", style: Style(.border))
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let fixed = line.filter { !$0.shrinks }.map { DisplayWidth.of($0.text) }.reduce(0, +)
            var x = inner.x
            for segment in line {
                let room = inner.maxX - x
                x = buffer.put(segment.text, x: x, y: inner.y + row, style: segment.style,
                               maxWidth: segment.shrinks ? max(1, inner.width - fixed) : room)
            }
        }
        let style = Style(.border)
        if first > 0 { buffer.put("↑", x: rect.maxX - 2, y: rect.y, style: style) }
        if first + inner.height < lines.count { buffer.put("↓", x: rect.maxX - 2, y: rect.maxY - 1, style: style) }
    }

    func drawStatus(into buffer: inout CellBuffer, in rect: Rect) {
        let text: String
        let role: StyleRole
        if let message {
            (text, role) = (message.text, message.isError ? .error : .success)
        } else if let reason = policy.reason {
            (text, role) = ("colours are off (\(reason)): themes differ only in bold and reverse", .muted)
        } else {
            (text, role) = ("your themes in \(themeFolders.user) replace those in \(themeFolders.bundled) by name", .muted)
        }
        buffer.put(text, x: rect.x + 1, y: rect.y, role: role, bold: message?.isError == true, maxWidth: rect.width - 2)
    }
}
