import Foundation
import Testing
import TestSupport

/// `apply` streams its split: 300,000 rows (68 MB of JSONL) are applied by a process whose data
/// segment is limited to 120 MB (RLIMIT_DATA), where loading the split whole needed 150–250 MB
/// (measured: the loader before streaming failed at 150 MB, the streamed command runs at 60 MB).
@Suite struct StreamingApplyTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    @Test func applyToALargeFileRunsInALimitedDataSegment() throws {
        let folder = try TestEnvironment.temporaryFolder("streaming-apply")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data"), dataset = data.appendingPathComponent("big")
        try FileManager.default.createDirectory(at: dataset, withIntermediateDirectories: true)
        try Data(#"{"name": "big", "description": "d", "classes": ["ham", "spam"]}"#.utf8).write(to: dataset.appendingPathComponent("dataset.json"))
        let words = ["check", "out", "my", "channel", "please", "subscribe", "this", "song", "is", "great", "love", "it", "watch"]
        var generator = SplitMix(seed: 7)
        var lines = "", channel = 0
        lines.reserveCapacity(70_000_000)
        for row in 0..<300_000 {
            let text = String((0..<36).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ").prefix(190))
            if text.contains("channel") { channel += 1 }
            lines += #"{"id": \#(row), "text": "\#(text)", "label": \#(row % 2)}"# + "\n"
        }
        try Data(lines.utf8).write(to: dataset.appendingPathComponent("train.jsonl"))
        lines = ""
        let programs = folder.appendingPathComponent("lfs")
        try FileManager.default.createDirectory(at: programs, withIntermediateDirectories: true)
        try Data("def label_function(text):\n    return 1 if \"channel\" in text else -1\n".utf8).write(to: programs.appendingPathComponent("LF1.py"))
        // The shipped config with small windows, so the limit tells streaming from loading.
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))) as? [String: Any])
        var sandbox = try #require(config["sandbox"] as? [String: Any])
        sandbox["window_rows"] = 10_000
        config["sandbox"] = sandbox
        let configFile = folder.appendingPathComponent("config.json")
        try JSONSerialization.data(withJSONObject: config).write(to: configFile)

        let limited = """
            import os, resource, sys
            limit = 120 << 20
            resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
            os.execv(sys.argv[1], sys.argv[1:])
            """
        let python = CommandRunner(executable: URL(fileURLWithPath: "/usr/bin/python3"))
        let result = try python.run(["-c", limited, cli.executable.path, "apply", "--dataset", "big", "--split", "train",
                                     "--lfs", programs.path, "--data-dir", data.path, "--config", configFile.path, "--json"],
                                    environment: ["ALCHEMIST_HOME": folder.appendingPathComponent("home").path])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["rows"] as? Int == 300_000)
        let program = try #require((report["programs"] as? [[String: Any]])?.first)
        #expect(program["coverage"] as? Double == Double(channel) / 300_000, "the votes of every window are there")
        #expect(program["accuracy"] != nil && program["errors"] as? Int == 0)
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
