import ArgumentParser
import Engine
import Foundation

/// `alchemist datasets add NAME --from FILE`: one file of texts becomes a dataset folder.
struct DatasetsAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a dataset from one CSV, TSV, JSONL, JSON or Parquet file.",
        discussion: """
            Unlabeled rows go to train; labeled rows are split, stratified and seeded, into valid and test \
            (the rest to train). Default sizes: below 2,000 labeled rows, half and half of them (a quarter \
            each when every row is labeled); else a tenth each. The folder is written into the first data \
            folder, whole or not at all.
            """)
    @OptionGroup var common: CommonOptions
    @Argument(help: "Name of the new dataset (letters, digits, - and _).") var name: String
    @Option(name: .customLong("from"), help: "The file: .csv, .tsv, .jsonl, .json (an array of objects) or .parquet.") var from: String
    @Option(name: .customLong("text-column"), help: "Column of the texts (default: \"text\", else the only text column).") var textColumn: String?
    @Option(name: .customLong("label-column"), help: "Column of the labels, class names or ids (default: \"label\" when present).") var labelColumn: String?
    @Option(name: .customLong("id-column"), help: "Column of the row ids (default: \"id\" when present, else the row's position).") var idColumn: String?
    @Option(help: "Class names in id order, comma-separated (default: the distinct labels in order of first appearance).") var classes: String?
    @Option(help: "What the texts are and what the classes mean (goes into the prompts).") var description: String?
    @Option(name: .customLong("valid-size"), help: "Labeled rows for valid: a fraction (0.1) or a count (200).") var validSize: String?
    @Option(name: .customLong("test-size"), help: "Labeled rows for test: a fraction (0.1) or a count (200).") var testSize: String?
    @Option(help: "Seed of the split.") var seed: UInt64 = 0
    @Flag(name: .customLong("dry-run"), help: "Show the columns, the choices and the planned split; write nothing.") var dryRun = false
    @Flag(help: "Replace a dataset folder of the same name.") var force = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            func size(_ text: String?, _ flag: String) throws -> SplitSize? {
                guard let text else { return nil }
                guard let size = SplitSize(text) else { throw BadInput("\(flag) \(text): expected a fraction from 0 to 1 (0.1) or a count of rows (200)") }
                return size
            }
            let request = DatasetImport.request(DatasetImportRequest(
                name: name, source: URL(fileURLWithPath: from), textColumn: textColumn, labelColumn: labelColumn,
                idColumn: idColumn, classes: classes.map { $0.split(separator: ",").map(String.init) },
                description: description, validSize: try size(validSize, "--valid-size"), testSize: try size(testSize, "--test-size"),
                seed: seed), config: config)
            let catalog = DatasetCatalog(config: config, paths: paths)
            let plan = try DatasetImport.plan(request, reservedNames: DatasetImport.reservedNames(config))
            try DatasetImport.requireNewName(name, catalog: catalog, replace: force)
            var folder: URL?
            if !dryRun { folder = try DatasetImport.write(plan, into: paths.dataDir, replace: force) }
            if json {
                let data = try JSONSerialization.data(withJSONObject: plan.summaryObject(folder: folder), options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print(plan.summaryLines(folder: folder).joined(separator: "\n"))
            }
        }
    }
}
