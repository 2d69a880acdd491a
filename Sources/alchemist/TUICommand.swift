import ArgumentParser
import Engine
import TUI

/// `alchemist tui`: the full-screen front end (first step: the setup screen).
struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Full-screen terminal UI (first step: the setup screen).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            try TUIApp.run(config: config, paths: paths)
        }
    }
}
