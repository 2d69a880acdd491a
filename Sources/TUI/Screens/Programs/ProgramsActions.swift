import Engine
import Foundation

/// The engine side of the browser's requests that need no terminal. Opening `$EDITOR` is the app
/// loop's (it must suspend the screen first).
public enum ProgramsActions {
    /// Deletes a program file and forgets its state. The ledger keeps the program's row: what it
    /// cost was spent.
    public static func delete(_ url: URL, root: URL) throws {
        try ProgramStates.deleteProgram(at: url, root: root)
    }

    /// Enables or disables a program for labeling.
    public static func setEnabled(_ url: URL, _ enabled: Bool, root: URL) throws {
        try ProgramStates.modify(root: root) { $0.setEnabled(url, enabled) }
    }

    /// The dataset a program belongs to (`ProgramPlacement`: its metadata's, else the first folder under the root).
    public static func datasetName(of program: LabelingProgram, root: URL) -> String? {
        ProgramPlacement(program, relativePath: program.path.map { ProgramStates(root: root).key(for: $0) }).dataset
    }

    /// Runs the program in the sandbox on the dataset's valid split (else a slice of train) and
    /// records the result as the program's latest test.
    public static func testOnValid(_ program: LabelingProgram, dataset: Dataset, settings: SandboxSettings, root: URL,
                                   maxRows: Int = 2000, date: Date = Date()) async throws -> SmokeTestResult {
        let tester = try SmokeTester(dataset: dataset, settings: settings, maxRows: maxRows)
        // The whole file, header included, so error line numbers match the file.
        let result = try await tester.run(code: program.source, name: program.name)
        if let url = program.path {
            try ProgramStates.modify(root: root) { $0.recordTest(url, result, date: date) }
        }
        return result
    }

    /// The OSC 52 escape that puts `url`'s path on the terminal's clipboard (the app writes it to
    /// the terminal; it works over ssh too), and a status text.
    public static func copyPath(_ url: URL) -> (escape: String, status: String) {
        let path = url.path
        let encoded = Data(path.utf8).base64EncodedString()
        return ("\u{1B}]52;c;\(encoded)\u{07}", "copied \(path)")
    }
}
