import Engine
import Foundation

/// A folder or file the app uses, shown short, and whether it exists yet.
public struct FolderStatus: Sendable, Equatable {
    public var label: String
    public var url: URL
    public var exists: Bool

    public init(label: String, url: URL, exists: Bool) {
        self.label = label
        self.url = url
        self.exists = exists
    }

    /// Data, programs, app home, ledger and user themes, checked on disk now.
    public static func rows(paths: AppPaths) -> [FolderStatus] {
        [("data", paths.dataDir), ("programs", paths.lfDir), ("app home", paths.appHome),
         ("ledger", Ledger.defaultPath(appHome: paths.appHome)), ("user themes", ThemeCatalog.userFolder(appHome: paths.appHome))]
            .map { FolderStatus(label: $0.0, url: $0.1, exists: FileManager.default.fileExists(atPath: $0.1.path)) }
    }

    /// `url` relative to `project` (the folder of config.json) when inside it, else with the home
    /// folder written `~`, else in full.
    public static func shortPath(_ url: URL, project: URL, home: String) -> String {
        let path = url.standardizedFileURL.path
        let projectPath = project.standardizedFileURL.path
        if path == projectPath { return "." }
        if path.hasPrefix(projectPath + "/") { return String(path.dropFirst(projectPath.count + 1)) }
        let homePath = home.hasSuffix("/") ? String(home.dropLast()) : home
        if !homePath.isEmpty, path == homePath { return "~" }
        if !homePath.isEmpty, path.hasPrefix(homePath + "/") { return "~" + path.dropFirst(homePath.count) }
        return path
    }
}
