import Foundation

/// A dataset the tool can offer: one of the named ten, or a folder the user made.
public struct DatasetEntry: Sendable, Equatable {
    public enum Origin: String, Sendable { case named, custom }
    public var name: String
    public var title: String
    public var labels: [String]
    public var description: String
    public var origin: Origin
    /// Where the files are; nil when the dataset is not on disk.
    public var folder: URL?
    /// Folder name on the WRENCH mirror, when the dataset comes from there.
    public var fetchName: String?
    /// Where `datasets fetch` gets a named dataset (mirror, public source, or none and why); nil for custom ones.
    public var fetchRoute: FetchRoute?

    public var isPresent: Bool { folder != nil }
    /// `datasets fetch` can get it (from the mirror or its public source).
    public var isFetchable: Bool { fetchRoute?.isFetchable ?? false }
    /// For a named dataset without a public source: why, and that `datasets add NAME --from FILE` adds it.
    public var noPublicSource: String? {
        if case .unavailable(let reason) = fetchRoute { return reason }
        return nil
    }
}

/// Finds datasets in the data folder (then the project's bundled folder) and loads them.
public struct DatasetCatalog: Sendable {
    public let config: AppConfig
    public let paths: AppPaths

    public init(config: AppConfig, paths: AppPaths) {
        self.config = config
        self.paths = paths
    }

    var searchFolders: [URL] { paths.dataSearchFolders }

    /// The named datasets in config order, then custom ones in name order.
    public func entries() -> [DatasetEntry] {
        var result = config.datasets.map { spec in
            DatasetEntry(name: spec.name, title: spec.title, labels: spec.labels, description: spec.description,
                         origin: .named, folder: folder(forNamed: spec.name), fetchName: spec.fetchName,
                         fetchRoute: FetchRoute.of(spec))
        }
        var seen = Set(result.map(\.name))
        for base in searchFolders {
            let children = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
            for child in children.sorted() where !child.hasPrefix(".") {
                let folder = base.appendingPathComponent(child)
                let manifestFile = folder.appendingPathComponent("dataset.json")
                guard FileManager.default.fileExists(atPath: manifestFile.path),
                      let manifest = try? CustomDatasetManifest.read(manifestFile), !seen.contains(manifest.name) else { continue }
                seen.insert(manifest.name)
                result.append(DatasetEntry(name: manifest.name, title: manifest.name, labels: manifest.classes,
                                           description: manifest.description, origin: .custom, folder: folder, fetchName: nil, fetchRoute: nil))
            }
        }
        return result
    }

    public func entry(named name: String) -> DatasetEntry? { entries().first { $0.name == name } }

    /// What `datasets fetch --all` fetches: the named datasets that are absent and can be fetched, in config order.
    public func absentFetchable() -> [DatasetEntry] { entries().filter { $0.origin == .named && !$0.isPresent && $0.isFetchable } }

    func folder(forNamed name: String) -> URL? {
        for base in searchFolders {
            let folder = base.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("label.json").path)
                || FileManager.default.fileExists(atPath: folder.appendingPathComponent("dataset.json").path) {
                return folder
            }
        }
        return nil
    }

    /// The entry of a dataset that is on disk, and its folder, with an error that says where it
    /// looked and how to get it.
    func locate(_ name: String) throws -> (DatasetEntry, URL) {
        guard let entry = entry(named: name) else {
            let known = entries().map(\.name).joined(separator: ", ")
            throw DatasetError(file: paths.dataDir.path, reason: "unknown dataset \"\(name)\" (known: \(known))")
        }
        guard let folder = entry.folder else {
            let hint = entry.isFetchable ? "run `alchemist datasets fetch \(name)`" : (entry.noPublicSource ?? "put its files in \(paths.dataDir.appendingPathComponent(name).path)")
            throw DatasetError(file: paths.dataDir.appendingPathComponent(name).path, reason: "dataset \(name) is not present: \(hint)")
        }
        return (entry, folder)
    }

    /// Loads a dataset by name with its hand labels applied (`HandLabels.applied(to:)`), with an
    /// error that says where it looked and how to get it.
    public func load(_ name: String) throws -> Dataset {
        let dataset = try loadFiles(name)
        return try HandLabels.load(folder: dataset.location).applied(to: dataset)
    }

    /// Loads a dataset by name as its split files have it, without its hand labels.
    public func loadFiles(_ name: String) throws -> Dataset {
        let (entry, folder) = try locate(name)
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("dataset.json").path) {
            return try CustomDatasetLoader.load(folder: folder)
        }
        var dataset = try WrenchLoader.load(folder: folder, name: name, expectedLabels: entry.origin == .named ? entry.labels : nil)
        dataset.labelNames = entry.labels  // the catalog's spelling ("spam", not "SPAM")
        return dataset
    }
}
