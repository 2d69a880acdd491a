import Engine
import Foundation
import Testing
import TestSupport

/// `alchemist programs export`: a folder that works without the tool, whose `apply.py` votes as the
/// sandbox does.
@Suite struct ProgramsExportTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    /// Programs that test the vote rule: a normal one, one answering a bool, one out of range, one that
    /// raises on some rows, one that does not load.
    static let sources = [
        "import re\nWORDS = re.compile(r'\\b(crash|down|error)\\b', re.I)\ndef label_function(text):\n    return 1 if WORDS.search(text) else -1\n",
        "def label_function(text):\n    return 'please' in text.lower()\n",
        "def label_function(text):\n    return 7 if len(text) > 60 else 0\n",
        "def label_function(text):\n    if len(text) % 3 == 0:\n        raise ValueError('no')\n    return 0\n",
        "def label_function(text)\n    return 1\n",
    ]

    @Test func theBundleVotesAsTheSandboxAndNeedsNothingOfTheTool() async throws {
        let home = try TestEnvironment.temporaryFolder("bundle-home")
        defer { try? FileManager.default.removeItem(at: home) }
        let lfDir = home.appendingPathComponent("lfs")
        for (index, source) in Self.sources.enumerated() {
            let file = home.appendingPathComponent("p\(index).py")
            try source.write(to: file, atomically: true, encoding: .utf8)
            let saved = try cli.run(["programs", "save", "--dataset", "demo", "--lf-dir", lfDir.path, file.path],
                                    environment: ["ALCHEMIST_HOME": home.path])
            #expect(saved.status == 0, "\(saved.stderr)")
        }
        // One more, disabled: left out unless --all.
        let extra = home.appendingPathComponent("extra.py")
        try "def label_function(text):\n    return 1\n".write(to: extra, atomically: true, encoding: .utf8)
        let saved = try cli.run(["programs", "save", "--dataset", "demo", "--lf-dir", lfDir.path, extra.path],
                                environment: ["ALCHEMIST_HOME": home.path])
        let disabled = URL(fileURLWithPath: saved.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        try ProgramStates.modify(root: lfDir) { $0.setEnabled(disabled, false) }

        let bundle = home.appendingPathComponent("bundle")
        let export = try cli.run(["programs", "export", "--dataset", "demo", "--lf-dir", lfDir.path, "--to", bundle.path],
                                 environment: ["ALCHEMIST_HOME": home.path])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("exported 5 programs of demo"))
        for name in ["apply.py", "labeling_functions.py", "programs.json", "README.md"] {
            #expect(FileManager.default.fileExists(atPath: bundle.appendingPathComponent(name).path), "\(name)")
        }
        let readme = try String(contentsOf: bundle.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("no sandbox"))
        #expect(readme.contains("handwritten"))
        // A second export into the same folder needs --force, and replaces it whole.
        let again = try cli.run(["programs", "export", "--dataset", "demo", "--all", "--lf-dir", lfDir.path, "--to", bundle.path],
                                environment: ["ALCHEMIST_HOME": home.path])
        #expect(again.status == 2 && again.stderr.contains("--force"), "\(again.stderr)")
        let forced = try cli.run(["programs", "export", "--dataset", "demo", "--all", "--force", "--lf-dir", lfDir.path, "--to", bundle.path],
                                 environment: ["ALCHEMIST_HOME": home.path])
        #expect(forced.stdout.contains("exported 6 programs"), "\(forced.stdout) \(forced.stderr)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: home.path).filter { $0.contains(".partial") }
        #expect(leftovers.isEmpty)
        _ = try cli.run(["programs", "export", "--dataset", "demo", "--force", "--lf-dir", lfDir.path, "--to", bundle.path],
                        environment: ["ALCHEMIST_HOME": home.path])

        // The same rows through the sandbox and through apply.py, run by a plain python3 from elsewhere.
        let texts = try SandboxFixtures.demoTexts(limit: 200)
        let input = home.appendingPathComponent("rows.jsonl")
        let lines = try texts.enumerated().map { index, text in
            String(decoding: try JSONSerialization.data(withJSONObject: ["id": "r\(index)", "text": text]), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: input, atomically: true, encoding: .utf8)
        let output = home.appendingPathComponent("votes.csv")
        _ = try PythonReference.run("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                                    arguments: [bundle.appendingPathComponent("apply.py").path, input.path, output.path])
        let csv = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let programs = try ProgramStates.load(root: lfDir).enabledPrograms(under: lfDir.appendingPathComponent("demo"))
        #expect(csv.first == ["id"] + ProgramColumns.names(for: programs))
        #expect(csv.count == texts.count + 1)
        #expect(csv.dropFirst().map { $0.first } == texts.indices.map { "r\($0)" })
        let outcome = try await ProgramApplier(settings: TestEnvironment.config().sandbox).apply(programs, to: texts, classCount: 2)
        for column in programs.indices {
            let sandbox = outcome.matrix.column(column)
            let bundled = csv.dropFirst().map { Int($0[column + 1]) ?? -99 }
            #expect(bundled == sandbox, "\(programs[column].name)")
        }
        #expect(outcome.matrix.column(0).contains(1) && outcome.matrix.column(3).contains(0))  // the rule is exercised

        // labeling_functions imports without snorkel (lfs empty) and votes by the same rule.
        let check = try PythonReference.run("""
            import sys; sys.path.insert(0, sys.argv[1]); import labeling_functions as lf
            print(len(lf.label_functions), lf.CLASSES, [f('the server is down') for f in lf.label_functions],
                  'snorkel' if lf.LabelingFunction else len(lf.lfs))
            """, arguments: [bundle.path])
        let printed = String(decoding: check, as: UTF8.self)
        #expect(printed.hasPrefix("5 "), "\(printed)")
        #expect(printed.contains("[1, -1, 0, -1, -1]") || printed.contains("[1, -1, 0, 0, -1]"), "\(printed)")
    }

    @Test func aDatasetWithoutProgramsIsAClearError() throws {
        let home = try TestEnvironment.temporaryFolder("bundle-empty")
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try cli.run(["programs", "export", "--dataset", "demo", "--lf-dir", home.appendingPathComponent("lfs").path,
                                  "--to", home.appendingPathComponent("out").path], environment: ["ALCHEMIST_HOME": home.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("demo has no programs"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("out").path))
    }
}
