import Engine
import Foundation

/// Opens text in the user's editor ($VISUAL, else $EDITOR), with the screen handed over while it
/// runs. The text goes through a private temporary file.
enum ExternalEditor {
    /// What to do when no editor ran.
    static let missingAdvice = "the editor failed or $EDITOR is not set (export EDITOR=vi)"

    /// The edited text, or nil when no editor is set or it failed.
    static func edit(_ text: String, suffix: String, backend: some TerminalBackend) -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return nil }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-edit-\(UUID().uuidString)\(suffix)")
        defer { try? FileManager.default.removeItem(at: file) }
        guard (try? text.write(to: file, atomically: true, encoding: .utf8)) != nil else { return nil }
        backend.suspend()
        defer { backend.resume() }
        return run(editor, file: file) ? try? String(contentsOf: file, encoding: .utf8) : nil
    }

    /// Opens `file` (already on disk) in the editor; true when it exited with 0.
    static func open(_ file: URL, backend: some TerminalBackend) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        guard let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap({ $0 }).first(where: { !$0.isEmpty }) else { return false }
        backend.suspend()
        defer { backend.resume() }
        return run(editor, file: file)
    }

    /// This process's environment without API keys: the editor (and whatever it starts) never sees them.
    static func environment(_ base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        APIKeys.withoutKeys(base)
    }

    /// Runs the editor command through the shell (it may carry flags, e.g. "code -w"), on this terminal.
    private static func run(_ editor: String, file: URL) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "alchemist-editor", file.path]
        process.environment = environment()
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}
