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
                                              "origin": entry.origin.rawValue, "fetchable": entry.fetchName != nil]
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
                        text += entry.fetchName != nil ? "; `alchemist datasets fetch \(entry.name)`" : "; no public mirror known"
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
        static let configuration = CommandConfiguration(abstract: "Download a dataset's WRENCH files from its public mirror.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "Dataset name.") var name: String
        @Flag(help: "Download again when the dataset is already present.") var force = false
        @Option(name: .customLong("base-url"), help: "Mirror base URL (default: config.json fetch.base_url).") var baseURL: String?

        func run() async throws {
            try await reportingBadInput {
                let (config, paths) = try common.load()
                guard let spec = config.dataset(named: name) else {
                    throw BadInput("unknown dataset \"\(name)\" (known: \(config.datasets.map(\.name).joined(separator: ", ")))")
                }
                let bar = ProgressLine(label: "", enabled: isatty(2) != 0)
                let fetcher = try DatasetFetcher.mirror(config: config, flag: baseURL)
                defer { bar.finish() }
                let folder = try await fetcher.fetch(spec, into: paths.dataDir, replace: force) { progress in
                    bar.update(Int(progress.received), Int(progress.expected ?? 0), label: "\(spec.name)/\(progress.file)")
                }
                print("fetched \(spec.name) into \(folder.path)")
            }
        }
    }
}
