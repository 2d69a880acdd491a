import Foundation

/// Resolves the folders the app reads and writes.
public struct AppPaths: Sendable, Equatable {
    /// Datasets are looked up here first.
    public var dataDir: URL
    /// Further dataset folders, searched after `dataDir` in this order; `datasets add` and
    /// `datasets fetch` write into `dataDir` only.
    public var extraDataDirs: [URL] = []
    /// Datasets shipped with the project (the demo), looked up when absent from `dataDir`.
    public var bundledDataDir: URL
    /// Ledger, caches and tool environments.
    public var appHome: URL
    public var lfDir: URL
    public var expLogDir: URL

    /// Saved labeling runs (`RunFolder`), `<app home>/runs/<dataset>/<run id>/`, for both front ends.
    public var runsFolder: URL { appHome.appendingPathComponent("runs") }

    /// `ALCHEMIST_HOME`, else `$XDG_DATA_HOME/alchemist`, else `~/.local/share/alchemist`.
    /// A relative `configured` path is taken relative to `base` (the config file's folder).
    public static func appHome(configured: String?, environment: [String: String], base: URL? = nil) -> URL {
        if let home = environment["ALCHEMIST_HOME"], !home.isEmpty { return URL(fileURLWithPath: home) }
        if let configured, !configured.isEmpty {
            return URL(fileURLWithPath: (configured as NSString).expandingTildeInPath, relativeTo: base).standardizedFileURL
        }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("alchemist") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/share/alchemist")
    }

    /// Every folder datasets are looked up in, first to last (the first holding a name wins).
    public var dataSearchFolders: [URL] {
        var folders: [URL] = []
        for folder in [dataDir] + extraDataDirs + [bundledDataDir] where !folders.contains(folder) { folders.append(folder) }
        return folders
    }

    /// Data folders: the `--data-dir` flags (the first is where datasets are written), else
    /// `ALCHEMIST_DATA_DIR`, else config.json's `data_dir`; then config.json's `data_dirs`, unless
    /// flags were given. Relative config paths are relative to the config file's folder.
    public static func resolve(config: AppConfig, dataDirFlags: [String], lfDirFlag: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> AppPaths {
        var paths = resolve(config: config, dataDirFlag: dataDirFlags.first, lfDirFlag: lfDirFlag,
                            environment: environment, currentDirectory: currentDirectory)
        if dataDirFlags.count > 1 {
            paths.extraDataDirs = dataDirFlags.dropFirst().map {
                URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath, relativeTo: currentDirectory).standardizedFileURL
            }
        }
        return paths
    }

    /// Data folder: `dataDirFlag`, else `ALCHEMIST_DATA_DIR`, else config.json (relative to its folder).
    public static func resolve(config: AppConfig, dataDirFlag: String? = nil, lfDirFlag: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> AppPaths {
        let configDir = config.sourceFile.deletingLastPathComponent()
        func relative(_ path: String, to base: URL) -> URL {
            URL(fileURLWithPath: (path as NSString).expandingTildeInPath, relativeTo: base).standardizedFileURL
        }
        let bundled = relative(config.paths.dataDir, to: configDir)
        let data: URL
        if let flag = dataDirFlag { data = relative(flag, to: currentDirectory) }
        else if let env = environment["ALCHEMIST_DATA_DIR"], !env.isEmpty { data = relative(env, to: currentDirectory) }
        else { data = bundled }
        let home = appHome(configured: config.paths.appHome, environment: environment, base: configDir)
        let lf = lfDirFlag.map { relative($0, to: currentDirectory) }
            ?? config.paths.lfDir.map { relative($0, to: configDir) } ?? home.appendingPathComponent("programs")
        let log = config.paths.expLogDir.map { relative($0, to: configDir) } ?? home.appendingPathComponent("exp_log")
        let extra = dataDirFlag == nil ? config.paths.dataDirs.map { relative($0, to: configDir) } : []
        return AppPaths(dataDir: data, extraDataDirs: extra, bundledDataDir: bundled, appHome: home, lfDir: lf, expLogDir: log)
    }
}
