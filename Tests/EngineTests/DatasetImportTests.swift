@testable import Engine
import Foundation
import Testing
import TestSupport

/// `datasets add` in the engine: column choice, classes, the stratified seeded split, and a write
/// that is whole or nothing.
@Suite struct DatasetImportTests {
    /// 40 labeled rows (30 ham, 10 spam) and 60 unlabeled ones, ids 100…199.
    static func csv() -> String {
        var lines = ["id,text,label,source"]
        for row in 0..<100 {
            let label = row < 40 ? (row % 4 == 0 ? "spam" : "ham") : ""
            lines.append("\(100 + row),\"message \(row), text\",\(label),web")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func file(_ content: String, _ name: String = "rows.csv") throws -> (URL, URL) {
        let folder = try TestEnvironment.temporaryFolder("import")
        let file = folder.appendingPathComponent(name)
        try Data(content.utf8).write(to: file)
        return (folder, file)
    }

    @Test func theSplitIsStratifiedSeededAndKeepsIDs() throws {
        let (folder, source) = try file(Self.csv())
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try DatasetImport.plan(DatasetImportRequest(name: "mine", source: source, seed: 7))
        #expect(plan.textColumn == "text" && plan.labelColumn == "label" && plan.idColumn == "id")
        #expect(plan.classes == ["spam", "ham"])  // order of first appearance
        #expect(plan.labeledCount == 40 && plan.rowCount == 100)
        // Defaults under 2,000 labeled rows with unlabeled ones present: half and half of the labeled.
        #expect(plan.classCounts(plan.split.valid) == [5, 15] && plan.classCounts(plan.split.test) == [5, 15])
        #expect(plan.split.train.count == 60 && plan.classCounts(plan.split.train) == [0, 0])
        let again = try DatasetImport.plan(DatasetImportRequest(name: "mine", source: source, seed: 7))
        #expect(again.split == plan.split)
        let other = try DatasetImport.plan(DatasetImportRequest(name: "mine", source: source, seed: 8))
        #expect(other.split.valid != plan.split.valid)
        let counted = try DatasetImport.plan(DatasetImportRequest(name: "mine", source: source, validSize: .count(8), testSize: .fraction(0.1)))
        #expect(counted.classCounts(counted.split.valid) == [2, 6] && counted.split.test.count == 4)
        #expect(counted.classCounts(counted.split.train) == [7, 21])  // test: 4 of the 32 left, by the classes' shares

        let data = folder.appendingPathComponent("data")
        let written = try DatasetImport.write(plan, into: data)
        let dataset = try CustomDatasetLoader.load(folder: written)
        #expect(dataset.labelNames == ["spam", "ham"])
        let valid = try dataset.split(.valid)
        #expect(valid.ids == plan.split.valid.map { plan.ids[$0] })
        #expect(valid.ids.allSatisfy { Int($0).map { (100..<140).contains($0) } ?? false })
        #expect(valid.labels == plan.split.valid.map { plan.labels[$0] })
        #expect(try dataset.split(.train).labeledCount == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path) == ["mine"])  // no staging left
    }

    @Test func columnsAreChosenOrTheErrorListsThem() throws {
        let (folder, source) = try file("body,title,label\nlong text,short,1\nmore,other,0\nthird,t,0\nfourth,u,1\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: DatasetError.self) { try DatasetImport.plan(DatasetImportRequest(name: "x", source: source)) }
        #expect(error.description.contains("body, title") && error.description.contains("--text-column"), "\(error)")
        let plan = try DatasetImport.plan(DatasetImportRequest(name: "x", source: source, textColumn: "body"))
        #expect(plan.classes == ["0", "1"] && plan.labels == [1, 0, 0, 1])  // numeric labels: class "0" is id 0
        #expect(plan.ids == ["0", "1", "2", "3"])  // no id column: positions
        let missing = try #require(throws: DatasetError.self) {
            try DatasetImport.plan(DatasetImportRequest(name: "x", source: source, textColumn: "body", labelColumn: "stars"))
        }
        #expect(missing.description.contains("\"stars\"") && missing.description.contains("body, title, label"), "\(missing)")
        let (other, single) = try file("id,review\n1,good\n2,bad\n", "one.jsonl.csv")
        defer { try? FileManager.default.removeItem(at: other) }
        let noClasses = try #require(throws: DatasetError.self) { try DatasetImport.plan(DatasetImportRequest(name: "x", source: single)) }
        #expect(noClasses.description.contains("--classes"), "\(noClasses)")
        let unlabeled = try DatasetImport.plan(DatasetImportRequest(name: "x", source: single, classes: ["pos", "neg"]))
        #expect(unlabeled.textColumn == "review" && unlabeled.labeledCount == 0 && unlabeled.split.train.count == 2)
        #expect(unlabeled.warnings.contains { $0.contains("no row is labeled") })
    }

    @Test func classesByNameOrIDAndUnknownOnesNameTheLine() throws {
        let (folder, source) = try file("text,label\na,POS\nb,1\nc,neutral\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: DatasetError.self) {
            try DatasetImport.plan(DatasetImportRequest(name: "x", source: source, classes: ["neg", "pos"]))
        }
        #expect(error.description.contains("line 4") && error.description.contains("\"neutral\"") && error.description.contains("\"label\""), "\(error)")
        let plan = try DatasetImport.plan(DatasetImportRequest(name: "x", source: source, classes: ["neg", "pos", "neutral"]))
        #expect(plan.labels == [1, 1, 2])
        // Three labeled rows, three classes, one of which has none: allowed, and said.
        #expect(plan.warnings.contains { $0.contains("no labeled row of neg") }, "\(plan.warnings)")
        #expect(throws: DatasetError.self) { try DatasetImport.plan(DatasetImportRequest(name: "youtube", source: source), reservedNames: ["youtube"]) }
        #expect(throws: DatasetError.self) { try DatasetImport.plan(DatasetImportRequest(name: "../up", source: source)) }
    }

    @Test func emptyTextsAreLeftOutAndSaidDuplicateIDsAreAnError() throws {
        let (folder, source) = try file("id,text,label\n1,a,x\n2,,y\n3,c,y\n4,d,x\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try DatasetImport.plan(DatasetImportRequest(name: "x", source: source))
        #expect(plan.rowCount == 3 && plan.ids == ["1", "3", "4"])
        #expect(plan.warnings.contains { $0.contains("line 3") })
        // Every row labeled and few: a quarter each, so train keeps rows.
        #expect(!plan.split.train.isEmpty)
        let (other, duplicate) = try file("id,text\n1,a\n1,b\n")
        defer { try? FileManager.default.removeItem(at: other) }
        let error = try #require(throws: DatasetError.self) {
            try DatasetImport.plan(DatasetImportRequest(name: "x", source: duplicate, classes: ["a", "b"]))
        }
        #expect(error.description.contains("line 3") && error.description.contains("line 2"), "\(error)")
    }

    @Test func aFailedWriteLeavesNothing() throws {
        let (folder, source) = try file(Self.csv())
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try DatasetImport.plan(DatasetImportRequest(name: "mine", source: source))
        let data = folder.appendingPathComponent("data")
        try DatasetImport.write(plan, into: data)
        // Taken: refused without replace, and the folder is untouched.
        #expect(throws: DatasetError.self) { try DatasetImport.write(plan, into: data) }
        // A data folder that is a file: nothing can be written, nothing is left.
        let notAFolder = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: notAFolder)
        #expect(throws: DatasetError.self) { try DatasetImport.write(plan, into: notAFolder) }
        #expect(try Data(contentsOf: notAFolder) == Data("x".utf8))
        // Replacing swaps the whole folder and leaves no aside copy.
        let smaller = try DatasetImport.plan(DatasetImportRequest(name: "mine", source: source, validSize: .count(2), testSize: .count(2)))
        let answers = Data(#"{"at": "2026-01-01T00:00:00Z", "from": "train", "id": "150", "label": "ham", "split": "valid"}"#.utf8 + [0x0A])
        try answers.write(to: data.appendingPathComponent("mine/\(HandLabels.fileName)"))
        try DatasetImport.write(smaller, into: data, replace: true)
        // The hand labels of the replaced folder are kept.
        #expect(try Data(contentsOf: data.appendingPathComponent("mine/\(HandLabels.fileName)")) == answers)
        #expect(try CustomDatasetLoader.load(folder: data.appendingPathComponent("mine")).split(.valid).count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path) == ["mine"])
    }

    @Test func stratifiedSharesFollowLargestRemainder() {
        #expect(StratifiedSplit.shares(of: 10, counts: [30, 10]) == [8, 2])
        #expect(StratifiedSplit.shares(of: 3, counts: [1, 1, 1]) == [1, 1, 1])
        #expect(StratifiedSplit.shares(of: 5, counts: [1, 9]) == [1, 4])  // 0.5 and 4.5: remainders tie, lower class first
        #expect(StratifiedSplit.shares(of: 50, counts: [2, 3]) == [2, 3])  // never more than there are
        #expect(SplitSize("0.1") == .fraction(0.1) && SplitSize("200") == .count(200) && SplitSize("1.5") == nil && SplitSize("x") == nil)
    }
}
