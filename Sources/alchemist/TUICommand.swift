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
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            try await TUIApp.runOnOwnThread(config: config, paths: paths, themeFlags: display.themeFlags)
        }
    }
}

/// How the TUI looks: `--theme NAME` and `--no-color` (shared by `tui` and the default command).
struct DisplayOptions: ParsableArguments {
    @Option(help: "Colour theme: default, light, high-contrast, monochrome, or one of yours in <app home>/themes (default: the one picked in the settings, else default).")
    var theme: String?

    @Flag(name: .customLong("no-color"), help: "No colours: bold, reverse and underline only (as NO_COLOR does).")
    var noColor = false

    var themeFlags: ThemeFlags { ThemeFlags(theme: theme, noColor: noColor) }
}

/// `alchemist` with no arguments: the TUI in a terminal, the printed overview otherwise (a pipe,
/// a CI log).
struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "The TUI in a terminal, else the overview.", shouldDisplay: false)

    @OptionGroup var common: CommonOptions
    @OptionGroup var display: DisplayOptions

    func run() async throws {
        guard isatty(0) != 0, isatty(1) != 0 else {
            var overview = Overview()
            overview.common = common
            try await overview.run()
            return
        }
        var tui = TUICommand()
        tui.common = common
        tui.display = display
        try await tui.run()
    }
}
