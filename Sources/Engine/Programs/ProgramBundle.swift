import Foundation

/// Why a bundle could not be written.
public struct ProgramBundleError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension ProgramBundleError: InputError {}

/// A folder that carries a dataset's programs out of the tool and needs nothing of it: the program
/// files, `programs.json` (class names, each program's column and file), `labeling_functions.py`
/// (plain functions, and snorkel `LabelingFunction`s where snorkel is installed), `apply.py` (standard
/// library only: votes of a CSV or JSONL file as CSV, the columns named as in every export) and a
/// README with each program's provenance, cost and latest test.
public struct ProgramBundle: Sendable {
    public var dataset: String
    public var classes: [String]
    public var programs: [LabelingProgram]
    /// The latest test of each program, by its path, when it has one.
    public var tests: [URL: ProgramTestRecord]

    public init(dataset: String, classes: [String], programs: [LabelingProgram], tests: [URL: ProgramTestRecord] = [:]) {
        self.dataset = dataset
        self.classes = classes
        self.programs = programs
        self.tests = tests
    }

    /// The dataset's programs under `root` (the enabled ones unless `all`), with their latest tests.
    public static func load(dataset: String, classes: [String], root: URL, all: Bool) throws -> ProgramBundle {
        let folder = root.appendingPathComponent(dataset)
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw ProgramBundleError(description: "\(dataset) has no programs (no folder \(folder.path))")
        }
        let states = try ProgramStates.load(root: root)
        let found = try ProgramStore.programs(under: folder)
        let programs = all ? found : states.enabled(found)
        guard !programs.isEmpty else {
            throw ProgramBundleError(description: all ? "\(dataset) has no programs in \(folder.path)"
                                     : "\(dataset) has no enabled programs (--all exports the disabled ones too)")
        }
        var tests: [URL: ProgramTestRecord] = [:]
        for program in programs {
            if let path = program.path, let test = states.latestTest(path) { tests[path] = test }
        }
        return ProgramBundle(dataset: dataset, classes: classes, programs: programs, tests: tests)
    }

    /// Writes the bundle as `folder`, whole or not at all: it is built beside it and renamed into
    /// place. An existing folder is replaced only with `replace`.
    @discardableResult
    public func write(to folder: URL, replace: Bool) throws -> URL {
        let files = FileManager.default
        let target = folder.standardizedFileURL
        if files.fileExists(atPath: target.path), !replace {
            throw ProgramBundleError(description: "\(target.path) exists already (--force replaces it)")
        }
        let parent = target.deletingLastPathComponent()
        try files.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            try fill(staging)
            if files.fileExists(atPath: target.path) {
                // The old folder steps aside, the new one takes its name, then the old one goes:
                // at every moment one whole bundle has the name.
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
                try files.moveItem(at: target, to: old)
                do { try files.moveItem(at: staging, to: target) } catch {
                    try? files.moveItem(at: old, to: target)
                    throw error
                }
                try? files.removeItem(at: old)
            } else {
                try files.moveItem(at: staging, to: target)
            }
        } catch {
            try? files.removeItem(at: staging)
            throw error
        }
        return target
    }

    private func fill(_ folder: URL) throws {
        let files = FileManager.default
        let programFolder = folder.appendingPathComponent("programs")
        try files.createDirectory(at: programFolder, withIntermediateDirectories: true)
        let columns = ProgramColumns.names(for: programs)
        var entries: [[String: String]] = []
        for (program, column) in zip(programs, columns) {
            let file = "programs/\(column).py"
            try Data(program.source.utf8).write(to: folder.appendingPathComponent(file))
            entries.append(["name": program.name, "column": column, "file": file])
        }
        let manifest: [String: Any] = ["dataset": dataset, "classes": classes, "programs": entries]
        try JSONSerialization.data(withJSONObject: manifest, options: [.prettyPrinted, .sortedKeys])
            .write(to: folder.appendingPathComponent("programs.json"))
        for (resource, name) in [("bundle_labeling_functions", "labeling_functions.py"), ("bundle_apply", "apply.py")] {
            guard let url = Bundle.module.url(forResource: resource, withExtension: "py") else {
                throw ProgramBundleError(description: "\(resource).py is missing from the Engine bundle")
            }
            try files.copyItem(at: url, to: folder.appendingPathComponent(name))
        }
        try Data(readme(columns: columns).utf8).write(to: folder.appendingPathComponent("README.md"))
    }

    /// The README: how to use the bundle, then one section per program.
    func readme(columns: [String]) -> String {
        var lines = [
            "# Labeling programs of \(dataset)", "",
            "Exported by Alchemist \(EngineInfo.version) on \(ProgramMetadata.now()): \(programs.count) programs.",
            "Classes (a vote is the index, -1 abstains): " + classes.enumerated().map { "\($0.offset) = \($0.element)" }.joined(separator: ", ") + ".", "",
            "These programs were written by a language model. Outside Alchemist they run with no sandbox",
            "and no time limit per call: read them before running them on data you care about.", "",
            "- `python3 apply.py INPUT OUTPUT [--text-column C]`: votes of every row of a CSV, TSV or JSONL file, as CSV",
            "  (`id`, then one `lf_<program>` column per program). Standard library only.",
            "- `import labeling_functions`: `label_functions` (plain functions of a text), `FUNCTIONS` (with their column",
            "  names), and `lfs`, snorkel `LabelingFunction`s over a data point's `text` field where snorkel is installed",
            "  (`snorkel_lfs(\"field\")` for another field).",
            "- `programs.json`: the classes and each program's column and file.", "",
            "| column | program | cost | latest test |", "|---|---|---|---|",
        ]
        for (program, column) in zip(programs, columns) {
            lines.append("| `\(column)` | \(program.name) | \(Money.format(program.totalCost.decimal)) | \(testText(program)) |")
        }
        for (program, column) in zip(programs, columns) {
            lines += ["", "## \(column)", "", "- file: `programs/\(column).py` (from `\(program.name)`)"]
            if let meta = program.metadata {
                lines.append("- made by: \(meta.mode) with code model \(meta.codeModel)"
                             + (meta.knowledgeModel.map { ", knowledge model \($0)" } ?? "")
                             + (meta.prior.map { ", prior knowledge \($0)" } ?? ""))
                lines.append("- created: \(meta.created), run \(meta.runID), engine \(meta.engineVersion)")
                for stage in meta.stages {
                    lines.append("- \(stage.stage) call: \(stage.model), \(stage.inputTokens) in / \(stage.outputTokens) out"
                                 + (stage.estimated ? " (estimated)" : "") + ", \(Money.format(stage.cost.decimal))")
                }
            } else {
                lines.append("- made by: unknown (the file has no metadata line)")
            }
            lines.append("- cost: \(Money.format(program.totalCost.decimal))")
            lines.append("- latest test: \(testText(program))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func testText(_ program: LabelingProgram) -> String {
        guard let path = program.path, let test = tests[path] else { return "not tested" }
        if let error = test.loadError { return "does not load (\(error))" }
        let accuracy = test.accuracy.map { String(format: "accuracy %.3f", $0) } ?? "no accuracy"
        return "\(test.split): coverage \(String(format: "%.3f", test.coverage)), \(accuracy), \(test.errors) errors on \(test.rows) rows"
    }
}
