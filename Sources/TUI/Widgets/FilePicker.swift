import Foundation

/// Chooses a file or a folder by walking folders: the listing comes from the app (an effect), the
/// picker only keeps the selection and says what the user wants.
public struct FilePicker: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isFolder: Bool

        public init(name: String, isFolder: Bool) {
            self.name = name
            self.isFolder = isFolder
        }
    }

    /// What the user asked for.
    public enum Request: Sendable, Equatable {
        /// List this folder (then call `show`).
        case list(URL)
        /// This file or folder is the answer.
        case choose(URL)
        /// Type the path instead.
        case type
        case cancel
    }

    public private(set) var folder: URL
    /// nil until the listing arrives.
    public private(set) var entries: [Entry]?
    public private(set) var error: String?
    public private(set) var selected = 0

    public init(folder: URL) { self.folder = folder.standardizedFileURL }

    /// The listing of `folder` arrived (entries sorted by the app: folders first); "..", to go up,
    /// leads the list when there is a parent.
    public mutating func show(_ listed: [Entry]?, of folder: URL, error: String? = nil) {
        self.folder = folder.standardizedFileURL
        let up = folder.path == "/" ? [] : [Entry(name: "..", isFolder: true)]
        entries = listed.map { up + $0 }
        self.error = error
        selected = min(entries?.isEmpty == false && up.count == 1 && (entries?.count ?? 0) > 1 ? 1 : 0, max(0, (entries?.count ?? 1) - 1))
    }

    var current: Entry? { entries.flatMap { $0.indices.contains(selected) ? $0[selected] : nil } }

    func url(of entry: Entry) -> URL {
        entry.name == ".." ? folder.deletingLastPathComponent() : folder.appendingPathComponent(entry.name)
    }

    public mutating func handle(_ key: Key) -> Request? {
        let count = entries?.count ?? 0
        switch key {
        case .down, .char("j"): selected = min(selected + 1, max(0, count - 1))
        case .up, .char("k"): selected = max(selected - 1, 0)
        case .pageDown: selected = min(selected + 10, max(0, count - 1))
        case .pageUp: selected = max(selected - 10, 0)
        case .enter, .right, .char("l"):
            guard let entry = current else { return nil }
            return entry.isFolder ? .list(url(of: entry)) : .choose(url(of: entry))
        case .left, .backspace, .char("h"):
            return folder.path == "/" ? nil : .list(folder.deletingLastPathComponent())
        case .char(" "), .char("s"):
            guard let entry = current else { return .choose(folder) }
            return .choose(entry.name == ".." ? folder : url(of: entry))
        case .char("."):
            return .choose(folder)
        case .char("t"):
            return .type
        case .escape:
            return .cancel
        default:
            return nil
        }
        return nil
    }

    /// A centred box: the folder, its entries (folders end in "/"), the keys.
    public func draw(into buffer: inout CellBuffer, in area: Rect, title: String) {
        let width = min(area.width - 4, 90)
        let height = min(area.height - 2, 22)
        let rect = Rect(x: (area.width - width) / 2, y: (area.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: title, style: Style(.borderFocused, bold: true))
        let inner = rect.inset(1)
        buffer.put(folder.path, x: inner.x + 1, y: inner.y, role: .accent, maxWidth: inner.width - 2)
        let list = Rect(x: inner.x + 1, y: inner.y + 1, width: inner.width - 2, height: inner.height - 2)
        if let error {
            buffer.put(error, x: list.x, y: list.y, role: .error, maxWidth: list.width)
        } else if let entries {
            let first = max(0, min(selected - list.height + 1, entries.count - list.height))
            for (row, index) in (first..<min(entries.count, first + list.height)).enumerated() {
                let entry = entries[index]
                let text = entry.isFolder ? entry.name + "/" : entry.name
                let isSelected = index == selected
                buffer.put(DisplayWidth.pad((isSelected ? "› " : "  ") + text, to: list.width), x: list.x, y: list.y + row,
                           style: Style(isSelected ? .selection : entry.isFolder ? .accent : .text, bold: isSelected, reverse: isSelected))
            }
        } else {
            buffer.put("reading…", x: list.x, y: list.y, role: .muted)
        }
        buffer.put("enter open · space choose · . this folder · ← up · t type a path · esc cancel", x: inner.x + 1, y: inner.maxY - 1,
                   role: .muted, maxWidth: inner.width - 2)
    }
}
