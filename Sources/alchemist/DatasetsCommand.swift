import ArgumentParser
import Engine
import Foundation

struct DatasetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "List datasets, fetch a named one, or add your own from a file.",
        subcommands: [List.self, Fetch.self, DatasetsAddCommand.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every dataset with its split sizes, class balance and whether it is present.")
        @OptionGroup var common: CommonOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingBadInput {
                let (config, paths) = try common.load()
                let catalog = DatasetCatalog(config: config, paths: paths)
                var rows: [[String: Any]] = []
                var lines: [String] = ["Datasets (data folder: \(paths.dataDir.path))", ""]
                for entry in catalog.entries() {
                    var row: [String: Any] = ["name": entry.name, "classes": entry.labels, "present": entry.isPresent,
                                              "origin": entry.origin.rawValue, "fetchable": entry.isFetchable]
                    if let why = entry.noPublicSource { row["no_public_source"] = why }
                    var text = "\(entry.name.padding(toLength: 10, withPad: " ", startingAt: 0)) "
                    if entry.isPresent {
                        do {
                            let dataset = try catalog.load(entry.name)
                            var sizes: [String: Int] = [:]
                            for split in SplitName.allCases {
                                if let rows = dataset.splits[split] { sizes[split.rawValue] = rows.count }
                            }
                            row["splits"] = sizes
                            row["folder"] = dataset.location.path
                            text += dataset.splitsText
                            // What loading skipped (hand labels of unknown rows or classes, malformed lines).
                            if !dataset.warnings.isEmpty { row["warnings"] = dataset.warnings }
                            for warning in dataset.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                        } catch {
                            row["error"] = "\(error)"
                            text += "present but unreadable: \(error)"
                        }
                    } else {
                        text += "absent — classes \(entry.labels.joined(separator: "/"))"
                        text += entry.isFetchable ? "; `alchemist datasets fetch \(entry.name)`" : "; \(entry.noPublicSource ?? "no public source known")"
                    }
                    rows.append(row)
                    lines.append(text)
                }
                if json {
                    let data = try JSONSerialization.data(withJSONObject: ["data_dir": paths.dataDir.path, "datasets": rows], options: [.sortedKeys])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    print(lines.joined(separator: "\n"))
                }
            }
        }
    }

    struct Fetch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a named dataset: WRENCH files from the mirror, or its public source converted to the project's layout (docs/DATASETS.md).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "Dataset name.") var name: String?
        @Flag(help: "Fetch every named dataset that is absent and has a source.") var all = false
        @Flag(help: "Download again when the dataset is already present.") var force = false
        @Option(name: .customLong("base-url"), help: "Mirror base URL (default: config.json fetch.base_url); given, public sources are read from <base>/<dataset>/<file> too.") var baseURL: String?

        func run() async throws {
            try await reportingBadInput {
                let (config, paths) = try common.load()
                let specs: [DatasetSpec]
                switch (name, all) {
                case (nil, false): throw BadInput("name a dataset, or pass --all")
                case (.some, true): throw BadInput("give a dataset name or --all, not both")
                case (nil, true):
                    let names = Set(DatasetCatalog(config: config, paths: paths).absentFetchable().map(\.name))
                    specs = config.datasets.filter { names.contains($0.name) }
                    if specs.isEmpty { print("nothing to fetch: every named dataset with a source is present") }
                case (let name?, false):
                    guard let spec = config.dataset(named: name) else {
                        throw BadInput("unknown dataset \"\(name)\" (known: \(config.datasets.map(\.name).joined(separator: ", ")))")
                    }
                    specs = [spec]
                }
                let fetcher = try DatasetFetcher.mirror(config: config, flag: baseURL)
                var failures: [String] = []
                for spec in specs {
                    let bar = ProgressLine(label: "", enabled: isatty(2) != 0)
                    do {
                        let folder = try await fetcher.fetch(spec, into: paths.dataDir, replace: force) { progress in
                            bar.update(Int(progress.received), Int(progress.expected ?? 0), label: "\(spec.name)/\(progress.file)")
                        }
                        bar.finish()
                        print("fetched \(spec.name) into \(folder.path)")
                    } catch {
                        bar.finish()
                        guard all else { throw error }
                        failures.append("\(spec.name): \(error)")
                    }
                }
                if !failures.isEmpty { throw BadInput("could not fetch \(failures.count) dataset(s):\n" + failures.joined(separator: "\n")) }
            }
        }
    }
}
