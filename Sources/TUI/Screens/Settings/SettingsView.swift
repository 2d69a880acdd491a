import Engine
import Foundation

/// The settings screen: a theme picker with live preview, the API keys' status (never their values),
/// the folders the app uses and the default models. A value: `handle` changes it and says what the
/// app should do; `draw` renders it.
public struct SettingsView: Sendable {
    /// A theme of the picker: loaded, or the reason its file cannot be used.
    public struct ThemeRow: Sendable, Equatable {
        public var name: String
        public var origin: ThemeCatalog.Origin
        public var theme: Theme?
        public var error: String?

        public init(name: String, origin: ThemeCatalog.Origin, theme: Theme?, error: String? = nil) {
            self.name = name
            self.origin = origin
            self.theme = theme
            self.error = error
        }
    }

    public private(set) var themes: [ThemeRow]
    public private(set) var selected: Int
    /// The theme in use before any preview: esc restores it; enter makes the kept theme this.
    public private(set) var inUse: Theme
    /// The theme the app shows now (the last preview).
    public private(set) var shown: Theme
    public let policy: ColorPolicy
    public let keys: [KeyStatus]
    public let folders: [FolderStatus]
    public let codeModel: String
    public let dataset: String
    /// Paths are shown relative to this folder (the one holding config.json) …
    public let projectFolder: URL
    /// … or with this home folder written `~`.
    public let homeFolder: String
    /// Where bundled and user themes live (shown in the status line).
    public let themeFolders: (bundled: String, user: String)
    /// The last message (a kept theme, a broken file), and whether it is an error.
    public private(set) var message: (text: String, isError: Bool)?
    /// First line of the keys/models/folders box shown.
    public private(set) var infoScroll = 0

    public init(themes: [ThemeRow], current: Theme, policy: ColorPolicy, keys: [KeyStatus], folders: [FolderStatus],
                codeModel: String, dataset: String, projectFolder: URL, homeFolder: String,
                themeFolders: (bundled: String, user: String) = ("themes", "~/.local/share/alchemist/themes")) {
        self.themes = themes
        self.selected = themes.firstIndex { $0.name == current.name } ?? 0
        self.inUse = current
        self.shown = current
        self.policy = policy
        self.keys = keys
        self.folders = folders
        self.codeModel = codeModel
        self.dataset = dataset
        self.projectFolder = projectFolder
        self.homeFolder = homeFolder
        self.themeFolders = themeFolders
    }

    /// Everything read now from the configuration, the disk and the environment. `current` is the
    /// theme in use (already resolved by `policy`).
    public init(config: AppConfig, paths: AppPaths, keys: APIKeys, environment: [String: String] = ProcessInfo.processInfo.environment,
                current: Theme, policy: ColorPolicy) {
        let catalog = ThemeCatalog(config: config, paths: paths)
        let rows = catalog.entries().map { entry -> ThemeRow in
            do { return ThemeRow(name: entry.name, origin: entry.origin, theme: try catalog.theme(entry)) }
            catch { return ThemeRow(name: entry.name, origin: entry.origin, theme: nil, error: "\(error)") }
        }
        let project = config.sourceFile.deletingLastPathComponent()
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        self.init(themes: rows, current: current, policy: policy,
                  keys: KeyStatus.rows(config: config, keys: keys, environment: environment),
                  folders: FolderStatus.rows(paths: paths),
                  codeModel: GenerationDefaults.codeModel(config: config, keys: keys),
                  dataset: GenerationDefaults.dataset(DatasetCatalog(config: config, paths: paths)),
                  projectFolder: project, homeFolder: home,
                  themeFolders: (FolderStatus.shortPath(ThemeCatalog.bundledFolder(config: config), project: project, home: home),
                                 FolderStatus.shortPath(ThemeCatalog.userFolder(appHome: paths.appHome), project: project, home: home)))
    }

    /// Acts on `key`: moving previews, enter keeps, esc closes. Keys the screen does not bind (q, ?)
    /// give nil and are the app's to handle.
    public mutating func handle(_ key: Key) -> SettingsRequest? {
        switch KeyBindings.action(for: key, in: .settings) {
        case .selectPrevious?: return select(selected - 1)
        case .selectNext?: return select(selected + 1)
        case .selectFirst?: return select(0)
        case .selectLast?: return select(themes.count - 1)
        case .applyTheme?:
            guard let theme = selectedTheme() else { return nil }
            inUse = theme
            shown = theme
            message = ("kept the \(theme.name) theme (remembered in settings.json)", false)
            return .apply(theme)
        case .closeSettings?:
            shown = inUse
            return .close(restoring: inUse)
        case .scrollDown?:
            infoScroll = min(infoScroll + 3, max(0, infoLines().count - 1))
            return nil
        case .scrollUp?:
            infoScroll = max(0, infoScroll - 3)
            return nil
        default:
            return nil
        }
    }

    private mutating func select(_ index: Int) -> SettingsRequest? {
        guard !themes.isEmpty else { return nil }
        let index = min(max(0, index), themes.count - 1)
        guard index != selected else { return nil }
        selected = index
        guard let theme = selectedTheme() else { return nil }
        message = nil
        shown = theme
        return .preview(theme)
    }

    /// The selected theme as the app would show it; nil (and the reason as the message) when its
    /// file is broken.
    private mutating func selectedTheme() -> Theme? {
        let row = themes[selected]
        guard let theme = row.theme else {
            message = (row.error ?? "the \(row.name) theme cannot be used", true)
            return nil
        }
        return policy.applied(to: theme)
    }
}
