@testable import Engine
import Foundation
import Testing
import TestSupport

/// The one-line description of a dataset (both front ends) and the names a new dataset may take.
@Suite struct DatasetSummaryTests {
    @Test func splitsTextNamesClassesRowsAndBalance() {
        let names = ["ham", "spam"]
        let train = DatasetSplit(name: .train, ids: (0..<1586).map(String.init), texts: Array(repeating: "t", count: 1586),
                                 labels: Array(repeating: nil, count: 1586))
        let valid = DatasetSplit(name: .valid, ids: (0..<4).map(String.init), texts: Array(repeating: "t", count: 4), labels: [0, 0, 1, nil])
        let dataset = Dataset(name: "youtube", labelNames: names, location: URL(fileURLWithPath: "/tmp"), format: .jsonl,
                              splits: [.train: train, .valid: valid])
        #expect(dataset.splitsText == "ham/spam · train 1,586 (unlabeled) · valid 4 (ham 67%, spam 33% of 3 labeled)")
        #expect(CountText.grouped(1234567) == "1,234,567" && CountText.grouped(999) == "999")
    }

    @Test func aNameFromTheFileAndTheNamesRefused() throws {
        #expect(DatasetImport.suggestedName(for: URL(fileURLWithPath: "/x/My tickets (2024).csv")) == "My_tickets_2024")
        #expect(DatasetImport.suggestedName(for: URL(fileURLWithPath: "/x/--.csv")) == "dataset")
        let config = try TestEnvironment.config()
        #expect(DatasetImport.reservedNames(config).contains("youtube"))
        let home = try TestEnvironment.temporaryFolder("names")
        defer { try? FileManager.default.removeItem(at: home) }
        let catalog = DatasetCatalog(config: config, paths: TestEnvironment.paths(config: config, dataDir: home, home: home))
        #expect(throws: DatasetError.self) { try DatasetImport.requireNewName("demo", catalog: catalog) }  // the bundled demo
        try DatasetImport.requireNewName("demo", catalog: catalog, replace: true)
        try DatasetImport.requireNewName("brand-new", catalog: catalog)
    }
}
