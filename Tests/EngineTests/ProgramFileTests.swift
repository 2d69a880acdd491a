import Engine
import Foundation
import Testing
import TestSupport

@Suite struct ProgramFileTests {
    let metadata = ProgramMetadata(
        dataset: "youtube", mode: "alchemist", codeModel: "gpt-4o-mini", knowledgeModel: "claude-haiku-4-5", prior: "keywords",
        stages: [StageUsage(stage: "knowledge", model: "claude-haiku-4-5", inputTokens: 120, outputTokens: 300, cost: USD("0.00162")!, estimated: false),
                 StageUsage(stage: "code", model: "gpt-4o-mini", inputTokens: 700, outputTokens: 150, cost: USD("0.000195")!, estimated: true)],
        created: "2026-11-25T12:00:00Z", runID: "run-1")
    let prompt = "Write a function.\nIt may use \\d+ and \"\"\"triple quotes\"\"\" and end with a backslash \\"
    let code = "import re\n\ndef label_function(comment):\n    return 1 if re.search(r\"\\d{3}\", comment) else -1\n"

    @Test func roundTripKeepsPromptTokensCostMetadataAndCode() throws {
        let text = try ProgramFile.render(prompt: prompt, inputTokens: 820, outputTokens: 450, cost: Decimal(string: "0.001815")!,
                                          metadata: metadata, code: code)
        let program = ProgramFile.parse(text, name: "LF1")
        #expect(program.prompt == prompt)
        #expect(program.inputTokens == 820 && program.outputTokens == 450)
        #expect(program.cost == Decimal(string: "0.001815"))
        #expect(program.metadata == metadata)
        #expect(program.code == code)
        #expect(program.source == text)
    }

    @Test func originalPricingPatternFindsTheCostAndPythonReadsThePromptAsTheDocstring() throws {
        let text = try ProgramFile.render(prompt: prompt, inputTokens: 1, outputTokens: 2, cost: Decimal(string: "0.0012")!,
                                          metadata: metadata, code: code)
        let script = """
        import ast, re, sys
        text = sys.stdin.read()
        print(re.findall(r"\\$\\[(.*?)\\]", text)[0])
        tree = ast.parse(text)
        sys.stdout.write(ast.get_docstring(tree, clean=False))
        """
        let output = String(decoding: try PythonReference.run(script, input: Data(text.utf8)), as: UTF8.self)
        let lines = output.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        #expect(lines.first == "0.0012")
        // The docstring holds the prompt between the opening and closing newlines.
        #expect(lines.last.map(String.init) == "\n" + prompt + "\n")
    }

    /// Written by the engine before stage costs were typed (`StageUsage.cost` was a `String`).
    static let writtenBefore = """
        \"\"\"
        Write a function.
        \"\"\"
        # tokens: input=820 output=450 total=1270
        # cost: $[0.001815]
        # alchemist: {"code_model":"gpt-4o-mini","created":"2026-11-25T12:00:00Z","dataset":"youtube","engine_version":"0.1.0",\
        "knowledge_model":"claude-haiku-4-5","mode":"alchemist","prior":"keywords","run_id":"20261125T120000-run00001","stages":[\
        {"cost":"0.00162","estimated":false,"input_tokens":120,"model":"claude-haiku-4-5","output_tokens":300,"stage":"knowledge"},\
        {"cost":"0.000195","estimated":true,"input_tokens":700,"model":"gpt-4o-mini","output_tokens":150,"stage":"code"}]}
        def label_function(comment):
            return -1

        """

    @Test func aFileWrittenBeforeTypedCostsReadsBackAndRewritesByteForByte() throws {
        let program = ProgramFile.parse(Self.writtenBefore, name: "LF1")
        let metadata = try #require(program.metadata)
        #expect(metadata.stages.map(\.cost) == [USD("0.00162")!, USD("0.000195")!])
        let again = try ProgramFile.render(prompt: try #require(program.prompt), inputTokens: try #require(program.inputTokens),
                                           outputTokens: try #require(program.outputTokens), cost: try #require(program.cost),
                                           metadata: metadata, code: program.code)
        #expect(Array(again.utf8) == Array(Self.writtenBefore.utf8))
    }

