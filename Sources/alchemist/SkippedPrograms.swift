import Engine
import Foundation

/// The `--lfs` programs of `apply` and `label`, with the files that could not be read reported
/// on stderr (one line each) instead of ending the run.
enum SkippedPrograms {
    /// Scans `lfs` and prints `skipped <file>: <reason>` for each unreadable file.
    /// - Throws: `BadInput` when no readable program is left (saying how many were skipped) unless
    ///   `allowingNone`, and the scan's error when `lfs` does not exist.
    static func scan(_ lfs: String, allowingNone: Bool = false) throws -> ProgramScan {
        let root = URL(fileURLWithPath: lfs)
        let scan = try ProgramStore.scan(under: root)
        for error in scan.skipped {
            // A file name or a link target is not terminal input either.
            let line = "skipped \(shownPath(error.path, root: root)): \(error.reason)"
            FileHandle.standardError.write(Data((ProgramOutputText.clean(line, limit: 2000) + "\n").utf8))
        }
        guard !scan.programs.isEmpty || allowingNone else {
            let count = scan.skipped.count
            let note = count == 0 ? "" : " (\(count) unreadable file\(count == 1 ? "" : "s") skipped)"
            throw BadInput("\(lfs): no .py labeling programs found\(note)")
        }
        return scan
    }

    /// `path` relative to the `--lfs` folder when inside it, else as it is.
    static func shownPath(_ path: String, root: URL) -> String {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    /// The `skipped` array of `apply --json`.
    static func json(_ skipped: [ProgramStoreError]) -> [[String: String]] {
        skipped.map { ["path": $0.path, "reason": $0.reason] }
    }
}
