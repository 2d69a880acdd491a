import Foundation
import Testing
@testable import TUI

/// Snapshot files of rendered screens: the text of every row, then a parallel grid of style codes
/// (one character per cell, see `code(for:)`), in Tests/TUITests/Snapshots/<name>.txt.
/// `ALCHEMIST_RECORD=1 swift test --filter TUITests` rewrites them; otherwise a difference fails the
/// test and prints both versions.
enum Snapshot {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    /// One character per style: the role's letter, upper-case when bold; reverse cells are "*" unless
    /// they are the selection, which has its own letter.
    static func code(for style: Style) -> Character {
        let letter: Character
        switch style.role {
        case .text: letter = "t"
        case .muted: letter = "m"
        case .accent: letter = "a"
        case .border: letter = "b"
        case .borderFocused: letter = "f"
        case .selection: letter = "s"
        case .success: letter = "g"
        case .warning: letter = "w"
        case .error: letter = "e"
        case .cost: letter = "c"
        case .codeKeyword: letter = "k"
        case .codeString: letter = "q"
        case .codeComment: letter = "h"
        case .codeNumber: letter = "n"
        }
        if style.reverse && style.role != .selection { return "*" }
        return style.bold ? Character(letter.uppercased()) : letter
    }

    static func render(_ buffer: CellBuffer) -> String {
        var lines = ["size \(buffer.width)x\(buffer.height)", "-- text --"]
        lines += (0..<buffer.height).map { buffer.row($0) }
        lines.append("-- styles --")
        for y in 0..<buffer.height {
            lines.append(String((0..<buffer.width).map { buffer[$0, y].isContinuation ? "." : code(for: buffer[$0, y].style) }))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Compares `buffer` with the stored snapshot `name` (records it when asked or when missing under
    /// the record flag). A missing snapshot without the flag is a failure.
    static func check(_ buffer: CellBuffer, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = folder.appendingPathComponent("\(name).txt")
        let actual = render(buffer)
        if ProcessInfo.processInfo.environment["ALCHEMIST_RECORD"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record("no snapshot \(file.lastPathComponent): run ALCHEMIST_RECORD=1 swift test --filter TUITests", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("snapshot \(name) differs (ALCHEMIST_RECORD=1 re-records it)\n--- expected\n\(expected)\n--- actual\n\(actual)",
                         sourceLocation: sourceLocation)
        }
    }
}
