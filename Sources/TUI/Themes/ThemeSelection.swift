import Engine
import Foundation

/// The command line's say on colours: `--theme NAME` and `--no-color`.
public struct ThemeFlags: Sendable, Equatable {
    public var theme: String?
    public var noColor: Bool

    public init(theme: String? = nil, noColor: Bool = false) {
        self.theme = theme
        self.noColor = noColor
    }
}

/// Which theme the TUI starts with: `--theme` > the pick remembered in settings.json > `default`;
/// then without colours when `--no-color` or NO_COLOR says so.
public enum ThemeSelection {
    public static func resolve(config: AppConfig, paths: AppPaths, flags: ThemeFlags = ThemeFlags(),
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Theme {
        let remembered = try UserSettings.load(from: UserSettings.file(appHome: paths.appHome)).theme
        let theme = try pick(catalog: ThemeCatalog(config: config, paths: paths), flag: flags.theme, remembered: remembered)
        return ColorPolicy(noColorFlag: flags.noColor, environment: environment).applied(to: theme)
    }

    /// The flag's theme (an unknown name is an error listing the known ones), else the remembered one
    /// when it still exists (its file may have been removed since), else `default`.
    public static func pick(catalog: ThemeCatalog, flag: String?, remembered: String?) throws -> Theme {
        if let flag { return try catalog.theme(named: flag) }
        if let remembered, catalog.names.contains(remembered) { return try catalog.theme(named: remembered) }
        return try catalog.theme(named: Theme.builtIn.name)
    }
}
