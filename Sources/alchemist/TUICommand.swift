import ArgumentParser
import Foundation
import Engine
import TUI

/// `alchemist tui`: the full-screen front end.
struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "The full-screen terminal UI (what `alchemist` opens in a terminal).")

    @OptionGroup var common: CommonOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            try await TUIApp.runOnOwnThread(config: config, paths: paths)
        }
    }
}

/// `alchemist` with no arguments: the TUI in a terminal, the printed overview otherwise (a pipe,
/// a CI log).
struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "The TUI in a terminal, else the overview.", shouldDisplay: false)

    @OptionGroup var common: CommonOptions

    func run() async throws {
        guard isatty(0) != 0, isatty(1) != 0 else {
            var overview = Overview()
            overview.common = common
            try await overview.run()
            return
        }
        var tui = TUICommand()
        tui.common = common
        try await tui.run()
    }
}
