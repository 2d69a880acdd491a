@testable import Engine
import Foundation
import Testing
import TestSupport

/// The offline program synthesizer on the project's own demo dataset (always present).
@Suite struct BuiltinSynthesizerTests {
    static func demo() throws -> Dataset {
        let config = try ConfigLoader.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))
        let paths = AppPaths.resolve(config: config, environment: [:])
        return try DatasetCatalog(config: config, paths: paths).load("demo")
    }

    static func collect(_ model: any ChatModel, _ purpose: ChatRequest.Purpose) async throws -> (text: String, events: [ChatEvent]) {
        let config = try ConfigLoader.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))
        var request = ChatRequest(model: config.model(id: "builtin")!, system: nil, messages: [ChatMessage(.user, "write")])
        request.purpose = purpose
        var events: [ChatEvent] = []
        for try await event in model.stream(request) { events.append(event) }
        let text = events.compactMap { if case .text(let piece) = $0 { piece } else { nil } }.joined()
        return (text, events)
    }

    @Test func evidenceIsMeasuredOnLabeledRows() {
        let texts = ["free money now", "free money here", "free money gift", "see you at lunch", "lunch was great", "great lunch today"]
        let items = EvidenceMiner().mine(texts: texts, labels: [1, 1, 1, 0, 0, 0], classCount: 2)
        let money = items.first { $0.key == "money" && $0.family == .word }
        #expect(money?.label == 1 && money?.support == 3 && money?.precision == 1)
        #expect(items.contains { $0.key == "lunch" && $0.label == 0 })
        #expect(!items.contains { $0.key == "great" && $0.label == 1 })
        #expect(items.contains { $0.key == "free money" && $0.family == .pair })
    }

    @Test func tenProgramsAreDistinctLoadAbstainAndAreRightWhenTheyVote() async throws {
        let dataset = try Self.demo()
        let synthesizer = try BuiltinSynthesizer(dataset: dataset, prior: nil, existingPrograms: [], pace: 0)
        var programs: [String] = []
        for _ in 0..<10 {
            let (answer, events) = try await Self.collect(synthesizer, .code)
            programs.append(try ProgramExtractor.extract(from: answer))
            #expect(events.contains { if case .usage(let usage) = $0 { usage.estimated && usage.outputTokens > 0 } else { false } })
        }
        #expect(Set(programs.map(BuiltinSynthesizer.normalized)).count == 10)
        // Every program runs in the sandbox; on test (never seen) each abstains somewhere and is mostly right where it votes.
        let test = try dataset.split(.test)
        let outcome = try await ProgramApplier().apply(programs.enumerated().map { LabelingProgram(name: "B\($0.offset)", code: $0.element) },
                                                       to: test.texts, classCount: dataset.classCount)
        #expect(outcome.reports.allSatisfy { $0.loadError == nil && $0.faultCount == 0 })
        let analysis = LabelMatrixAnalysis.analyze(outcome.matrix, gold: test.labels)
        for program in analysis.programs {
            #expect(program.coverage < 1, "\(program)")
            if let accuracy = program.accuracy, program.coverage > 0.05 { #expect(accuracy > 0.6, "\(program)") }
        }
        #expect(Set(programs.compactMap { $0.contains("return 0") ? 0 : $0.contains("return 1") ? 1 : nil }) == [0, 1])
    }

    @Test func savedProgramsAreNeverWrittenAgain() async throws {
        let dataset = try Self.demo()
        let first = try BuiltinSynthesizer(dataset: dataset, prior: nil, existingPrograms: [], pace: 0)
        var saved: [String] = []
        for _ in 0..<4 { saved.append(try ProgramExtractor.extract(from: try await Self.collect(first, .code).text)) }
        let second = try BuiltinSynthesizer(dataset: dataset, prior: nil, existingPrograms: saved, pace: 0)
        for _ in 0..<4 {
            let next = try ProgramExtractor.extract(from: try await Self.collect(second, .code).text)
            #expect(!saved.map(BuiltinSynthesizer.normalized).contains(BuiltinSynthesizer.normalized(next)))
            saved.append(next)
        }
    }

    @Test(arguments: ["heuristics", "keywords", "description", "examples"])
    func theKnowledgeStageFollowsThePriorTypeAndTheCodeStageUsesItsEvidence(prior: String) async throws {
        let synthesizer = try BuiltinSynthesizer(dataset: try Self.demo(), prior: prior, existingPrograms: [], pace: 0)
        let knowledge = try await Self.collect(synthesizer, .knowledge).text
        let code = try ProgramExtractor.extract(from: try await Self.collect(synthesizer, .code).text)
        switch prior {
        case "keywords": #expect(knowledge.hasPrefix("Keywords for"))
        case "description": #expect(knowledge.hasPrefix("Class "))
        case "examples": #expect(knowledge.contains("Examples of") && knowledge.contains("Evidence kept"))
        default: #expect(knowledge.hasPrefix("Rules for"))
        }
        // The program encodes the evidence the knowledge stage described.
        let quoted = code.split(separator: "\n").compactMap { line -> String? in
            guard let open = line.firstIndex(of: "\""), line.contains("# ") else { return nil }
            return String(line[line.index(after: open)...].prefix { $0 != "\"" })
        }
        #expect(!quoted.isEmpty || code.contains("re.search") || code.contains("len(") || code.contains("count("))
        #expect(quoted.allSatisfy { knowledge.contains($0) })
    }

    /// Rows that share no word: nothing is saved, so the error must say no evidence was found (not "every variant is saved").
    @Test func noEvidenceAtAllSaysSo() async throws {
        let texts = (0..<20).map { "word\($0)a word\($0)b" }
        let split = DatasetSplit(name: .valid, ids: texts.indices.map(String.init), texts: texts, labels: texts.indices.map { $0 % 2 }, weakLabels: nil)
        let dataset = Dataset(name: "nothing", labelNames: ["a", "b"], location: URL(fileURLWithPath: "/tmp"), format: .wrench, splits: [.valid: split])
        let synthesizer = try BuiltinSynthesizer(dataset: dataset, prior: nil, existingPrograms: [], pace: 0)
        do {
            _ = try await Self.collect(synthesizer, .code)
            Issue.record("expected an error")
        } catch let error as KnowledgeIndexError {
            #expect(error.reason.contains("found no evidence in 20 labeled rows of nothing"), "\(error.reason)")
        }
    }

    @Test func tooFewLabeledRowsIsAClearError() throws {
        let split = DatasetSplit(name: .valid, ids: ["1"], texts: ["x"], labels: [1], weakLabels: nil)
        let train = DatasetSplit(name: .train, ids: ["1"], texts: ["x"], labels: [nil], weakLabels: nil)
        let dataset = Dataset(name: "tiny", labelNames: ["a", "b"], location: URL(fileURLWithPath: "/tmp"), format: .wrench,
                              splits: [.valid: split, .train: train])
        #expect(throws: KnowledgeIndexError.self) { try BuiltinSynthesizer(dataset: dataset, prior: nil, existingPrograms: []) }
    }
}

