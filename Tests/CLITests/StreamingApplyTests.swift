import Foundation
import Testing
import TestSupport

/// `apply` and `label` stream the train split: 300,000 rows (68 MB of JSONL) are applied, and
/// 200,000 labeled with export, by a process whose data segment is limited (RLIMIT_DATA), where
/// loading the split whole needed 150–250 MB to apply (measured: the loader before streaming failed
/// at 150 MB, the streamed command runs at 60 MB) and about 280 MB to label (1.4 KB a row before
/// the label run streamed).
@Suite struct StreamingApplyTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    /// A custom dataset `big` of `rows` generated train rows (and small labeled valid and test
    /// splits), one keyword program, and the shipped config with 10,000-row windows, so the limit
    /// tells streaming from loading. Returns the rows whose text has the keyword.
    static func writeBigDataset(in folder: URL, rows: Int) throws -> Int {
        let data = folder.appendingPathComponent("data"), dataset = data.appendingPathComponent("big")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try Data(#"{"name": "big", "description": "d", "classes": ["ham", "spam"]}"#.utf8).write(to: dataset.appendingPathComponent("dataset.json"))
        let words = ["check", "out", "my", "channel", "please", "subscribe", "this", "song", "is", "great", "love", "it", "watch"]
        var generator = SplitMix(seed: 7)
        var channel = 0
        func text() -> String {
            String((0..<36).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ").prefix(190))
        }
        for (split, count) in [("train", rows), ("valid", 500), ("test", 500)] {
            var lines = ""
            lines.reserveCapacity(count * 240)
            for row in 0..<count {
                let text = text()
                if split == "train", text.contains("channel") { channel += 1 }
                lines += #"{"id": "\#(split)\#(row)", "text": "\#(text)", "label": \#(text.contains("subscribe") ? 1 : 0)}"# + "\n"
            }
            try Data(lines.utf8).write(to: dataset.appendingPathComponent("\(split).jsonl"))
        }
        let programs = folder.appendingPathComponent("lfs")
        try FileManager.default.createDirectory(at: programs, withIntermediateDirectories: true)
        try Data("def label_function(text):\n    return 1 if \"channel\" in text else -1\n".utf8).write(to: programs.appendingPathComponent("LF1.py"))
        try Data("def label_function(text):\n    return 0 if \"song\" in text else -1\n".utf8).write(to: programs.appendingPathComponent("LF2.py"))
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))) as? [String: Any])
        var sandbox = try #require(config["sandbox"] as? [String: Any])
        sandbox["window_rows"] = 10_000
        config["sandbox"] = sandbox
        try JSONSerialization.data(withJSONObject: config).write(to: folder.appendingPathComponent("config.json"))
        return channel
    }

    /// Runs the CLI with its data segment limited to `megabytes`.
    func runLimited(_ megabytes: Int, _ arguments: [String], in folder: URL) throws -> CommandRunner.Result {
        let limited = """
            import os, resource, sys
            limit = int(sys.argv[1]) << 20
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
            os.execv(sys.argv[2], sys.argv[2:])
            """
        let python = CommandRunner(executable: URL(fileURLWithPath: "/usr/bin/python3"))
        let common = ["--data-dir", folder.appendingPathComponent("data").path, "--config", folder.appendingPathComponent("config.json").path]
        return try python.run(["-c", limited, "\(megabytes)", cli.executable.path] + arguments + common,
                              environment: ["ALCHEMIST_HOME": folder.appendingPathComponent("home").path])
    }

    @Test func applyToALargeFileRunsInALimitedDataSegment() async throws {
        let folder = try TestEnvironment.temporaryFolder("streaming-apply")
        defer { try? FileManager.default.removeItem(at: folder) }
        let channel = try Self.writeBigDataset(in: folder, rows: 300_000)
        let result = try runLimited(120, ["apply", "--dataset", "big", "--split", "train", "--lfs", folder.appendingPathComponent("lfs").path,
                                          "--json"], in: folder)
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["rows"] as? Int == 300_000)
        let program = try #require((report["programs"] as? [[String: Any]])?.first)
        #expect(program["coverage"] as? Double == Double(channel) / 300_000, "the votes of every window are there")
        #expect(program["accuracy"] != nil && program["errors"] as? Int == 0)
    }

    @Test func labelWithExportOfALargeFileRunsInALimitedDataSegment() async throws {
        let folder = try TestEnvironment.temporaryFolder("streaming-label")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.writeBigDataset(in: folder, rows: 200_000)
        let export = folder.appendingPathComponent("labels.csv")
        let result = try runLimited(160, ["label", "--dataset", "big", "--lfs", folder.appendingPathComponent("lfs").path, "--runs", "1",
                                          "--label-models", "mv,snorkel", "--end-models", "lr", "--end-model-rows", "5000",
                                          "--export", export.path, "--json"], in: folder)
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["training_rows"] as? Int == 5000, "the end model trained on the sample asked for")
        // Every train row is in the export, in order, with its label and both programs' votes.
        var rows = 0
        var last = ""
        for line in try String(contentsOf: export, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst() {
            last = String(line)
            rows += 1
        }
        #expect(rows == 200_000)
        #expect(last.hasPrefix("train199999,"))
    }
}

/// A small seeded generator, so the file is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