    @Test func aProgramsTotalIsTheSumOfItsStagesElseItsHeader() throws {
        #expect(metadata.totalCost == USD("0.001815")!)
        #expect(metadata.totalCost == metadata.stages[0].cost + metadata.stages[1].cost)
        let text = try ProgramFile.render(prompt: prompt, inputTokens: 820, outputTokens: 450, cost: metadata.totalCost.decimal,
                                          metadata: metadata, code: code)
        let program = ProgramFile.parse(text, name: "LF1")
        #expect(program.totalCost == metadata.totalCost && program.cost == metadata.totalCost.decimal)
        // No stages recorded (saved by hand, or an older file): the header's amount; no header: zero.
        var bare = metadata
        bare.stages = []
        let saved = try ProgramFile.render(prompt: "p", inputTokens: 0, outputTokens: 0, cost: Decimal(string: "0.0005")!, metadata: bare, code: code)
        #expect(ProgramFile.parse(saved, name: "LF2").totalCost == USD("0.0005")!)
        #expect(ProgramFile.parse(code, name: "mine").totalCost == .zero)
    }

    @Test func plainPythonFileParsesAsCodeOnly() {
        let program = ProgramFile.parse(code, name: "mine")
        #expect(program.prompt == nil && program.cost == nil && program.metadata == nil)
        #expect(program.code == code)
    }

    @Test func concurrentSavesGetDistinctNumbersAndWholeFiles() async throws {
        let root = try TestEnvironment.temporaryFolder("store")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = ProgramStore(root: root)
        let folder = try store.folder(dataset: "youtube", mode: "scriptorium", codeModel: "gpt-4o", prior: nil)
        #expect(throws: ProgramStoreError.self) { try store.folder(dataset: "../x", mode: "m", codeModel: "c", prior: nil) }
        #expect(throws: ProgramStoreError.self) { try store.folder(dataset: "d", mode: "m", codeModel: "a/b", prior: nil) }
        let saved = try await withThrowingTaskGroup(of: URL.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try store.saveNext("# program \(index)\n" + String(repeating: "x = 1\n", count: 2000), in: folder)
                }
            }
            return try await group.reduce(into: [URL]()) { $0.append($1) }
        }
        let names = Set(saved.map(\.lastPathComponent))
        #expect(names == Set((1...40).map { "LF\($0).py" }))
        let bodies = try saved.map { try String(contentsOf: $0, encoding: .utf8) }
        #expect(Set(bodies.map { $0.split(separator: "\n").first! }).count == 40)
        #expect(bodies.allSatisfy { $0.utf8.count == $0.split(separator: "\n").first!.utf8.count + 1 + 6 * 2000 })
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        #expect(store.nextNumber(in: folder) == 41)
    }

    @Test func programsAreFoundRecursivelyInNaturalOrder() throws {
        let root = try TestEnvironment.temporaryFolder("find")
        defer { try? FileManager.default.removeItem(at: root) }
        let sub = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
        for name in ["LF10.py", "LF2.py", "LF1.py", "notes.txt"] {
            try Data("def label_function(t):\n    return -1\n".utf8).write(to: sub.appendingPathComponent(name))
        }
        let programs = try ProgramStore.programs(under: root)
        #expect(programs.map(\.name) == ["a/b/LF1", "a/b/LF2", "a/b/LF10"])
    }
}

@Suite struct ProgramExtractorTests {
    @Test func pythonBlockIsTaken() throws {
        let answer = "Here you go:\n```python\nimport re\n\ndef label_function(text):\n    return -1\n```\nThis abstains."
        #expect(try ProgramExtractor.extract(from: answer) == "import re\n\ndef label_function(text):\n    return -1\n")
    }

    @Test func theBlockThatDefinesLabelFunctionWinsAmongSeveral() throws {
        let answer = "```python\nKEYWORDS = ['free']\n```\nand\n```json\n{\"a\": 1}\n```\n```py\ndef label_function(t):\n    return 1\n```\n```python\ndef label_function(t):\n    return 0\n```"
        #expect(try ProgramExtractor.extract(from: answer) == "def label_function(t):\n    return 1\n")
    }