/// Issue 12's defect: `e` on the generate screen ran the edited file through the answer extractor,
/// which cut everything above `def label_function` of a built-in program (its `import re` and its
/// multi-line word sets), so the smoke test failed on every row and the broken file could be saved.
@Suite struct EditedProgramTests {
    @Test func anEditedBuiltinProgramIsKeptWhole() async throws {
        let dataset = try BuiltinSynthesizerTests.demo()
        let synthesizer = try BuiltinSynthesizer(dataset: dataset, prior: nil, existingPrograms: [], pace: 0)
        let (answer, _) = try await BuiltinSynthesizerTests.collect(synthesizer, .code)
        let program = try ProgramExtractor.extract(from: answer)
        #expect(program.contains("import re"))
        // An editor that changes nothing gives the same file back; it must stay the same program.
        let edited = try ProgramExtractor.editedProgram(program)
        #expect(edited == program)
        // What the old path did to it (the cause): the answer extractor loses the lines above the definition.
        #expect(try ProgramExtractor.extract(from: program) != program, "the extractor kept the file whole; the test no longer shows the cause")
        let outcome = try await ProgramApplier().apply([LabelingProgram(name: "edited", code: edited)],
                                                       to: try dataset.split(.valid).texts, classCount: dataset.classCount)
        #expect(outcome.reports[0].loadError == nil && outcome.reports[0].faultCount == 0, "\(outcome.reports[0])")
        #expect(throws: ExtractionError.self) { try ProgramExtractor.editedProgram("x = 1\n") }
    }
}
