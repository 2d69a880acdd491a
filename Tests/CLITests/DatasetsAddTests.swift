import Engine
import Foundation
import Testing
import TestSupport

/// `alchemist datasets add` as a user runs it: dry run, add, list, refusals, a second data folder.
@Suite struct DatasetsAddTests {
    let cli: CommandRunner

    init() throws { cli = try CommandRunner.locate() }

    @Test func addListAndRefuse() throws {
        let home = try TestEnvironment.temporaryFolder("add-home")
        defer { try? FileManager.default.removeItem(at: home) }
        let source = home.appendingPathComponent("tickets.csv")
        var lines = ["text,label"]
        for row in 0..<30 { lines.append("\"ticket \(row): the app \(row % 3 == 0 ? "crashes" : "is slow")\",\(row < 12 ? (row % 3 == 0 ? "bug" : "perf") : "")") }
        try Data(lines.joined(separator: "\r\n").utf8).write(to: source)
        let data = home.appendingPathComponent("data"), other = home.appendingPathComponent("other")
        let environment = ["ALCHEMIST_HOME": home.path]

        let dry = try cli.run(["datasets", "add", "tickets", "--from", source.path, "--data-dir", data.path, "--dry-run"], environment: environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("classes: bug, perf") && dry.stdout.contains("dry run: nothing written"), "\(dry.stdout)")
        #expect(dry.stdout.contains("valid       6  bug 2, perf 4"), "\(dry.stdout)")
        #expect(!FileManager.default.fileExists(atPath: data.path))

        let add = try cli.run(["datasets", "add", "tickets", "--from", source.path, "--data-dir", data.path, "--json",
                               "--description", "Support tickets: bug or performance."], environment: environment)
        #expect(add.status == 0, "\(add.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(add.stdout.utf8)) as? [String: Any])
        #expect(report["written"] as? Bool == true && report["labeled"] as? Int == 12)

        // Listed from a second data folder given after the first, beside what that one holds.
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let list = try cli.run(["datasets", "--data-dir", other.path, "--data-dir", data.path], environment: environment)
        #expect(list.status == 0, "\(list.stderr)")
        let line = try #require(list.stdout.split(separator: "\n").first { $0.hasPrefix("tickets") })
        #expect(line.contains("train 18 (unlabeled)") && line.contains("valid 6") && line.contains("test 6"), "\(line)")

        let again = try cli.run(["datasets", "add", "tickets", "--from", source.path, "--data-dir", data.path], environment: environment)
        #expect(again.status == 2 && again.stderr.contains("--force"), "\(again.stderr)")
        let named = try cli.run(["datasets", "add", "sms", "--from", source.path, "--data-dir", data.path], environment: environment)
        #expect(named.status == 2 && named.stderr.contains("named datasets"), "\(named.stderr)")
        let badSize = try cli.run(["datasets", "add", "t2", "--from", source.path, "--data-dir", data.path, "--valid-size", "half"], environment: environment)
        #expect(badSize.status == 2 && badSize.stderr.contains("--valid-size"), "\(badSize.stderr)")
        let missing = try cli.run(["datasets", "add", "t3", "--from", home.appendingPathComponent("nope.csv").path, "--data-dir", data.path], environment: environment)
        #expect(missing.status == 2 && missing.stderr.contains("nope.csv"), "\(missing.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.path) == ["tickets"])
    }
}
