import ArgumentParser
import Engine
import Foundation

/// `alchemist spark-worker votes` and `spark-worker label`: what each Spark partition runs, started by
/// `spark_job.py` on the executors (hidden: not commands for users).
struct SparkWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spark-worker",
        abstract: "The executor side of --engine spark (started by Spark, not by hand).",
        shouldDisplay: false,
        subcommands: [Votes.self, Label.self])

    /// The worker's command line without `--lfs` (the job adds the programs' place on the executor).
    static func arguments(binary: String, classes: [String], settings: SandboxSettings) -> [String] {
        let classList = (try? JSONSerialization.data(withJSONObject: classes)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        var arguments = [binary, "spark-worker", "votes", "--classes", classList, "--sandbox", settings.sandboxSection]
        if settings.allowWithoutOSSandbox { arguments.append("--unsafe-no-os-sandbox") }
        return arguments
    }

    /// The label worker's command line without `--run` (the job adds the run's place on the executor).
    static func labelArguments(binary: String) -> [String] {
        [binary, "spark-worker", "label"]
    }

    /// This binary, as an absolute path: right for `local[*]`, where the executors are this machine.
    static var runningBinary: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    struct Votes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Applies the programs in the sandbox to JSON lines {\"text\", \"label\"} on stdin; writes [gold, votes…] per row, then the reports.")

        @Option(help: "Folder (searched recursively) or single .py file of labeling programs.")
        var lfs: String

        @Option(help: "The class names, as a JSON array.")
        var classes: String

        @Option(help: "The sandbox settings, as config.json's sandbox section (JSON).")
        var sandbox: String

        @Flag(name: .customLong("unsafe-no-os-sandbox"), help: "Run the programs with the Python-level checks alone where no OS sandbox can be made.")
        var unsafeNoOSSandbox = false

        @Option(name: .customLong("feature-bits"), help: "Also count the end models' document frequencies of the texts, 2^N hashed columns, in the last line.")
        var featureBits: Int?

        func run() async throws {
            try await reportingBadInput {
                guard let names = (try? JSONSerialization.jsonObject(with: Data(classes.utf8))) as? [String], names.count >= 2 else {
                    throw BadInput("--classes: expected a JSON array of at least two class names, found \(classes)")
                }
                var settings = try SandboxSettings(sandboxSection: sandbox, origin: "--sandbox")
                settings.allowWithoutOSSandbox = unsafeNoOSSandbox
                if let featureBits, !HashedTFIDF.bitsRange.contains(featureBits) {
                    throw BadInput("--feature-bits: expected \(HashedTFIDF.bitsRange.lowerBound)…\(HashedTFIDF.bitsRange.upperBound), found \(featureBits)")
                }
                // No program is how `predict --engine spark` reads rows for the end model alone.
                let scan = try SkippedPrograms.scan(lfs, allowingNone: true)
                try await SparkVoteWorker.run(scan.programs, classes: names, settings: settings, featureBits: featureBits)
            }
        }
    }

    struct Label: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Labels JSON lines {\"id\", \"text\", \"gold\", \"votes\"} on stdin with a saved run; writes one object a row keyed by the export's columns, then the tally.")

        @Option(name: .customLong("run"), help: "The run folder (its run.json and model files).")
        var runFolder: String

        @Flag(name: .customLong(String(SparkLabelWorker.withoutVotesFlag.dropFirst(2))),
              help: "The rows carry no votes (empty arrays): the end model labels every row.")
        var withoutVotes = false

        func run() async throws {
            try await reportingBadInput {
                try SparkLabelWorker.run(run: URL(fileURLWithPath: runFolder), withVotes: !withoutVotes)
            }
        }
    }
}
