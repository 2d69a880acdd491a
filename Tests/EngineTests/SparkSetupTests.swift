@testable import Engine
import Foundation
import Testing
import TestSupport

/// What `--engine spark` finds and hands on, without running Spark: the environment of
/// spark-submit, the sandbox settings the workers get, and the histogram turned into a matrix.
@Suite struct SparkSetupTests {
    @Test func missingSparkSubmitNamesThePlaceAndTheScript() throws {
        let home = try TestEnvironment.temporaryFolder("spark-home")
        defer { try? FileManager.default.removeItem(at: home) }
        let error = try #require(throws: SparkSetupError.self) { try SparkEnvironment.locate(appHome: home, environment: ["PATH": "/usr/bin:/bin"]) }
        #expect(error.description == "spark-submit not found at \(home.path)/tools/spark-venv/bin/spark-submit: run scripts/setup-spark (it installs pyspark there, and a Java runtime when none is found)")
        let named = try #require(throws: SparkSetupError.self) {
            try SparkEnvironment.locate(appHome: home, environment: ["ALCHEMIST_SPARK_SUBMIT": home.appendingPathComponent("none").path])
        }
        #expect(named.description.hasPrefix("ALCHEMIST_SPARK_SUBMIT: \(home.path)/none is not an executable file"))
    }

    @Test func javaIsRequiredAndTheChildEnvironmentHoldsNoKey() throws {
        let home = try TestEnvironment.temporaryFolder("spark-home")
        defer { try? FileManager.default.removeItem(at: home) }
        let bin = home.appendingPathComponent("tools/spark-venv/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for name in ["spark-submit", "python", "java"] {
            _ = FileManager.default.createFile(atPath: bin.appendingPathComponent(name).path, contents: Data("#!/bin/sh\n".utf8),
                                           attributes: [.posixPermissions: 0o755])
        }
        let noJava = try #require(throws: SparkSetupError.self) { try SparkEnvironment.locate(appHome: home, environment: ["PATH": home.path]) }
        #expect(noJava.description.contains("no Java runtime") && noJava.description.contains("scripts/setup-spark"))

        let environment = try SparkEnvironment.locate(appHome: home, environment: ["PATH": bin.path])
        #expect(environment.java.path == bin.appendingPathComponent("java").path)
        let child = environment.childEnvironment(["PATH": "/usr/bin", "OPENAI_API_KEY": "sk-1", "ANTHROPIC_API_KEY": "sk-2", "MY_API_KEY": "x", "HOME": "/h"])
        #expect(child == ["PATH": "/usr/bin", "HOME": "/h", "PYSPARK_PYTHON": bin.appendingPathComponent("python").path,
                          "PYSPARK_DRIVER_PYTHON": bin.appendingPathComponent("python").path])
    }

    @Test func sandboxSectionReadsBackAsTheSameSettings() throws {
        var settings = try TestEnvironment.config().sandbox
        settings.workers = 1
        settings.windowRows = 1234
        settings.python = "/usr/bin/python3"
        #expect(try SandboxSettings(sandboxSection: settings.sandboxSection, origin: "--sandbox") == settings)
        let bad = try #require(throws: JSONReadError.self) { try SandboxSettings(sandboxSection: #"{"workers": 1}"#, origin: "--sandbox") }
        #expect(bad.file == "--sandbox")
    }

    @Test func votePatternsExpandToTheirRows() throws {
        let patterns = [SparkVotesResult.VotePattern(v: [-1, 1], g: 0, n: 2), SparkVotesResult.VotePattern(v: [0, 1], g: -1, n: 1)]
        let (matrix, gold) = try SparkVotesJob.expandedMatrix(of: patterns, programs: 2)
        #expect(matrix == LabelMatrix(rows: [[-1, 1], [-1, 1], [0, 1]]))
        #expect(gold == [0, 0, -1])
        #expect(throws: SparkJobError.self) { try SparkVotesJob.expandedMatrix(of: patterns, programs: 3) }
    }
}
