import Engine
import Foundation

/// The themes there are: `themes/*.json` beside config.json (bundled), then `<app home>/themes/*.json`
/// (the user's), where a file of the same name replaces the bundled one. A theme's name is its file
/// name without `.json`. `default` and `monochrome` exist even without their files.
public struct ThemeCatalog: Sendable {
    public enum Origin: String, Sendable {
        case bundled, user
        /// Compiled in: its file is absent.
        case builtIn = "built-in"
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var origin: Origin
        /// nil for a built-in theme.
        public var file: URL?
    }

    public let bundledFolder: URL?
    public let userFolder: URL?

    public init(bundledFolder: URL?, userFolder: URL?) {
        self.bundledFolder = bundledFolder
        self.userFolder = userFolder
    }

    /// The project's `themes/` (beside config.json) and `<app home>/themes`.
    public init(config: AppConfig, paths: AppPaths) {
        self.init(bundledFolder: Self.bundledFolder(config: config), userFolder: Self.userFolder(appHome: paths.appHome))
    }

    public static func bundledFolder(config: AppConfig) -> URL {
        config.sourceFile.deletingLastPathComponent().appendingPathComponent("themes")
    }

    public static func userFolder(appHome: URL) -> URL {
        appHome.appendingPathComponent("themes")
    }

    /// Every theme once, `default` first, then by name; a user file hides a bundled one.
    public func entries() -> [Entry] {
        var byName: [String: Entry] = [:]
        for builtIn in [Theme.builtIn.name, Theme.monochrome.name] {
            byName[builtIn] = Entry(name: builtIn, origin: .builtIn, file: nil)
        }
        for (folder, origin) in [(bundledFolder, Origin.bundled), (userFolder, Origin.user)] {
            for file in Self.themeFiles(in: folder) {
                let name = file.deletingPathExtension().lastPathComponent
                byName[name] = Entry(name: name, origin: origin, file: file)
            }
        }
        return byName.values.sorted { left, right in
            if (left.name == Theme.builtIn.name) != (right.name == Theme.builtIn.name) { return left.name == Theme.builtIn.name }
            return left.name < right.name
        }
    }

    public var names: [String] { entries().map(\.name) }

    /// The theme called `name`; an unknown name is an error listing the known ones, a broken file an
    /// error naming the file and key.
    public func theme(named name: String) throws -> Theme {
        let entries = entries()
        guard let entry = entries.first(where: { $0.name == name }) else {
            throw ThemeError(description: "unknown theme \"\(name)\" (known: \(entries.map(\.name).joined(separator: ", ")))")
        }
        return try theme(entry)
    }

    public func theme(_ entry: Entry) throws -> Theme {
        guard let file = entry.file else { return entry.name == Theme.monochrome.name ? .monochrome : .builtIn }
        var theme = try Theme.load(from: file)
        theme.name = entry.name
        return theme
    }

    /// The `.json` files of `folder`, by name; none when it is absent.
    static func themeFiles(in folder: URL?) -> [URL] {
        guard let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }
}
