import ArgumentParser
import Engine
import Foundation

@main
struct Alchemist: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alchemist",
        abstract: "Labeling programs written by LLMs, applied locally, combined by weak supervision.",
        discussion: "Without a subcommand: the full-screen interface in a terminal (also `alchemist tui`), the overview otherwise.",
        subcommands: [Start.self, Overview.self, DatasetsCommand.self, ApplyCommand.self, LabelCommand.self, ExportCommand.self, PredictCommand.self, RunsCommand.self, GenerateCommand.self, KnowledgeCommand.self, ProgramsCommand.self, PricingCommand.self, TUICommand.self, SparkWorkerCommand.self],
        defaultSubcommand: Start.self)
}

/// Options every command shares.
struct CommonOptions: ParsableArguments {
    @Option(help: "Configuration file (default: $ALCHEMIST_CONFIG, else ./config.json).")
    var config: String?

    @Option(name: .customLong("data-dir"), help: "Dataset folder; repeat for more, searched in order (the first is where datasets are added and fetched; default: $ALCHEMIST_DATA_DIR, else config.json's data_dir and data_dirs).")
    var dataDir: [String] = []

    @Option(name: .customLong("lf-dir"), help: "Labeling-program folder (default: config.json, else under the app home).")
    var lfDir: String?

    @Flag(name: .customLong("unsafe-no-os-sandbox"),
          help: "Run labeling programs even where no operating-system sandbox (bubblewrap) can be made, with the Python-level checks alone. Not a boundary: only for code you trust.")
    var unsafeNoOSSandbox = false

    func load() throws -> (AppConfig, AppPaths) {
        var config = try ConfigLoader.load(from: try ConfigLoader.locate(explicit: self.config))
        config.sandbox.allowWithoutOSSandbox = unsafeNoOSSandbox
        return (config, AppPaths.resolve(config: config, dataDirFlags: dataDir, lfDirFlag: lfDir))
    }
}

/// Bad input found by the command line itself: printed as one line on stderr, exit status 2.
struct BadInput: InputError {
    let description: String
    init(_ description: String) { self.description = description }
}

extension AsyncParsableCommand {
    /// Runs `body`, turning the engine's input errors into exit status 2 with a one-line reason.
    func reportingBadInput(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as any InputError {
            FileHandle.standardError.write(Data("alchemist: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch let error as SandboxError {
            FileHandle.standardError.write(Data("alchemist: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as SparkJobError {
            FileHandle.standardError.write(Data("alchemist: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}
