import Foundation
import Testing
import TestSupport

/// `apply` goes on past a program file it cannot read, naming it on stderr.
@Suite struct SkippedProgramsCLITests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    /// A folder with the demo's LF1 and a Latin-1 LF2; removed by the caller.
    func folder(withGood: Bool = true) throws -> URL {
        let folder = try TestEnvironment.temporaryFolder("skipped-cli")
        if withGood {
            let good = TestEnvironment.repositoryRoot.appendingPathComponent("examples/programs/demo/LF1.py")
            try FileManager.default.copyItem(at: good, to: folder.appendingPathComponent("LF1.py"))
        }
        // "# caf\xE9\ndef label_function(t):\n    return -1\n" in Latin-1: 0xE9 at offset 5.
        let latin1 = Data([0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]) + Data("def label_function(t):\n    return -1\n".utf8)
        try latin1.write(to: folder.appendingPathComponent("LF2.py"))
        return folder
    }

    @Test func applyRunsTheGoodProgramAndNamesTheSkippedOne() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try cli.run(["apply", "--dataset", "demo", "--lfs", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 programs"), "\(result.stdout)")
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("LF1 ") }, "\(result.stdout)")
        #expect(result.stderr.contains("skipped LF2.py: not valid UTF-8 text (byte 0xE9 at offset 5)"), "\(result.stderr)")
    }

    @Test func applyJSONListsTheSkippedFile() throws {
        let folder = try folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try cli.run(["apply", "--dataset", "demo", "--lfs", folder.path, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let programs = try #require(object["programs"] as? [[String: Any]])
        #expect(programs.map { $0["name"] as? String } == ["LF1"])
        let skipped = try #require(object["skipped"] as? [[String: String]])
        #expect(skipped.count == 1)
        #expect(skipped.first?["path"]?.hasSuffix("/LF2.py") == true)
        #expect(skipped.first?["reason"] == "not valid UTF-8 text (byte 0xE9 at offset 5)")
    }

    @Test func nothingReadableLeftSaysHowManyWereSkipped() throws {
        let folder = try folder(withGood: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try cli.run(["apply", "--dataset", "demo", "--lfs", folder.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("skipped LF2.py: not valid UTF-8 text"), "\(result.stderr)")
        #expect(result.stderr.contains("no .py labeling programs found (1 unreadable file skipped)"), "\(result.stderr)")
    }

    @Test func labelNamesTheSkippedFileToo() throws {
        let folder = try folder(withGood: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try cli.run(["label", "--dataset", "demo", "--lfs", folder.path])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("skipped LF2.py: not valid UTF-8 text (byte 0xE9 at offset 5)"), "\(result.stderr)")
        #expect(result.stderr.contains("(1 unreadable file skipped)"), "\(result.stderr)")
    }
}
