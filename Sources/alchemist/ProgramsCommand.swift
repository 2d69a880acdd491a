import ArgumentParser
import Engine
import Foundation

struct ProgramsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programs", abstract: "List saved labeling programs, save a hand-written one, or export them.",
        subcommands: [List.self, Save.self, Export.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Saved programs with their tokens and cost.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            try await reportingBadInput {
                let (_, paths) = try common.load()
                guard FileManager.default.fileExists(atPath: paths.lfDir.path) else {
                    print("no programs yet in \(paths.lfDir.path)")
                    return
                }
                let programs = try ProgramStore.programs(under: paths.lfDir)
                var total = USD.zero
                for program in programs {
                    let cost = program.totalCost
                    total += cost
                    let tokens = (program.inputTokens ?? 0) + (program.outputTokens ?? 0)
                    print("\(program.name)  tokens \(tokens)  $\(cost)")
                }
                print("\(programs.count) programs in \(paths.lfDir.path), total $\(total)")
            }
        }
    }

    struct Save: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a Python file as the next LF<n>.py of a dataset/mode/model folder (cost $0).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Dataset name.") var dataset: String
        @Option(help: "Mode id (scriptorium, alchemist, alchemist-rag).") var mode: String = "scriptorium"
        @Option(name: .customLong("code-model"), help: "Model id the program is filed under.") var codeModel: String = "handwritten"
        @Option(help: "Prior-knowledge type: its id or full name.") var prior: String?
        @Argument(help: "Python file defining label_function.") var file: String

        func run() async throws {
            try await reportingBadInput {
                let (config, paths) = try common.load()
                guard config.mode(id: mode) != nil else { throw BadInput("--mode: unknown mode \"\(mode)\"") }
                var priorID: String?
                if let prior {
                    guard let found = config.priorType(named: prior) else { throw BadInput("--prior: unknown prior type \"\(prior)\"") }
                    priorID = found.id
                }
                guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                    throw BadInput("\(file): cannot read it as UTF-8 text")
                }
                let code: String
                do { code = try ProgramExtractor.extract(from: text) } catch let error as ExtractionError {
                    throw BadInput("\(file): \(error.reason)")
                }
                let saved = try ProgramStore(root: paths.lfDir).saveHandwritten(code: code, from: file, dataset: dataset, mode: mode,
                                                                                codeModel: codeModel, prior: priorID)
                print(saved.path)
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a dataset's programs into a folder that needs nothing of this tool.",
            discussion: "The folder holds the program files, labeling_functions.py (plain functions and snorkel LabelingFunctions), apply.py (standard library only: python3 apply.py INPUT OUTPUT [--text-column C]) and a README with each program's provenance, cost and latest test.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Dataset name.") var dataset: String
        @Flag(help: "Export disabled programs too.") var all = false
        @Option(help: "The folder to write.") var to: String
        @Flag(help: "Replace the folder when it exists.") var force = false

        func run() async throws {
            try await reportingBadInput {
                let (config, paths) = try common.load()
                guard let entry = DatasetCatalog(config: config, paths: paths).entry(named: dataset) else {
                    throw BadInput("--dataset: unknown dataset \"\(dataset)\"")
                }
                let bundle = try ProgramBundle.load(dataset: dataset, classes: entry.labels, root: paths.lfDir, all: all)
                let folder = try bundle.write(to: URL(fileURLWithPath: to), replace: force)
                print("exported \(bundle.programs.count) program\(bundle.programs.count == 1 ? "" : "s") of \(dataset) to \(folder.path)")
                print("  python3 \(folder.appendingPathComponent("apply.py").path) INPUT.csv VOTES.csv")
            }
        }
    }
}