    @Test func unclosedBlockRunsToTheEnd() throws {
        let answer = "```python\ndef label_function(t):\n    return 1 if 'win' in t else -1"
        #expect(try ProgramExtractor.extract(from: answer) == "def label_function(t):\n    return 1 if 'win' in t else -1\n")
    }

    @Test func bareDefinitionWithItsImportsIsTaken() throws {
        let answer = "Sure.\n\nimport re\nPATTERN = re.compile('free')\n\ndef label_function(text):\n    if PATTERN.search(text):\n        return 1\n    return -1\n\nThis function labels spam."
        #expect(try ProgramExtractor.extract(from: answer)
                == "import re\nPATTERN = re.compile('free')\n\ndef label_function(text):\n    if PATTERN.search(text):\n        return 1\n    return -1\n")
    }

    @Test func answersWithoutAProgramAreRejectedWithAReason() {
        #expect(throws: ExtractionError(reason: "the answer has no ```python block and no `def label_function`")) {
            try ProgramExtractor.extract(from: "I cannot help with that.")
        }
        #expect(throws: ExtractionError(reason: "none of the answer's 1 code block(s) defines label_function")) {
            try ProgramExtractor.extract(from: "```python\ndef classify(t):\n    return 1\n```")
        }
    }
}

@Suite struct LabelMatrixAnalysisTests {
    @Test func coverageOverlapsConflictsAndAccuracy() {
        // rows: gold      votes (3 programs)
        // 0      1        1  1 -1   overlap, agree
        // 1      0        0  1 -1   overlap, conflict
        // 2      nil     -1 -1  0   single vote, unlabeled
        // 3      1       -1 -1 -1   no votes
        let matrix = LabelMatrix(rows: [[1, 1, -1], [0, 1, -1], [-1, -1, 0], [-1, -1, -1]])
        let (programs, totals) = LabelMatrixAnalysis.analyze(matrix, gold: [1, 0, nil, 1])
        #expect(programs[0].polarity == [0, 1])
        #expect(programs[0].coverage == 0.5 && programs[0].overlaps == 0.5 && programs[0].conflicts == 0.25)
        #expect(programs[0].accuracy == 1.0)
        #expect(programs[1].accuracy == 0.5 && programs[1].conflicts == 0.25)
        #expect(programs[2].accuracy == nil && programs[2].coverage == 0.25 && programs[2].overlaps == 0)
        #expect(totals == MatrixTotals(coverage: 0.75, overlaps: 0.5, conflicts: 0.25))
    }
}

/// The one placement rule the pricing report, the browser and its actions share.
@Suite struct ProgramPlacementTests {
    @Test func metadataWinsElseTheFoldersElseNothing() {
        let metadata = ProgramMetadata(dataset: "sms", mode: "alchemist", codeModel: "gpt-4o", knowledgeModel: nil, prior: "keywords",
                                       stages: [], created: "2025-06-15T15:06:40Z", runID: "r", engineVersion: "0.1.0")
        let placed = ProgramPlacement(LabelingProgram(name: "LF1", metadata: metadata, code: ""), relativePath: "elsewhere/LF1.py")
        #expect(placed.dataset == "sms" && placed.prior == "keywords" && placed.groupPath == ["sms", "alchemist", "gpt-4o", "keywords"])
        let plain = LabelingProgram(name: "LF2", code: "")
        let nested = ProgramPlacement(plain, relativePath: "demo/scriptorium/builtin/heuristics/extra/LF2.py")
        #expect(nested.dataset == "demo" && nested.mode == "scriptorium" && nested.codeModel == "builtin" && nested.prior == "heuristics/extra")
        let shallow = ProgramPlacement(plain, relativePath: "handwritten/LF2.py")
        #expect(shallow.dataset == "handwritten" && shallow.mode == nil && shallow.groupPath == ["handwritten"])
        #expect(ProgramPlacement(plain, relativePath: "LF2.py").dataset == nil)
        #expect(ProgramPlacement(plain, relativePath: nil).groupPath.isEmpty)
    }
}
